/** The run report: one JSON-ready object built from the metrics ledger's snapshot and the run's context. */
import type { LatencySummary, MetricsSnapshot, SeriesPoint, ShardTally, StopReason } from '../metrics/ledger';
import type { VerifyResult } from '../verify/types';

export interface RunReport {
  readonly tool: 'loadgen';
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
  readonly interrupted: boolean;
  /** completed, interrupted (Ctrl-C) or unreachable (the endpoint stopped answering). */
  readonly stopReason: StopReason;
  /** Set when the endpoint stopped answering: the last error code and how long it had lasted. */
  readonly unreachable?: { readonly code: string; readonly forSeconds: number };
  readonly latencyMs: LatencySummary;
  readonly shards: readonly ShardTally[];
  readonly series: readonly SeriesPoint[];
  readonly verify?: VerifyResult;
  /** What the run cost the machine that ran loadgen, from the engine's start to its end. */
  readonly client: { readonly cpuSeconds: number; readonly maxRssMB: number };
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
  readonly unreachable: { readonly code: string; readonly forMs: number } | null;
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function buildReport(ctx: ReportContext, m: MetricsSnapshot, verify: VerifyResult | undefined, exitCode: number): RunReport {
  const durationSeconds = Math.max(0.001, (m.endMs - m.startMs) / 1000);
  const { unreachable, ...context } = ctx;
  return {
    tool: 'loadgen',
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
    interrupted: m.stopReason === 'interrupted',
    stopReason: m.stopReason ?? 'completed',
    ...(unreachable ? { unreachable: { code: unreachable.code, forSeconds: round(unreachable.forMs / 1000, 1) } } : {}),
    latencyMs: m.latencyMs,
    shards: m.shards,
    series: m.series,
    ...(verify ? { verify } : {}),
    exitCode,
  };
}
