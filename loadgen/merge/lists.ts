/** The lists of a report merged entry by entry: per-second series on wall-clock time, shards by shard id. */
import type { ShardReport } from '../report/report';
import type { SeriesPoint } from '../metrics/series';
import { isObject } from '../shared/is-object';
import { SERIES_POINT_RULES, SHARD_RULES, type Rule } from './rules';

/**
 * Adds `from`'s fields into `into` by their rules: sum and max; an object field (a second's latency) field by field,
 * null (nothing in that second) giving way to a value; anything else keeps the first value seen. A key without a rule
 * was refused before (merge.ts checks every key of every part).
 */
function addFields(into: Record<string, unknown>, from: Record<string, unknown>, rules: Readonly<Record<string, Rule>>): void {
  for (const [key, value] of Object.entries(from)) {
    const rule = rules[key];
    if (!rule || rule.kind === 'derived') continue;
    if (!(key in into) || into[key] === null) {
      into[key] = isObject(value) && rule.kind === 'fields' ? { ...value } : value;
    } else if (rule.kind === 'sum') {
      into[key] = (into[key] as number) + (value as number);
    } else if (rule.kind === 'max') {
      into[key] = Math.max(into[key] as number, value as number);
    } else if (rule.kind === 'fields' && isObject(value)) {
      addFields(into[key] as Record<string, unknown>, value, rule.fields);
    }
  }
}

/**
 * Each part's second k is second k + offset of the merged run (offset: whole seconds from the earliest start to
 * the part's), so seconds of different parts that happened at the same time add up.
 */
export function mergeSeries(series: readonly (readonly SeriesPoint[])[], offsets: readonly number[]): SeriesPoint[] {
  const merged: Record<string, unknown>[] = [];
  series.forEach((points, part) => {
    for (const point of points) {
      const second = point.second + offsets[part];
      while (merged.length <= second) merged.push({ second: merged.length });
      addFields(merged[second], point as unknown as Record<string, unknown>, SERIES_POINT_RULES);
    }
  });
  return merged.map((point) => ({ ...emptySecond(point.second as number), ...point }) as SeriesPoint);
}

/** A second nothing happened in, like a run's own series has it: zero counts, no latency. */
export function emptySecond(second: number): SeriesPoint {
  const point: Record<string, unknown> = { second };
  for (const [field, rule] of Object.entries(SERIES_POINT_RULES)) {
    if (rule.kind === 'sum') point[field] = 0;
    else if (rule.kind === 'fields') point[field] = null;
  }
  return point as unknown as SeriesPoint;
}

/** Shards by id, in id order; each shard's counts added (its derived figures are the caller's: shardReports()). */
export function mergeShards(shards: readonly (readonly ShardReport[])[]): ShardReport[] {
  const byId = new Map<string, Record<string, unknown>>();
  for (const list of shards) {
    for (const shard of list) {
      const into = byId.get(shard.shardId) ?? {};
      byId.set(shard.shardId, into);
      addFields(into, shard as unknown as Record<string, unknown>, SHARD_RULES);
    }
  }
  return [...byId.keys()].sort().map((id) => byId.get(id) as unknown as ShardReport);
}
