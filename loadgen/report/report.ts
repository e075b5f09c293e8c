/** The run report: one JSON-ready object built from the metrics ledger's snapshot and the run's context. */
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../kinesis/limits';
import { Metrics, type ConcurrencySummary, type LatencySummary, type MetricsSnapshot, type SeriesPoint, type ShardTally, type StopReason } from '../metrics/ledger';
import type { ThresholdResult } from '../thresholds/evaluate';
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
  readonly runId: string;
  readonly rateMode: 'fixed' | 'auto' | 'max' | 'stages';
  /** Records/s asked for (the stages' average for a ramp); null for `max`. */
  readonly targetRate: number | null;
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
function withCloudWatch(series: readonly SeriesPoint[], consumer: ConsumerReport): SeriesPoint[] {
  return series.map((point) => {
    const period = consumer.points.find((p) => point.second >= p.second && point.second < p.second + consumer.periodSeconds);
    if (!period) return point;
    const { iteratorAgeMsMax, incomingRecordsPerSecond, writeThrottledPerSecond } = period;
    return { ...point, cloudwatch: { iteratorAgeMsMax, incomingRecordsPerSecond, writeThrottledPerSecond } };
  });
}

export function buildReport(
  ctx: ReportContext,
  m: MetricsSnapshot,
  verify: VerifyResult | undefined,
  exitCode: number,
  consumer?: ConsumerReport,
): RunReport {
  const durationSeconds = Math.max(0.001, (m.endMs - m.startMs) / 1000);
  const { unreachable, keys, ...context } = ctx;
  const expectedShares = keys?.expectedShares;
  const shards = m.shards.map(
    (s): ShardReport => ({
      ...s,
      share: round(s.records / Math.max(1, m.acked), 4),
      ...(expectedShares
        ? {
            expectedShare: expectedShares[s.shardId] ?? 0,
            recordsUtilization: round(s.records / durationSeconds / SHARD_WRITE_RECORDS_PER_SECOND, 3),
            bytesUtilization: round(s.bytes / durationSeconds / SHARD_WRITE_BYTES_PER_SECOND, 3),
          }
        : {}),
    }),
  );
  return {
    tool: 'loadgen',
    command: 'run',
    ...context,
    startedAt: ctx.startedAt.toISOString(),
    targetRate: ctx.targetRate === null ? null : round(ctx.targetRate),
    achievedRate: round(m.acked / durationSeconds),
    durationSeconds: round(durationSeconds, 3),
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
    achievedPct: ctx.targetRate ? percent(m.acked / durationSeconds, ctx.targetRate) : null,
    throttledPct: percent(m.throttled, m.sent),
    droppedPct: percent(m.dropped, m.scheduled),
    failedPct: percent(m.failed, m.scheduled),
    interrupted: m.stopReason === 'interrupted',
    stopReason: m.stopReason ?? 'completed',
    ...(unreachable ? { unreachable: { code: unreachable.code, forSeconds: round(unreachable.forMs / 1000, 1) } } : {}),
    latencyMs: m.latencyMs,
    recordLatencyMs: m.recordLatencyMs,
    concurrency: m.concurrency,
    ...(keys ? { keys: withoutShares(keys) } : {}),
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
