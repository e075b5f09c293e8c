/**
 * Spreads a generator's devices (distinct partition keys) evenly over the open shards. MD5 puts 1,000 devices on
 * 100 shards at up to ~1.7x the average on the hottest shard, which throttles it while others idle; instead each
 * device gets an explicit hash key inside one shard's range, so every shard carries an equal number of devices
 * and each device's records keep going to one shard (Kinesis keeps order per shard). The partition key stays
 * the device id. The run's device number d (in the order devices first appear) goes to open shard d mod shards,
 * so a segment of a run, which sees only its own devices (every n-th), places them where the whole run would;
 * after a reshard, devices on shards still open stay where balance allows and the rest move to the shards with
 * the fewest.
 */
import type { ShardMap } from '../kinesis/shard-map';
import type { PendingRecord } from './record';

/** Evenly spaced hash keys per shard, used in turn by its devices, so a later split of that shard divides them. */
const SLOTS = 16;
/** Distinct keys spread at most; later ones keep their MD5 routing (by then MD5 is close to even anyway). */
export const MAX_SPREAD_KEYS = 1_000_000;

function slotKeys(start: bigint, end: bigint): string[] {
  const width = end - start + 1n;
  return Array.from({ length: SLOTS }, (_, k) => (start + (width * BigInt(2 * k + 1)) / BigInt(2 * SLOTS)).toString());
}

/** The run's device number of each new device placed here: the k-th is `first + k x step`. */
export interface SpreadOrder {
  readonly first: number;
  readonly step: number;
}

export class KeySpread {
  private map!: ShardMap;
  /** Per shard index, its slots' explicit hash keys (decimal). */
  private table: string[][] = [];
  /** Device (partition key) -> shard index x SLOTS + slot. */
  private readonly placed = new Map<string, number>();
  /** Devices per shard index. */
  private counts: number[] = [];
  /** The fewest devices any shard has, and where the search for such a shard resumes. */
  private fewest = 0;
  private cursor = 0;
  /** Devices placed as new (not moved by a reshard). */
  private added = 0;

  constructor(
    map: ShardMap,
    private readonly order: SpreadOrder = { first: 0, step: 1 },
  ) {
    this.use(map);
  }

  /** Distinct devices placed. */
  get devices(): number {
    return this.placed.size;
  }

  /** Devices per open shard, in the map's order. */
  get devicesPerShard(): readonly number[] {
    return this.counts;
  }

  /**
   * Gives the record its device's explicit hash key and returns its shard index; -1 when the record is not
   * spread (the generator chose its own explicit hash key, or the key limit is reached).
   */
  place(record: PendingRecord): number {
    const entry = record.entry;
    if (!record.spread && entry.ExplicitHashKey !== undefined) return -1;
    let code = this.placed.get(entry.PartitionKey);
    if (code === undefined) {
      if (this.placed.size >= MAX_SPREAD_KEYS) return -1;
      code = this.assignNew();
      this.placed.set(entry.PartitionKey, code);
    }
    const shard = Math.floor(code / SLOTS);
    entry.ExplicitHashKey = this.table[shard][code % SLOTS];
    record.spread = true;
    return shard;
  }

  /** After a reshard: keeps devices whose shard is still open as far as balance allows, moves the rest. */
  reshape(map: ShardMap): void {
    const old = this.map;
    this.use(map);
    const n = map.shards.length;
    const indexById = new Map(map.shards.map((s, i) => [s.shardId, i]));
    const even = Math.floor(this.placed.size / n);
    let extra = this.placed.size % n;
    const surplus: string[][] = Array.from({ length: n }, () => []);
    const moving: string[] = [];
    for (const [key, code] of this.placed) {
      const index = indexById.get(old.shards[Math.floor(code / SLOTS)].shardId);
      if (index === undefined) moving.push(key);
      else if (this.counts[index] < even) this.keep(key, index, code % SLOTS);
      else surplus[index].push(key);
    }
    // `extra` shards may hold one device over the even share: those that already do keep one.
    for (let index = 0; index < n; index++) {
      const keys = surplus[index];
      if (keys.length && extra > 0 && this.counts[index] === even) {
        const key = keys.pop()!;
        this.keep(key, index, this.placed.get(key)! % SLOTS);
        extra--;
      }
      moving.push(...keys);
    }
    this.fewest = Math.min(...this.counts);
    for (const key of moving) this.placed.set(key, this.assign());
  }

  private use(map: ShardMap): void {
    this.map = map;
    this.table = map.shards.map((s) => slotKeys(BigInt(s.startingHashKey), BigInt(s.endingHashKey)));
    this.counts = map.shards.map(() => 0);
    this.fewest = 0;
    this.cursor = 0;
  }

  private keep(key: string, index: number, slot: number): void {
    this.counts[index]++;
    this.placed.set(key, index * SLOTS + slot);
  }

  /** A new device's place: the shard its run-wide number falls on, the next slot there. */
  private assignNew(): number {
    const n = this.counts.length;
    const index = (this.order.first + this.added++ * this.order.step) % n;
    // `fewest` may now lag the true minimum; counts only grow, so assign() still finds it by counting up.
    return index * SLOTS + (this.counts[index]++ % SLOTS);
  }

  /** A place on a shard with the fewest devices, taking shards in turn (devices moved by a reshard). */
  private assign(): number {
    const n = this.counts.length;
    for (;;) {
      for (let k = 0; k < n; k++) {
        const index = (this.cursor + k) % n;
        if (this.counts[index] === this.fewest) {
          this.cursor = (index + 1) % n;
          return index * SLOTS + (this.counts[index]++ % SLOTS);
        }
      }
      this.fewest++;
    }
  }
}
