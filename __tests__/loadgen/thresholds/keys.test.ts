import { reportTemplate } from '../../../loadgen/report/report';
import { evaluateThresholds, lookup } from '../../../loadgen/thresholds/evaluate';
import { parseThreshold, type Threshold } from '../../../loadgen/thresholds/expression';
import { keyProblem, numericKeys } from '../../../loadgen/thresholds/keys';

const threshold = (text: string): Threshold => {
  const parsed = parseThreshold(text);
  if (!parsed.ok) throw new Error(parsed.expected);
  return parsed.threshold;
};

describe('threshold keys come from the report itself', () => {
  const template = reportTemplate();
  const keys = numericKeys(template);

  it('are the numeric keys of a report, nested ones dotted, with the derived shares; not arrays, strings or the exit code', () => {
    expect(keys).toEqual(
      expect.arrayContaining([
        'achievedRate', 'achievedPct', 'throttledPct', 'droppedPct', 'failedPct', 'targetRate', 'recordsAcked', 'throttled',
        'latencyMs.p99', 'latencyMs.max', 'verify.missing', 'verify.duplicates', 'verify.received', 'client.maxRssMB',
      ]),
    );
    for (const key of keys) expect(key).not.toMatch(/^(exitCode|shards|series|runId|stopReason|verify\.missingSample)/);
  });

  it('accept any number a report carries, including keys added later, with no change to the threshold code', () => {
    const extended = { ...template, recordLatencyMs: { p99: 0 }, concurrency: { final: 0 } };
    for (const text of ['recordLatencyMs.p99<200', 'concurrency.final>=4']) {
      expect(keyProblem(threshold(text), { template: extended, verify: false })).toBeUndefined();
    }
    const report = { recordLatencyMs: { p99: 150 }, concurrency: { final: 3 } };
    expect(evaluateThresholds([threshold('recordLatencyMs.p99<200'), threshold('concurrency.final>=4')], report)).toEqual([
      { expression: 'recordLatencyMs.p99<200', key: 'recordLatencyMs.p99', value: 150, ok: true, abortOnFail: false },
      { expression: 'concurrency.final>=4', key: 'concurrency.final', value: 3, ok: false, abortOnFail: false },
    ]);
  });

  it('name what could have been meant', () => {
    expect(keyProblem(threshold('latencyMs.p98<5'), { template, verify: false })).toBe(
      'a number the report has: latencyMs.p50, latencyMs.p90, latencyMs.p99, latencyMs.p999, latencyMs.max, latencyMs.mean (README "Thresholds")',
    );
    const top = keyProblem(threshold('throttledPercent<5'), { template, verify: false })!;
    expect(top).toContain('throttledPct');
    expect(top).toContain('latencyMs.*');
    expect(keyProblem(threshold('exitCode==0'), { template, verify: true })).toContain('depends on the thresholds');
  });

  it('verify.* only with --verify, and never with abortOnFail (known only after the read-back)', () => {
    expect(keyProblem(threshold('verify.missing==0'), { template, verify: false })).toBe('verify.missing only together with --verify');
    expect(keyProblem(threshold('verify.missing==0'), { template, verify: true })).toBeUndefined();
    expect(keyProblem(threshold('verify.missing==0,abortOnFail'), { template, verify: true })).toContain('no abortOnFail');
  });

  it('a key with no number in this run (targetRate under --rate max) fails with no value', () => {
    expect(lookup({ a: { b: 1 } }, 'a.b')).toBe(1);
    expect(lookup({ a: [5] }, 'a.0')).toBeUndefined();
    expect(lookup({ a: 1 }, 'toString')).toBeUndefined();
    expect(evaluateThresholds([threshold('achievedPct>90')], { achievedPct: null })).toEqual([
      { expression: 'achievedPct>90', key: 'achievedPct', value: null, ok: false, abortOnFail: false },
    ]);
  });
});
