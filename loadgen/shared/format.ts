/** Number formatting shared by the summary, the progress line and the explanations. */

/** A whole number with thousands separators: 12345.6 -> "12,346". */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A share as a percentage with one decimal: 0.125 -> "12.5%". */
export function pct(share: number): string {
  return `${(100 * share).toFixed(1)}%`;
}

/** A shard id without its constant prefix: "shardId-000000000003" -> "000000000003". */
export function shortShardId(shardId: string): string {
  return shardId.replace('shardId-', '');
}
