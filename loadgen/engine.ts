/**
 * The producer engine: releases records on the open-model schedule, routes them to per-shard queues,
 * sends PutRecords batches through a concurrency limit, retries failed entries with backoff, and counts
 * everything. Event-driven: a short timer tick plus every request completion "pump" the pipeline; all
 * queues are bounded, so memory stays flat however far the endpoint falls behind.
 */
import pLimit from 'p-limit';
import { THROTTLED_ERROR_CODE, fullJitterDelay, isRetryableRequestError } from './backoff';
import { ShardQueues } from './batcher';
import { RunError, UsageError } from './errors';
import type { RecordGenerator } from './generators/types';
import { Metrics } from './metrics';
import { encodeRecord, type PendingRecord, type PutEntry } from './record';
import { Pacer } from './scheduler';
import { ShardMap, WHOLE_KEY_SPACE, type ShardRange } from './shard-map';
import type { PutResultEntry, Sink } from './sinks';

export interface EngineOptions {
  readonly batchSize: number;
  readonly concurrency: number;
  readonly maxRetries: number;
  /** Multiplier on the per-shard limits; null = no per-shard limit. */
  readonly shardLimit: number | null;
  readonly drainTimeoutMs: number;
  /** Keep every acked record's shard and sequence number (for verification). */
  readonly recordAcks: boolean;
  /**
   * Bound on queued records (all shards). @default 2 x batchSize x concurrency, at least 1,000; for
   * `--rate max` one batch per request slot, so the run ends soon after its duration.
   */
  readonly maxQueuedRecords?: number;
  /** A partial batch leaves at most this often, so low rates still send reasonably full batches. @default 25 */
  readonly lingerMs?: number;
  /** Timer resolution of the scheduler. @default 5 */
  readonly tickMs?: number;
  /** Re-list shards at least this often. @default 60000 */
  readonly shardRefreshMs?: number;
  /** ...and at most this often (ListShards is rate-limited), even when predictions miss. @default 5000 */
  readonly shardRefreshMinIntervalMs?: number;
}

export interface EngineDeps {
  readonly sink: Sink;
  readonly generator: RecordGenerator;
  readonly generatorName: string;
  readonly pacer: Pacer;
  /** Open shards from ListShards, or null for sinks without shards. */
  readonly shards: readonly ShardRange[] | null;
  /** Milliseconds, monotonic. */
  readonly clock?: () => number;
  readonly random?: () => number;
}

export interface EngineResult {
  readonly startMs: number;
  readonly endMs: number;
  readonly metrics: Metrics;
  readonly scheduled: number;
  readonly dropped: number;
  /** Records not confirmed when the run ended (drain timeout): queued, waiting to retry or in flight. */
  readonly unsent: number;
  readonly interrupted: boolean;
  /** Per shard, the sequence numbers of acked records (only with recordAcks). */
  readonly acks: ReadonlyMap<string, string[]> | null;
  readonly shardIds: readonly string[];
  /** A sample of the last error codes of permanently failed records. */
  readonly failureCodes: Readonly<Record<string, number>>;
}

export interface EngineSnapshot {
  readonly elapsedMs: number;
  readonly durationMs: number;
  readonly scheduled: number;
  readonly acked: number;
  readonly failed: number;
  readonly throttled: number;
  readonly retries: number;
  readonly dropped: number;
  readonly queued: number;
  readonly inFlight: number;
  readonly lastSecondAcked: number;
  readonly p99Ms: number;
  readonly draining: boolean;
}

interface WaitingRetry {
  readonly at: number;
  readonly record: PendingRecord;
}

export class Engine {
  private metrics: Metrics;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly maxQueued: number;
  private readonly lingerMs: number;
  private readonly tickMs: number;
  private readonly shardRefreshMs: number;
  private readonly shardRefreshMinIntervalMs: number;
  private readonly acks: Map<string, string[]> | null;
  private readonly failureCodes: Record<string, number> = {};
  private shardMap: ShardMap;
  private readonly queues: ShardQueues;
  private waiting: WaitingRetry[] = [];
  private inFlight = 0;
  private inFlightRecords = 0;
  private startMs = 0;
  private lastPartialMs = -Infinity;
  private lastRefreshMs = 0;
  private refreshing = false;
  private schedulingDone = false;
  private interrupted = false;
  private drainDeadline = Infinity;
  private droppedSeen = 0;
  private timer: NodeJS.Timeout | undefined;
  private done = false;
  private settle: ((result: EngineResult) => void) | undefined;
  private fail: ((error: Error) => void) | undefined;

  constructor(
    private readonly deps: EngineDeps,
    private readonly options: EngineOptions,
  ) {
    this.clock = deps.clock ?? (() => performance.now());
    this.random = deps.random ?? Math.random;
    this.limit = pLimit(options.concurrency);
    const unthrottled = !Number.isFinite(deps.pacer.schedule.rateAt(0));
    this.maxQueued =
      options.maxQueuedRecords ??
      (unthrottled ? options.batchSize * options.concurrency : Math.max(1000, 2 * options.batchSize * options.concurrency));
    this.lingerMs = options.lingerMs ?? 25;
    this.tickMs = options.tickMs ?? 5;
    this.shardRefreshMs = options.shardRefreshMs ?? 60_000;
    this.shardRefreshMinIntervalMs = options.shardRefreshMinIntervalMs ?? 5_000;
    this.acks = options.recordAcks ? new Map() : null;
    this.shardMap = new ShardMap(deps.shards ?? [WHOLE_KEY_SPACE]);
    // Sinks without shards have no per-shard limit to respect.
    const shardLimit = deps.shards ? options.shardLimit : null;
    const now = this.clock();
    this.queues = new ShardQueues(this.shardMap.shards.length, shardLimit, now, this.maxQueued);
    this.metrics = new Metrics(now);
  }

  /** Runs until the schedule is done and everything is sent (or the drain timeout), or stop() + drain. */
  run(): Promise<EngineResult> {
    return new Promise<EngineResult>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
      this.startMs = this.clock();
      this.lastRefreshMs = this.startMs;
      this.metrics = new Metrics(this.startMs);
      this.timer = setInterval(() => this.pump(true), this.tickMs);
      this.pump(true);
    });
  }

  /** Ctrl-C: stop scheduling; queued and in-flight records drain for at most drainTimeoutMs. */
  stop(): void {
    if (this.done || this.interrupted) return;
    this.interrupted = true;
    this.beginDrain(this.clock());
    this.pump(true);
  }

  snapshot(): EngineSnapshot {
    const now = this.clock();
    const m = this.metrics;
    return {
      elapsedMs: now - this.startMs,
      durationMs: this.deps.pacer.schedule.durationMs,
      scheduled: this.deps.pacer.scheduled,
      acked: m.recordsAcked,
      failed: m.recordsFailed,
      throttled: m.throttled,
      retries: m.retries,
      dropped: this.deps.pacer.dropped,
      queued: this.queues.size + this.waiting.length,
      inFlight: this.inFlightRecords,
      lastSecondAcked: m.lastSecond(now).acked,
      p99Ms: m.latencyMs().p99,
      draining: this.schedulingDone,
    };
  }

  private beginDrain(now: number): void {
    if (this.schedulingDone) return;
    this.schedulingDone = true;
    this.drainDeadline = now + this.options.drainTimeoutMs;
  }

  private pump(isTick: boolean): void {
    if (this.done) return;
    try {
      const now = this.clock();
      if (this.waiting.length) this.releaseRetries(now);
      // Refill free request slots from what is already queued before generating more, so a slot
      // never waits for the generator.
      this.sendBatches(now, false);
      if (!this.schedulingDone) this.schedule(now);
      this.sendBatches(now, isTick);
      if (isTick && this.deps.shards && now - this.lastRefreshMs >= this.shardRefreshMs) this.refreshShards(now);
      if (this.schedulingDone) {
        const idle = this.queues.size === 0 && this.waiting.length === 0 && this.inFlight === 0;
        if (idle || now >= this.drainDeadline) this.finish(now);
      }
    } catch (error) {
      this.abort(error as Error);
    }
  }

  private schedule(now: number): void {
    const pacer = this.deps.pacer;
    const elapsed = now - this.startMs;
    const room = this.maxQueued - this.queues.size - this.waiting.length;
    const count = pacer.take(elapsed, room);
    if (count > 0) this.generate(count, now);
    if (pacer.dropped !== this.droppedSeen) {
      this.metrics.onDropped(pacer.dropped - this.droppedSeen, now);
      this.droppedSeen = pacer.dropped;
    }
    if (pacer.finished(elapsed)) this.beginDrain(now);
  }

  private generate(count: number, now: number): void {
    const { generator, generatorName } = this.deps;
    let refused = 0;
    let unmapped = false;
    for (let i = 0; i < count; i++) {
      let generated;
      try {
        generated = generator.next();
      } catch (error) {
        throw new RunError(`generator ${JSON.stringify(generatorName)} failed in next(): ${(error as Error).message}`);
      }
      const record = encodeRecord(generated, generatorName);
      const shard = this.shardMap.indexFor(record.entry.PartitionKey, record.entry.ExplicitHashKey);
      if (shard < 0) unmapped = true;
      record.shard = shard < 0 ? 0 : shard;
      if (!this.queues.offer(record)) refused++;
    }
    this.metrics.onGenerated(count);
    // A full shard queue (hot key, or the shard limit) drops the record like a missed due time.
    if (refused) this.deps.pacer.dropReleased(refused);
    if (unmapped) this.refreshShards(now);
  }

  private sendBatches(now: number, isTick: boolean): void {
    const { batchSize, concurrency } = this.options;
    while (this.inFlight < concurrency) {
      const available = this.queues.sendable(now, batchSize);
      if (available === 0) return;
      if (available < batchSize) {
        const flushPartial = this.schedulingDone || (isTick && now - this.lastPartialMs >= this.lingerMs);
        if (!flushPartial) return;
      }
      const batch = this.queues.takeBatch(now, batchSize);
      if (batch.length === 0) return;
      if (batch.length < batchSize) this.lastPartialMs = now;
      this.dispatch(batch, now);
    }
  }

  private dispatch(batch: PendingRecord[], now: number): void {
    this.inFlight++;
    this.inFlightRecords += batch.length;
    this.metrics.onSent(batch.length, now);
    const entries: PutEntry[] = new Array(batch.length);
    for (let i = 0; i < batch.length; i++) entries[i] = batch[i].entry;
    const started = this.clock();
    this.limit(() => this.deps.sink.putRecords(entries)).then(
      (results) => this.onResults(batch, results, started),
      (error) => this.onRequestError(batch, error, started),
    );
  }

  private onResults(batch: PendingRecord[], results: PutResultEntry[], started: number): void {
    if (this.done) return;
    const now = this.clock();
    this.inFlight--;
    this.inFlightRecords -= batch.length;
    this.metrics.onLatency((now - started) * 1000);
    if (results.length !== batch.length) {
      this.onRequestError(batch, new RunError(`PutRecords answered ${results.length} entries for ${batch.length}`), started, true);
      return;
    }
    let acked = 0;
    let ackedBytes = 0;
    let throttled = 0;
    let retried = 0;
    let failed = 0;
    let mismatched = 0;
    const shards = this.shardMap.shards;
    for (let i = 0; i < batch.length; i++) {
      const result = results[i];
      const record = batch[i];
      if (result.ErrorCode === undefined) {
        acked++;
        ackedBytes += record.bytes;
        const predicted = shards[record.shard]?.shardId;
        const shardId = result.ShardId ?? predicted ?? 'unknown';
        if (result.ShardId !== undefined && result.ShardId !== predicted) mismatched++;
        this.metrics.onShardAck(shardId, record.bytes);
        if (this.acks && result.SequenceNumber) {
          let list = this.acks.get(shardId);
          if (!list) this.acks.set(shardId, (list = []));
          list.push(result.SequenceNumber);
        }
      } else {
        if (result.ErrorCode === THROTTLED_ERROR_CODE) throttled++;
        if (this.retryOrFail(record, result.ErrorCode, now)) retried++;
        else failed++;
      }
    }
    this.metrics.onOutcome(acked, ackedBytes, throttled, retried, failed, now);
    if (mismatched) {
      this.metrics.routingMismatches += mismatched;
      this.refreshShards(now);
    }
    this.pump(false);
  }

  private onRequestError(batch: PendingRecord[], error: unknown, started: number, alreadyCounted = false): void {
    if (this.done) return;
    const now = this.clock();
    if (!alreadyCounted) {
      this.inFlight--;
      this.inFlightRecords -= batch.length;
      this.metrics.onLatency((now - started) * 1000);
    }
    this.metrics.requestErrors++;
    const e = error as { name?: string; message?: string };
    if (!isRetryableRequestError(error)) {
      this.abort(new RunError(`PutRecords failed: ${e.name ?? 'Error'}: ${(e.message ?? String(error)).split('\n')[0]}`));
      return;
    }
    const code = e.name ?? 'RequestError';
    let retried = 0;
    let failed = 0;
    for (const record of batch) {
      if (this.retryOrFail(record, code, now)) retried++;
      else failed++;
    }
    this.metrics.onOutcome(0, 0, code === THROTTLED_ERROR_CODE ? batch.length : 0, retried, failed, now);
    this.pump(false);
  }

  /** Schedules a retry with backoff, or counts the record failed once its retries are used up. */
  private retryOrFail(record: PendingRecord, code: string, now: number): boolean {
    record.attempts++;
    if (record.attempts > this.options.maxRetries) {
      this.failureCodes[code] = (this.failureCodes[code] ?? 0) + 1;
      return false;
    }
    this.waiting.push({ at: now + fullJitterDelay(record.attempts, this.random), record });
    return true;
  }

  private releaseRetries(now: number): void {
    const still: WaitingRetry[] = [];
    for (const w of this.waiting) {
      if (w.at > now) {
        still.push(w);
        continue;
      }
      // Route again: the shard map may have changed while the record waited.
      const shard = this.shardMap.indexFor(w.record.entry.PartitionKey, w.record.entry.ExplicitHashKey);
      w.record.shard = shard < 0 ? 0 : shard;
      this.queues.requeue(w.record);
    }
    this.waiting = still;
  }

  /** Re-lists shards (rate-limited); on a change, rebuilds the map and re-routes queued records. */
  private refreshShards(now: number): void {
    if (!this.deps.shards || this.refreshing || now - this.lastRefreshMs < this.shardRefreshMinIntervalMs) return;
    this.refreshing = true;
    this.lastRefreshMs = now;
    this.deps.sink.listShards().then(
      (shards) => {
        this.refreshing = false;
        if (this.done || !shards || shards.length === 0) return;
        const ids = (list: readonly ShardRange[]): string => list.filter((s) => s.open).map((s) => s.shardId).sort().join();
        if (ids(shards) === ids(this.shardMap.shards)) return;
        this.shardMap = new ShardMap(shards);
        const queued = this.queues.drainAll();
        this.queues.reset(this.shardMap.shards.length, this.clock());
        for (const record of queued) {
          const shard = this.shardMap.indexFor(record.entry.PartitionKey, record.entry.ExplicitHashKey);
          record.shard = shard < 0 ? 0 : shard;
          this.queues.requeue(record);
        }
      },
      () => {
        // Keep the old map; the next mismatch or the periodic refresh tries again.
        this.refreshing = false;
      },
    );
  }

  private abort(error: Error): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.fail?.(error instanceof UsageError || error instanceof RunError ? error : new RunError(error.message));
  }

  private finish(now: number): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    const pacer = this.deps.pacer;
    this.settle?.({
      startMs: this.startMs,
      endMs: now,
      metrics: this.metrics,
      scheduled: pacer.scheduled,
      dropped: pacer.dropped,
      unsent: this.queues.size + this.waiting.length + this.inFlightRecords,
      interrupted: this.interrupted,
      acks: this.acks,
      shardIds: this.deps.shards ? this.shardMap.shards.map((s) => s.shardId) : [],
      failureCodes: { ...this.failureCodes },
    });
  }
}
