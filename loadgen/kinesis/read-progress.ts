/**
 * How far a read of every shard has got, for a progress line with an estimate of the time left. Each shard's
 * position is the arrival time of the last record read, between its first record's and the moment the read
 * began (the tip then); a shard read to its end counts whole. When the caller knows how many records to
 * expect (`run --verify`: those acknowledged), the count gives the fraction instead.
 */
interface ShardPosition {
  firstMs: number;
  lastMs: number;
  done: boolean;
}

export class ReadProgress {
  records = 0;
  bytes = 0;
  private readonly shards = new Map<string, ShardPosition>();
  private readonly tipMs: number;
  private readonly startedMs: number;

  constructor(
    /** Records the read should find, when known. */
    private readonly expectedRecords?: number,
    /** Wall-clock ms (arrival timestamps are wall-clock). */
    private readonly now: () => number = Date.now,
  ) {
    this.tipMs = now();
    this.startedMs = this.tipMs;
  }

  /** The shards about to be read. */
  begin(shardIds: readonly string[]): void {
    for (const id of shardIds) this.shards.set(id, { firstMs: NaN, lastMs: NaN, done: false });
  }

  /** A page of a shard: how many records, their bytes, and the arrival times of its first and last record. */
  page(shardId: string, records: number, bytes: number, firstArrivalMs: number | undefined, lastArrivalMs: number | undefined): void {
    this.records += records;
    this.bytes += bytes;
    const shard = this.shards.get(shardId);
    if (!shard) return;
    if (Number.isNaN(shard.firstMs) && firstArrivalMs !== undefined) shard.firstMs = firstArrivalMs;
    if (lastArrivalMs !== undefined) shard.lastMs = lastArrivalMs;
  }

  shardDone(shardId: string): void {
    const shard = this.shards.get(shardId);
    if (shard) shard.done = true;
  }

  get shardCount(): number {
    return this.shards.size;
  }

  get shardsDone(): number {
    let done = 0;
    for (const shard of this.shards.values()) if (shard.done) done++;
    return done;
  }

  /** 0..1. */
  fraction(): number {
    if (this.expectedRecords) return Math.min(1, this.records / this.expectedRecords);
    if (this.shards.size === 0) return 0;
    let sum = 0;
    for (const s of this.shards.values()) {
      if (s.done) sum += 1;
      else if (!Number.isNaN(s.lastMs) && this.tipMs > s.firstMs) sum += Math.min(1, Math.max(0, (s.lastMs - s.firstMs) / (this.tipMs - s.firstMs)));
    }
    return sum / this.shards.size;
  }

  /** Estimated ms left at the pace so far; undefined until there is something to go on. */
  remainingMs(): number | undefined {
    const f = this.fraction();
    const elapsed = this.now() - this.startedMs;
    if (f >= 1) return 0;
    if (f < 0.01 || elapsed < 500) return undefined;
    return (elapsed * (1 - f)) / f;
  }
}
