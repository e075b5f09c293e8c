/**
 * A segment's share of the whole run's schedule, striped: segment s (0-based) of n takes the whole schedule's
 * records k with k mod n = s. Its arrivals interleave evenly with the other segments' (record s + j n is due
 * when the whole run's record s + j n is), its rate is 1/n of the whole rate at every instant, and the n
 * segments together release exactly the whole run's records: the same total, at the same moments.
 */
import type { Schedule } from '../engine/schedule';
import type { Segment } from './segment';

/** Of the records 0..total-1, how many are k with k mod n = s. */
export function stripeCount(total: number, s: number, n: number): number {
  if (!Number.isFinite(total)) return total;
  return total > s ? Math.floor((total - 1 - s) / n) + 1 : 0;
}

export function segmentSchedule(whole: Schedule, segment: Segment): Schedule {
  if (segment.count === 1) return whole;
  const s = segment.index - 1;
  const n = segment.count;
  return {
    kind: whole.kind,
    totalRecords: stripeCount(whole.totalRecords, s, n),
    durationMs: whole.durationMs,
    rateAt: (elapsedMs) => whole.rateAt(elapsedMs) / n,
    dueBy: (elapsedMs) => stripeCount(whole.dueBy(elapsedMs), s, n),
    // This segment's record j is the whole run's record s + j n, due when that one is.
    dueAt: (index) => whole.dueAt(s + index * n),
  };
}
