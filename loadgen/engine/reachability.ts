/**
 * Tells a dead endpoint from a slow one: the endpoint counts as unreachable from the start of the first
 * request that got no answer (refused, reset, timed out) after the last request that got any answer,
 * including an error from the service. The engine stops once that has lasted long enough.
 */
export class Reachability {
  private failingSinceMs: number | null = null;
  private lastAnswerMs = -Infinity;
  private lastCode = '';

  /** The service answered (even with an error) at `nowMs`. */
  onAnswer(nowMs: number): void {
    this.failingSinceMs = null;
    this.lastAnswerMs = nowMs;
  }

  /** A request sent at `sentMs` got no answer. */
  onNoAnswer(code: string, sentMs: number): void {
    this.lastCode = code;
    const since = Math.max(sentMs, this.lastAnswerMs);
    if (this.failingSinceMs === null || since < this.failingSinceMs) this.failingSinceMs = since;
  }

  /** How long every request has gone unanswered, 0 while the endpoint answers. */
  downForMs(nowMs: number): number {
    return this.failingSinceMs === null ? 0 : nowMs - this.failingSinceMs;
  }

  /** The error code of the last unanswered request (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...). */
  get code(): string {
    return this.lastCode;
  }
}
