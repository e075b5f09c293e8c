/**
 * One find-limit step at one rate, in one engine run against the stream (search/step-schedule.ts):
 *   burst    as fast as the producer can send until every shard written to has throttled (or burstMaxMs): the
 *            stream's burst allowance is used up, so what follows shows the sustained rate, not the burst;
 *   settle   the step's rate, unmeasured, so queues and the shards' buckets reach their steady state;
 *   measure  the step's rate for the step's duration, counted in the engine's measurement window.
 * Records are sent once (no retries): the offered rate is exactly the step's rate, and a throttled entry is
 * counted, not sent again. The producer's own per-shard limiter is off: the stream decides what it takes.
 */
import { Engine, type EngineOptions, type EngineResult, type EngineState } from '../engine/engine';
import type { PendingRecord } from '../engine/record';
import { THROTTLED_ERROR_CODE } from '../kinesis/request-errors';
import type { ShardRange } from '../kinesis/shard-map';
import type { LatencySummary, MetricsSnapshot, StopReason } from '../metrics/ledger';
import type { Sink } from '../sinks/types';
import { StepSchedule } from './step-schedule';

/**
 * How far the producer may fall behind the step's schedule before records are dropped: a producer that cannot
 * offer the rate shows as drops (achieved below the target), not as a queue that hides it.
 */
const MAX_LAG_SECONDS = 0.5;

export interface ProbeParts {
  readonly sink: Sink;
  readonly shards: readonly ShardRange[];
  readonly nextRecord: () => PendingRecord;
  readonly random: () => number;
  /** The engines' clock. @default performance.now */
  readonly clock?: () => number;
  /** Runs an engine to its end (the command's progress and Ctrl-C handling). */
  readonly drive: (engine: Engine) => Promise<EngineResult>;
  readonly engine: Pick<EngineOptions, 'batchSize' | 'concurrency' | 'drainTimeoutMs' | 'unreachableAfterMs'> & Partial<EngineOptions>;
}

export interface ProbeTimings {
  readonly settleMs: number;
  readonly measureMs: number;
  /** Longest burst; 0 skips it. */
  readonly burstMaxMs: number;
}

export interface StepCriteria {
  /** Largest share of entries sent that may be throttled in a sustained step. */
  readonly maxThrottled: number;
  /** Largest share of the offered records that may go unacknowledged (throttled, dropped, failed) in a sustained step. */
  readonly tolerance: number;
}

export interface BurstResult {
  readonly durationSeconds: number;
  readonly recordsSent: number;
  readonly throttled: number;
  /** Every shard written to throttled: the burst allowance is used up. */
  readonly saturated: boolean;
  /** Records acked per second of the burst. */
  readonly achievedRate: number;
}

export interface StepShard {
  readonly shardId: string;
  /** Acked per second of the step. */
  readonly recordsPerSecond: number;
  readonly throttled: number;
}

export interface StepMeasurement {
  readonly targetRate: number;
  /** Records acked per second of the step's schedule. */
  readonly achievedRate: number;
  readonly durationSeconds: number;
  readonly recordsScheduled: number;
  readonly recordsSent: number;
  readonly recordsAcked: number;
  readonly throttled: number;
  /** throttled / sent. */
  readonly throttledShare: number;
  readonly dropped: number;
  /** Entries refused for another reason than throttling. */
  readonly failed: number;
  readonly latencyMs: LatencySummary;
  readonly recordLatencyMs: LatencySummary;
  readonly shards: readonly StepShard[];
  readonly burst: BurstResult | null;
}

export interface StepVerdict {
  readonly sustained: boolean;
  /** What kept a step from being sustained: the stream throttled, or loadgen could not offer the rate. */
  readonly limitedBy: 'throttling' | 'producer' | null;
}

/** How a phase that did not complete ended the search. */
export interface ProbeStop {
  readonly reason: Exclude<StopReason, 'completed'>;
  readonly result: EngineResult;
}

export type ProbeOutcome = { readonly step: StepMeasurement } | { readonly stop: ProbeStop };

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A step whose producer dropped more than this share of its records did not offer the step's rate, whatever the
 * stream acknowledged: the stream was not asked the question.
 */
export const MAX_DROPPED_SHARE = 0.01;

export function judgeStep(step: StepMeasurement, criteria: StepCriteria): StepVerdict {
  if (step.throttledShare > criteria.maxThrottled) return { sustained: false, limitedBy: 'throttling' };
  const droppedShare = step.recordsScheduled ? step.dropped / step.recordsScheduled : 0;
  if (droppedShare > MAX_DROPPED_SHARE || step.achievedRate < step.targetRate * (1 - criteria.tolerance)) return { sustained: false, limitedBy: 'producer' };
  return { sustained: true, limitedBy: null };
}

function measure(targetRate: number, scheduleMs: number, m: MetricsSnapshot, burst: BurstResult | null): StepMeasurement {
  const seconds = scheduleMs / 1000;
  return {
    targetRate,
    achievedRate: round(m.acked / seconds),
    durationSeconds: round((m.endMs - m.startMs) / 1000, 3),
    recordsScheduled: m.scheduled,
    recordsSent: m.sent,
    recordsAcked: m.acked,
    throttled: m.throttled,
    throttledShare: m.sent ? round(m.throttled / m.sent, 4) : 0,
    dropped: m.dropped,
    failed: m.failed - (m.failureCodes[THROTTLED_ERROR_CODE] ?? 0),
    latencyMs: m.latencyMs,
    recordLatencyMs: m.recordLatencyMs,
    shards: m.shards.map((s) => ({ shardId: s.shardId, recordsPerSecond: round(s.records / seconds), throttled: s.throttled })),
    burst,
  };
}

/** The state when the burst ended. */
interface BurstEnd {
  readonly elapsedMs: number;
  readonly scheduled: number;
  readonly sent: number;
  readonly throttled: number;
  readonly saturated: boolean;
}

export class StepProbe {
  private sent = 0;

  constructor(private readonly parts: ProbeParts) {}

  /** Records sent in every phase of every step so far. */
  get recordsSent(): number {
    return this.sent;
  }

  async probe(rate: number, timings: ProbeTimings): Promise<ProbeOutcome> {
    const { sink, shards, nextRecord, random, clock } = this.parts;
    const schedule = new StepSchedule(rate, timings.burstMaxMs > 0);
    let burst: BurstEnd | null = null;
    let windowOpen = false;
    const observe = (state: EngineState): void => {
      if (windowOpen) return;
      if (schedule.switchedAt === null || burst === null) {
        const saturated = state.shardsThrottled > 0 && state.shardsThrottled >= Math.min(shards.length, state.shardsWritten);
        if (!saturated && state.elapsedMs < timings.burstMaxMs) return;
        schedule.switchNow(state.elapsedMs, state.scheduled);
        burst = { elapsedMs: state.elapsedMs, scheduled: state.scheduled, sent: state.sent, throttled: state.throttled, saturated };
      }
      // Settle only once the burst's queued and in-flight records are answered, so none is counted in the window.
      if (state.settled < burst.scheduled) return;
      windowOpen = true;
      const from = state.elapsedMs + timings.settleMs;
      engine.openWindow(from, from + timings.measureMs);
      schedule.endAt(from + timings.measureMs);
    };
    const maxQueuedRecords = Math.max(this.parts.engine.batchSize, Math.ceil(rate * MAX_LAG_SECONDS));
    const engine: Engine = new Engine(
      { sink, shards, nextRecord, schedule, random, observe, clock },
      { maxQueuedRecords, ...this.parts.engine, maxRetries: 0, shardLimit: null, recordAcks: false },
    );
    const result = await this.parts.drive(engine);
    this.sent += result.snapshot.sent;
    const reason = result.error ? 'failed' : (result.snapshot.stopReason ?? 'completed');
    if (reason !== 'completed' || !result.window) return { stop: { reason: reason === 'completed' ? 'failed' : reason, result } };
    const b = burst as BurstEnd | null;
    const burstResult: BurstResult | null =
      timings.burstMaxMs > 0 && b
        ? {
            durationSeconds: round(b.elapsedMs / 1000, 3),
            recordsSent: b.sent,
            throttled: b.throttled,
            saturated: b.saturated,
            achievedRate: round((b.sent - b.throttled) / Math.max(0.001, b.elapsedMs / 1000)),
          }
        : null;
    return { step: measure(rate, timings.measureMs, result.window, burstResult) };
  }
}
