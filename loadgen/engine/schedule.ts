/**
 * Open-model scheduling as pure functions of elapsed time (k6's arrival-rate executors): record i is due
 * at the moment the integrated rate reaches i, measured from the start, so a late tick never shifts later
 * records. When the producer cannot take a due record, it is dropped and counted, never queued
 * (admission.ts decides that).
 */

/** One k6-style stage: ramp linearly from the previous target to `target` over `durationMs`. */
export interface Stage {
  readonly durationMs: number;
  readonly target: number;
}

export interface Schedule {
  /**
   * `paced`: records fall due over time, and a due record that cannot be taken is dropped.
   * `unpaced` (`--rate max`): every record is allowed at once; the producer's capacity sets the pace.
   */
  readonly kind: 'paced' | 'unpaced';
  /** Records the schedule releases in total (Infinity when only time bounds it). */
  readonly totalRecords: number;
  /** When scheduling ends, ms after the start (Infinity when only a record count bounds it). */
  readonly durationMs: number;
  /** Target rate at that moment, records/s (Infinity for an unthrottled schedule). */
  rateAt(elapsedMs: number): number;
  /** How many records are due by `elapsedMs` (record 0 is due at 0). */
  dueBy(elapsedMs: number): number;
  /**
   * When record `index` falls due, ms after the start: the time its record latency is measured from, so time
   * spent waiting anywhere in the producer counts (no coordinated omission). Undefined for `unpaced`, where a
   * record is due when the producer takes it.
   */
  dueAt(index: number): number | undefined;
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
    kind: 'paced',
    totalRecords,
    durationMs: Number.isFinite(durationMs) ? durationMs : (totalRecords / perSecond) * 1000,
    rateAt: () => perSecond,
    dueBy: (elapsedMs) => countDue((perSecond * elapsedMs) / 1000, totalRecords, elapsedMs),
    dueAt: (index) => (index * 1000) / perSecond,
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
  /** Inverts integralAt: the time the integral reaches `index`, solved within the stage where it does. */
  const dueAt = (index: number): number => {
    for (let i = 0; i < stages.length; i++) {
      const end = i + 1 < stages.length ? integrals[i + 1] : integral;
      if (stages[i].durationMs === 0 || index >= end) continue;
      const d = stages[i].durationMs / 1000;
      const slope = (stages[i].target - fromRates[i]) / d;
      const rest = Math.max(0, index - integrals[i]);
      // from*dt + slope*dt^2/2 = rest, in the form that stays exact as slope goes to 0.
      const root = Math.sqrt(Math.max(0, fromRates[i] * fromRates[i] + 2 * slope * rest));
      const dt = rest === 0 ? 0 : (2 * rest) / (fromRates[i] + root);
      return starts[i] + Math.min(d, dt) * 1000;
    }
    return durationMs;
  };
  return { kind: 'paced', totalRecords, durationMs, rateAt, dueBy: (ms) => countDue(integralAt(ms), totalRecords, ms), dueAt };
}

/** `--rate max`: everything is due at once; the producer's capacity sets the pace. */
export function unpaced(durationMs: number, maxRecords = Infinity): Schedule {
  return {
    kind: 'unpaced',
    totalRecords: maxRecords,
    durationMs,
    rateAt: () => Infinity,
    dueBy: (elapsedMs) => (elapsedMs < 0 ? 0 : maxRecords),
    dueAt: () => undefined,
  };
}
