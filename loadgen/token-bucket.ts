/**
 * Per-shard write limiter: two token buckets (records/s and bytes/s), each holding at most one second of
 * tokens, refilled continuously. Like the KPL, this keeps one hot shard from being throttled while the
 * others run free, and keeps `--rate auto` under the stream's limits.
 */
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from './limits';

export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `ratePerSecond` tokens per second, at most `capacity` stored; starts full. */
  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    nowMs: number,
  ) {
    this.tokens = capacity;
    this.last = nowMs;
  }

  available(nowMs: number): number {
    if (nowMs > this.last) {
      this.tokens = Math.min(this.capacity, this.tokens + ((nowMs - this.last) * this.ratePerSecond) / 1000);
      this.last = nowMs;
    }
    return this.tokens;
  }

  /** Takes `amount` tokens if they are there. */
  tryTake(amount: number, nowMs: number): boolean {
    if (this.available(nowMs) < amount) return false;
    this.tokens -= amount;
    return true;
  }
}

/** The records and bytes buckets of one shard; `factor` scales the Kinesis limits. */
export class ShardLimiter {
  private readonly records: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(factor: number, nowMs: number) {
    const recordRate = SHARD_WRITE_RECORDS_PER_SECOND * factor;
    const byteRate = SHARD_WRITE_BYTES_PER_SECOND * factor;
    this.records = new TokenBucket(recordRate, recordRate, nowMs);
    this.bytes = new TokenBucket(byteRate, byteRate, nowMs);
  }

  /** Whole records the records bucket allows now (bytes are checked per record in `tryTake`). */
  recordsAvailable(nowMs: number): number {
    return Math.floor(this.records.available(nowMs));
  }

  /** Most records this shard may ever hold in its queue: one second of its limit. */
  get queueLimit(): number {
    return Math.max(1, Math.floor(this.records.capacity));
  }

  tryTake(bytes: number, nowMs: number): boolean {
    // A record larger than one second of byte budget (factor < 1) waits for a full bucket instead of forever.
    const cost = Math.min(bytes, this.bytes.capacity);
    if (this.records.available(nowMs) < 1 || this.bytes.available(nowMs) < cost) return false;
    this.records.tryTake(1, nowMs);
    this.bytes.tryTake(cost, nowMs);
    return true;
  }
}
