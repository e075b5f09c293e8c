/** The run report: one JSON-ready object (written by --report) and the human summary printed at the end. */
import { writeFileSync } from 'node:fs';
import type { EngineResult } from './engine';
import type { LatencySummary, SeriesPoint, ShardTally } from './metrics';
import type { VerifyResult } from './verify';

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
  readonly retries: number;
  readonly throttled: number;
  readonly routingMismatches: number;
  readonly failureCodes: Readonly<Record<string, number>>;
  readonly interrupted: boolean;
  readonly latencyMs: LatencySummary;
  readonly shards: readonly ShardTally[];
  readonly series: readonly SeriesPoint[];
  readonly verify?: VerifyResult;
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
}

const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function buildReport(ctx: ReportContext, result: EngineResult, verify: VerifyResult | undefined, exitCode: number): RunReport {
  const m = result.metrics;
  const durationSeconds = Math.max(0.001, (result.endMs - result.startMs) / 1000);
  return {
    tool: 'loadgen',
    ...ctx,
    startedAt: ctx.startedAt.toISOString(),
    targetRate: ctx.targetRate === null ? null : round(ctx.targetRate),
    achievedRate: round(m.recordsAcked / durationSeconds),
    durationSeconds: round(durationSeconds, 3),
    recordsScheduled: result.scheduled,
    recordsGenerated: m.recordsGenerated,
    recordsSent: m.recordsSent,
    recordsAcked: m.recordsAcked,
    recordsFailed: m.recordsFailed,
    droppedRecords: result.dropped,
    recordsUnsent: result.unsent,
    bytesAcked: m.bytesAcked,
    requests: m.requests,
    requestErrors: m.requestErrors,
    retries: m.retries,
    throttled: m.throttled,
    routingMismatches: m.routingMismatches,
    failureCodes: result.failureCodes,
    interrupted: result.interrupted,
    latencyMs: m.latencyMs(),
    shards: m.shards(result.shardIds),
    series: m.series(),
    ...(verify ? { verify } : {}),
    exitCode,
  };
}

export function writeReport(path: string, report: RunReport | object): void {
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatSummary(r: RunReport): string {
  const total = r.recordsAcked || 1;
  const lines = [
    `loadgen ${r.interrupted ? 'interrupted' : 'finished'}: ${r.target.embedded ? 'embedded Kinesis' : r.target.sink === 'kinesis' ? `stream ${r.target.stream}` : `${r.target.sink} sink`}, generator ${r.generator}, seed ${r.seed}`,
    `  rate       target ${r.targetRate === null ? 'max' : `${int(r.targetRate)}/s`} (${r.rateExplanation})`,
    `             achieved ${int(r.achievedRate)}/s over ${r.durationSeconds.toFixed(1)} s`,
    `  records    scheduled ${int(r.recordsScheduled)}  acked ${int(r.recordsAcked)}  failed ${int(r.recordsFailed)}  dropped ${int(r.droppedRecords)}  unsent ${int(r.recordsUnsent)}`,
    `  retries    ${int(r.retries)} (throttled ${int(r.throttled)}) in ${int(r.requests)} PutRecords requests`,
    `  latency    p50 ${r.latencyMs.p50} ms  p90 ${r.latencyMs.p90} ms  p99 ${r.latencyMs.p99} ms  p99.9 ${r.latencyMs.p999} ms  max ${r.latencyMs.max} ms`,
  ];
  if (r.shards.length && r.target.sink === 'kinesis') {
    lines.push('  shards     ' + r.shards.map((s) => `${s.shardId.replace('shardId-', '')} ${int(s.records)} (${((100 * s.records) / total).toFixed(1)}%)`).join('  '));
  }
  if (Object.keys(r.failureCodes).length) lines.push(`  failures   ${JSON.stringify(r.failureCodes)}`);
  if (r.verify) {
    lines.push(
      `  verify     received ${int(r.verify.received)}  missing ${int(r.verify.missing)}  duplicates ${int(r.verify.duplicates)}` +
        (r.verify.missingSample.length ? `  e.g. ${r.verify.missingSample.slice(0, 3).join(', ')}` : ''),
    );
  }
  return lines.join('\n');
}
