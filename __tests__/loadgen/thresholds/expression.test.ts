import { compare, parseThreshold, type Threshold } from '../../../loadgen/thresholds/expression';

function ok(text: string): Threshold {
  const parsed = parseThreshold(text);
  if (!parsed.ok) throw new Error(parsed.expected);
  return parsed.threshold;
}

function expected(text: string): string {
  const parsed = parseThreshold(text);
  if (parsed.ok) throw new Error(`${text} parsed`);
  return parsed.expected;
}

describe('the --threshold grammar', () => {
  it.each([
    ['throttledPct<0.5', { key: 'throttledPct', op: '<', limit: 0.5 }],
    ['latencyMs.p99 <= 50', { key: 'latencyMs.p99', op: '<=', limit: 50 }],
    ['achievedRate>=3150', { key: 'achievedRate', op: '>=', limit: 3150 }],
    ['verify.missing==0', { key: 'verify.missing', op: '==', limit: 0 }],
    ['recordsFailed != 0', { key: 'recordsFailed', op: '!=', limit: 0 }],
    ['client.maxRssMB>-1e3', { key: 'client.maxRssMB', op: '>', limit: -1000 }],
    ['  a_b.c2 < .5  ', { key: 'a_b.c2', op: '<', limit: 0.5 }],
  ])('%s', (text, condition) => {
    expect(ok(text)).toEqual({ expression: text.trim(), ...condition, abortOnFail: false, delayAbortEvalMs: 0 });
  });

  it("reads k6's abortOnFail and delayAbortEval options after the condition", () => {
    expect(ok('throttledPct<0.5,abortOnFail')).toMatchObject({ key: 'throttledPct', abortOnFail: true, delayAbortEvalMs: 0 });
    expect(ok('latencyMs.p99<50, abortOnFail, delayAbortEval=1m30s')).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 90_000 });
    expect(ok('latencyMs.p99<50,delayAbortEval=10s,abortOnFail')).toMatchObject({ abortOnFail: true, delayAbortEvalMs: 10_000 });
  });

  it.each([
    ['', 'with op one of'],
    ['throttledPct', 'with op one of'],
    ['throttledPct<', 'is not a number'],
    ['<5', 'is not a dotted name'],
    ['latencyMs..p99<5', 'is not a dotted name'],
    ['9lives<5', 'is not a dotted name'],
    ['p(95)<200', 'is not a dotted name'],
    ['a<<5', 'with op one of'],
    ['a<5<6', 'with op one of'],
    ['a=<5', 'with op one of'],
    ['a=5', 'use =='],
    ['a<fast', '"fast" is not a number'],
    ['a<5%', '"5%" is not a number'],
    ['a<5,abortOnFial', 'not "abortOnFial"'],
    ['a<5,abortOnFail,delayAbortEval=soon', 'delayAbortEval=<duration>'],
    ['a<5,delayAbortEval=10s', 'only together with abortOnFail'],
  ])('refuses %j, saying what is expected', (text, says) => {
    expect(expected(text)).toContain(says);
  });

  it('compares with each operator', () => {
    expect([compare(1, '<', 2), compare(2, '<', 2), compare(2, '<=', 2), compare(3, '<=', 2)]).toEqual([true, false, true, false]);
    expect([compare(3, '>', 2), compare(2, '>', 2), compare(2, '>=', 2), compare(1, '>=', 2)]).toEqual([true, false, true, false]);
    expect([compare(0, '==', 0), compare(1, '==', 0), compare(1, '!=', 0), compare(0, '!=', 0)]).toEqual([true, false, true, false]);
  });
});
