import { SeqRanges } from '../../../loadgen/shared/seq-ranges';
import { mulberry32 } from '../../../loadgen/shared/random';

const from = (ns: number[]): SeqRanges => {
  const set = new SeqRanges();
  for (const n of ns) set.add(n);
  return set;
};

describe('SeqRanges: numbers kept as runs', () => {
  it('keeps an in-order sequence as one run, whatever its length', () => {
    const set = from(Array.from({ length: 100_000 }, (_, i) => i));
    expect([set.size, set.runCount, set.max]).toEqual([100_000, 1, 99_999]);
  });

  it('adds out of order: gaps open and close, repeats are refused', () => {
    const set = new SeqRanges();
    expect([5, 6, 7, 2, 0, 1].map((n) => set.add(n))).toEqual([true, true, true, true, true, true]);
    expect([set.runCount, set.size]).toEqual([2, 6]); // 0-2, 5-7
    expect(set.add(6)).toBe(false);
    expect(set.add(0)).toBe(false);
    expect(set.add(4)).toBe(true); // extends 5-7 to the left
    expect(set.add(3)).toBe(true); // fills the gap
    expect([set.runCount, set.size, set.max]).toEqual([1, 8, 7]);
    expect(set.add(10)).toBe(true);
    expect(set.add(9)).toBe(true);
    expect([set.runCount, set.size]).toEqual([2, 10]);
  });

  it('matches a plain Set under random adds (retries, duplicates, losses)', () => {
    const random = mulberry32(42);
    const set = new SeqRanges();
    const reference = new Set<number>();
    const added: boolean[] = [];
    const expected: boolean[] = [];
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(random() * 5_000);
      added.push(set.add(n));
      expected.push(!reference.has(n));
      reference.add(n);
    }
    expect(added).toEqual(expected);
    expect(set.size).toBe(reference.size);
    const numbers = Array.from({ length: 5_003 }, (_, i) => i - 1);
    expect(numbers.filter((n) => set.has(n))).toEqual(numbers.filter((n) => reference.has(n)));
    expect(set.max).toBe(Math.max(...reference));
  });

  it('counts the overlap of two sets and names what one lacks', () => {
    const acked = from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 20, 21, 22]);
    const seen = from([0, 1, 3, 4, 5, 9, 20, 22, 30]);
    expect(acked.overlap(seen)).toBe(8);
    expect(seen.overlap(acked)).toBe(8);
    expect(acked.missingFrom(seen, 10)).toEqual([2, 6, 7, 8, 21]);
    expect(acked.missingFrom(seen, 2)).toEqual([2, 6]);
    expect(acked.missingFrom(new SeqRanges(), 3)).toEqual([0, 1, 2]);
    expect(new SeqRanges().overlap(acked)).toBe(0);
  });

  it('agrees with plain sets on random overlaps and differences', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 20; round++) {
      const a = Array.from({ length: 300 }, () => Math.floor(random() * 400));
      const b = Array.from({ length: 300 }, () => Math.floor(random() * 400));
      const setA = new Set(a);
      const setB = new Set(b);
      expect(from(a).overlap(from(b))).toBe([...setA].filter((n) => setB.has(n)).length);
      const lacking = [...setA].filter((n) => !setB.has(n)).sort((x, y) => x - y);
      expect(from(a).missingFrom(from(b), 1000)).toEqual(lacking);
    }
  });
});
