import { Pacer, constantRate, rampingRate, unthrottled } from '../../loadgen/scheduler';

/**
 * Steps a fake clock through the schedule and counts records released per 1 s interval. Ticks fall just
 * before each millisecond boundary, so a record due at exactly k s counts in second k.
 */
function releasedPerSecond(pacer: Pacer, durationMs: number, stepMs: number): number[] {
  const perSecond = new Array<number>(Math.ceil(durationMs / 1000)).fill(0);
  for (let m = 0; m <= durationMs; m += stepMs) {
    const t = m === 0 ? 0 : m - 0.001;
    perSecond[Math.floor(t / 1000)] += pacer.take(t, Infinity);
  }
  return perSecond;
}

describe('constant-rate schedule', () => {
  it('releases exactly rate records in every second, record i due at i/rate', () => {
    const schedule = constantRate(250, 4000);
    expect(schedule.totalRecords).toBe(1000);
    expect(schedule.dueBy(0)).toBe(1); // record 0 is due at the start
    expect(schedule.dueBy(3.99)).toBe(1);
    expect(schedule.dueBy(4)).toBe(2); // record 1 at 1/250 s
    expect(releasedPerSecond(new Pacer(schedule), 4000, 1)).toEqual([250, 250, 250, 250]);
  });

  it('is absolute: a late tick releases the backlog instead of shifting later records', () => {
    const pacer = new Pacer(constantRate(100, 10_000));
    expect(pacer.take(0, Infinity)).toBe(1);
    expect(pacer.take(2500, Infinity)).toBe(250); // due by 2.5 s: records 0..250
    expect(pacer.take(3000, Infinity)).toBe(50);
    expect(pacer.dropped).toBe(0);
  });

  it('stops at --records', () => {
    const pacer = new Pacer(constantRate(1000, Infinity, 1500));
    expect(pacer.take(5000, Infinity)).toBe(1500);
    expect(pacer.finished(5000)).toBe(true);
  });
});

describe('ramping schedule (k6 stages)', () => {
  it('integrates a piecewise-linear rate: 0 -> 1000/s over 10 s releases 50, 150, 250, ... per second', () => {
    const schedule = rampingRate([{ durationMs: 10_000, target: 1000 }]);
    expect(schedule.totalRecords).toBe(5000);
    const counts = releasedPerSecond(new Pacer(schedule), 10_000, 5);
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
    expect(releasedPerSecond(new Pacer(schedule), 4000, 10)).toEqual([200, 200, 150, 50]);
  });
});

describe('dropped accounting (open model)', () => {
  it('counts due records that find no room as dropped, and never queues them', () => {
    const pacer = new Pacer(constantRate(1000, 3000));
    // The producer has room for only 100 records per 100 ms tick during the second second.
    const room = (t: number): number => (t >= 1000 && t < 2000 ? 50 : Infinity);
    let released = 0;
    for (let t = 0; t <= 3000; t += 100) released += pacer.take(t, room(t));
    expect(pacer.scheduled).toBe(3000);
    expect(released).toBe(pacer.released);
    expect(pacer.dropped).toBe(3000 - released);
    // Ticks at 1000..1900 ms could take 50 each instead of 100: 500 dropped, none caught up later.
    expect(pacer.dropped).toBe(500);
  });

  it('counts records refused after release (full shard queue) as dropped', () => {
    const pacer = new Pacer(constantRate(100, 1000));
    expect(pacer.take(999, Infinity)).toBe(100);
    pacer.dropReleased(10);
    expect(pacer.released).toBe(90);
    expect(pacer.dropped).toBe(10);
    expect(pacer.scheduled).toBe(100);
  });

  it('never drops under --rate max: room only paces it', () => {
    const pacer = new Pacer(unthrottled(1000));
    expect(pacer.take(0, 500)).toBe(500);
    expect(pacer.take(10, 0)).toBe(0);
    expect(pacer.take(20, 700)).toBe(700);
    expect(pacer.take(1000, 700)).toBe(0); // duration over
    expect(pacer.dropped).toBe(0);
    expect(pacer.finished(1000)).toBe(true);
  });
});
