/**
 * Records waiting to be sent again after a failure: exponential backoff with full jitter per attempt,
 * released in due-time order, until a record has used up its retries.
 */
import { fullJitterDelay } from '../shared/backoff';
import type { PendingRecord } from './record';

export interface RetryPolicy {
  /** Retries per record after its first attempt. */
  readonly maxRetries: number;
  /** Backoff before retry n: uniform in [0, min(capMs, baseMs x 2^n)). */
  readonly baseMs: number;
  readonly capMs: number;
}

export const DEFAULT_RETRY_BACKOFF = { baseMs: 100, capMs: 5_000 } as const;

interface Waiting {
  readonly at: number;
  readonly record: PendingRecord;
}

export class RetryQueue {
  // A binary min-heap on `at`.
  private readonly heap: Waiting[] = [];

  constructor(
    private readonly policy: RetryPolicy,
    private readonly random: () => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  /** Schedules another attempt after a backoff; false when the record has used up its retries. */
  offer(record: PendingRecord, nowMs: number): boolean {
    record.attempts++;
    if (record.attempts > this.policy.maxRetries) return false;
    this.push({ at: nowMs + fullJitterDelay(record.attempts, this.random, this.policy.baseMs, this.policy.capMs), record });
    return true;
  }

  /** Hands every record whose backoff is over to `send`, earliest first. */
  releaseDue(nowMs: number, send: (record: PendingRecord) => void): void {
    while (this.heap.length && this.heap[0].at <= nowMs) send(this.pop().record);
  }

  private push(item: Waiting): void {
    const h = this.heap;
    h.push(item);
    for (let i = h.length - 1; i > 0; ) {
      const parent = (i - 1) >> 1;
      if (h[parent].at <= h[i].at) break;
      [h[parent], h[i]] = [h[i], h[parent]];
      i = parent;
    }
  }

  private pop(): Waiting {
    const h = this.heap;
    const top = h[0];
    const last = h.pop()!;
    if (h.length) {
      h[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let least = i;
        if (l < h.length && h[l].at < h[least].at) least = l;
        if (r < h.length && h[r].at < h[least].at) least = r;
        if (least === i) break;
        [h[least], h[i]] = [h[i], h[least]];
        i = least;
      }
    }
    return top;
  }
}
