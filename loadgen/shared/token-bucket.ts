/**
 * A token bucket refilled continuously: the one rate-limiting primitive, used by the producer's per-shard
 * limiter (engine/shard-limiter.ts) and by the local stream's model of the service's limits
 * (kinesis/shard-throughput.ts).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  /** `ratePerSecond` tokens per second, at most `capacity` stored, `initial` at the start. */
  constructor(
    readonly ratePerSecond: number,
    readonly capacity: number,
    nowMs: number,
    initial = 0,
  ) {
    this.tokens = Math.min(initial, capacity);
    this.last = nowMs;
  }

  /** Tokens now; negative while the bucket pays off a debt (see `spend`). */
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

  /** Takes `amount` tokens even if that leaves the bucket in debt (a read that returned more than its share). */
  spend(amount: number, nowMs: number): void {
    this.available(nowMs);
    this.tokens -= amount;
  }
}
