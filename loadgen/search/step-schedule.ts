/**
 * The schedule of one find-limit step: as fast as the producer can send (unpaced) until the probe switches
 * it, then `rate` records/s until the end the probe sets once it knows when its measurement ends. One engine
 * runs the whole step, so no pause between the burst and the paced part lets the shards' buckets refill.
 */
import type { Schedule } from '../engine/schedule';

// Guards floor() against 0.999999 from floating-point sums (as engine/schedule.ts does).
const EPSILON = 1e-9;

export class StepSchedule implements Schedule {
  private switchedAtMs: number | null;
  private recordsAtSwitch = 0;
  private endMs = Infinity;

  /** `burst` false: paced from the start. */
  constructor(
    private readonly rate: number,
    burst: boolean,
  ) {
    this.switchedAtMs = burst ? null : 0;
  }

  get kind(): 'paced' | 'unpaced' {
    return this.switchedAtMs === null ? 'unpaced' : 'paced';
  }

  /** When the paced part began (ms after the start), or null during the burst. */
  get switchedAt(): number | null {
    return this.switchedAtMs;
  }

  get durationMs(): number {
    return this.endMs;
  }

  get totalRecords(): number {
    if (this.switchedAtMs === null || !Number.isFinite(this.endMs)) return Infinity;
    return this.recordsAtSwitch + Math.floor((this.rate * (this.endMs - this.switchedAtMs)) / 1000 + EPSILON);
  }

  /** Ends the burst at `elapsedMs`, after `recordsSoFar` records fell due. */
  switchNow(elapsedMs: number, recordsSoFar: number): void {
    if (this.switchedAtMs !== null) return;
    this.switchedAtMs = elapsedMs;
    this.recordsAtSwitch = recordsSoFar;
  }

  /** Schedules records until `elapsedMs` after the start. */
  endAt(elapsedMs: number): void {
    this.endMs = elapsedMs;
  }

  rateAt(elapsedMs: number): number {
    return this.switchedAtMs === null || elapsedMs < this.switchedAtMs ? Infinity : this.rate;
  }

  dueBy(elapsedMs: number): number {
    if (elapsedMs < 0) return 0;
    if (this.switchedAtMs === null) return Infinity;
    const paced = Math.max(0, elapsedMs - this.switchedAtMs);
    return Math.min(this.totalRecords, this.recordsAtSwitch + Math.floor((this.rate * paced) / 1000 + EPSILON) + 1);
  }

  dueAt(index: number): number | undefined {
    if (this.switchedAtMs === null || index < this.recordsAtSwitch) return undefined;
    return this.switchedAtMs + ((index - this.recordsAtSwitch) * 1000) / this.rate;
  }
}
