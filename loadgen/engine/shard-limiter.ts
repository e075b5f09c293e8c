/**
 * The producer's per-shard write limiter: two token buckets (records/s and bytes/s), refilled continuously. Like the KPL,
 * this keeps one hot shard from being throttled while the others run free, and keeps `--rate auto` under
 * the stream's limits. Buckets start empty and hold a quarter second: Kinesis counts per second, so a
 * full one-second bucket could let a shard take twice its limit in one second.
 */
import { MAX_RECORD_BYTES, SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../kinesis/limits';
import { TokenBucket } from '../shared/token-bucket';

/** Seconds of tokens a shard's bucket can hold. */
export const SHARD_BURST_SECONDS = 0.25;

/** The records and bytes buckets of one shard; `factor` scales the Kinesis limits. */
export class ShardLimiter {
  private readonly records: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(factor: number, nowMs: number) {
    const recordRate = SHARD_WRITE_RECORDS_PER_SECOND * factor;
    const byteRate = SHARD_WRITE_BYTES_PER_SECOND * factor;
    this.records = new TokenBucket(recordRate, Math.max(1, recordRate * SHARD_BURST_SECONDS), nowMs);
    // The byte bucket must hold at least one maximum-size record.
    this.bytes = new TokenBucket(byteRate, Math.max(MAX_RECORD_BYTES, byteRate * SHARD_BURST_SECONDS), nowMs);
  }

  /** Whole records the records bucket allows now (bytes are checked per record in `tryTake`). */
  recordsAvailable(nowMs: number): number {
    return Math.floor(this.records.available(nowMs));
  }

  /** Most records this shard may hold in its queue: one second of its limit. */
  get queueLimit(): number {
    return Math.max(1, Math.floor(this.records.ratePerSecond));
  }

  tryTake(bytes: number, nowMs: number): boolean {
    const cost = Math.min(bytes, this.bytes.capacity);
    if (this.records.available(nowMs) < 1 || this.bytes.available(nowMs) < cost) return false;
    this.records.tryTake(1, nowMs);
    this.bytes.tryTake(cost, nowMs);
    return true;
  }
}
