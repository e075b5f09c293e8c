/**
 * `--watch-consumer`: samples the stream's CloudWatch metrics during the run with GetMetricData (the maximum of
 * GetRecords.IteratorAgeMilliseconds, IncomingRecords, WriteProvisionedThroughputExceeded, per 60 s period,
 * Kinesis' basic stream metrics), waits after the run for CloudWatch to publish the last periods, and says
 * whether the consumers' iterator age stayed bounded. A failed call is noted and the run goes on.
 */
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandOutput, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { awsClientConfig, type ClientOptions } from '../shared/aws-client-config';
import { formatDuration } from '../shared/duration';
import { firstLine } from '../shared/errors';
import { errorCode } from '../kinesis/request-errors';
import type { ConsumerPoint, ConsumerReport } from './consumer-types';

/** Kinesis publishes stream-level metrics per minute. */
export const METRIC_PERIOD_SECONDS = 60;

export type CloudWatchSender = Pick<CloudWatchClient, 'send'>;

export interface ConsumerWatchOptions {
  /** How often to sample during the run. */
  readonly intervalMs: number;
  /** Longest wait after the run for the periods it covered to be published. */
  readonly graceMs: number;
  /** The iterator age the consumer must stay under. */
  readonly boundMs: number;
  /** Wall clock, ms since the epoch (tests move it). @default Date.now */
  readonly now?: () => number;
  /** Waits between samples (tests resolve it at once). @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

export function createCloudWatchClient(options: ClientOptions): CloudWatchClient {
  return new CloudWatchClient(awsClientConfig(options));
}

const METRICS = [
  { id: 'iteratorAge', name: 'GetRecords.IteratorAgeMilliseconds', stat: 'Maximum' },
  { id: 'incoming', name: 'IncomingRecords', stat: 'Sum' },
  { id: 'writeThrottled', name: 'WriteProvisionedThroughputExceeded', stat: 'Sum' },
] as const;

type MetricId = (typeof METRICS)[number]['id'];

/** How many of the last periods must rise, each above the one before, for the age to count as growing. */
const GROWING_PERIODS = 3;

const minuteFloor = (ms: number): number => Math.floor(ms / 60_000) * 60_000;

function queries(streamName: string): MetricDataQuery[] {
  return METRICS.map((m) => ({
    Id: m.id,
    MetricStat: {
      Metric: { Namespace: 'AWS/Kinesis', MetricName: m.name, Dimensions: [{ Name: 'StreamName', Value: streamName }] },
      Period: METRIC_PERIOD_SECONDS,
      Stat: m.stat,
    },
    ReturnData: true,
  }));
}

const age = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : formatDuration(ms));

export function judgeIteratorAge(points: readonly ConsumerPoint[], boundMs: number): Pick<ConsumerReport, 'maxIteratorAgeMs' | 'lastIteratorAgeMs' | 'iteratorAgeBounded' | 'verdict'> {
  const ages = points.filter((p) => p.iteratorAgeMsMax !== null).map((p) => p.iteratorAgeMsMax as number);
  if (!ages.length) {
    return {
      maxIteratorAgeMs: null,
      lastIteratorAgeMs: null,
      iteratorAgeBounded: null,
      verdict:
        'no GetRecords.IteratorAgeMilliseconds data: no consumer read the stream during the run (is the Databricks job running?), ' +
        'or CloudWatch had not published those minutes yet (raise --watch-grace)',
    };
  }
  const max = Math.max(...ages);
  const last = ages[ages.length - 1];
  const tail = ages.slice(-GROWING_PERIODS);
  const growing = tail.length === GROWING_PERIODS && tail.every((v, i) => i === 0 || v > tail[i - 1]) && last >= boundMs / 2;
  if (max > boundMs) {
    return { maxIteratorAgeMs: max, lastIteratorAgeMs: last, iteratorAgeBounded: false, verdict: `the consumer fell behind: iterator age reached ${age(max)} (bound ${age(boundMs)})` };
  }
  if (growing) {
    return {
      maxIteratorAgeMs: max,
      lastIteratorAgeMs: last,
      iteratorAgeBounded: false,
      verdict: `the consumer is falling behind: iterator age grew over the last ${GROWING_PERIODS} periods (${tail.map(age).join(', ')}) toward the bound of ${age(boundMs)}`,
    };
  }
  return { maxIteratorAgeMs: max, lastIteratorAgeMs: last, iteratorAgeBounded: true, verdict: `the consumer kept up: iterator age stayed at most ${age(max)} (bound ${age(boundMs)})` };
}

export class ConsumerWatch {
  private readonly byTime = new Map<number, Record<MetricId, number | null>>();
  private readonly errors: string[] = [];
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> = Promise.resolve();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private startMs = 0;

  constructor(
    private readonly client: CloudWatchSender,
    private readonly streamName: string,
    private readonly options: ConsumerWatchOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Starts sampling every intervalMs, from the period the run starts in. */
  start(runStart: Date): void {
    this.startMs = runStart.getTime();
    this.timer = setInterval(() => {
      this.inFlight = this.inFlight.then(() => this.sample());
    }, this.options.intervalMs);
    this.timer.unref();
  }

  /**
   * After the run: samples until the period the run ended in is published (or graceMs passed), then judges.
   * `log` hears what it is waiting for.
   */
  async finish(runEnd: Date, log: (line: string) => void = () => {}): Promise<ConsumerReport> {
    if (this.timer) clearInterval(this.timer);
    await this.inFlight;
    const endPeriod = minuteFloor(runEnd.getTime());
    const deadline = this.now() + this.options.graceMs;
    await this.sample();
    if (!this.byTime.has(endPeriod) && this.options.graceMs > 0) {
      log(`watching the consumer: waiting up to ${formatDuration(this.options.graceMs)} for CloudWatch to publish the run's last minute (--watch-grace)`);
      const pause = Math.min(15_000, Math.max(1, this.options.intervalMs));
      while (!this.byTime.has(endPeriod) && this.now() < deadline) {
        await this.sleep(Math.min(pause, Math.max(0, deadline - this.now())));
        await this.sample();
      }
    }
    const points = this.points();
    return {
      source: 'cloudwatch',
      stream: this.streamName,
      periodSeconds: METRIC_PERIOD_SECONDS,
      points,
      iteratorAgeBoundMs: this.options.boundMs,
      ...(this.errors.length && !points.length
        ? { maxIteratorAgeMs: null, lastIteratorAgeMs: null, iteratorAgeBounded: null, verdict: `could not read CloudWatch: ${this.errors[this.errors.length - 1]}` }
        : judgeIteratorAge(points, this.options.boundMs)),
      errors: [...new Set(this.errors)],
    };
  }

  private points(): ConsumerPoint[] {
    return [...this.byTime.entries()]
      .sort(([a], [b]) => a - b)
      .map(([time, v]) => ({
        time: new Date(time).toISOString(),
        second: Math.round((time - this.startMs) / 1000),
        iteratorAgeMsMax: v.iteratorAge,
        incomingRecordsPerSecond: v.incoming === null ? null : Math.round((100 * v.incoming) / METRIC_PERIOD_SECONDS) / 100,
        writeThrottledPerSecond: v.writeThrottled === null ? null : Math.round((100 * v.writeThrottled) / METRIC_PERIOD_SECONDS) / 100,
      }));
  }

  /** One GetMetricData call (and its pages) from the run's first period to now; later answers replace earlier ones. */
  private async sample(): Promise<void> {
    const startTime = new Date(minuteFloor(this.startMs));
    const endTime = new Date(minuteFloor(this.now()) + 60_000);
    let nextToken: string | undefined;
    try {
      do {
        const page: GetMetricDataCommandOutput = await this.client.send(
          new GetMetricDataCommand({ MetricDataQueries: queries(this.streamName), StartTime: startTime, EndTime: endTime, ScanBy: 'TimestampAscending', NextToken: nextToken }),
        );
        for (const result of page.MetricDataResults ?? []) {
          const id = result.Id as MetricId;
          (result.Timestamps ?? []).forEach((timestamp, i) => {
            const time = timestamp.getTime();
            let point = this.byTime.get(time);
            if (!point) this.byTime.set(time, (point = { iteratorAge: null, incoming: null, writeThrottled: null }));
            point[id] = result.Values?.[i] ?? null;
          });
        }
        nextToken = page.NextToken;
      } while (nextToken);
    } catch (error) {
      // An answer the SDK cannot parse: the endpoint is not CloudWatch (a Kinesis-only emulator at --endpoint).
      const notCloudWatch = (error as Error)?.name === 'SyntaxError';
      this.errors.push(notCloudWatch ? 'GetMetricData failed: the endpoint did not answer as CloudWatch does (a Kinesis-only emulator?)' : `GetMetricData failed: ${errorCode(error)}: ${firstLine(error)}`);
    }
  }
}
