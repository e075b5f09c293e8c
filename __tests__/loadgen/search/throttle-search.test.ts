import { judgeStep, type StepMeasurement } from '../../../loadgen/search/probe-step';
import { StepSchedule } from '../../../loadgen/search/step-schedule';
import { ThrottleSearch, type SearchSettings } from '../../../loadgen/search/throttle-search';

const settings: SearchSettings = { startRate: 2000, maxRate: 8000, growth: 1.5, resolution: 0.02, maxSteps: 40 };

/** Runs the search against a stream that sustains every rate up to `limit`. */
function searchAgainst(limit: number, overrides: Partial<SearchSettings> = {}) {
  const search = new ThrottleSearch({ ...settings, ...overrides });
  const tried: string[] = [];
  for (let next = search.next(); next; next = search.next()) {
    tried.push(`${next.phase}:${next.rate}`);
    search.record(next.rate, next.rate <= limit);
  }
  return { tried, end: search.end, bracket: search.bracket };
}

describe('throttle search', () => {
  it('brackets by growth, then halves the bracket until it is within the resolution', () => {
    const { tried, end, bracket } = searchAgainst(3890);
    expect(tried.slice(0, 3)).toEqual(['bracket:2000', 'bracket:3000', 'bracket:4500']);
    expect(tried.slice(3).every((t) => t.startsWith('bisect:'))).toBe(true);
    expect(end).toBe('bracketed');
    expect(bracket.sustained).toBeLessThanOrEqual(3890);
    expect(bracket.failed).toBeGreaterThan(3890);
    expect((bracket.failed! - bracket.sustained!) / bracket.sustained!).toBeLessThanOrEqual(0.02);
  });

  it('stops at --max-rate when everything up to it is sustained', () => {
    const { tried, end, bracket } = searchAgainst(1e9, { maxRate: 5000 });
    expect(tried).toEqual(['bracket:2000', 'bracket:3000', 'bracket:4500', 'bracket:5000']);
    expect(end).toBe('max-rate');
    expect(bracket).toEqual({ sustained: 5000, failed: null });
  });

  it('goes down from a start that fails, and gives up below one record per second', () => {
    const down = searchAgainst(700);
    expect(down.tried.slice(0, 4)).toEqual(['bracket:2000', 'bracket:1333', 'bracket:888', 'bracket:592']);
    expect(down.bracket.sustained).toBeLessThanOrEqual(700);
    expect(searchAgainst(0).end).toBe('nothing-sustained');
  });

  it('never runs more than maxSteps steps', () => {
    expect(searchAgainst(3890, { maxSteps: 4 }).tried).toHaveLength(4);
    expect(searchAgainst(3890, { maxSteps: 4 }).end).toBe('max-steps');
  });
});

describe('step judgement', () => {
  const step = (over: Partial<StepMeasurement>): StepMeasurement =>
    ({ targetRate: 1000, achievedRate: 1000, throttledShare: 0, recordsScheduled: 1000, dropped: 0, ...over }) as StepMeasurement;
  const criteria = { maxThrottled: 0.001, tolerance: 0.05 };

  it('is sustained when throttling and the shortfall stay within their bounds', () => {
    expect(judgeStep(step({ throttledShare: 0.001, achievedRate: 950 }), criteria)).toEqual({ sustained: true, limitedBy: null });
  });

  it('names throttling first, then a producer that fell short', () => {
    expect(judgeStep(step({ throttledShare: 0.0011, achievedRate: 900 }), criteria)).toEqual({ sustained: false, limitedBy: 'throttling' });
    expect(judgeStep(step({ achievedRate: 949 }), criteria)).toEqual({ sustained: false, limitedBy: 'producer' });
  });

  it('does not count a step whose producer dropped more than 1% of its records: the stream was not offered the rate', () => {
    expect(judgeStep(step({ recordsScheduled: 1000, dropped: 10, achievedRate: 990 }), criteria)).toEqual({ sustained: true, limitedBy: null });
    expect(judgeStep(step({ recordsScheduled: 1000, dropped: 11, achievedRate: 989 }), criteria)).toEqual({ sustained: false, limitedBy: 'producer' });
  });
});

describe('a step schedule', () => {
  it('is unpaced until switched, then paced from the records due so far, until its end', () => {
    const schedule = new StepSchedule(1000, true);
    expect(schedule.kind).toBe('unpaced');
    expect(schedule.dueBy(50)).toBe(Infinity);
    expect(schedule.dueAt(3)).toBeUndefined();
    schedule.switchNow(200, 5000);
    expect(schedule.kind).toBe('paced');
    expect(schedule.dueBy(200)).toBe(5001);
    expect(schedule.dueBy(1200)).toBe(6001);
    expect(schedule.dueAt(5000)).toBe(200);
    expect(schedule.dueAt(5500)).toBe(700);
    expect(schedule.durationMs).toBe(Infinity);
    schedule.endAt(2200);
    expect(schedule.totalRecords).toBe(7000);
    expect(schedule.dueBy(10_000)).toBe(7000);
  });

  it('is paced from the start without a burst', () => {
    const schedule = new StepSchedule(250, false);
    expect(schedule.kind).toBe('paced');
    expect(schedule.dueAt(1)).toBe(4);
  });
});
