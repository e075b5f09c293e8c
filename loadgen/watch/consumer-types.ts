/** What `--watch-consumer` puts in the report: the stream's CloudWatch metrics during the run, and a verdict. */

/** One CloudWatch period of the stream's metrics. */
export interface ConsumerPoint {
  /** Start of the period (ISO). */
  readonly time: string;
  /** Start of the period in seconds since the run started (negative for a period that began before it). */
  readonly second: number;
  /** Maximum GetRecords.IteratorAgeMilliseconds in the period: how far behind the slowest reader read. */
  readonly iteratorAgeMsMax: number | null;
  /** IncomingRecords (Sum) / period: what the stream counted in, per second. */
  readonly incomingRecordsPerSecond: number | null;
  /** WriteProvisionedThroughputExceeded (Sum) / period: records throttled, per second. */
  readonly writeThrottledPerSecond: number | null;
}

export interface ConsumerReport {
  readonly source: 'cloudwatch';
  readonly stream: string;
  readonly periodSeconds: number;
  readonly points: readonly ConsumerPoint[];
  readonly maxIteratorAgeMs: number | null;
  /** Iterator age of the last period with data. */
  readonly lastIteratorAgeMs: number | null;
  /** The bound the iterator age must stay under (--max-iterator-age). */
  readonly iteratorAgeBoundMs: number;
  /** true: stayed under the bound and did not keep growing; false: did not; null: no iterator-age data. */
  readonly iteratorAgeBounded: boolean | null;
  readonly verdict: string;
  /** CloudWatch calls that failed (the run goes on without them). */
  readonly errors: readonly string[];
}

/** A consumer report with every key and no data: the keys thresholds may name (report/report.ts reportTemplate). */
export const EMPTY_CONSUMER_REPORT: ConsumerReport = Object.freeze({
  source: 'cloudwatch',
  stream: '',
  periodSeconds: 60,
  points: [],
  maxIteratorAgeMs: null,
  lastIteratorAgeMs: null,
  iteratorAgeBoundMs: 0,
  iteratorAgeBounded: null,
  verdict: '',
  errors: [],
}) as ConsumerReport;
