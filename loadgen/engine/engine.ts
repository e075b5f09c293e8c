/**
 * The producer engine: the loop and its lifecycle. A short timer tick and every request completion "pump"
 * the pipeline over its parts, each of which owns one thing:
 *   admission (what enters, what drops) -> router (which shard) -> shard queues (per-shard limits)
 *   -> batch policy (when a batch leaves) -> p-limit (what is in flight) -> sink
 *   failed entries -> retry queue (backoff, attempts) -> back to the shard queues
 * and reports every event to the metrics ledger. All queues are bounded, so memory stays flat however
 * far the endpoint falls behind.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { classifyRequestError } from '../kinesis/request-errors';
import { ShardMap, WHOLE_KEY_SPACE } from '../kinesis/shard-map';
import { Metrics, type StopReason } from '../metrics/ledger';
import { RunError, firstLine } from '../shared/errors';
import type { PutResultEntry } from '../sinks/types';
import { Admission } from './admission';
import { BatchPolicy } from './batch-policy';
import type { EngineOptions, EngineParts, EngineProgress, EngineResult } from './engine-types';
import { Reachability } from './reachability';
import type { PendingRecord } from './record';
import { DEFAULT_RETRY_BACKOFF, RetryQueue } from './retry-queue';
import { Router } from './router';
import { ShardQueues } from './shard-queues';

export type { EngineOptions, EngineParts, EngineProgress, EngineResult } from './engine-types';

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
  private readonly maxQueued: number;
  private readonly startMs: number;
  private draining = false;
  private interrupted = false;
  private drainDeadline = Infinity;
  private timer: NodeJS.Timeout | undefined;
  private settle: ((result: EngineResult) => void) | undefined;
  private done = false;

  constructor(
    private readonly parts: EngineParts,
    private readonly options: EngineOptions,
  ) {
    const { batchSize, concurrency } = options;
    this.clock = parts.clock ?? (() => performance.now());
    this.startMs = this.clock();
    this.metrics = new Metrics(this.startMs, options.recordAcks);
    this.limit = pLimit(concurrency);
    const unpaced = parts.schedule.kind === 'unpaced';
    this.maxQueued = options.maxQueuedRecords ?? (unpaced ? batchSize * concurrency : Math.max(1000, 2 * batchSize * concurrency));
    const map = new ShardMap(parts.shards ?? [WHOLE_KEY_SPACE]);
    // Sinks without shards have no per-shard limit to respect.
    this.queues = new ShardQueues(map.shards.length, parts.shards ? options.shardLimit : null, this.startMs, this.maxQueued);
    this.router = new Router(
      parts.sink,
      parts.shards ? map : null,
      this.queues,
      this.metrics,
      { refreshMs: options.shardRefreshMs ?? 60_000, minRefreshIntervalMs: options.shardRefreshMinIntervalMs ?? 5_000 },
      this.clock,
    );
    this.retries = new RetryQueue({ maxRetries: options.maxRetries, ...(options.retryBackoff ?? DEFAULT_RETRY_BACKOFF) }, parts.random ?? Math.random);
    this.admission = new Admission(parts.schedule, parts.nextRecord, this.router, this.queues, this.metrics);
    this.batches = new BatchPolicy(this.queues, batchSize, options.lingerMs ?? 25);
  }

  /** Runs until the schedule is done and everything is confirmed (or the drain timeout), or stop() + drain. */
  run(): Promise<EngineResult> {
    return new Promise<EngineResult>((resolve) => {
      this.settle = resolve;
      this.timer = setInterval(() => this.pump(true), this.options.tickMs ?? 5);
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

  progress(): EngineProgress {
    const now = this.clock();
    return {
      elapsedMs: now - this.startMs,
      durationMs: this.parts.schedule.durationMs,
      counts: this.metrics.live(now),
      queued: this.queues.size + this.retries.size,
      inFlightRequests: this.inFlight,
      draining: this.draining,
    };
  }

  /** Requests sent or waiting for a slot: p-limit is the one count of them. */
  private get inFlight(): number {
    return this.limit.activeCount + this.limit.pendingCount;
  }

  private pump(onTick: boolean): void {
    if (this.done) return;
    try {
      const now = this.clock();
      this.retries.releaseDue(now, (record) => {
        // Route again: the shard map may have changed while the record waited.
        this.router.route(record, now);
        this.queues.requeue(record);
      });
      // Refill free request slots from what is queued before generating more, so a slot never waits.
      this.sendBatches(now, false);
      if (!this.draining) {
        const elapsed = now - this.startMs;
        this.admission.admit(elapsed, now, this.maxQueued - this.queues.size - this.retries.size);
        if (this.admission.finished(elapsed)) this.beginDrain(now);
      }
      this.sendBatches(now, onTick);
      if (onTick) this.router.tick(now);
      if (this.reachability.downForMs(now) >= this.options.unreachableAfterMs) return this.finish(now, 'unreachable');
      const idle = this.queues.size === 0 && this.retries.size === 0 && this.inFlight === 0;
      if (this.draining && (idle || now >= this.drainDeadline)) this.finish(now, this.interrupted ? 'interrupted' : 'completed');
    } catch (error) {
      this.finish(this.clock(), 'failed', error as Error);
    }
  }

  private beginDrain(now: number): void {
    if (this.draining) return;
    this.draining = true;
    this.drainDeadline = now + this.options.drainTimeoutMs;
  }

  private sendBatches(now: number, onTick: boolean): void {
    while (this.inFlight < this.limit.concurrency) {
      const batch = this.batches.next(now, onTick, this.draining);
      if (!batch) return;
      this.metrics.onRequestSent(batch.length, now);
      const entries = batch.map((record) => record.entry);
      this.limit(() => this.parts.sink.putRecords(entries)).then(
        (results) => this.onResults(batch, results, now),
        (error) => this.onRequestError(batch, error, now),
      );
    }
  }

  private onResults(batch: PendingRecord[], results: PutResultEntry[], sentMs: number): void {
    if (this.done) return;
    const now = this.clock();
    this.metrics.onRequestLatency((now - sentMs) * 1000);
    this.reachability.onAnswer(now);
    if (results.length !== batch.length) {
      return this.finish(now, 'failed', new RunError(`PutRecords answered ${results.length} entries for ${batch.length}`));
    }
    let throttled = 0;
    const failed: PendingRecord[] = [];
    const codes: string[] = [];
    for (let i = 0; i < batch.length; i++) {
      const { ErrorCode, ShardId, SequenceNumber } = results[i];
      const record = batch[i];
      if (ErrorCode === undefined) {
        this.metrics.onAck(this.router.landedOn(record, ShardId, now), record.bytes, SequenceNumber, now);
      } else {
        if (ErrorCode === 'ProvisionedThroughputExceededException') throttled++;
        failed.push(record);
        codes.push(ErrorCode);
      }
    }
    this.metrics.onThrottled(throttled, now);
    for (let i = 0; i < failed.length; i++) this.retryOrFail(failed[i], codes[i], now);
    this.pump(false);
  }

  private onRequestError(batch: PendingRecord[], error: unknown, sentMs: number): void {
    if (this.done) return;
    const now = this.clock();
    this.metrics.onRequestLatency((now - sentMs) * 1000);
    const failure = classifyRequestError(error);
    this.metrics.onRequestError(failure.code);
    if (!failure.retryable) return this.finish(now, 'failed', new RunError(`PutRecords failed: ${failure.code}: ${firstLine(error)}`));
    if (failure.kind === 'connection') this.reachability.onNoAnswer(failure.code, sentMs);
    else this.reachability.onAnswer(now);
    if (failure.kind === 'throttled') this.metrics.onThrottled(batch.length, now);
    for (const record of batch) this.retryOrFail(record, failure.code, now);
    this.pump(false);
  }

  /** Queues the record for another attempt, or counts it failed once its retries are used up. */
  private retryOrFail(record: PendingRecord, code: string, now: number): void {
    if (this.retries.offer(record, now)) this.metrics.onRetry(1);
    else this.metrics.onFailed(code, 1, now);
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
    this.settle?.({ snapshot: this.metrics.snapshot(now), acks: this.metrics.acks, unreachable, error });
  }
}
