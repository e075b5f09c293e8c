import { ConcurrencyController, MAX_CONCURRENCY, type ConcurrencySettings } from '../../../loadgen/engine/concurrency';

/**
 * The controller on a fake clock, as the engine drives it: a decision at the start, then each interval the test
 * reports answers (latency, records, throttled) and whether records waited for a slot, and asks again.
 */
function drive(settings: ConcurrencySettings = {}, startRate: number | null = null, warmupRecords = 500) {
  const controller = new ConcurrencyController(settings, 0);
  let now = 0;
  controller.update(now, startRate);
  const interval = (opts: { rate: number | null; latencyMs?: number; answers?: number; records?: number; throttled?: number; waited?: boolean }) => {
    const { rate, latencyMs = 60, answers = 10, records = 500, throttled = 0, waited = false } = opts;
    for (let i = 0; i < answers; i++) controller.onAnswer(latencyMs, records, i === 0 ? throttled : 0);
    if (waited) controller.onWait();
    now += controller.intervalMs;
    controller.update(now, rate);
    return controller.limit;
  };
  // The first interval with answers is the start (connections opening, code not yet optimized): not measured.
  interval({ rate: startRate, records: warmupRecords });
  return { controller, interval, update: (rate: number | null) => controller.update(now, rate) };
}

describe('concurrency controller', () => {
  it('sizes the limit from an assumed latency before any answer, then by Little\'s law from what answers measure', () => {
    const { controller, interval } = drive({}, 80_000);
    // Before any answer: 80,000/s x 100 ms assumed / 500 records assumed x 1.5 headroom = 24.
    expect(controller.decision).toMatchObject({ limit: 24, reason: 'demand', why: expect.stringContaining('assumed') });
    // Answers take 60 ms for 500 records: 80,000 x 0.06 / 500 = 9.6 in flight, x 1.5 = 14.4 -> 15, a step at a time.
    expect([interval({ rate: 80_000 }), interval({ rate: 80_000 })]).toEqual([19, 15]);
    expect(controller.decision).toMatchObject({ reason: 'demand', why: expect.stringContaining("Little's law: 80,000/s x 60 ms / 500 records per request") });
    for (let i = 0; i < 20; i++) expect(interval({ rate: 80_000 })).toBe(15);
  });

  it('never goes below its minimum, and says so', () => {
    const { controller, interval } = drive({}, 1000, 50);
    expect(interval({ rate: 1000, records: 50 })).toBe(4); // 1,000 x 0.06 / 50 x 1.5 = 1.8
    expect(controller.decision).toMatchObject({ reason: 'demand', why: "Little's law: 1,000/s x 60 ms / 50 records per request x 1.5 headroom = 1.8, at least 4" });
  });

  it('follows a step in the target within an interval or two, and comes down a step at a time', () => {
    const { interval } = drive({}, 10_000);
    expect(interval({ rate: 10_000 })).toBe(4);
    expect(interval({ rate: 60_000 })).toBe(8); // wants 11, but grows at most 2x per interval
    expect(interval({ rate: 60_000 })).toBe(11);
    const down: number[] = [];
    for (let i = 0; i < 4; i++) down.push(interval({ rate: 10_000 }));
    // Little's law asks for 4 (1.8); within 80 % of it the limit stays, so jitter does not churn it.
    expect(down).toEqual([8, 5, 5, 5]);
  });

  it('grows while records wait for a slot and latency holds, then shrinks when latency rises past its tolerance', () => {
    const { controller, interval } = drive();
    // --rate max: no target. Growth is clocked by answers: intervals without any (a slow first answer) keep it.
    expect([1, 2, 3].map(() => interval({ rate: null, waited: true, answers: 0 }))).toEqual([4, 4, 4]);
    // The first answers set the 60 ms baseline.
    const limits = Array.from({ length: 6 }, () => interval({ rate: null, waited: true }));
    expect(limits).toEqual([6, 8, 11, 14, 18, 22]); // + sqrt(limit) per interval
    expect(controller.decision.reason).toBe('waiting');
    // Latency climbs to 3 x the 60 ms baseline: the gradient (2 x 60 / 180) cuts the limit by a third. The baseline
    // does not learn latency measured with more requests in flight than its own (that is queueing behind them).
    expect(interval({ rate: null, waited: true, latencyMs: 180 })).toBe(14);
    expect(controller.decision).toMatchObject({ reason: 'latency', why: 'latency rose to 180 ms, over 2 x its 60 ms baseline' });
    // Still over the tolerance: cut again (at most once per round trip, here an interval); nothing grows while
    // latency is over its tolerance, whatever waits. Back under it, growth resumes.
    expect(interval({ rate: null, waited: true, latencyMs: 140 })).toBe(12);
    expect(interval({ rate: null, waited: true, latencyMs: 110 })).toBe(15);
    // Nothing waits: nothing to grow for.
    expect(interval({ rate: null, waited: false })).toBe(15);
  });

  it('against an endpoint that queues, settles where latency doubles and stays there (the baseline does not creep up)', () => {
    const controller = new ConcurrencyController({}, 0);
    controller.update(0, null);
    const limits: number[] = [];
    // 6 workers at 40 ms: latency grows with every request beyond 6 in flight; records always wait (--rate max).
    for (let i = 1; i <= 200; i++) {
      const latencyMs = Math.max(40, (40 * controller.limit) / 6);
      for (let k = 0; k < 10; k++) controller.onAnswer(latencyMs, 100, 0);
      controller.onWait();
      controller.update(i * 100, null);
      limits.push(controller.limit);
    }
    // 20 s later, still between the point where latency doubles (12) and one step over it.
    expect(Math.max(...limits.slice(-100))).toBeLessThanOrEqual(15);
    expect(Math.min(...limits.slice(-100))).toBeGreaterThanOrEqual(12);
  });

  it('after a lasting rise in the endpoint\'s latency, cuts first, then follows it as the baseline catches up', () => {
    const { controller, interval } = drive({}, 80_000);
    expect([interval({ rate: 80_000 }), interval({ rate: 80_000 })]).toEqual([19, 15]);
    // The endpoint slows to 180 ms for good (a slower region, a busy machine); records wait for slots.
    const limits = Array.from({ length: 24 }, () => interval({ rate: 80_000, latencyMs: 180, waited: true }));
    // Over 2 x the baseline: cut once per round trip, down to the minimum...
    expect(limits.slice(0, 4)).toEqual([10, 7, 5, 4]);
    // ...until the baseline has risen to half of 180 ms (2 % of the gap per interval, about 1.4 s); then the
    // ceiling recovers by sqrt(limit) per interval while records wait, up to what Little's law asks for 180 ms:
    // 80,000 x 0.18 / 500 x 1.5 = 43.2.
    const recovered = limits.findIndex((l, i) => i > 3 && l > 4);
    expect(recovered).toBeGreaterThan(10);
    expect(recovered).toBeLessThan(16);
    expect(limits[limits.length - 1]).toBeGreaterThanOrEqual(44);
    expect(controller.decision.why).toContain('Little\'s law: 80,000/s x 180 ms / 500 records per request x 1.5 headroom = 43');
  });

  it('backs off when throttling starts, holds the demand under the lowered ceiling, and recovers step by step', () => {
    const { controller, interval } = drive({}, 80_000);
    expect([interval({ rate: 80_000 }), interval({ rate: 80_000 })]).toEqual([19, 15]);
    expect(interval({ rate: 80_000, throttled: 300 })).toBe(11); // 15 x 0.75
    expect(controller.decision).toMatchObject({ reason: 'throttled', why: '300 records throttled: x0.75' });
    // Little's law still asks for 15; the ceiling holds until records wait while latency holds.
    expect(interval({ rate: 80_000 })).toBe(11);
    expect(controller.decision.reason).toBe('throttled');
    expect(interval({ rate: 80_000, waited: true })).toBe(14);
    expect(controller.decision.why).toMatch(/^held at 14 \(wanted 15\) since 300 records throttled/);
    expect(interval({ rate: 80_000, waited: true })).toBe(15);
    expect(interval({ rate: 80_000, waited: true })).toBe(19);
    expect(controller.decision.reason).toBe('waiting');
  });

  it('neither grows nor cuts for latency while this process is the bottleneck; throttling still cuts', () => {
    const controller = new ConcurrencyController({}, 0);
    // The first sizing is a plan from the target (nothing measured yet to misread): 24 for 80,000/s.
    controller.update(0, 80_000, () => 0.95);
    expect(controller.limit).toBe(24);
    let now = 0;
    const interval = (latencyMs: number, opts: { throttled?: number; clientBusy?: number; waited?: boolean } = {}) => {
      const { throttled = 0, clientBusy = 0.95, waited = true } = opts;
      for (let k = 0; k < 10; k++) controller.onAnswer(latencyMs, 500, k === 0 ? throttled : 0);
      if (waited) controller.onWait();
      controller.update((now += 100), 80_000, () => clientBusy);
      return controller.limit;
    };
    // Busy from the start: no latency it reads is the endpoint's, so the plan stands whatever waits.
    expect([interval(60), interval(400), interval(400), interval(60)]).toEqual([24, 24, 24, 24]);
    // Time to spare, nothing waiting: the first latency measured (60 ms) sizes it, a step at a time.
    const spare = { clientBusy: 0.2, waited: false };
    expect([interval(60, spare), interval(60, spare), interval(60, spare)]).toEqual([19, 15, 15]);
    // Busy again: held, whatever the latency says.
    expect([interval(400), interval(400)]).toEqual([15, 15]);
    expect(interval(60, { throttled: 50 })).toBe(11); // busy, but throttled: 15 x 0.75
  });

  it('stays within its bounds whatever the signals say', () => {
    const { controller, interval } = drive();
    let limit = 0;
    for (let i = 0; i < 30; i++) limit = interval({ rate: 10_000_000 });
    expect(limit).toBe(MAX_CONCURRENCY);
    for (let i = 0; i < 30; i++) limit = interval({ rate: 10_000_000, throttled: 1 });
    expect(limit).toBe(4);
    expect(controller.limit).toBeGreaterThanOrEqual(4);
  });

  it('never moves when pinned', () => {
    const { controller, interval, update } = drive({ pinned: 32 });
    expect(controller.decision).toEqual({ limit: 32, reason: 'pinned', why: 'pinned at 32' });
    expect(update(80_000)).toBeNull();
    for (const signal of [{ rate: 80_000 }, { rate: null, waited: true }, { rate: 1000, throttled: 50 }, { rate: 1000, latencyMs: 900 }]) {
      expect(interval(signal)).toBe(32);
    }
  });
});
