/**
 * Whether `run` spreads the generator's devices evenly over the open shards, and how its records will fall on
 * them (estimated from the records sampled before the run), for `--rate auto`, the summary and the report.
 */
import { layoutFromSample, summarizeLayout, type KeyLayout } from '../engine/key-layout';
import type { PendingRecord } from '../engine/record';
import type { GeneratorPlugin } from '../generators/types';
import { ShardMap, type ShardRange } from '../kinesis/shard-map';
import type { KeysReport } from '../report/report';

export interface KeyPlan {
  readonly spread: boolean;
  readonly layout: KeyLayout;
  readonly report: KeysReport;
}

export function planKeys(plugin: GeneratorPlugin, devices: number, shards: readonly ShardRange[], sample: readonly PendingRecord[]): KeyPlan {
  const map = new ShardMap(shards);
  const open = map.shards.length;
  let spread = false;
  let why: string;
  if (plugin.keys !== 'spread') {
    why = `generator ${plugin.name} keeps its own keys (routed by the MD5 of the partition key, or its explicit hash key)`;
  } else if (open === 1) {
    why = 'one open shard: every key lands on it';
  } else if (devices < open) {
    why = `--devices ${devices} is fewer than the ${open} open shards: device keys kept as named (routed by their MD5)`;
  } else {
    spread = true;
    why = `devices spread evenly over the ${open} open shards with explicit hash keys (the partition key stays the device id)`;
  }
  const layout = layoutFromSample(sample, map, spread);
  const { evenShare, maxShare, idleShards, hotShards } = summarizeLayout(layout);
  const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
  return {
    spread,
    layout,
    report: {
      mode: layout.mode,
      why,
      keysSampled: layout.keys,
      openShards: open,
      idleShards,
      evenShare: round4(evenShare),
      maxShare: round4(maxShare),
      hotShards: hotShards.map((s) => ({ shardId: s.shardId, share: round4(s.share) })),
      expectedShares: Object.fromEntries(layout.shares.map((s) => [s.shardId, round4(s.share)])),
    },
  };
}
