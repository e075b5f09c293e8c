/**
 * Open-model scheduling as pure functions of elapsed time (k6's arrival-rate executors): record i is due
 * at the moment the integrated rate reaches i, measured from the start, so a late tick never shifts later
 * records. When the producer cannot take a due record, it is dropped and counted, never queued.
 */
import type { Stage } from './options';

export interface Schedule {
  /** Records the schedule releases in total (Infinity when only time bounds it). */
  readonly totalRecords: number;
  /** When scheduling ends, ms after the start (Infinity when only a record count bounds it). */
  readonly durationMs: number;
  /** Target rate at that moment, records/s (Infinity for an unthrottled schedule). */
  rateAt(elapsedMs: number): number;
  /** How many records are due by `elapsedMs` (record 0 is due at 0). */
  dueBy(elapsedMs: number): number;
}

// Guards floor() against 0.999999 from floating-point sums.
const EPSILON = 1e-9;

function countDue(integral: number, total: number, elapsedMs: number): number {
  if (elapsedMs < 0) return 0;
  return Math.min(total, Math.floor(integral + EPSILON) + 1);
}

/** `perSecond` records per second for `durationMs` (or until `maxRecords`). */
export function constantRate(perSecond: number, durationMs: number, maxRecords = Infinity): Schedule {
  const byTime = Number.isFinite(durationMs) ? Math.floor((perSecond * durationMs) / 1000 + EPSILON) : Infinity;
  const totalRecords = Math.min(byTime, maxRecords);
  return {
    totalRecords,
    durationMs: Number.isFinite(durationMs) ? durationMs : (totalRecords / perSecond) * 1000,
    rateAt: () => perSecond,
    dueBy: (elapsedMs) => countDue((perSecond * elapsedMs) / 1000, totalRecords, elapsedMs),
  };
}

/**
 * Piecewise-linear ramp: each stage moves the rate linearly from the previous target (the first from
 * `startRate`) to its own target over its duration. A 0s stage jumps.
 */
export function rampingRate(stages: readonly Stage[], maxRecords = Infinity, startRate = 0): Schedule {
  const starts: number[] = [];
  const fromRates: number[] = [];
  const integrals: number[] = []; // records due before each stage begins
  let t = 0;
  let rate = startRate;
  let integral = 0;
  for (const stage of stages) {
    starts.push(t);
    fromRates.push(rate);
    integrals.push(integral);
    integral += ((rate + stage.target) / 2) * (stage.durationMs / 1000);
    t += stage.durationMs;
    rate = stage.target;
  }
  const durationMs = t;
  const totalRecords = Math.min(Math.floor(integral + EPSILON), maxRecords);

  const locate = (elapsedMs: number): number => {
    let i = stages.length - 1;
    while (i > 0 && starts[i] > elapsedMs) i--;
    return i;
  };
  const rateAt = (elapsedMs: number): number => {
    if (elapsedMs >= durationMs) return stages[stages.length - 1].target;
    const i = locate(elapsedMs);
    const stage = stages[i];
    if (stage.durationMs === 0) return stage.target;
    const f = (elapsedMs - starts[i]) / stage.durationMs;
    return fromRates[i] + (stage.target - fromRates[i]) * f;
  };
  const integralAt = (elapsedMs: number): number => {
    if (elapsedMs >= durationMs) return integral;
    const i = locate(elapsedMs);
    const dt = (elapsedMs - starts[i]) / 1000;
    const d = stages[i].durationMs / 1000;
    const slope = d === 0 ? 0 : (stages[i].target - fromRates[i]) / d;
    return integrals[i] + fromRates[i] * dt + (slope * dt * dt) / 2;
  };
  return { totalRecords, durationMs, rateAt, dueBy: (ms) => countDue(integralAt(ms), totalRecords, ms) };
}

/** `--rate max`: everything is due at once; the producer's capacity sets the pace. */
export function unthrottled(durationMs: number, maxRecords = Infinity): Schedule {
  return {
    totalRecords: maxRecords,
    durationMs,
    rateAt: () => Infinity,
    dueBy: (elapsedMs) => (elapsedMs < 0 ? 0 : maxRecords),
  };
}

/**
 * Releases due records to the producer. `room` is how many more records the producer can queue right
 * now; due records beyond it are dropped and counted (except for an unthrottled schedule, where "due"
 * only means "allowed").
 */
export class Pacer {
  /** Records released so far (handed to the producer). */
  released = 0;
  /** Records that were due but could not be taken on time. */
  dropped = 0;

  constructor(
    readonly schedule: Schedule,
    private readonly dropWhenFull = Number.isFinite(schedule.rateAt(0)),
  ) {}

  /** Records that became due (released + dropped) by now. */
  get scheduled(): number {
    return this.released + this.dropped;
  }

  /** How many records to generate now; counts the ones that cannot fit as dropped. */
  take(elapsedMs: number, room: number): number {
    const { durationMs, totalRecords } = this.schedule;
    if (elapsedMs >= durationMs && !Number.isFinite(totalRecords)) return 0;
    const due = elapsedMs < durationMs ? this.schedule.dueBy(elapsedMs) : totalRecords;
    const overdue = Math.max(0, due - this.scheduled);
    const admitted = Math.max(0, Math.min(overdue, room));
    this.released += admitted;
    if (this.dropWhenFull && overdue > admitted && Number.isFinite(overdue)) this.dropped += overdue - admitted;
    return admitted;
  }

  /** Records counted as dropped after release (e.g. a hot shard's queue was full). */
  dropReleased(count: number): void {
    this.released -= count;
    this.dropped += count;
  }

  /** True once nothing more will ever be due. */
  finished(elapsedMs: number): boolean {
    return this.scheduled >= this.schedule.totalRecords || elapsedMs >= this.schedule.durationMs;
  }
}
