/**
 * The concurrency controller: how many PutRecords requests may be in flight, decided while the run goes (the
 * engine sets p-limit's `concurrency` from it). A fixed number caps throughput at limit x batch / latency
 * whatever the stream can take, so instead:
 *   - Little's law sizes it: target rate x request latency / records per request, with headroom (before the
 *     first answer, with an assumed latency and full batches);
 *   - it grows when records wait for a free slot while latency holds (`--rate max` has no target to size from);
 *   - it shrinks when latency rises above a tolerance of its baseline (a gradient, as in Netflix's Gradient2 and
 *     Envoy's adaptive concurrency) or when throttling starts (multiplicative decrease, as in AIMD), at most once
 *     per round trip; the lowered value is a ceiling that recovers step by step while latency holds;
 *   - while this process's own event loop is saturated, latency says nothing about the endpoint and more requests
 *     would not go out faster: it neither grows nor cuts for latency then.
 * Pinned (`--concurrency n`), it never changes. Time comes from the caller, so tests drive it with a fake clock.
 */
import { int } from '../shared/format';

/** Upper bound on requests in flight, pinned or adaptive: keeps a typo or a runaway signal from exhausting sockets. */
export const MAX_CONCURRENCY = 256;

/** Why the limit has its value. */
export type ConcurrencyReason = 'pinned' | 'start' | 'demand' | 'waiting' | 'latency' | 'throttled';

export interface ConcurrencyDecision {
  readonly limit: number;
  readonly reason: ConcurrencyReason;
  /** One line with the numbers behind it. */
  readonly why: string;
}

export interface ConcurrencySettings {
  /** A fixed limit (`--concurrency n`); undefined: adaptive. */
  readonly pinned?: number;
  /** The limit before the first decision. @default 4 */
  readonly initial?: number;
  /** The limit never goes below this: a few spare slots absorb a latency spike at any rate. @default 4 */
  readonly min?: number;
  /** @default MAX_CONCURRENCY */
  readonly max?: number;
  /** How often the limit is reconsidered. @default 100 */
  readonly intervalMs?: number;
  /** Slots over what Little's law asks for, for bursts and latency jitter. @default 1.5 */
  readonly headroom?: number;
  /** Latency may reach this multiple of its baseline before the limit shrinks. @default 2 */
  readonly latencyTolerance?: number;
  /** Multiplier on the limit when throttling starts. @default 0.75 */
  readonly throttleBackoff?: number;
  /** Records in a full request: the batch size assumed before the first answer. @default 500 */
  readonly batchSize?: number;
  /** The request latency assumed before the first answer. @default 100 */
  readonly assumedLatencyMs?: number;
}

const DEFAULTS = {
  initial: 4,
  min: 4,
  max: MAX_CONCURRENCY,
  intervalMs: 100,
  headroom: 1.5,
  latencyTolerance: 2,
  throttleBackoff: 0.75,
  batchSize: 500,
  assumedLatencyMs: 100,
} as const;
/** From this share of an interval spent busy, this process is the bottleneck, not the endpoint. */
export const CLIENT_BUSY = 0.9;
/**
 * How fast the latency baseline follows a higher latency (per interval), while no more requests are in flight than
 * when it was measured; a lower latency replaces it at once.
 */
const BASELINE_RISE = 0.02;
/** Smoothing of the latency and batch-size estimates Little's law uses (per interval). */
const ESTIMATE_WEIGHT = 0.5;
/** The limit shrinks towards what Little's law asks only once it asks this much less, so jitter does not churn it. */
const SHRINK_BELOW = 0.8;

/** What happened during one interval. */
interface Window {
  startMs: number;
  latencyMsSum: number;
  requests: number;
  records: number;
  throttled: number;
  waited: boolean;
}

const blend = (old: number | undefined, x: number): number => (old === undefined ? x : old + ESTIMATE_WEIGHT * (x - old));
const newWindow = (startMs: number): Window => ({ startMs, latencyMsSum: 0, requests: 0, records: 0, throttled: 0, waited: false });
const ms = (x: number): string => (x >= 10 ? Math.round(x).toString() : x.toFixed(1));

export class ConcurrencyController {
  private readonly settings: Required<Omit<ConcurrencySettings, 'pinned'>>;
  private current: number;
  /** Lowered by latency or throttling, raised while latency holds; the limit never exceeds it. */
  private ceiling: number;
  private ceilingDecision: ConcurrencyDecision | null = null;
  private window: Window;
  private decided = false;
  /** Smoothed request latency and records per request (undefined until the first answer). */
  private latencyMs: number | undefined;
  private batchRecords: number | undefined;
  /** The latency at light load: falls at once to a lower interval mean, follows a higher one slowly. */
  private baselineMs: number | undefined;
  /** The limit in force when the baseline was last measured. */
  private baselineLimit = 0;
  private lastDecreaseMs = -Infinity;
  /** An interval with answers has passed (the first one's latency is not used). */
  private warmedUp = false;
  /** The decision in force rests on no measurement yet (the start value, or sized from assumptions). */
  private provisional = true;
  /** The decision in force. */
  decision: ConcurrencyDecision;

  constructor(settings: ConcurrencySettings, nowMs: number) {
    this.settings = { ...DEFAULTS, ...settings };
    const { initial, min, max } = this.settings;
    this.current = settings.pinned ?? Math.min(Math.max(initial, min), max);
    this.ceiling = max;
    this.window = newWindow(nowMs);
    this.decision =
      settings.pinned === undefined
        ? { limit: this.current, reason: 'start', why: `${this.current} until there is a target or an answer to size from` }
        : { limit: settings.pinned, reason: 'pinned', why: `pinned at ${settings.pinned}` };
  }

  get limit(): number {
    return this.current;
  }

  /** How often the limit is reconsidered. */
  get intervalMs(): number {
    return this.settings.intervalMs;
  }

  get adaptive(): boolean {
    return this.decision.reason !== 'pinned';
  }

  /** A request was answered after `latencyMs`; `throttled` of its `records` were refused for throughput. */
  onAnswer(latencyMs: number, records: number, throttled: number): void {
    const w = this.window;
    w.latencyMsSum += latencyMs;
    w.requests++;
    w.records += records;
    w.throttled += throttled;
  }

  /** A batch was ready to leave but every slot was busy. */
  onWait(): void {
    this.window.waited = true;
  }

  /** True when update() would decide now: adaptive, and the first decision or an interval since the last. */
  due(nowMs: number): boolean {
    return this.adaptive && (!this.decided || nowMs - this.window.startMs >= this.settings.intervalMs);
  }

  /**
   * Reconsiders the limit: at the first call, then once per interval. `targetRate`: records/s the schedule asks
   * for now (null when it asks for as many as possible); `clientBusy`: the share of the time since it was last
   * asked that this process's event loop was busy, 0..1 (asked once per interval). Returns the new decision when
   * the limit changed.
   */
  update(nowMs: number, targetRate: number | null, clientBusy: () => number = () => 0): ConcurrencyDecision | null {
    if (!this.due(nowMs)) return null;
    this.decided = true;
    const w = this.window;
    this.window = newWindow(nowMs);
    const busy = clientBusy() >= CLIENT_BUSY;
    // The first answers are the slowest of the run (connections opening, code not yet optimized): they only mark
    // the end of the start. A busy process reads its answers late: their latency is not the endpoint's either.
    const warm = this.warmedUp;
    if (w.requests) this.warmedUp = true;
    if (w.requests) this.learnBatch(w.records / w.requests);
    const meanMs = w.requests && warm && !busy ? w.latencyMsSum / w.requests : undefined;
    if (meanMs !== undefined) this.learn(meanMs);
    const next = this.decide(nowMs, w, meanMs, targetRate !== null && Number.isFinite(targetRate) && targetRate > 0 ? targetRate : null, busy);
    // A decision made before any measurement is replaced by the first measured one even when the value stays.
    if (next === this.decision || (next.limit === this.current && !this.provisional)) return null;
    this.provisional = next.reason === 'start' || (next.reason === 'demand' && this.latencyMs === undefined);
    this.current = next.limit;
    this.decision = next;
    return next;
  }

  private learnBatch(batchRecords: number): void {
    this.batchRecords = blend(this.batchRecords, batchRecords);
  }

  private learn(meanMs: number): void {
    this.latencyMs = blend(this.latencyMs, meanMs);
    if (this.baselineMs === undefined || meanMs <= this.baselineMs) {
      this.baselineMs = meanMs;
      this.baselineLimit = this.current;
    } else if (this.current <= this.baselineLimit) {
      // Slower with no more requests in flight than when the baseline was measured: the endpoint itself is slower
      // (a busy machine, a farther region), so the baseline follows. Slower with more in flight is queueing
      // behind this load, which the baseline must not learn, or each step up would justify the next.
      this.baselineMs += BASELINE_RISE * (meanMs - this.baselineMs);
    }
  }

  private decide(nowMs: number, w: Window, meanMs: number | undefined, rate: number | null, busy: boolean): ConcurrencyDecision {
    const { latencyTolerance, throttleBackoff, min, max } = this.settings;
    const limit = this.current;
    const baseline = this.baselineMs ?? 0;
    // One decrease per round trip: answers already on their way were sent under the old limit.
    const mayDecrease = nowMs - this.lastDecreaseMs >= Math.max(this.settings.intervalMs, baseline);
    if (w.throttled > 0 && mayDecrease) {
      return this.lower(nowMs, Math.floor(limit * throttleBackoff), 'throttled', `${int(w.throttled)} records throttled: x${throttleBackoff}`);
    }
    // Busy: more requests would not go out faster. Hold what was sized from measurements; without any yet, the
    // plan from the target stands (the assumed latency).
    if (busy && this.latencyMs !== undefined) return this.decision;
    if (meanMs !== undefined && meanMs > latencyTolerance * baseline && mayDecrease) {
      const gradient = Math.max(0.5, (latencyTolerance * baseline) / meanMs);
      return this.lower(nowMs, Math.floor(limit * gradient), 'latency', `latency rose to ${ms(meanMs)} ms, over ${latencyTolerance} x its ${ms(baseline)} ms baseline`);
    }
    // Growth is clocked by answers (as TCP's by acks): an interval without any says nothing about latency.
    const latencyHeld = meanMs !== undefined && meanMs <= latencyTolerance * baseline;
    const step = Math.max(1, Math.round(Math.sqrt(limit)));
    // While latency holds and the limit binds, the ceiling a decrease left recovers.
    if (w.waited && latencyHeld && this.ceiling < max) {
      this.ceiling = Math.min(max, this.ceiling + step);
      if (this.ceiling === max) this.ceilingDecision = null;
    }
    const want = rate !== null ? this.sized(rate, w.waited && latencyHeld, step) : this.grown(w.waited && latencyHeld, step);
    if (want.limit > this.ceiling && this.ceilingDecision) {
      return { limit: this.ceiling, reason: this.ceilingDecision.reason, why: `held at ${this.ceiling} (wanted ${want.limit}) since ${this.ceilingDecision.why}` };
    }
    // At most double per interval once answers come in, so one slow interval cannot open hundreds of requests at
    // once: the latency they cause is seen before the next step.
    const fastest = this.latencyMs === undefined ? Infinity : limit * 2;
    if (want.limit > fastest && fastest < this.ceiling) return { ...want, limit: fastest, why: `${want.why} (growing at most 2x per interval)` };
    return { ...want, limit: Math.max(min, Math.min(want.limit, this.ceiling)) };
  }

  /** With a target rate: what Little's law asks, more while records still wait for a slot. */
  private sized(rate: number, waitedWhileLatencyHeld: boolean, step: number): ConcurrencyDecision {
    const { headroom, min, batchSize, assumedLatencyMs, latencyTolerance } = this.settings;
    const limit = this.current;
    const measured = this.latencyMs !== undefined && this.batchRecords !== undefined && this.baselineMs !== undefined;
    // Latency counts up to the tolerance over its baseline: beyond it, it is queueing (at the endpoint, or in this
    // process when the machine is busy), and sizing for it would only add to it.
    const counted = measured ? Math.min(this.latencyMs!, latencyTolerance * this.baselineMs!) : assumedLatencyMs;
    const batch = this.batchRecords ?? batchSize;
    const exact = ((rate * counted) / 1000 / batch) * headroom;
    const demand = Math.max(min, Math.ceil(exact));
    const latencyText =
      measured && counted < this.latencyMs! ? `${ms(counted)} ms (latency ${ms(this.latencyMs!)} ms counted up to ${latencyTolerance} x its baseline)` : `${ms(counted)} ms`;
    const batchText = this.batchRecords === undefined ? `${batch} records per request assumed` : `${Math.round(batch)} records per request`;
    const inputs = measured ? `${latencyText} / ${batchText}` : `${ms(counted)} ms assumed (no latency measured yet) / ${batchText}`;
    const latencyMs = this.latencyMs ?? assumedLatencyMs;
    const why = `Little's law: ${int(rate)}/s x ${inputs} x ${headroom} headroom = ${ms(exact)}${Math.ceil(exact) < min ? `, at least ${min}` : ''}`;
    if (waitedWhileLatencyHeld && demand <= limit) {
      return { limit: limit + step, reason: 'waiting', why: `records waited for a free slot while latency held (${ms(latencyMs)} ms); ${why}` };
    }
    if (demand > limit) return { limit: demand, reason: 'demand', why };
    // Down one step per interval: a brief lull should not leave the next burst short of slots.
    if (demand < limit * SHRINK_BELOW) {
      const down = Math.max(demand, limit - step);
      return { limit: down, reason: 'demand', why: down > demand ? `${why} (coming down a step at a time)` : why };
    }
    return this.provisional ? { limit, reason: 'demand', why } : this.decision;
  }

  /** Without a target rate (`--rate max`): one step more while records wait for a slot and latency holds. */
  private grown(waitedWhileLatencyHeld: boolean, step: number): ConcurrencyDecision {
    if (!waitedWhileLatencyHeld || this.latencyMs === undefined || this.baselineMs === undefined) return this.decision;
    return {
      limit: this.current + step,
      reason: 'waiting',
      why: `records waited for a free slot while latency held (${ms(this.latencyMs)} ms, baseline ${ms(this.baselineMs)} ms)`,
    };
  }

  private lower(nowMs: number, to: number, reason: ConcurrencyReason, why: string): ConcurrencyDecision {
    this.lastDecreaseMs = nowMs;
    this.ceiling = Math.max(this.settings.min, to);
    this.ceilingDecision = { limit: this.ceiling, reason, why };
    return this.ceilingDecision;
  }
}
