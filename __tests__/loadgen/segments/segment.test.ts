import { MAX_SEGMENTS, WHOLE_RUN, coverProblem, formatSegment, parseSegment, subSegment } from '../../../loadgen/segments/segment';

describe('segments (--segment i/n)', () => {
  it('parses i/n with 1 <= i <= n and refuses anything else', () => {
    expect(parseSegment('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseSegment(' 1 / 1 ')).toEqual(WHOLE_RUN);
    for (const bad of ['0/4', '5/4', '1/0', '1', '1/2/3', 'a/b', '-1/2', '1.5/3', `1/${MAX_SEGMENTS + 1}`]) expect(parseSegment(bad)).toBeUndefined();
    expect(formatSegment({ index: 3, count: 8 })).toBe('3/8');
  });

  it('cuts a segment again into segments of the whole run: worker j of w in segment i/n runs (i + n j)/(n w)', () => {
    expect([0, 1, 2].map((j) => subSegment({ index: 2, count: 4 }, j, 3))).toEqual([
      { index: 2, count: 12 },
      { index: 6, count: 12 },
      { index: 10, count: 12 },
    ]);
    // The whole run's records k with k mod 4 = 1 are exactly those with k mod 12 in {1, 5, 9}.
    const parts = [0, 1, 2].map((j) => subSegment({ index: 2, count: 4 }, j, 3).index - 1);
    for (let k = 0; k < 120; k++) expect(k % 4 === 1).toBe(parts.includes(k % 12));
    expect(() => subSegment(WHOLE_RUN, 2, 2)).toThrow(/part must be an integer from 0 to 1. Received 2/);
  });

  it('knows when parts make up a segment exactly, and names what is missing, given twice or foreign', () => {
    const of = (count: number, ...indices: number[]) => indices.map((index) => ({ index, count }));
    expect(coverProblem(of(4, 3, 1, 2, 4))).toBeUndefined();
    expect(coverProblem(of(12, 2, 6, 10), { index: 2, count: 4 })).toBeUndefined();
    expect(coverProblem(of(4, 1, 3))).toEqual({ kind: 'gaps', missing: of(4, 2, 4), duplicate: [], outside: [] });
    expect(coverProblem(of(3, 1, 2, 2, 3))).toEqual({ kind: 'gaps', missing: [], duplicate: of(3, 2), outside: [] });
    expect(coverProblem(of(12, 2, 6, 10, 3), { index: 2, count: 4 })).toEqual({ kind: 'gaps', missing: [], duplicate: [], outside: of(12, 3) });
    expect(coverProblem([...of(2, 1), ...of(4, 2, 4)])).toEqual({ kind: 'mixed-counts', counts: [2, 4] });
  });
});
