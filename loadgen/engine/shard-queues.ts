/**
 * Per-shard queues and PutRecords batch assembly. Records wait in their predicted shard's queue (retries
 * first) and leave only when that shard's token buckets allow; a batch honours the record-count and
 * request-byte limits. Shards are visited round-robin so one hot shard cannot starve the others.
 */
import { Fifo } from './fifo';
import { MAX_REQUEST_BYTES } from '../kinesis/limits';
import type { PendingRecord } from './record';
import { ShardLimiter } from './shard-limiter';

interface ShardQueue {
  readonly retries: Fifo<PendingRecord>;
  readonly fresh: Fifo<PendingRecord>;
  readonly limiter: ShardLimiter | null;
}

export class ShardQueues {
  private queues: ShardQueue[];
  private cursor = 0;
  /** Records queued across all shards. */
  size = 0;

  /** `shardLimit` null: no per-shard limit. */
  constructor(
    shardCount: number,
    private readonly shardLimit: number | null,
    nowMs: number,
    /** Most records one shard may hold; beyond it new records are refused (and dropped by the caller). */
    private readonly perShardCap: number,
  ) {
    this.queues = Array.from({ length: shardCount }, () => this.newQueue(nowMs));
  }

  private newQueue(nowMs: number): ShardQueue {
    return {
      retries: new Fifo(),
      fresh: new Fifo(),
      limiter: this.shardLimit === null ? null : new ShardLimiter(this.shardLimit, nowMs),
    };
  }

  /** Largest queue a shard may hold: the cap, and no more than one second of its limit. */
  capFor(shard: number): number {
    const limiter = this.queues[shard].limiter;
    return limiter ? Math.min(this.perShardCap, limiter.queueLimit) : this.perShardCap;
  }

  /** Queues a new record; false when its shard's queue is full. */
  offer(record: PendingRecord): boolean {
    const queue = this.queues[record.shard];
    if (queue.fresh.length + queue.retries.length >= this.capFor(record.shard)) return false;
    queue.fresh.push(record);
    this.size++;
    return true;
  }

  /** Queues a record to retry; retries go ahead of new records and are never refused. */
  requeue(record: PendingRecord): void {
    this.queues[record.shard].retries.push(record);
    this.size++;
  }

  /** Records that could leave right now (ignoring byte budgets), up to `limit`. */
  sendable(nowMs: number, limit: number): number {
    let total = 0;
    for (const queue of this.queues) {
      const queued = queue.retries.length + queue.fresh.length;
      if (queued === 0) continue;
      total += queue.limiter ? Math.min(queued, queue.limiter.recordsAvailable(nowMs)) : queued;
      if (total >= limit) return limit;
    }
    return total;
  }

  /** Takes up to `maxRecords` records / `maxBytes` bytes that their shards' buckets allow now. */
  takeBatch(nowMs: number, maxRecords: number, maxBytes = MAX_REQUEST_BYTES): PendingRecord[] {
    const batch: PendingRecord[] = [];
    let bytes = 0;
    const n = this.queues.length;
    let idleShards = 0;
    // Round-robin in slices, so a batch mixes shards when several have records.
    const slice = Math.max(1, Math.ceil(maxRecords / n));
    while (batch.length < maxRecords && idleShards < n) {
      const queue = this.queues[this.cursor];
      this.cursor = (this.cursor + 1) % n;
      let taken = 0;
      while (taken < slice && batch.length < maxRecords) {
        const source = queue.retries.length ? queue.retries : queue.fresh;
        const next = source.peek();
        if (!next) break;
        if (bytes + next.bytes > maxBytes) return this.finish(batch);
        if (queue.limiter && !queue.limiter.tryTake(next.bytes, nowMs)) break;
        source.shift();
        batch.push(next);
        bytes += next.bytes;
        taken++;
      }
      idleShards = taken === 0 ? idleShards + 1 : 0;
    }
    return this.finish(batch);
  }

  private finish(batch: PendingRecord[]): PendingRecord[] {
    this.size -= batch.length;
    return batch;
  }

  /** Removes every queued record (to re-route after a shard map change, or to abandon at the end). */
  drainAll(): PendingRecord[] {
    const all: PendingRecord[] = [];
    for (const queue of this.queues) all.push(...queue.retries.drain(), ...queue.fresh.drain());
    this.size = 0;
    return all;
  }

  /** Starts over with a new shard count (after resharding); callers re-offer drained records. */
  reset(shardCount: number, nowMs: number): void {
    this.queues = Array.from({ length: shardCount }, () => this.newQueue(nowMs));
    this.cursor = 0;
    this.size = 0;
  }
}
