/**
 * Which rate find-limit tries next: a pure state machine over step outcomes, testable without a stream.
 * Bracket: from the start rate, multiply by `growth` until a step is not sustained (or `maxRate` is reached).
 * Bisect: halve the bracket between the highest sustained and the lowest failed rate until it is within
 * `resolution` of the sustained end. A start that fails divides by `growth` until a rate is sustained.
 */

export interface SearchSettings {
  /** Records/s of the first step. */
  readonly startRate: number;
  /** Highest rate the search may try. */
  readonly maxRate: number;
  /** Bracket factor between steps, > 1. */
  readonly growth: number;
  /** Stop bisecting when (failed - sustained) / sustained is at most this. */
  readonly resolution: number;
  /** A guard: at most this many steps. */
  readonly maxSteps: number;
}

export type SearchPhase = 'bracket' | 'bisect';

export interface NextStep {
  readonly rate: number;
  readonly phase: SearchPhase;
}

/** Why the search ended by itself: it found the bracket, hit --max-rate, found nothing sustained, or ran out of steps. */
export type SearchEnd = 'bracketed' | 'max-rate' | 'nothing-sustained' | 'max-steps';

const MIN_RATE = 1;

export class ThrottleSearch {
  private sustained: number | null = null;
  private failed: number | null = null;
  private steps = 0;
  private pending: NextStep | null;
  private ended: SearchEnd | null = null;

  constructor(private readonly settings: SearchSettings) {
    this.pending = { rate: Math.round(Math.min(settings.startRate, settings.maxRate)), phase: 'bracket' };
  }

  /** The rate to try next, or null once the search is over. */
  next(): NextStep | null {
    return this.ended ? null : this.pending;
  }

  /** Why the search ended, once it has. */
  get end(): SearchEnd | null {
    return this.ended;
  }

  /** Highest rate sustained so far, and lowest rate that was not. */
  get bracket(): { readonly sustained: number | null; readonly failed: number | null } {
    return { sustained: this.sustained, failed: this.failed };
  }

  /** The outcome of the step `next()` returned. */
  record(rate: number, sustained: boolean): void {
    this.steps++;
    if (sustained) this.sustained = Math.max(this.sustained ?? rate, rate);
    else this.failed = Math.min(this.failed ?? rate, rate);
    const { growth, maxRate, resolution } = this.settings;
    if (this.steps >= this.settings.maxSteps) return this.finish('max-steps');
    if (this.failed === null) {
      if (this.sustained !== null && this.sustained >= maxRate) return this.finish('max-rate');
      return this.plan(Math.min(maxRate, Math.round(rate * growth)), 'bracket');
    }
    if (this.sustained === null) {
      const lower = Math.floor(this.failed / growth);
      return lower < MIN_RATE || lower >= this.failed ? this.finish('nothing-sustained') : this.plan(lower, 'bracket');
    }
    if (this.failed - this.sustained <= Math.max(1, resolution * this.sustained)) return this.finish('bracketed');
    this.plan(Math.round((this.sustained + this.failed) / 2), 'bisect');
  }

  private plan(rate: number, phase: SearchPhase): void {
    this.pending = { rate, phase };
  }

  private finish(end: SearchEnd): void {
    this.ended = end;
    this.pending = null;
  }
}
