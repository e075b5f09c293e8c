/** The run report: one JSON-ready object built from the metrics ledger's snapshot and the run's context. */
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../kinesis/limits';
import {
  Metrics,
  type ConcurrencySummary,
  type LatencyHistograms,
  type LatencySummary,
  type MetricsSnapshot,
  type SeriesPoint,
  type ShardTally,
  type StopReason,
} from '../metrics/ledger';
import type { ThresholdResult } from '../thresholds/evaluate';
import { WHOLE_RUN, type Segment } from '../segments/segment';
import { EMPTY_RUN_VERIFY_RESULT, type VerifyResult } from '../verify/types';
import { EMPTY_CONSUMER_REPORT, type ConsumerReport } from '../watch/consumer-types';

/** How the generator's keys fall on the open shards, as planned before the run. */
export interface KeysReport {
  /** `spread`: loadgen gave each device an explicit hash key; `own`: the generator's keys, routed by Kinesis. */
  readonly mode: 'spread' | 'own';
  readonly why: string;
  /** Distinct keys (devices) in the records sampled before the run. */
  readonly keysSampled: number;
  readonly openShards: number;
  /** Open shards no key reaches. */
  readonly idleShards: number;
  readonly evenShare: number;
  readonly maxShare: number;
  /** Shards well over the even share, hottest first. */
  readonly hotShards: readonly { readonly shardId: string; readonly share: number }[];
  /** Per shard id, the share of the records it was expected to take. */
  readonly expectedShares: Readonly<Record<string, number>>;
}

export interface ShardReport extends ShardTally {
  /** Share of the run's acked records. */
  readonly share: number;
  /** For a stream's shards: the share planned before the run, and how much of the shard's write limits it used, */
  readonly expectedShare?: number;
  /** averaged over the run: records/s / 1,000 and bytes/s / 1 MiB. */
  readonly recordsUtilization?: number;
  readonly bytesUtilization?: number;
}

export interface RunReport {
  readonly tool: 'loadgen';
  readonly command: 'run';
  readonly startedAt: string;
  readonly target: { readonly sink: string; readonly stream?: string; readonly endpoint?: string; readonly embedded: boolean; readonly region: string };
  readonly generator: string;
  readonly seed: number;
  /** Shared by every segment of one run (`--run-id`): reports merge only within a run. */
  readonly runId: string;
  /** The share of the run this report covers: `{ index: 1, count: 1 }` for a whole run (`--segment i/n`). */
  readonly segment: Segment;
  readonly rateMode: 'fixed' | 'auto' | 'max' | 'stages';
  /** Records/s asked for (the stages' average for a ramp) of this segment; null for `max`. */
  readonly targetRate: number | null;
  /** How the whole run's rate was chosen (a segment runs 1/count of it). */
  readonly rateExplanation: string;
  /** Acked records / duration. */
  readonly achievedRate: number;
  readonly durationSeconds: number;
  readonly recordsScheduled: number;
  readonly recordsGenerated: number;
  readonly recordsSent: number;
  readonly recordsAcked: number;
  readonly recordsFailed: number;
  readonly droppedRecords: number;
  readonly recordsUnsent: number;
  readonly bytesAcked: number;
  readonly requests: number;
  readonly requestErrors: number;
  /** Error code -> whole PutRecords requests that failed with it. */
  readonly requestErrorCodes: Readonly<Record<string, number>>;
  readonly retries: number;
  readonly throttled: number;
  readonly routingMismatches: number;
  /** Error code -> records that used up their retries with it. */
  readonly failureCodes: Readonly<Record<string, number>>;
  /** Shares in percent, for thresholds: achievedRate of targetRate (null for `max`); throttled of recordsSent (send attempts); dropped and failed of recordsScheduled. */
  readonly achievedPct: number | null;
  readonly throttledPct: number;
  readonly droppedPct: number;
  readonly failedPct: number;
  readonly interrupted: boolean;
  /** completed, interrupted (Ctrl-C), aborted (an abortOnFail threshold), output-closed (`| head`), unreachable or failed. */
  readonly stopReason: StopReason;
  /** Set when the endpoint stopped answering: the last error code and how long it had lasted. */
  readonly unreachable?: { readonly code: string; readonly forSeconds: number };
  /** Per PutRecords request: send to answer. */
  readonly latencyMs: LatencySummary;
  /** Per acked record: from when it fell due on the schedule to its ack (queueing and retries included). */
  readonly recordLatencyMs: LatencySummary;
  /** PutRecords requests allowed in flight: what the limit settled on and why, its range. */
  readonly concurrency: ConcurrencySummary | null;
  readonly keys?: Omit<KeysReport, 'expectedShares'>;
  /** Histograms behind the percentiles (HdrHistogram, compressed, base64), for exact merges of segments' reports. */
  readonly histograms: LatencyHistograms;
  readonly shards: readonly ShardReport[];
  readonly series: readonly SeriesPoint[];
  readonly verify?: VerifyResult;
  /** Every --threshold with its value and whether it held. */
  readonly thresholds?: readonly ThresholdResult[];
  /** With --watch-consumer: the stream's CloudWatch metrics and whether the consumer kept up. */
  readonly consumer?: ConsumerReport;
  /** What the run cost the machine that ran loadgen: CPU from the engine's start to its end; the process's peak memory, read-back included. */
  /** eventLoopBusy: the share of the run this process's event loop was busy; near 1, loadgen itself set the pace. */
  readonly client: { readonly cpuSeconds: number; readonly maxRssMB: number; readonly eventLoopBusy?: number };
  /** The run's effective options (long option name -> value). */
  readonly settings: Readonly<Record<string, string | number | boolean | null>>;
  readonly exitCode: number;
}

export interface ReportContext {
  readonly startedAt: Date;
  readonly target: RunReport['target'];
  readonly generator: string;
  readonly seed: number;
  readonly runId: string;
  readonly segment: Segment;
  readonly rateMode: RunReport['rateMode'];
  readonly targetRate: number | null;
  readonly rateExplanation: string;
  readonly keys?: KeysReport;
  readonly client: RunReport['client'];
  readonly settings: RunReport['settings'];
  readonly unreachable: { readonly code: string; readonly forMs: number } | null;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** 100 x part / whole, to 3 decimals; 0 of nothing is 0 %. */
const percent = (part: number, whole: number): number => (whole > 0 ? round((100 * part) / whole, 3) : 0);

function withoutShares(keys: KeysReport): Omit<KeysReport, 'expectedShares'> {
  const { expectedShares: _perShard, ...rest } = keys;
  return rest;
}

/** Each second of the series gets the CloudWatch figures of the period it falls in (periods are a minute). */
export function withCloudWatch(series: readonly SeriesPoint[], consumer: ConsumerReport): SeriesPoint[] {
  return series.map((point) => {
    const period = consumer.points.find((p) => point.second >= p.second && point.second < p.second + consumer.periodSeconds);
    if (!period) return point;
    const { iteratorAgeMsMax, incomingRecordsPerSecond, writeThrottledPerSecond } = period;
    return { ...point, cloudwatch: { iteratorAgeMsMax, incomingRecordsPerSecond, writeThrottledPerSecond } };
  });
}

/**
 * A target rate as reports show it: to 2 decimals for a whole run; a segment's share to 6, so that the shares of
 * a run's segments add up to the whole rate (1000/s in 3 segments: 333.333333 x 3 rounds to 1000, not 999.99).
 */
export function roundTargetRate(rate: number, segment: Segment): number {
  return round(rate, segment.count > 1 ? 6 : 2);
}

/** What a report computes from its counts, the same way for a run and for a merge of runs. */
export interface DerivedFigures {
  readonly achievedRate: number;
  readonly durationSeconds: number;
  readonly achievedPct: number | null;
  readonly throttledPct: number;
  readonly droppedPct: number;
  readonly failedPct: number;
}

export function derivedFigures(c: {
  readonly acked: number;
  readonly durationSeconds: number;
  readonly targetRate: number | null;
  readonly throttled: number;
  readonly sent: number;
  readonly dropped: number;
  readonly failed: number;
  readonly scheduled: number;
}): DerivedFigures {
  const seconds = Math.max(0.001, c.durationSeconds);
  return {
    achievedRate: round(c.acked / seconds),
    durationSeconds: round(seconds, 3),
    achievedPct: c.targetRate ? percent(c.acked / seconds, c.targetRate) : null,
    throttledPct: percent(c.throttled, c.sent),
    droppedPct: percent(c.dropped, c.scheduled),
    failedPct: percent(c.failed, c.scheduled),
  };
}

/**
 * Each shard's tally with its share of the acked records and, for a stream's shards (`expectedShares` planned
 * before the run), the share planned and how much of its write limits it used over `durationSeconds`. The same for
 * a run and for a merge of runs' tallies.
 */
export function shardReports(
  tallies: readonly ShardTally[],
  acked: number,
  durationSeconds: number,
  expectedShares: Readonly<Record<string, number>> | undefined,
): ShardReport[] {
  const seconds = Math.max(0.001, durationSeconds);
  return tallies.map(
    (s): ShardReport => ({
      shardId: s.shardId,
      records: s.records,
      bytes: s.bytes,
      throttled: s.throttled,
      share: round(s.records / Math.max(1, acked), 4),
      ...(expectedShares
        ? {
            expectedShare: expectedShares[s.shardId] ?? 0,
            recordsUtilization: round(s.records / seconds / SHARD_WRITE_RECORDS_PER_SECOND, 3),
            bytesUtilization: round(s.bytes / seconds / SHARD_WRITE_BYTES_PER_SECOND, 3),
          }
        : {}),
    }),
  );
}

export function buildReport(
  ctx: ReportContext,
  m: MetricsSnapshot,
  verify: VerifyResult | undefined,
  exitCode: number,
  consumer?: ConsumerReport,
): RunReport {
  const { unreachable, keys, ...context } = ctx;
  const derived = derivedFigures({ ...m, durationSeconds: (m.endMs - m.startMs) / 1000, targetRate: ctx.targetRate });
  const shards = shardReports(m.shards, m.acked, derived.durationSeconds, keys?.expectedShares);
  return {
    tool: 'loadgen',
    command: 'run',
    ...context,
    startedAt: ctx.startedAt.toISOString(),
    targetRate: ctx.targetRate === null ? null : roundTargetRate(ctx.targetRate, ctx.segment),
    achievedRate: derived.achievedRate,
    durationSeconds: derived.durationSeconds,
    recordsScheduled: m.scheduled,
    recordsGenerated: m.generated,
    recordsSent: m.sent,
    recordsAcked: m.acked,
    recordsFailed: m.failed,
    droppedRecords: m.dropped,
    recordsUnsent: m.unsent,
    bytesAcked: m.bytesAcked,
    requests: m.requests,
    requestErrors: m.requestErrors,
    requestErrorCodes: m.requestErrorCodes,
    retries: m.retries,
    throttled: m.throttled,
    routingMismatches: m.routingMismatches,
    failureCodes: m.failureCodes,
    achievedPct: derived.achievedPct,
    throttledPct: derived.throttledPct,
    droppedPct: derived.droppedPct,
    failedPct: derived.failedPct,
    interrupted: m.stopReason === 'interrupted',
    stopReason: m.stopReason ?? 'completed',
    ...(unreachable ? { unreachable: { code: unreachable.code, forSeconds: round(unreachable.forMs / 1000, 1) } } : {}),
    latencyMs: m.latencyMs,
    recordLatencyMs: m.recordLatencyMs,
    concurrency: m.concurrency,
    ...(keys ? { keys: withoutShares(keys) } : {}),
    histograms: m.histograms,
    shards,
    series: consumer ? withCloudWatch(m.series, consumer) : m.series,
    ...(verify ? { verify } : {}),
    ...(consumer ? { consumer } : {}),
    exitCode,
  };
}

/** The report with the thresholds' results and the exit code they led to. */
export function withOutcome(report: RunReport, thresholds: readonly ThresholdResult[], exitCode: number): RunReport {
  const { exitCode: _placeholder, ...rest } = report;
  return { ...rest, ...(thresholds.length ? { thresholds } : {}), exitCode };
}

/** A report with every key a run can have (as with --verify and --watch-consumer), zeros throughout: the keys thresholds may name. */
export function reportTemplate(): RunReport {
  const ctx: ReportContext = {
    startedAt: new Date(0),
    target: { sink: 'kinesis', embedded: true, region: 'us-east-1' },
    generator: '',
    seed: 0,
    runId: '',
    segment: WHOLE_RUN,
    rateMode: 'fixed',
    targetRate: 0,
    rateExplanation: '',
    keys: { mode: 'spread', why: '', keysSampled: 0, openShards: 0, idleShards: 0, evenShare: 0, maxShare: 0, hotShards: [], expectedShares: {} },
    client: { cpuSeconds: 0, maxRssMB: 0, eventLoopBusy: 0 },
    settings: {},
    unreachable: null,
  };
  const metrics = new Metrics(0);
  metrics.onConcurrency({ limit: 0, reason: 'start', why: '' }, 0);
  return buildReport(ctx, metrics.snapshot(0), EMPTY_RUN_VERIFY_RESULT, 0, EMPTY_CONSUMER_REPORT);
}
