/**
 * The run's ledger: the one place every record is counted, from the moment it falls due to its ack,
 * failure or drop. Other parts report events to it; nothing outside changes a count. The report is built
 * from its snapshot alone, and the counts obey one invariant:
 *   scheduled = acked + failed + dropped + unsent   (unsent: queued, waiting to retry or in flight)
 */
import { AckedRecords } from './acked-records';
import { ConcurrencyTrack, type ConcurrencyChange, type ConcurrencySummary } from './concurrency-track';
import type { LatencySummary } from './latency';
import { Series, type LatencyHistograms, type SeriesPoint } from './series';

export type { ConcurrencyChange, ConcurrencySummary } from './concurrency-track';
export type { LatencyPoint, LatencySummary } from './latency';
export type { LatencyHistograms, SeriesPoint } from './series';

export interface ShardTally {
  readonly shardId: string;
  /** Records acked on this shard, and their bytes. */
  readonly records: number;
  readonly bytes: number;
  /** Entries for this shard the service throttled (each attempt counts). */
  readonly throttled: number;
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
  /** Per PutRecords request, send to answer. */
  readonly latencyMs: LatencySummary;
  /** Per acked record, from when it fell due to its ack: queueing, batching and retries included. */
  readonly recordLatencyMs: LatencySummary;
  /** The histograms behind latencyMs and recordLatencyMs (encoded), so segments' reports merge exactly. */
  readonly histograms: LatencyHistograms;
  readonly series: readonly SeriesPoint[];
  readonly shards: readonly ShardTally[];
  /** The request concurrency limit: what it settled on and why (null before the engine set one). */
  readonly concurrency: ConcurrencySummary | null;
}

/** The few counts the engine's `observe` hook sees: cheap to read on every turn of the loop. */
export interface LedgerState {
  readonly elapsedMs: number;
  /** Records that fell due, were sent, and were throttled so far. */
  readonly scheduled: number;
  readonly sent: number;
  readonly throttled: number;
  /** Records whose fate is known: acked, failed or dropped. */
  readonly settled: number;
  /** Shards that have had entries acked or throttled, and those that have had entries throttled. */
  readonly shardsWritten: number;
  readonly shardsThrottled: number;
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
  readonly recordP99Ms: number;
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
  private shardsThrottled = 0;
  private endMs: number | null = null;
  private stopReason: StopReason | null = null;
  private shardIds: readonly string[] = [];
  private readonly failureCodes: Record<string, number> = {};
  private readonly requestErrorCodes: Record<string, number> = {};
  private readonly series: Series;
  private readonly shardTallies = new Map<string, { records: number; bytes: number; throttled: number }>();
  private readonly concurrency = new ConcurrencyTrack();
  /** The records acknowledged, when verification will want them. */
  readonly acks: AckedRecords | null;
  /** A second ledger for the records that fell due in a measurement window (find-limit's steps), once one is opened. */
  private window: { readonly ledger: Metrics; readonly fromMs: number; readonly toMs: number } | null = null;

  constructor(
    readonly startMs: number,
    keepAcks = false,
  ) {
    this.series = new Series(startMs);
    this.acks = keepAcks ? new AckedRecords() : null;
  }

  /**
   * From now on, the records that fall due in [fromMs, toMs) are also counted in a window ledger
   * (windowSnapshot()): how many were sent, acked, throttled, failed, and their latency. Drops are counted by
   * the time they are decided, which is at most one turn of the loop after the record fell due.
   */
  openWindow(fromMs: number, toMs: number): void {
    const ledger = new Metrics(fromMs);
    ledger.onShards(this.shardIds);
    this.window = { ledger, fromMs, toMs };
  }

  /** The window's ledger when `atMs` (a due time, or the time of an event about no one record) falls in it. */
  private inWindow(atMs: number): Metrics | null {
    const w = this.window;
    return w && atMs >= w.fromMs && atMs < w.toMs ? w.ledger : null;
  }

  /** Admission's decision for records that fell due: how many were generated and how many dropped. */
  onAdmission(due: number, generated: number, dropped: number, nowMs: number): void {
    this.scheduled += due;
    this.generated += generated;
    this.dropped += dropped;
    this.series.add(nowMs, 'dropped', dropped);
    this.inWindow(nowMs)?.onAdmission(due, generated, dropped, nowMs);
  }

  /** A request of `records` records left at `nowMs`; `dueOf(i)` is when its i-th record fell due. */
  onRequestSent(records: number, nowMs: number, dueOf?: (i: number) => number): void {
    this.sent += records;
    this.requests++;
    this.series.add(nowMs, 'sent', records);
    if (this.window && dueOf) {
      let inWindow = 0;
      for (let i = 0; i < records; i++) if (this.inWindow(dueOf(i))) inWindow++;
      if (inWindow) this.window.ledger.onRequestSent(inWindow, nowMs);
    }
  }

  /** Records that fell due at `dueMs` (the series counts them in that second: the target rate). */
  onScheduled(dueMs: number, count: number): void {
    this.series.add(dueMs, 'scheduled', count);
    this.inWindow(dueMs)?.onScheduled(dueMs, count);
  }

  onRequestLatency(microseconds: number, nowMs: number): void {
    this.series.requestLatencyAt(nowMs, microseconds);
    this.inWindow(nowMs)?.onRequestLatency(microseconds, nowMs);
  }

  onRequestError(code: string, nowMs: number): void {
    this.requestErrors++;
    bump(this.requestErrorCodes, code, 1);
    this.inWindow(nowMs)?.onRequestError(code, nowMs);
  }

  /**
   * `count` records acknowledged at `nowMs` by `shardId`, `bytes` in all, that all fell due at `dueMs`. The engine
   * reports the records of an answer in runs of the same shard and due time (a whole batch under `--rate max`), so
   * the counts and the latency histogram cost one update per run rather than per record.
   */
  onAcks(shardId: string, count: number, bytes: number, nowMs: number, dueMs: number): void {
    this.acked += count;
    this.bytesAcked += bytes;
    this.series.ackAt(nowMs, (nowMs - dueMs) * 1000, count);
    const tally = this.tally(shardId);
    tally.records += count;
    tally.bytes += bytes;
    this.inWindow(dueMs)?.onAcks(shardId, count, bytes, nowMs, dueMs);
  }

  /**
   * What verification needs of one acknowledged record (only when the ledger keeps acks): `partitionKey` and `seq`
   * (its generator's number, or NO_SEQ_NUMBER) identify it, or its shard and sequence number.
   */
  onAckedRecord(shardId: string, sequenceNumber: string | undefined, partitionKey: string, seq: number): void {
    this.acks?.add(shardId, sequenceNumber, partitionKey, seq);
  }

  /** `count` entries throttled at `nowMs`, all meant for `shardId`, that fell due at `dueMs`. */
  onThrottled(shardId: string, count: number, nowMs: number, dueMs: number): void {
    this.throttled += count;
    this.series.add(nowMs, 'throttled', count);
    const tally = this.tally(shardId);
    if (tally.throttled === 0 && count > 0) this.shardsThrottled++;
    tally.throttled += count;
    this.inWindow(dueMs)?.onThrottled(shardId, count, nowMs, dueMs);
  }

  onRetry(count: number, nowMs: number, dueMs: number): void {
    this.retries += count;
    this.series.add(nowMs, 'retried', count);
    this.inWindow(dueMs)?.onRetry(count, nowMs, dueMs);
  }

  onFailed(code: string, count: number, nowMs: number, dueMs: number): void {
    this.failed += count;
    bump(this.failureCodes, code, count);
    this.series.add(nowMs, 'failed', count);
    this.inWindow(dueMs)?.onFailed(code, count, nowMs, dueMs);
  }

  /** The concurrency limit changed (or was set at the start). */
  onConcurrency(change: ConcurrencyChange, nowMs: number): void {
    this.concurrency.set(change, nowMs);
    this.series.setConcurrency(nowMs, change.limit);
  }

  onRoutingMismatch(count: number): void {
    this.routingMismatches += count;
  }

  /** The shards the run wrote to (the router's final map), listed in the report even when empty. */
  onShards(shardIds: readonly string[]): void {
    this.shardIds = shardIds;
    this.window?.ledger.onShards(shardIds);
  }

  onFinish(nowMs: number, reason: StopReason): void {
    this.endMs = nowMs;
    this.stopReason = reason;
    this.window?.ledger.onFinish(Math.min(nowMs, this.window.toMs), reason);
  }

  /** The window's counts, or null when none was opened. */
  windowSnapshot(nowMs: number): MetricsSnapshot | null {
    return this.window ? this.window.ledger.snapshot(Math.min(nowMs, this.window.toMs)) : null;
  }

  /** The few counts the engine's `observe` hook sees on every turn of the loop. */
  state(elapsedMs: number): LedgerState {
    return {
      elapsedMs,
      scheduled: this.scheduled,
      sent: this.sent,
      throttled: this.throttled,
      settled: this.acked + this.failed + this.dropped,
      shardsWritten: this.shardTallies.size,
      shardsThrottled: this.shardsThrottled,
    };
  }

  /** Records still in the pipeline (queued, waiting to retry or in flight). */
  get unsent(): number {
    return this.scheduled - this.acked - this.failed - this.dropped;
  }

  live(nowMs: number): LiveCounts {
    const p99 = this.series.p99Ms();
    return {
      scheduled: this.scheduled,
      acked: this.acked,
      failed: this.failed,
      dropped: this.dropped,
      throttled: this.throttled,
      retries: this.retries,
      unsent: this.unsent,
      lastSecondAcked: this.series.lastComplete(nowMs).acked,
      p99Ms: p99.request,
      recordP99Ms: p99.record,
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
      latencyMs: this.series.requestLatencySummary(),
      recordLatencyMs: this.series.recordLatencySummary(),
      histograms: this.series.histograms(),
      series: this.series.points(),
      shards: [...ids].sort().map((shardId) => ({ shardId, ...(this.shardTallies.get(shardId) ?? { records: 0, bytes: 0, throttled: 0 }) })),
      concurrency: this.concurrency.summary(this.endMs ?? nowMs),
    };
  }

  private tally(shardId: string): { records: number; bytes: number; throttled: number } {
    let tally = this.shardTallies.get(shardId);
    if (!tally) this.shardTallies.set(shardId, (tally = { records: 0, bytes: 0, throttled: 0 }));
    return tally;
  }
}
