/**
 * The run's ledger: the one place every record is counted, from the moment it falls due to its ack,
 * failure or drop. Other parts report events to it; nothing outside changes a count. The report is built
 * from its snapshot alone, and the counts obey one invariant:
 *   scheduled = acked + failed + dropped + unsent   (unsent: queued, waiting to retry or in flight)
 */
import { AckedRecords } from './acked-records';
import { LatencyHistogram, type LatencySummary } from './latency';
import { Series, type SeriesPoint } from './series';

export type { LatencySummary } from './latency';
export type { SeriesPoint } from './series';

export interface ShardTally {
  readonly shardId: string;
  readonly records: number;
  readonly bytes: number;
}

/**
 * Why the run ended: the schedule ran out, Ctrl-C, a threshold with abortOnFail failed, the reader of the output
 * closed it (`| head`), the endpoint stopped answering, or an error retrying cannot fix.
 */
export type StopReason = 'completed' | 'interrupted' | 'aborted' | 'output-closed' | 'unreachable' | 'failed';

export interface MetricsSnapshot {
  readonly startMs: number;
  readonly endMs: number;
  readonly stopReason: StopReason | null;
  /** Records that fell due (with `--rate max`: that the producer took). */
  readonly scheduled: number;
  readonly generated: number;
  /** Due records the producer could not take on time, or whose shard queue was full. */
  readonly dropped: number;
  readonly sent: number;
  readonly acked: number;
  /** Records that used up their retries, or were refused for good. */
  readonly failed: number;
  /** Records neither acked, failed nor dropped: while running, in the pipeline; at the end, never confirmed. */
  readonly unsent: number;
  readonly bytesAcked: number;
  readonly requests: number;
  readonly requestErrors: number;
  readonly retries: number;
  readonly throttled: number;
  /** Acked records whose ShardId differed from the predicted one. */
  readonly routingMismatches: number;
  /** Error code -> records that failed for good with it. */
  readonly failureCodes: Readonly<Record<string, number>>;
  /** Error code -> whole PutRecords requests that failed with it. */
  readonly requestErrorCodes: Readonly<Record<string, number>>;
  readonly latencyMs: LatencySummary;
  readonly series: readonly SeriesPoint[];
  readonly shards: readonly ShardTally[];
}

/** The counts a progress line needs, cheap enough to read several times a second. */
export interface LiveCounts {
  readonly scheduled: number;
  readonly acked: number;
  readonly failed: number;
  readonly dropped: number;
  readonly throttled: number;
  readonly retries: number;
  readonly unsent: number;
  readonly lastSecondAcked: number;
  readonly p99Ms: number;
}

const bump = (tally: Record<string, number>, code: string, count: number): void => {
  tally[code] = (tally[code] ?? 0) + count;
};

export class Metrics {
  private scheduled = 0;
  private generated = 0;
  private dropped = 0;
  private sent = 0;
  private acked = 0;
  private failed = 0;
  private bytesAcked = 0;
  private requests = 0;
  private requestErrors = 0;
  private retries = 0;
  private throttled = 0;
  private routingMismatches = 0;
  private endMs: number | null = null;
  private stopReason: StopReason | null = null;
  private shardIds: readonly string[] = [];
  private readonly failureCodes: Record<string, number> = {};
  private readonly requestErrorCodes: Record<string, number> = {};
  private readonly latency = new LatencyHistogram();
  private readonly series: Series;
  private readonly shardTallies = new Map<string, { records: number; bytes: number }>();
  /** The records acknowledged, when verification will want them. */
  readonly acks: AckedRecords | null;

  constructor(
    readonly startMs: number,
    keepAcks = false,
  ) {
    this.series = new Series(startMs);
    this.acks = keepAcks ? new AckedRecords() : null;
  }

  /** Admission's decision for records that fell due: how many were generated and how many dropped. */
  onAdmission(due: number, generated: number, dropped: number, nowMs: number): void {
    this.scheduled += due;
    this.generated += generated;
    this.dropped += dropped;
    this.series.add(nowMs, 'dropped', dropped);
  }

  onRequestSent(records: number, nowMs: number): void {
    this.sent += records;
    this.requests++;
    this.series.add(nowMs, 'sent', records);
  }

  onRequestLatency(microseconds: number): void {
    this.latency.record(microseconds);
  }

  onRequestError(code: string): void {
    this.requestErrors++;
    bump(this.requestErrorCodes, code, 1);
  }

  /** One record acknowledged: `partitionKey` and `seq` (its generator's number, or NO_SEQ_NUMBER) identify it for verification. */
  onAck(shardId: string, bytes: number, sequenceNumber: string | undefined, partitionKey: string, seq: number, nowMs: number): void {
    this.acked++;
    this.bytesAcked += bytes;
    this.series.add(nowMs, 'acked', 1);
    let tally = this.shardTallies.get(shardId);
    if (!tally) this.shardTallies.set(shardId, (tally = { records: 0, bytes: 0 }));
    tally.records++;
    tally.bytes += bytes;
    this.acks?.add(shardId, sequenceNumber, partitionKey, seq);
  }

  onThrottled(count: number, nowMs: number): void {
    this.throttled += count;
    this.series.add(nowMs, 'throttled', count);
  }

  onRetry(count: number): void {
    this.retries += count;
  }

  onFailed(code: string, count: number, nowMs: number): void {
    this.failed += count;
    bump(this.failureCodes, code, count);
    this.series.add(nowMs, 'failed', count);
  }

  onRoutingMismatch(count: number): void {
    this.routingMismatches += count;
  }

  /** The shards the run wrote to (the router's final map), listed in the report even when empty. */
  onShards(shardIds: readonly string[]): void {
    this.shardIds = shardIds;
  }

  onFinish(nowMs: number, reason: StopReason): void {
    this.endMs = nowMs;
    this.stopReason = reason;
  }

  /** Records still in the pipeline (queued, waiting to retry or in flight). */
  get unsent(): number {
    return this.scheduled - this.acked - this.failed - this.dropped;
  }

  live(nowMs: number): LiveCounts {
    return {
      scheduled: this.scheduled,
      acked: this.acked,
      failed: this.failed,
      dropped: this.dropped,
      throttled: this.throttled,
      retries: this.retries,
      unsent: this.unsent,
      lastSecondAcked: this.series.lastComplete(nowMs).acked,
      p99Ms: this.latency.p99Ms(),
    };
  }

  /** The per-second series from second `from` up to (not including) `to`; Infinity: to the last recorded second. */
  seconds(from: number, to: number): SeriesPoint[] {
    return this.series.range(from, to);
  }

  snapshot(nowMs: number): MetricsSnapshot {
    const ids = new Set([...this.shardIds, ...this.shardTallies.keys()]);
    return {
      startMs: this.startMs,
      endMs: this.endMs ?? nowMs,
      stopReason: this.stopReason,
      scheduled: this.scheduled,
      generated: this.generated,
      dropped: this.dropped,
      sent: this.sent,
      acked: this.acked,
      failed: this.failed,
      unsent: this.unsent,
      bytesAcked: this.bytesAcked,
      requests: this.requests,
      requestErrors: this.requestErrors,
      retries: this.retries,
      throttled: this.throttled,
      routingMismatches: this.routingMismatches,
      failureCodes: { ...this.failureCodes },
      requestErrorCodes: { ...this.requestErrorCodes },
      latencyMs: this.latency.summaryMs(),
      series: this.series.points(),
      shards: [...ids].sort().map((shardId) => ({ shardId, ...(this.shardTallies.get(shardId) ?? { records: 0, bytes: 0 }) })),
    };
  }
}
