/** Exponential backoff with full jitter, as the AWS architecture blog recommends for retries. */

/** Delay before retry number `attempt` (1-based): uniform in [0, min(cap, base * 2^attempt)). */
export function fullJitterDelay(attempt: number, random: () => number, baseMs: number, capMs: number): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}
