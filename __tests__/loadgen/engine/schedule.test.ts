import { constantRate, rampingRate, unpaced, type Schedule } from '../../../loadgen/engine/schedule';

/**
 * Steps a fake clock through the schedule and counts records that fall due per 1 s interval. Ticks fall
 * just before each millisecond boundary, so a record due at exactly k s counts in second k.
 */
function duePerSecond(schedule: Schedule, durationMs: number, stepMs: number): number[] {
  const perSecond = new Array<number>(Math.ceil(durationMs / 1000)).fill(0);
  let seen = 0;
  for (let m = 0; m <= durationMs; m += stepMs) {
    const t = m === 0 ? 0 : m - 0.001;
    const due = schedule.dueBy(t);
    perSecond[Math.floor(t / 1000)] += due - seen;
    seen = due;
  }
  return perSecond;
}

describe('constant-rate schedule', () => {
  it('makes exactly rate records due in every second, record i due at i/rate', () => {
    const schedule = constantRate(250, 4000);
    expect(schedule.kind).toBe('paced');
    expect(schedule.totalRecords).toBe(1000);
    expect(schedule.dueBy(0)).toBe(1); // record 0 is due at the start
    expect(schedule.dueBy(3.99)).toBe(1);
    expect(schedule.dueBy(4)).toBe(2); // record 1 at 1/250 s
    expect(duePerSecond(schedule, 4000, 1)).toEqual([250, 250, 250, 250]);
  });

  it('is absolute: what is due depends on the elapsed time alone, not on when it is asked', () => {
    const schedule = constantRate(100, 10_000);
    expect(schedule.dueBy(2500)).toBe(251); // records 0..250
    expect(schedule.dueBy(3000)).toBe(301);
    expect(schedule.dueBy(2500)).toBe(251);
  });

  it('stops at --records', () => {
    const schedule = constantRate(1000, Infinity, 1500);
    expect(schedule.totalRecords).toBe(1500);
    expect(schedule.durationMs).toBe(1500);
    expect(schedule.dueBy(5000)).toBe(1500);
  });
});

describe('ramping schedule (k6 stages)', () => {
  it('integrates a piecewise-linear rate: 0 -> 1000/s over 10 s makes 50, 150, 250, ... due per second', () => {
    const schedule = rampingRate([{ durationMs: 10_000, target: 1000 }]);
    expect(schedule.totalRecords).toBe(5000);
    const counts = duePerSecond(schedule, 10_000, 5);
    expect(counts).toEqual([50, 150, 250, 350, 450, 550, 650, 750, 850, 950]);
    expect(counts.reduce((a, b) => a + b)).toBe(5000);
  });

  it('holds, ramps down, and jumps with 0s stages', () => {
    const schedule = rampingRate([
      { durationMs: 0, target: 200 },
      { durationMs: 2000, target: 200 },
      { durationMs: 2000, target: 0 },
    ]);
    expect(schedule.rateAt(1000)).toBe(200);
    expect(schedule.rateAt(3000)).toBe(100);
    expect(schedule.totalRecords).toBe(600);
    expect(duePerSecond(schedule, 4000, 10)).toEqual([200, 200, 150, 50]);
  });
});

describe('unpaced schedule (--rate max)', () => {
  it('is an explicit kind that allows every record at once within its bounds', () => {
    const schedule = unpaced(1000, 700);
    expect(schedule.kind).toBe('unpaced');
    expect(schedule.dueBy(0)).toBe(700);
    expect(schedule.dueBy(-1)).toBe(0);
  });
});

describe('dueAt: when each record falls due (what record latency is measured from)', () => {
  /** dueAt must invert dueBy: record i is not due just before dueAt(i), and is due at it. */
  function expectInverse(schedule: Schedule): void {
    for (let i = 1; i < schedule.totalRecords; i += 7) {
      const at = schedule.dueAt(i)!;
      expect(schedule.dueBy(at + 1e-6)).toBeGreaterThan(i);
      expect(schedule.dueBy(at - 1e-3)).toBeLessThanOrEqual(i);
    }
  }

  it('is i/rate at a constant rate', () => {
    const schedule = constantRate(250, 4000);
    expect(schedule.dueAt(0)).toBe(0);
    expect(schedule.dueAt(1)).toBe(4);
    expect(schedule.dueAt(999)).toBe(3996);
    expectInverse(schedule);
  });

  it('inverts the integral of a ramp up, a hold, a ramp down and jumps', () => {
    const ramp = rampingRate([{ durationMs: 10_000, target: 1000 }]);
    expect(ramp.dueAt(50)).toBeCloseTo(1000, 6); // 50 records are due by 1 s
    expect(ramp.dueAt(4999)).toBeLessThan(10_000);
    expectInverse(ramp);
    expectInverse(
      rampingRate([
        { durationMs: 0, target: 200 },
        { durationMs: 2000, target: 200 },
        { durationMs: 2000, target: 0 },
        { durationMs: 0, target: 500 },
        { durationMs: 1000, target: 500 },
      ]),
    );
  });

  it('is undefined for --rate max: a record is due when the producer takes it', () => {
    expect(unpaced(1000, 10).dueAt(3)).toBeUndefined();
  });
});
