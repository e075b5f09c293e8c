/** The find-limit report: every step of the throttle-point search, the answer, and a verdict in words. */
import type { SearchEnd, SearchPhase } from '../search/throttle-search';
import type { StepMeasurement, StepVerdict } from '../search/probe-step';
import { int, pct, shortShardId } from '../shared/format';
import type { RunReport } from './report';

export interface FindLimitStep extends StepMeasurement, StepVerdict {
  /** 1-based, in the order the steps ran. */
  readonly step: number;
  readonly phase: SearchPhase;
  /** Seconds from the start of the search to the start of this step. */
  readonly startedAtSeconds: number;
}

export type FindLimitStopReason =
  /** The stream throttled above the sustained rate: the answer. */
  | 'throttled'
  /** loadgen could not offer more without the stream throttling. */
  | 'producer-limited'
  | 'max-rate'
  | 'max-steps'
  | 'nothing-sustained'
  | 'interrupted'
  | 'unreachable'
  | 'failed';

export interface FindLimitReport {
  readonly tool: 'loadgen';
  readonly command: 'find-limit';
  readonly startedAt: string;
  readonly runId: string;
  readonly seed: number;
  readonly generator: string;
  readonly target: RunReport['target'];
  /** What the open shards are rated for at the measured record size. */
  readonly nominalCapacity: { readonly openShards: number; readonly recordsPerSecond: number; readonly avgRecordBytes: number };
  /** Highest step rate sustained (records/s), or null. */
  readonly maxSustainedRate: number | null;
  /** Per shard, records/s acked at the highest sustained step. */
  readonly maxSustainedPerShard: readonly { readonly shardId: string; readonly recordsPerSecond: number; readonly share: number }[];
  /** Lowest step rate whose measurement saw any throttled entry, or null. */
  readonly throttleOnsetRate: number | null;
  readonly stopReason: FindLimitStopReason;
  readonly verdict: string;
  readonly steps: readonly FindLimitStep[];
  readonly durationSeconds: number;
  /** Records sent in every phase (bursts, settling, measuring): what the search put on the stream. */
  readonly recordsSent: number;
  readonly settings: RunReport['settings'];
  readonly client: RunReport['client'];
  readonly exitCode: number;
}

export interface FindLimitOutcome {
  readonly steps: readonly FindLimitStep[];
  readonly end: SearchEnd | null;
  /** Set when a phase did not complete (Ctrl-C, endpoint gone, an error). */
  readonly stopped?: 'interrupted' | 'unreachable' | 'failed';
  readonly concurrency: number | 'auto';
  readonly nominal: FindLimitReport['nominalCapacity'];
}

function stopReasonOf(outcome: FindLimitOutcome, sustained: FindLimitStep | undefined): FindLimitStopReason {
  if (outcome.stopped) return outcome.stopped;
  switch (outcome.end) {
    case 'max-rate':
    case 'max-steps':
    case 'nothing-sustained':
      return outcome.end;
    default: {
      // A step tried again (after loadgen fell short) counts by its last try.
      const last = new Map(outcome.steps.map((s) => [s.targetRate, s]));
      const failed = [...last.values()].filter((s) => !s.sustained && (!sustained || s.targetRate > sustained.targetRate));
      const lowest = failed.sort((a, b) => a.targetRate - b.targetRate)[0];
      return lowest?.limitedBy === 'producer' ? 'producer-limited' : 'throttled';
    }
  }
}

function verdictOf(reason: FindLimitStopReason, best: FindLimitStep | undefined, onset: number | null, outcome: FindLimitOutcome): string {
  const { nominal } = outcome;
  const onsetText = onset === null ? 'no step was throttled' : `throttling began at ${int(onset)}/s`;
  if (!best) {
    if (reason === 'nothing-sustained') return `no rate was sustained, down to ${int(Math.min(...outcome.steps.map((s) => s.targetRate)))}/s; ${onsetText}`;
    return `stopped (${reason}) before any rate was sustained; ${onsetText}`;
  }
  const rate = best.targetRate;
  const head = `maximum sustained rate ${int(rate)} records/s (${pct(rate / nominal.recordsPerSecond)} of the nominal ${int(nominal.recordsPerSecond)}/s of ${nominal.openShards} open shards)`;
  const busiest = [...best.shards].sort((a, b) => b.recordsPerSecond - a.recordsPerSecond)[0];
  const share = busiest && best.recordsAcked ? busiest.recordsPerSecond / best.achievedRate : 0;
  const skew =
    busiest && share > 1.05 / nominal.openShards
      ? `; the busiest shard, ${busiest.shardId}, carried ${pct(share)} of the records (${int(busiest.recordsPerSecond)}/s): uneven partition keys, not the shard count, set this limit`
      : '';
  switch (reason) {
    case 'throttled':
      return `${head}; ${onsetText}${skew}`;
    case 'producer-limited':
      return (
        `${head}, without throttling: loadgen could not offer more ` +
        `(${outcome.concurrency === 'auto' ? 'with its concurrency sized as it went' : `raise --concurrency, now ${outcome.concurrency}`}, or run loadgen from more machines); ` +
        `the stream takes at least this much`
      );
    case 'max-rate':
      return `${head}: every rate up to --max-rate was sustained; ${onsetText}`;
    case 'max-steps':
      return `${head}; ${onsetText}; the search used up its steps before the bracket closed`;
    default:
      return `search ${reason === 'interrupted' ? 'interrupted (Ctrl-C)' : `stopped (${reason})`} after ${outcome.steps.length} steps; best so far: ${head}; ${onsetText}`;
  }
}

export interface FindLimitContext {
  readonly startedAt: Date;
  readonly runId: string;
  readonly seed: number;
  readonly generator: string;
  readonly target: RunReport['target'];
  readonly durationSeconds: number;
  readonly recordsSent: number;
  readonly settings: RunReport['settings'];
  readonly client: RunReport['client'];
}

export function buildFindLimitReport(ctx: FindLimitContext, outcome: FindLimitOutcome): FindLimitReport {
  const sustainedSteps = outcome.steps.filter((s) => s.sustained);
  const best = sustainedSteps.sort((a, b) => b.targetRate - a.targetRate)[0];
  const throttledRates = outcome.steps.filter((s) => s.throttled > 0).map((s) => s.targetRate);
  const onset = throttledRates.length ? Math.min(...throttledRates) : null;
  const stopReason = stopReasonOf(outcome, best);
  const found = best !== undefined && !['unreachable', 'failed'].includes(stopReason);
  const { startedAt, ...rest } = ctx;
  return {
    tool: 'loadgen',
    command: 'find-limit',
    startedAt: startedAt.toISOString(),
    ...rest,
    nominalCapacity: outcome.nominal,
    maxSustainedRate: best?.targetRate ?? null,
    maxSustainedPerShard: best
      ? best.shards.map((s) => ({ shardId: s.shardId, recordsPerSecond: s.recordsPerSecond, share: best.achievedRate ? Math.round((1e4 * s.recordsPerSecond) / best.achievedRate) / 1e4 : 0 }))
      : [],
    throttleOnsetRate: onset,
    stopReason,
    verdict: verdictOf(stopReason, best, onset, outcome),
    steps: outcome.steps,
    exitCode: found ? 0 : 1,
  };
}

/** One line per step, as the search goes. */
export function formatStep(s: FindLimitStep): string {
  const outcome = s.sustained ? 'sustained' : `not sustained (${s.limitedBy === 'producer' ? 'loadgen fell short' : 'throttled'})`;
  return (
    `step ${String(s.step).padStart(2)} ${s.phase.padEnd(7)} ${int(s.targetRate).padStart(7)}/s -> achieved ${int(s.achievedRate).padStart(7)}/s, ` +
    `throttled ${pct(s.throttledShare).padStart(6)}, record p99 ${Math.round(s.recordLatencyMs.p99)} ms: ${outcome}`
  );
}

export function formatFindLimitSummary(r: FindLimitReport): string {
  return [
    `loadgen find-limit: ${r.target.embedded ? 'embedded Kinesis with write limits' : `stream ${r.target.stream}`}, ${r.steps.length} steps in ${r.durationSeconds.toFixed(0)} s, ${int(r.recordsSent)} records sent`,
    `  result     ${r.verdict}`,
    `  sustained  ${r.maxSustainedRate === null ? 'none' : `${int(r.maxSustainedRate)}/s`}   throttle onset ${r.throttleOnsetRate === null ? 'none seen' : `${int(r.throttleOnsetRate)}/s`}   (${r.stopReason})`,
    ...(r.maxSustainedPerShard.length
      ? ['  per shard  ' + r.maxSustainedPerShard.map((s) => `${shortShardId(s.shardId)} ${int(s.recordsPerSecond)}/s (${pct(s.share)})`).join('  ')]
      : []),
  ].join('\n');
}
