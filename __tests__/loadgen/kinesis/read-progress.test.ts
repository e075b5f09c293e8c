import { readBackStatus } from '../../../loadgen/commands/read-back-progress';
import { ReadProgress } from '../../../loadgen/kinesis/read-progress';

/** A clock the test moves. */
function clock(start: number) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('read-back progress and the time left', () => {
  it('counts against the records expected when they are known (run --verify)', () => {
    const c = clock(10_000);
    const p = new ReadProgress(1000, c.now);
    p.begin(['a', 'b']);
    expect(p.remainingMs()).toBeUndefined();
    c.advance(2000);
    p.page('a', 250, 25_000, 1000, 2000);
    expect(p.fraction()).toBe(0.25);
    expect(p.remainingMs()).toBe(6000); // a quarter in 2 s: 6 s to go
    expect(readBackStatus(p, 1000)).toBe('250 of 1,000 records read, 0/2 shards done, about 6s left');
    p.page('b', 750, 75_000, 1000, 9000);
    p.shardDone('a');
    p.shardDone('b');
    expect([p.fraction(), p.remainingMs(), p.shardsDone]).toEqual([1, 0, 2]);
  });

  it('otherwise goes by arrival time: where each shard is between its first record and the tip when the read began', () => {
    const c = clock(100_000);
    const p = new ReadProgress(undefined, c.now);
    p.begin(['a', 'b', 'c', 'd']);
    c.advance(10_000);
    p.page('a', 10, 100, 0, 50_000); // half of a's 100 s
    p.page('b', 10, 100, 60_000, 70_000); // a quarter of b's 40 s
    p.shardDone('c'); // read to its end
    // d: nothing read yet
    expect(p.fraction()).toBeCloseTo((0.5 + 0.25 + 1 + 0) / 4);
    expect(p.remainingMs()).toBeCloseTo((10_000 * (1 - 0.4375)) / 0.4375);
    expect(readBackStatus(p, undefined)).toBe('20 records read, 1/4 shards done, about 13s left');
  });

  it('says it is estimating until it has something to go on', () => {
    const c = clock(0);
    const p = new ReadProgress(undefined, c.now);
    p.begin(['a']);
    expect(readBackStatus(p, undefined)).toBe('0 records read, 0/1 shards done, estimating the time left');
  });
});
