/**
 * When a batch leaves: a full one as soon as the shards' token buckets release enough records; a partial
 * one at most every `lingerMs` (so low rates still send reasonably full batches), and at once while the
 * run drains.
 */
import type { PendingRecord } from './record';
import type { ShardQueues } from './shard-queues';

export class BatchPolicy {
  private lastPartialMs = -Infinity;

  constructor(
    private readonly queues: ShardQueues,
    private readonly batchSize: number,
    private readonly lingerMs: number,
  ) {}

  /** True when a batch would leave now if a request slot were free. `onTick`: called from the timer. */
  ready(nowMs: number, onTick: boolean, draining: boolean): boolean {
    const available = this.queues.sendable(nowMs, this.batchSize);
    if (available === 0) return false;
    return available >= this.batchSize || draining || (onTick && nowMs - this.lastPartialMs >= this.lingerMs);
  }

  /** The next batch to send, or null when none should leave now. */
  next(nowMs: number, onTick: boolean, draining: boolean): PendingRecord[] | null {
    if (!this.ready(nowMs, onTick, draining)) return null;
    const batch = this.queues.takeBatch(nowMs, this.batchSize);
    if (batch.length === 0) return null;
    if (batch.length < this.batchSize) this.lastPartialMs = nowMs;
    return batch;
  }
}
