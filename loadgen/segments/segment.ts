/**
 * Execution segments (k6's idea): `--segment i/n` makes a run do a fixed, disjoint share of the whole run's work,
 * as a pure function of (i, n, seed), so hosts or threads need no coordinator. A segment is 1-based on the command
 * line and in reports; the schedule and device shares below use its 0-based index.
 */

export interface Segment {
  /** 1..count */
  readonly index: number;
  readonly count: number;
}

export const WHOLE_RUN: Segment = Object.freeze({ index: 1, count: 1 });

/** Segments a run may be cut into: enough for any fleet, small enough that a typo does not slice a run to dust. */
export const MAX_SEGMENTS = 100_000;

export const SEGMENT_SYNTAX = `i/n with 1 <= i <= n <= ${MAX_SEGMENTS}, e.g. 2/4`;

export function formatSegment(segment: Segment): string {
  return `${segment.index}/${segment.count}`;
}

/** `i/n` -> a segment, or undefined when the text is not one. */
export function parseSegment(text: string): Segment | undefined {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!match) return undefined;
  const index = Number(match[1]);
  const count = Number(match[2]);
  if (count < 1 || count > MAX_SEGMENTS || index < 1 || index > count) return undefined;
  return { index, count };
}

/**
 * Part `part` (0-based) of `parts` of a segment: the segment's own share cut again, itself a segment of the whole
 * run. Segment s of n takes the whole run's records k with k mod n = s; cutting it in w takes every w-th of those,
 * k mod (n w) = s + n j, so worker j of w in segment i/n runs segment (i + n j)/(n w).
 */
export function subSegment(segment: Segment, part: number, parts: number): Segment {
  if (!Number.isInteger(parts) || parts < 1 || !Number.isInteger(part) || part < 0 || part >= parts) {
    throw new Error(`part must be an integer from 0 to ${parts - 1}. Received ${part}`);
  }
  return { index: segment.index + segment.count * part, count: segment.count * parts };
}

/** Why some parts do not make up a segment exactly: segments missing or given twice, or cuts of different sizes. */
export type CoverProblem =
  | { readonly kind: 'mixed-counts'; readonly counts: readonly number[] }
  | { readonly kind: 'gaps'; readonly missing: readonly Segment[]; readonly duplicate: readonly Segment[]; readonly outside: readonly Segment[] };

/**
 * Whether `parts` together are exactly `whole` (the whole run, or one segment of it cut again, as a process's
 * workers are): every part cuts the run the same number of ways, and the parts are each of whole's sub-segments
 * once. Returns undefined when they are.
 */
export function coverProblem(parts: readonly Segment[], whole: Segment = WHOLE_RUN): CoverProblem | undefined {
  const counts = [...new Set(parts.map((p) => p.count))].sort((a, b) => a - b);
  if (counts.length !== 1 || counts[0] % whole.count !== 0) return { kind: 'mixed-counts', counts };
  const count = counts[0];
  const times = new Map<number, number>();
  for (const p of parts) times.set(p.index, (times.get(p.index) ?? 0) + 1);
  const missing: Segment[] = [];
  const duplicate: Segment[] = [];
  for (let index = whole.index; index <= count; index += whole.count) {
    const given = times.get(index) ?? 0;
    if (given === 0) missing.push({ index, count });
    if (given > 1) duplicate.push({ index, count });
  }
  // Parts of another segment's share.
  const outside = [...times.keys()].filter((index) => (index - whole.index) % whole.count !== 0).sort((a, b) => a - b).map((index) => ({ index, count }));
  return missing.length || duplicate.length || outside.length ? { kind: 'gaps', missing, duplicate, outside } : undefined;
}
