/**
 * What share of the records each open shard will take, estimated from a sample of the generator's records before
 * the run: `--rate auto` plans for the hottest shard, and the summary names hot and idle shards. Spread devices
 * are placed exactly as the run will place them. Own keys are routed as Kinesis routes them; a key seen only once
 * in the sample stands for keys the generator keeps inventing, so its weight is shared out by the shards'
 * hash-range widths rather than landing wherever that one key happened to.
 */
import type { ShardMap } from '../kinesis/shard-map';
import { KeySpread } from './key-spread';
import { copyRecord, type PendingRecord } from './record';

export interface ShardShare {
  readonly shardId: string;
  /** Expected share of the records, 0..1. */
  readonly share: number;
}

export interface KeyLayout {
  /** `spread`: loadgen gives each device an explicit hash key; `own`: the generator's keys, routed by Kinesis. */
  readonly mode: 'spread' | 'own';
  /** Distinct keys (devices) in the sample. */
  readonly keys: number;
  /** Per open shard, in hash-key order. */
  readonly shares: readonly ShardShare[];
}

export interface LayoutSummary {
  readonly evenShare: number;
  readonly maxShare: number;
  /** Open shards no key reaches. */
  readonly idleShards: number;
  /** Shards well over the even share, hottest first (at most five). */
  readonly hotShards: readonly ShardShare[];
  /** True when no shard takes more than the even share. */
  readonly balanced: boolean;
}

/** A shard is hot from this multiple of the even share. */
const HOT = 1.2;
const KEY_SPACE = 2 ** 128;

export function layoutFromSample(sample: readonly PendingRecord[], map: ShardMap, spread: boolean): KeyLayout {
  const n = map.shards.length;
  const weights = new Array<number>(n).fill(0);
  let keys: number;
  if (spread) {
    const spreader = new KeySpread(map);
    // Placing a copy leaves the sample as the generator made it.
    for (const record of sample) {
      const index = spreader.place(copyRecord(record));
      const routed = index >= 0 ? index : map.indexFor(record.entry.PartitionKey, record.entry.ExplicitHashKey);
      if (routed >= 0) weights[routed]++;
    }
    keys = spreader.devices;
  } else {
    const seen = new Map<string, { index: number; count: number }>();
    for (const { entry } of sample) {
      const key = entry.ExplicitHashKey ?? entry.PartitionKey;
      const known = seen.get(key);
      if (known) known.count++;
      else seen.set(key, { index: map.indexFor(entry.PartitionKey, entry.ExplicitHashKey), count: 1 });
    }
    let once = 0;
    for (const { index, count } of seen.values()) {
      if (index < 0) continue;
      if (count === 1) once++;
      else weights[index] += count;
    }
    const widths = map.shards.map((s) => Number(BigInt(s.endingHashKey) - BigInt(s.startingHashKey) + 1n) / KEY_SPACE);
    const open = widths.reduce((a, b) => a + b, 0);
    widths.forEach((w, i) => (weights[i] += (once * w) / open));
    keys = seen.size;
  }
  const total = weights.reduce((a, b) => a + b, 0) || 1;
  return { mode: spread ? 'spread' : 'own', keys, shares: map.shards.map((s, i) => ({ shardId: s.shardId, share: weights[i] / total })) };
}

export function summarizeLayout(layout: KeyLayout): LayoutSummary {
  const evenShare = 1 / layout.shares.length;
  const maxShare = Math.max(...layout.shares.map((s) => s.share));
  const hotShards = layout.shares
    .filter((s) => s.share >= HOT * evenShare)
    .sort((a, b) => b.share - a.share)
    .slice(0, 5);
  return {
    evenShare,
    maxShare,
    idleShards: layout.shares.filter((s) => s.share === 0).length,
    hotShards,
    balanced: maxShare <= evenShare * (1 + 1e-9),
  };
}
