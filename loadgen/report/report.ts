/** The run report: one JSON-ready object built from the metrics ledger's snapshot and the run's context. */
import { Metrics, type LatencySummary, type MetricsSnapshot, type SeriesPoint, type ShardTally, type StopReason } from '../metrics/ledger';
import type { ThresholdResult } from '../thresholds/evaluate';
import { EMPTY_RUN_VERIFY_RESULT, type VerifyResult } from '../verify/types';
import { EMPTY_CONSUMER_REPORT, type ConsumerReport } from '../watch/consumer-types';

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
  readonly shards: readonly ShardTally[];
  readonly series: readonly SeriesPoint[];
  readonly verify?: VerifyResult;
  /** Every --threshold with its value and whether it held. */
  readonly thresholds?: readonly ThresholdResult[];
  /** With --watch-consumer: the stream's CloudWatch metrics and whether the consumer kept up. */
  readonly consumer?: ConsumerReport;
  /** What the run cost the machine that ran loadgen: CPU from the engine's start to its end; the process's peak memory, read-back included. */
  readonly client: { readonly cpuSeconds: number; readonly maxRssMB: number };
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
  readonly client: RunReport['client'];
  readonly settings: RunReport['settings'];
  readonly unreachable: { readonly code: string; readonly forMs: number } | null;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/** 100 x part / whole, to 3 decimals; 0 of nothing is 0 %. */
const percent = (part: number, whole: number): number => (whole > 0 ? round((100 * part) / whole, 3) : 0);

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
  const { unreachable, ...context } = ctx;
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
    shards: m.shards,
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
    client: { cpuSeconds: 0, maxRssMB: 0 },
    settings: {},
    unreachable: null,
  };
  return buildReport(ctx, new Metrics(0).snapshot(0), EMPTY_RUN_VERIFY_RESULT, 0, EMPTY_CONSUMER_REPORT);
}
