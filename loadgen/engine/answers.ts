/**
 * What a PutRecords answer means for its records: acks go to the ledger (with the shard they landed on),
 * failed entries to the retry queue (or into the ledger as failed once their retries are used up), every
 * answer or its absence to the reachability watch, and its latency and throttling to the concurrency
 * controller. Returns the error that must end the run, if any.
 */
import { THROTTLED_ERROR_CODE, classifyRequestError } from '../kinesis/request-errors';
import type { Metrics } from '../metrics/ledger';
import { RunError, firstLine } from '../shared/errors';
import type { PutResultEntry } from '../sinks/types';
import type { ConcurrencyController } from './concurrency';
import type { Reachability } from './reachability';
import type { PendingRecord } from './record';
import type { RetryQueue } from './retry-queue';
import type { Router } from './router';

export class Answers {
  constructor(
    private readonly metrics: Metrics,
    private readonly router: Router,
    private readonly retries: RetryQueue,
    private readonly reachability: Reachability,
    private readonly concurrency: ConcurrencyController,
  ) {}

  /** The service answered entry by entry (some entries may have failed). */
  results(batch: readonly PendingRecord[], results: readonly PutResultEntry[], sentMs: number, now: number): Error | null {
    this.metrics.onRequestLatency((now - sentMs) * 1000, now);
    this.reachability.onAnswer(now);
    if (results.length !== batch.length) return new RunError(`PutRecords answered ${results.length} entries for ${batch.length}`);
    let throttled = 0;
    // Acks are counted in runs of the same shard and due time (metrics.onAcks).
    let runShard = '';
    let runDueMs = 0;
    let runCount = 0;
    let runBytes = 0;
    const keepAcks = this.metrics.acks !== null;
    for (let i = 0; i < batch.length; i++) {
      const { ErrorCode, ShardId, SequenceNumber } = results[i];
      const record = batch[i];
      if (ErrorCode === undefined) {
        const shardId = this.router.landedOn(record, ShardId, now);
        if (keepAcks) this.metrics.onAckedRecord(shardId, SequenceNumber, record.entry.PartitionKey, record.seq);
        if (runCount > 0 && shardId === runShard && record.dueMs === runDueMs) {
          runCount++;
          runBytes += record.bytes;
          continue;
        }
        if (runCount > 0) this.metrics.onAcks(runShard, runCount, runBytes, now, runDueMs);
        runShard = shardId;
        runDueMs = record.dueMs;
        runCount = 1;
        runBytes = record.bytes;
      } else {
        if (ErrorCode === THROTTLED_ERROR_CODE) {
          throttled++;
          this.metrics.onThrottled(this.router.predictedShardId(record), 1, now, record.dueMs);
        }
        this.retryOrFail(record, ErrorCode, now);
      }
    }
    if (runCount > 0) this.metrics.onAcks(runShard, runCount, runBytes, now, runDueMs);
    this.concurrency.onAnswer(now - sentMs, batch.length, throttled);
    return null;
  }

  /** The whole request failed: retried when it can succeed later, else the run ends with the real message. */
  requestError(batch: readonly PendingRecord[], error: unknown, sentMs: number, now: number): Error | null {
    this.metrics.onRequestLatency((now - sentMs) * 1000, now);
    const failure = classifyRequestError(error);
    this.metrics.onRequestError(failure.code, now);
    if (!failure.retryable) return new RunError(`PutRecords failed: ${failure.code}: ${firstLine(error)}`);
    if (failure.kind === 'connection') this.reachability.onNoAnswer(failure.code, sentMs);
    else this.reachability.onAnswer(now);
    // A lost connection says nothing about the endpoint's latency under load; an answered error does.
    if (failure.kind !== 'connection') this.concurrency.onAnswer(now - sentMs, batch.length, failure.kind === 'throttled' ? batch.length : 0);
    for (const record of batch) {
      if (failure.kind === 'throttled') this.metrics.onThrottled(this.router.predictedShardId(record), 1, now, record.dueMs);
      this.retryOrFail(record, failure.code, now);
    }
    return null;
  }

  /** Queues the record for another attempt, or counts it failed once its retries are used up. */
  private retryOrFail(record: PendingRecord, code: string, now: number): void {
    if (this.retries.offer(record, now)) this.metrics.onRetry(1, now, record.dueMs);
    else this.metrics.onFailed(code, 1, now, record.dueMs);
  }
}
