/**
 * The producer engine: the loop and its lifecycle. A short timer tick and every request completion "pump"
 * the pipeline over its parts, each of which owns one thing:
 *   admission (what enters, what drops) -> router (which shard; key spread) -> shard queues (per-shard limits)
 *   -> batch policy (when a batch leaves) -> p-limit (what is in flight, sized by the concurrency controller) -> sink
 *   answers (acks, failed entries -> retry queue -> back to the shard queues; reachability; latency to the controller)
 * and reports every event to the metrics ledger. All queues are bounded, so memory stays flat however
 * far the endpoint falls behind.
 */
import { performance as nodePerformance } from 'node:perf_hooks';
import pLimit, { type LimitFunction } from 'p-limit';
import { ShardMap, WHOLE_KEY_SPACE } from '../kinesis/shard-map';
import { Metrics, type MetricsSnapshot, type SeriesPoint, type StopReason } from '../metrics/ledger';
import { OutputClosedError, type PutResultEntry } from '../sinks/types';
import { Admission } from './admission';
import { Answers } from './answers';
import { BatchPolicy } from './batch-policy';
import { ConcurrencyController, MAX_CONCURRENCY } from './concurrency';
import type { EngineOptions, EngineParts, EngineProgress, EngineResult } from './engine-types';
import { Reachability } from './reachability';
import { DEFAULT_RETRY_BACKOFF, RetryQueue } from './retry-queue';
import { Router } from './router';
import { ShardQueues } from './shard-queues';

export type { EngineOptions, EngineParts, EngineProgress, EngineResult, EngineState } from './engine-types';

/**
 * Work one turn of the loop may do: records generated (in batches' worth) and requests started. Each request is
 * serialized and signed on the spot, so bounding both keeps a turn to a few milliseconds after a stall and lets
 * answers be read (and timed) in between; the next tick or answer takes the rest.
 */
const ADMIT_CHUNK_BATCHES = 4;
const SENDS_PER_TURN = 8;

/** How busy this process's event loop was since the last call, 0..1. */
function eventLoopBusy(): () => number {
  let last = nodePerformance.eventLoopUtilization();
  return () => {
    const now = nodePerformance.eventLoopUtilization();
    const busy = nodePerformance.eventLoopUtilization(now, last).utilization;
    last = now;
    return busy;
  };
}

/** Reasons to stop scheduling before the schedule ends, each followed by a drain. */
export type EarlyStop = Extract<StopReason, 'interrupted' | 'aborted' | 'output-closed'>;

export class Engine {
  private readonly clock: () => number;
  private readonly metrics: Metrics;
  private readonly limit: LimitFunction;
  private readonly queues: ShardQueues;
  private readonly router: Router;
  private readonly retries: RetryQueue;
  private readonly admission: Admission;
  private readonly batches: BatchPolicy;
  private readonly reachability = new Reachability();
  private readonly answers: Answers;
  private readonly concurrency: ConcurrencyController;
  private readonly clientBusy: () => number;
  private readonly startMs: number;
  private draining = false;
  /** Why scheduling was stopped early (Ctrl-C, a failed abortOnFail threshold, the output's reader gone). */
  private stoppedFor: EarlyStop | null = null;
  private drainDeadline = Infinity;
  private timer: NodeJS.Timeout | undefined;
  private settle: ((result: EngineResult) => void) | undefined;
  private done = false;

  constructor(
    private readonly parts: EngineParts,
    private readonly options: EngineOptions,
  ) {
    this.clock = parts.clock ?? (() => performance.now());
    this.startMs = parts.startMs ?? this.clock();
    this.metrics = new Metrics(this.startMs, options.recordAcks);
    const pinned = options.concurrency === 'auto' ? undefined : options.concurrency;
    this.concurrency = new ConcurrencyController({ batchSize: options.batchSize, pinned }, this.startMs);
    this.limit = pLimit(this.concurrency.limit);
    this.clientBusy = options.clientBusy ?? eventLoopBusy();
    this.metrics.onConcurrency(this.concurrency.decision, this.startMs);
    const map = new ShardMap(parts.shards ?? [WHOLE_KEY_SPACE]);
    // Sinks without shards have no per-shard limit to respect. A shard's own cap is the queue bound at the
    // highest limit the controller may reach; the room in force (room()) follows the limit.
    const perShardCap = options.maxQueuedRecords ?? this.queueBound(pinned ?? MAX_CONCURRENCY);
    this.queues = new ShardQueues(map.shards.length, parts.shards ? options.shardLimit : null, this.startMs, perShardCap);
    this.router = new Router(
      parts.sink,
      parts.shards ? map : null,
      this.queues,
      this.metrics,
      { refreshMs: options.shardRefreshMs ?? 60_000, minRefreshIntervalMs: options.shardRefreshMinIntervalMs ?? 5_000, spreadKeys: options.spreadKeys, spreadOrder: options.spreadOrder },
      this.clock,
    );
    this.retries = new RetryQueue({ maxRetries: options.maxRetries, ...(options.retryBackoff ?? DEFAULT_RETRY_BACKOFF) }, parts.random ?? Math.random);
    this.admission = new Admission(parts.schedule, parts.nextRecord, this.router, this.queues, this.metrics);
    this.batches = new BatchPolicy(this.queues, options.batchSize, options.lingerMs ?? 25);
    this.answers = new Answers(this.metrics, this.router, this.retries, this.reachability, this.concurrency);
  }

  /** Records that may wait in the queues for `limit` requests in flight: two batches per slot, one for `max`. */
  private queueBound(limit: number): number {
    const { batchSize } = this.options;
    return this.parts.schedule.kind === 'unpaced' ? batchSize * limit : Math.max(1000, 2 * batchSize * limit);
  }

  /**
   * How many more records may be admitted now. Paced: up to the bound for the limit in force. Under `--rate max`,
   * a batch for each free request slot and one ready for the next slot to free: records are generated just before
   * they leave, so they wait no longer than a plain loop's (records kept waiting survive into V8's old generation,
   * and collecting them there cost loadgen a tenth of its CPU against a fast endpoint).
   */
  private room(releasing: number): number {
    const queued = this.queues.size + this.retries.size;
    if (this.options.maxQueuedRecords !== undefined) return this.options.maxQueuedRecords - queued;
    if (this.parts.schedule.kind !== 'unpaced') return this.queueBound(this.concurrency.limit) - queued;
    const freeSlots = this.concurrency.limit - (this.inFlight - releasing);
    return this.options.batchSize * Math.max(1, freeSlots) - queued;
  }

  /** Runs until the schedule is done and everything is confirmed (or the drain timeout), or stop() + drain. */
  run(): Promise<EngineResult> {
    return new Promise<EngineResult>((resolve) => {
      this.settle = resolve;
      this.timer = setInterval(() => this.pump(true), this.options.tickMs ?? 5);
      this.pump(true);
    });
  }

  /** Ctrl-C (or a failed abortOnFail threshold, ...): stop scheduling; queued and in-flight records drain for at most drainTimeoutMs. */
  stop(reason: EarlyStop = 'interrupted'): void {
    if (this.done || this.stoppedFor) return;
    this.stoppedFor = reason;
    this.beginDrain(this.clock());
    this.pump(true);
  }

  /** The ledger as it stands now (for thresholds evaluated during the run). */
  snapshot(): MetricsSnapshot {
    return this.metrics.snapshot(this.clock());
  }

  /** Per-second series entries from second `from` up to (not including) `to` (Infinity: the last recorded). */
  seconds(from: number, to: number): SeriesPoint[] {
    return this.metrics.seconds(from, to);
  }

  /** Also count what happens from `fromElapsedMs` to `toElapsedMs` after the start on its own (EngineResult.window). */
  openWindow(fromElapsedMs: number, toElapsedMs: number): void {
    this.metrics.openWindow(this.startMs + fromElapsedMs, this.startMs + toElapsedMs);
  }

  progress(): EngineProgress {
    const now = this.clock();
    return {
      elapsedMs: now - this.startMs,
      durationMs: this.parts.schedule.durationMs,
      counts: this.metrics.live(now),
      queued: this.queues.size + this.retries.size,
      inFlightRequests: this.inFlight,
      settledThroughMs: this.draining ? Infinity : this.admission.settledThroughMs(now - this.startMs),
      concurrency: this.concurrency.limit,
      draining: this.draining,
    };
  }

  /** Requests sent or waiting for a slot: p-limit is the one count of them. */
  private get inFlight(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  /**
   * One turn of the loop. `releasing` is 1 when called from a request's own completion: its slot frees as
   * soon as this turn returns, so it is not counted as in flight (a batch sent now waits for that slot).
   */
  private pump(onTick: boolean, releasing = 0): void {
    if (this.done) return;
    try {
      const now = this.clock();
      if (onTick && !this.draining) this.adjustConcurrency(now);
      this.retries.releaseDue(now, (record) => {
        // Route again: the shard map may have changed while the record waited.
        this.router.route(record, now);
        this.queues.requeue(record);
      });
      // Refill free request slots from what is queued before generating more, so a slot never waits.
      this.sendBatches(now, false, releasing);
      if (!this.draining) {
        const elapsed = now - this.startMs;
        this.admission.admit(elapsed, now, this.room(releasing), ADMIT_CHUNK_BATCHES * this.options.batchSize);
        this.parts.observe?.(this.metrics.state(elapsed));
        if (this.admission.finished(elapsed)) this.beginDrain(now);
      }
      this.sendBatches(now, onTick, releasing);
      if (onTick) this.router.tick(now);
      if (this.reachability.downForMs(now) >= this.options.unreachableAfterMs) return this.finish(now, 'unreachable');
      const idle = this.queues.size === 0 && this.retries.size === 0 && this.inFlight - releasing === 0;
      if (this.draining && (idle || now >= this.drainDeadline)) this.finish(now, this.stoppedFor ?? 'completed');
    } catch (error) {
      this.finish(this.clock(), 'failed', error as Error);
    }
  }

  private beginDrain(now: number): void {
    if (this.draining) return;
    this.draining = true;
    this.drainDeadline = now + this.options.drainTimeoutMs;
  }

  /** Lets the controller reconsider the limit against the target rate (about to be) due. */
  private adjustConcurrency(now: number): void {
    // Most ticks fall inside the controller's interval: the target is worked out only when it decides.
    if (!this.concurrency.due(now)) return;
    const { schedule } = this.parts;
    const elapsed = now - this.startMs;
    // Look one interval ahead so a step in the stages finds the slots already there.
    const ahead = elapsed + this.concurrency.intervalMs;
    const target = schedule.kind === 'paced' ? Math.max(schedule.rateAt(elapsed), schedule.rateAt(ahead)) : null;
    const decision = this.concurrency.update(now, target, this.clientBusy);
    if (!decision) return;
    this.limit.concurrency = decision.limit;
    this.metrics.onConcurrency(decision, now);
  }

  private sendBatches(now: number, onTick: boolean, releasing: number): void {
    for (let sent = 0; sent < SENDS_PER_TURN; sent++) {
      if (this.inFlight - releasing >= this.limit.concurrency) {
        if (this.batches.ready(now, onTick, this.draining)) this.concurrency.onWait();
        return;
      }
      const batch = this.batches.next(now, onTick, this.draining);
      if (!batch) return;
      this.metrics.onRequestSent(batch.length, now, (i) => batch[i].dueMs);
      const entries = batch.map((record) => record.entry);
      // The answer is accounted inside the limited function, so a request counts as in flight until its
      // records are acked, retried or failed.
      void this.limit(async () => {
        let results: PutResultEntry[];
        try {
          results = await this.parts.sink.putRecords(entries);
        } catch (error) {
          // The reader of the output went away (`| head`): nothing more can be written, so the run ends now.
          if (error instanceof OutputClosedError) return this.finish(this.clock(), 'output-closed');
          return this.afterAnswer(() => this.answers.requestError(batch, error, now, this.clock()));
        }
        this.afterAnswer(() => this.answers.results(batch, results, now, this.clock()));
      });
    }
  }

  /** Accounts an answer, then turns the loop; an error retrying cannot fix (or a bug) ends the run. */
  private afterAnswer(account: () => Error | null): void {
    if (this.done) return;
    let error: Error | null;
    try {
      error = account();
    } catch (thrown) {
      error = thrown as Error;
    }
    if (error) return this.finish(this.clock(), 'failed', error);
    this.pump(false, 1);
  }

  /** Ends the run: requests waiting for a slot are never sent; answers to those in flight are ignored. */
  private finish(now: number, reason: StopReason, error: Error | null = null): void {
    if (this.done) return;
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.limit.clearQueue();
    this.router.close();
    this.metrics.onFinish(now, reason);
    const unreachable = reason === 'unreachable' ? { code: this.reachability.code, forMs: this.reachability.downForMs(now) } : null;
    this.settle?.({ snapshot: this.metrics.snapshot(now), acks: this.metrics.acks, unreachable, error, window: this.metrics.windowSnapshot(now) });
  }
}
