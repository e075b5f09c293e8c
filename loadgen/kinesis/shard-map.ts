/**
 * Predicts the shard of a record exactly as Kinesis does: the MD5 of the partition key (or the explicit
 * hash key) read as a 128-bit unsigned integer, matched against the open shards' hash-key ranges.
 * Hash keys are compared as zero-padded 32-digit hex strings, which order like the integers and are far
 * cheaper than BigInt per record.
 */
import { createHash } from 'node:crypto';

export interface ShardRange {
  readonly shardId: string;
  /** Decimal strings, as ListShards returns them. */
  readonly startingHashKey: string;
  readonly endingHashKey: string;
  /** False for a closed (parent) shard that no longer takes writes. */
  readonly open: boolean;
}

/** A single pseudo-shard for sinks that have none (null, stdout, file). */
export const WHOLE_KEY_SPACE: ShardRange = {
  shardId: 'all',
  startingHashKey: '0',
  endingHashKey: (2n ** 128n - 1n).toString(),
  open: true,
};

const CACHE_LIMIT = 100_000;

/** True for a valid explicit hash key: a decimal from 0 to 2^128-1. */
export function isHashKey(text: string): boolean {
  return /^\d{1,39}$/.test(text) && BigInt(text) < 2n ** 128n;
}

export function toHex128(decimal: string): string {
  return BigInt(decimal).toString(16).padStart(32, '0');
}

/** The 128-bit hash key Kinesis derives from a partition key, as 32 hex digits. */
export function partitionKeyHashHex(partitionKey: string): string {
  return createHash('md5').update(partitionKey, 'utf8').digest('hex');
}

export class ShardMap {
  /** Open shards ordered by starting hash key: the only ones a write can land on. */
  readonly shards: readonly ShardRange[];
  private readonly startsHex: string[];
  private readonly endsHex: string[];
  // Device-style keys repeat, so most lookups skip the MD5; spread devices' explicit hash keys repeat too (a few
  // per shard), so they skip the BigInt conversion.
  private readonly cache = new Map<string, number>();
  private readonly hashKeyCache = new Map<string, number>();

  constructor(shards: readonly ShardRange[]) {
    const open = shards.filter((s) => s.open);
    if (open.length === 0) throw new Error('the stream has no open shards');
    this.shards = [...open].sort((a, b) => (toHex128(a.startingHashKey) < toHex128(b.startingHashKey) ? -1 : 1));
    this.startsHex = this.shards.map((s) => toHex128(s.startingHashKey));
    this.endsHex = this.shards.map((s) => toHex128(s.endingHashKey));
  }

  /** Index into `shards` of the shard that takes this record, or -1 if no open shard covers its hash. */
  indexFor(partitionKey: string, explicitHashKey?: string): number {
    if (explicitHashKey !== undefined) {
      let byHashKey = this.hashKeyCache.get(explicitHashKey);
      if (byHashKey === undefined) {
        byHashKey = this.indexForHex(toHex128(explicitHashKey));
        if (this.hashKeyCache.size >= CACHE_LIMIT) this.hashKeyCache.clear();
        this.hashKeyCache.set(explicitHashKey, byHashKey);
      }
      return byHashKey;
    }
    let index = this.cache.get(partitionKey);
    if (index === undefined) {
      index = this.indexForHex(partitionKeyHashHex(partitionKey));
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(partitionKey, index);
    }
    return index;
  }

  shardIdFor(partitionKey: string, explicitHashKey?: string): string | undefined {
    return this.shards[this.indexFor(partitionKey, explicitHashKey)]?.shardId;
  }

  private indexForHex(hex: string): number {
    // Last shard whose start <= hex.
    let lo = 0;
    let hi = this.startsHex.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.startsHex[mid] <= hex) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && hex <= this.endsHex[found] ? found : -1;
  }
}
