/**
 * A set of non-negative integers kept as sorted, disjoint runs [start, end): a key's records numbered 0, 1, 2, ...
 * take one run however many there are, so memory grows with the gaps and the out-of-order arrivals (the
 * exceptions), not with the count. Adding the next number in order is O(1); anything else is a binary search
 * and, for a new gap, an insert into the (short) run list.
 */
/** A record's seq when its generator gave none. */
export const NO_SEQ_NUMBER = -1;

export class SeqRanges {
  /** start0, end0, start1, end1, ... ascending; runs never touch (they would have been merged). */
  private runs: number[] = [];
  private count = 0;

  /** How many numbers are in the set. */
  get size(): number {
    return this.count;
  }

  /** Runs kept: 1 for an unbroken sequence. */
  get runCount(): number {
    return this.runs.length / 2;
  }

  /** The largest number in the set, -1 when empty. */
  get max(): number {
    return this.runs.length ? this.runs[this.runs.length - 1] - 1 : -1;
  }

  /** Adds `n`; false when it was already there. */
  add(n: number): boolean {
    const r = this.runs;
    const last = r.length - 1;
    // The usual case: the next number of the last run, or a new run after it.
    if (last < 0) {
      this.runs = [n, n + 1]; // an exact-size array: most keys never need a second run
      this.count++;
      return true;
    }
    if (n > r[last]) {
      r.push(n, n + 1);
      this.count++;
      return true;
    }
    if (n === r[last]) {
      r[last]++;
      this.count++;
      return true;
    }
    const i = this.runAtOrBefore(n);
    if (i >= 0 && n < r[i + 1]) return false;
    const next = i < 0 ? 0 : i + 2; // the run after n
    const extendsLeft = i >= 0 && r[i + 1] === n;
    const extendsRight = next < r.length && r[next] === n + 1;
    if (extendsLeft && extendsRight) r.splice(i + 1, 2); // n fills the gap: the two runs become one
    else if (extendsLeft) r[i + 1]++;
    else if (extendsRight) r[next]--;
    else r.splice(next, 0, n, n + 1);
    this.count++;
    return true;
  }

  /** The runs as start0, end0, start1, end1, ... (ends exclusive): what `fromRuns` takes, e.g. from another thread. */
  toRuns(): number[] {
    return [...this.runs];
  }

  static fromRuns(runs: readonly number[]): SeqRanges {
    const set = new SeqRanges();
    set.addAll({ runs } as unknown as SeqRanges);
    return set;
  }

  /** Adds every number of `other`, run by run (the sets of a run's segments or workers, made one). */
  addAll(other: SeqRanges): void {
    const a = this.runs;
    const b = other.runs;
    const merged: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const fromA = j >= b.length || (i < a.length && a[i] <= b[j]);
      const start = fromA ? a[i] : b[j];
      const end = fromA ? a[i + 1] : b[j + 1];
      if (fromA) i += 2;
      else j += 2;
      const last = merged.length - 1;
      if (last > 0 && start <= merged[last]) merged[last] = Math.max(merged[last], end);
      else merged.push(start, end);
    }
    this.runs = merged;
    let count = 0;
    for (let k = 0; k < merged.length; k += 2) count += merged[k + 1] - merged[k];
    this.count = count;
  }

  has(n: number): boolean {
    const i = this.runAtOrBefore(n);
    return i >= 0 && n < this.runs[i + 1];
  }

  /** How many numbers both sets hold. */
  overlap(other: SeqRanges): number {
    let total = 0;
    this.sweep(other, (start, end) => {
      total += end - start;
      return true;
    });
    return total;
  }

  /** Up to `limit` numbers of this set that `other` lacks, ascending. */
  missingFrom(other: SeqRanges, limit: number): number[] {
    const found: number[] = [];
    const a = this.runs;
    const b = other.runs;
    let j = 0;
    for (let i = 0; i < a.length && found.length < limit; i += 2) {
      let n = a[i];
      while (n < a[i + 1] && found.length < limit) {
        while (j < b.length && b[j + 1] <= n) j += 2;
        if (j < b.length && b[j] <= n) n = b[j + 1]; // covered up to the end of other's run
        else found.push(n++);
      }
    }
    return found;
  }

  /** Up to `limit` numbers from 0 to `max` that the set lacks, ascending. */
  gaps(limit: number): number[] {
    const found: number[] = [];
    let n = 0;
    for (let i = 0; i < this.runs.length && found.length < limit; i += 2) {
      for (; n < this.runs[i] && found.length < limit; n++) found.push(n);
      n = this.runs[i + 1];
    }
    return found;
  }

  /** Index (even) of the last run starting at or before `n`, -1 when none does. */
  private runAtOrBefore(n: number): number {
    const r = this.runs;
    let lo = 0;
    let hi = r.length / 2 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (r[2 * mid] <= n) {
        found = 2 * mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Calls `visit` with every stretch both sets cover, ascending, while it returns true. */
  private sweep(other: SeqRanges, visit: (start: number, end: number) => boolean): void {
    const a = this.runs;
    const b = other.runs;
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
      const start = Math.max(a[i], b[j]);
      const end = Math.min(a[i + 1], b[j + 1]);
      if (start < end && !visit(start, end)) return;
      if (a[i + 1] < b[j + 1]) i += 2;
      else j += 2;
    }
  }
}
