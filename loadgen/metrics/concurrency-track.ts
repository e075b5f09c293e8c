/**
 * The request concurrency limit over the run: which value held longest (what the controller settled on) and the
 * decision behind it, its range and how often it changed; the per-second series carries it second by second.
 */

/** A change of the limit, as the concurrency controller decided it. */
export interface ConcurrencyChange {
  readonly limit: number;
  /** pinned, start, demand, waiting, latency or throttled. */
  readonly reason: string;
  readonly why: string;
}

export interface ConcurrencySummary {
  readonly mode: 'adaptive' | 'pinned';
  /** The limit in force for the longest time, and the decision that set it. */
  readonly settled: number;
  readonly reason: string;
  readonly why: string;
  /** The limit in force at the end. */
  readonly final: number;
  readonly min: number;
  readonly max: number;
  /** Changes after the first value. */
  readonly changes: number;
  /** Controllers whose limits these are: 1 for a run, the segments' count in a merged report (their limits added). */
  readonly controllers: number;
}

export class ConcurrencyTrack {
  private current: ConcurrencyChange | null = null;
  private sinceMs = 0;
  private changes = -1;
  private min = Infinity;
  private max = 0;
  /** Per limit value: how long it held in total, and the last decision that set it. */
  private readonly held = new Map<number, { ms: number; change: ConcurrencyChange }>();

  set(change: ConcurrencyChange, nowMs: number): void {
    this.close(nowMs);
    this.current = change;
    this.sinceMs = nowMs;
    this.changes++;
    this.min = Math.min(this.min, change.limit);
    this.max = Math.max(this.max, change.limit);
    const held = this.held.get(change.limit);
    this.held.set(change.limit, { ms: held?.ms ?? 0, change });
  }

  summary(nowMs: number): ConcurrencySummary | null {
    if (!this.current) return null;
    this.close(nowMs);
    let settled = this.held.get(this.current.limit)!;
    for (const entry of this.held.values()) if (entry.ms > settled.ms) settled = entry;
    return {
      mode: this.current.reason === 'pinned' ? 'pinned' : 'adaptive',
      settled: settled.change.limit,
      reason: settled.change.reason,
      why: settled.change.why,
      final: this.current.limit,
      min: this.min,
      max: this.max,
      changes: this.changes,
      controllers: 1,
    };
  }

  /** Credits the value in force with the time since it was set. */
  private close(nowMs: number): void {
    if (!this.current) return;
    this.held.get(this.current.limit)!.ms += Math.max(0, nowMs - this.sinceMs);
    this.sinceMs = nowMs;
  }
}
