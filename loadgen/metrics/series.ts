/** The per-second series: what happened in each second of the run, for charts and for finding a throttle point. */
import { LatencyPerSecond, type LatencyPoint, type LatencySummary } from './latency';

export interface SeriesPoint {
  readonly second: number;
  readonly sent: number;
  readonly acked: number;
  readonly throttled: number;
  readonly dropped: number;
  readonly failed: number;
  /** Records that fell due in this second (by their scheduled time): the target rate, second by second. */
  readonly scheduled: number;
  /** Failed entries queued for another attempt in this second. */
  readonly retried: number;
  /** PutRecords latency of the requests answered in this second; null when none was. */
  readonly latencyMs: LatencyPoint | null;
  /** Due-to-ack latency of the records acked in this second; null when none was. */
  readonly recordLatencyMs: LatencyPoint | null;
  /** Requests allowed in flight at the end of the second (the concurrency limit). */
  readonly concurrency: number;
  /** With --watch-consumer: the stream's CloudWatch figures of the period this second falls in. */
  readonly cloudwatch?: {
    readonly iteratorAgeMsMax: number | null;
    readonly incomingRecordsPerSecond: number | null;
    readonly writeThrottledPerSecond: number | null;
  };
}

/** The run's latency histograms, encoded (LatencyPerSecond.encode()): a report carries them for exact merges. */
export interface LatencyHistograms {
  readonly latencyMs: string;
  readonly recordLatencyMs: string;
}

export type SeriesCount = 'sent' | 'acked' | 'throttled' | 'dropped' | 'failed' | 'scheduled' | 'retried';
type Counts = Record<SeriesCount, number> & { concurrency: number };

export class Series {
  private readonly seconds: Counts[] = [];
  private readonly requestLatency = new LatencyPerSecond();
  private readonly recordLatency = new LatencyPerSecond();
  /** The concurrency limit in force: a second with no change carries it over. */
  private concurrency = 0;

  constructor(private readonly startMs: number) {}

  add(nowMs: number, field: SeriesCount, count: number): void {
    if (count === 0) return;
    this.at(nowMs)[field] += count;
  }

  /** The concurrency limit changed at `nowMs`. */
  setConcurrency(nowMs: number, limit: number): void {
    const second = this.at(nowMs);
    this.concurrency = limit;
    second.concurrency = limit;
  }

  /** A request answered at `nowMs` after `microseconds`. */
  requestLatencyAt(nowMs: number, microseconds: number): void {
    this.at(nowMs);
    this.requestLatency.record(this.index(nowMs), microseconds);
  }

  /** `count` records acked at `nowMs`, `microseconds` after they fell due (the hot path: one call per run of acks). */
  ackAt(nowMs: number, microseconds: number, count = 1): void {
    const index = this.index(nowMs);
    while (this.seconds.length <= index) this.seconds.push(this.empty());
    this.seconds[index].acked += count;
    this.recordLatency.record(index, microseconds, count);
  }

  /** The run's request latency, and its record latency. */
  requestLatencySummary(): LatencySummary {
    return this.requestLatency.summaryMs();
  }

  recordLatencySummary(): LatencySummary {
    return this.recordLatency.summaryMs();
  }

  histograms(): LatencyHistograms {
    return { latencyMs: this.requestLatency.encode(), recordLatencyMs: this.recordLatency.encode() };
  }

  /** p99s for progress lines. */
  p99Ms(): { request: number; record: number } {
    return { request: this.requestLatency.p99Ms(), record: this.recordLatency.p99Ms() };
  }

  /** The last complete second before `nowMs` (for progress lines). */
  lastComplete(nowMs: number): { second: number } & Counts {
    const second = Math.floor((nowMs - this.startMs) / 1000) - 1;
    return { second, ...(this.seconds[second] ?? this.empty()) };
  }

  points(): SeriesPoint[] {
    const n = this.seconds.length;
    const requests = this.requestLatency.points(n);
    const records = this.recordLatency.points(n);
    return this.seconds.map((counts, second) => ({ second, ...counts, latencyMs: requests[second], recordLatencyMs: records[second] }));
  }

  private empty(): Counts {
    return { sent: 0, acked: 0, throttled: 0, dropped: 0, failed: 0, scheduled: 0, retried: 0, concurrency: this.concurrency };
  }

  private index(nowMs: number): number {
    // (start + 1000) - start can come out a hair under 1000: a record due at exactly 1 s belongs to second 1.
    return Math.max(0, Math.floor((nowMs - this.startMs) / 1000 + 1e-9));
  }

  private at(nowMs: number): Counts {
    const index = this.index(nowMs);
    while (this.seconds.length <= index) this.seconds.push(this.empty());
    return this.seconds[index];
  }

  /** Seconds `from` up to (not including) `to`, zeros where nothing happened; `to` Infinity: up to the last recorded one. */
  range(from: number, to: number): SeriesPoint[] {
    const end = Number.isFinite(to) ? to : this.seconds.length;
    const points: SeriesPoint[] = [];
    for (let second = Math.max(0, from); second < end; second++) {
      points.push({ second, ...(this.seconds[second] ?? this.empty()), latencyMs: this.requestLatency.at(second), recordLatencyMs: this.recordLatency.at(second) });
    }
    return points;
  }
}
