import type { PendingRecord } from '../../../loadgen/engine/record';
import { RetryQueue } from '../../../loadgen/engine/retry-queue';
import { mulberry32 } from '../../../loadgen/shared/random';
import { NO_SEQ_NUMBER } from '../../../loadgen/shared/seq-ranges';

const record = (key: string, attempts = 0): PendingRecord => ({
  entry: { PartitionKey: key, Data: new Uint8Array(1) },
  bytes: 1 + key.length,
  shard: 0,
  attempts,
  seq: NO_SEQ_NUMBER,
  dueMs: 0,
  spread: false,
});

describe('retry queue', () => {
  it('backs off with full jitter: retry n comes back uniformly within min(cap, base x 2^n)', () => {
    for (const attempt of [1, 2, 3, 4, 5]) {
      const bound = Math.min(1000, 100 * 2 ** attempt);
      const queue = new RetryQueue({ maxRetries: 10, baseMs: 100, capMs: 1000 }, mulberry32(attempt));
      for (let i = 0; i < 200; i++) queue.offer(record(`k${i}`, attempt - 1), 0);
      const times: number[] = [];
      for (let t = 0; queue.size > 0; t++) queue.releaseDue(t, () => times.push(t));
      expect(times).toHaveLength(200);
      expect(Math.max(...times)).toBeLessThanOrEqual(bound);
      expect(Math.max(...times)).toBeGreaterThan(bound * 0.9);
      expect(Math.min(...times)).toBeLessThan(bound * 0.1);
    }
  });

  it('releases records in due-time order, whatever order they failed in', () => {
    const seed = 7;
    const queue = new RetryQueue({ maxRetries: 3, baseMs: 100, capMs: 5000 }, mulberry32(seed));
    // The same seeded sequence tells the test when each record is due: 1000 ms + uniform [0, 200 ms).
    const replay = mulberry32(seed);
    const due = new Map<string, number>();
    for (let i = 0; i < 50; i++) {
      queue.offer(record(`k${i}`), 1000);
      due.set(`k${i}`, 1000 + replay() * 200);
    }
    const order: string[] = [];
    queue.releaseDue(999, (r) => order.push(r.entry.PartitionKey));
    expect(order).toEqual([]);
    queue.releaseDue(Infinity, (r) => order.push(r.entry.PartitionKey));
    expect(order).toEqual([...due.keys()].sort((a, b) => due.get(a)! - due.get(b)!));
    expect(queue.size).toBe(0);
  });

  it('refuses a record that has used up its retries (the caller counts it failed)', () => {
    const queue = new RetryQueue({ maxRetries: 2, baseMs: 1, capMs: 1 }, mulberry32(3));
    const r = record('k');
    expect(queue.offer(r, 0)).toBe(true);
    expect(queue.offer(r, 0)).toBe(true);
    expect(queue.offer(r, 0)).toBe(false);
    expect(r.attempts).toBe(3);
    expect(queue.size).toBe(2);
  });
});
