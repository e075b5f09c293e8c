import { constantRate, rampingRate, unpaced, type Schedule } from '../../../loadgen/engine/schedule';
import { segmentSchedule, stripeCount } from '../../../loadgen/segments/segment-schedule';

/** Which of the whole run's records each segment releases by time t: record k is segment (k mod n)'s. */
function releasedBy(schedules: readonly Schedule[], t: number): number[] {
  return schedules.map((s) => s.dueBy(t));
}

describe('a segment of the schedule (striped)', () => {
  const n = 3;
  const cases: [string, Schedule][] = [
    ['constant 1,000/s for 5 s', constantRate(1000, 5000)],
    ['constant 7/s for 10 s (fewer records than a stripe per second)', constantRate(7, 10_000)],
    ['stages 2s:900,1s:900,3s:0', rampingRate([{ durationMs: 2000, target: 900 }, { durationMs: 1000, target: 900 }, { durationMs: 3000, target: 0 }])],
    ['--records 1000 at 400/s', constantRate(400, Infinity, 1000)],
  ];

  it.each(cases)('%s: the segments release exactly the whole schedule, at the same moments, each 1/n of it', (_name, whole) => {
    const parts = [1, 2, 3].map((index) => segmentSchedule(whole, { index, count: n }));
    expect(parts.reduce((sum, p) => sum + p.totalRecords, 0)).toBe(whole.totalRecords);
    for (let t = 0; t <= whole.durationMs + 10; t += 7) {
      const due = releasedBy(parts, t);
      // Together: exactly the whole run's due records.
      expect(due.reduce((a, b) => a + b, 0)).toBe(whole.dueBy(t));
      // Striped: segment s has every record k < dueBy with k mod n = s, so shares never differ by more than one.
      expect(Math.max(...due) - Math.min(...due)).toBeLessThanOrEqual(1);
      expect(due[0]).toBeGreaterThanOrEqual(due[2]);
    }
    for (const part of parts) {
      expect(part.kind).toBe(whole.kind);
      expect(part.durationMs).toBe(whole.durationMs);
      expect(part.rateAt(1500)).toBeCloseTo(whole.rateAt(1500) / n, 9);
    }
  });

  it('shares --rate max and --records among segments, and leaves the whole run alone', () => {
    const whole = unpaced(Infinity, 1001);
    expect([1, 2, 3].map((index) => segmentSchedule(whole, { index, count: 3 }).totalRecords)).toEqual([334, 334, 333]);
    expect(segmentSchedule(unpaced(5000), { index: 2, count: 3 }).totalRecords).toBe(Infinity);
    expect(segmentSchedule(whole, { index: 1, count: 1 })).toBe(whole);
  });

  it('counts a stripe exactly', () => {
    expect([0, 1, 2].map((s) => stripeCount(10, s, 3))).toEqual([4, 3, 3]);
    expect([0, 1, 2, 3].map((s) => stripeCount(2, s, 4))).toEqual([1, 1, 0, 0]);
    expect(stripeCount(0, 0, 2)).toBe(0);
  });
});

describe('a segment\'s due times', () => {
  it('are the whole run\'s: segment record j is due when whole record s + j n is', () => {
    const whole = rampingRate([{ durationMs: 2000, target: 900 }, { durationMs: 1000, target: 300 }]);
    const part = segmentSchedule(whole, { index: 2, count: 3 });
    for (const j of [0, 1, 17, 400, 700]) expect(part.dueAt(j)).toBe(whole.dueAt(1 + j * 3));
    expect(segmentSchedule(unpaced(1000), { index: 1, count: 2 }).dueAt(5)).toBeUndefined();
  });
});
