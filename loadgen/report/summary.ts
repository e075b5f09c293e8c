/** The human summary printed at the end of a run. */
import type { LatencySummary, StopReason } from '../metrics/ledger';
import { int } from '../shared/format';
import { paint } from '../shared/terminal';
import type { ThresholdResult } from '../thresholds/evaluate';
import type { RunReport } from './report';

const ms = (value: number): string => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

function percentiles(l: LatencySummary): string {
  return `p50 ${ms(l.p50)}  p90 ${ms(l.p90)}  p99 ${ms(l.p99)}  p99.9 ${ms(l.p999)}  max ${ms(l.max)}`;
}

const ENDED: Record<StopReason, string> = {
  completed: 'finished',
  interrupted: 'interrupted',
  aborted: 'aborted (a threshold with abortOnFail failed)',
  'output-closed': 'stopped (the output was closed by its reader)',
  unreachable: 'stopped (endpoint unreachable)',
  failed: 'stopped (error)',
};

/** One line per threshold: pass/FAIL, the expression, the value. */
function thresholdLines(results: readonly ThresholdResult[], color: boolean): string[] {
  const width = Math.max(...results.map((t) => t.expression.length));
  return results.map((t, i) => {
    const mark = t.ok ? paint(color, 'green', 'pass') : paint(color, 'red', 'FAIL');
    const value = t.value === null ? 'no value' : `value ${t.value}`;
    const aborted = t.abortedRun ? `; failed at ${t.abortedRun.atSecond} s (value ${t.abortedRun.value ?? 'none'}) and stopped the run` : '';
    return `${i === 0 ? '  thresholds ' : '             '}${mark}  ${t.expression.padEnd(width)}  ${value}${aborted}`;
  });
}

export function formatSummary(r: RunReport, options: { readonly color?: boolean } = {}): string {
  const total = r.recordsAcked || 1;
  const where = r.target.embedded ? 'embedded Kinesis' : r.target.sink === 'kinesis' ? `stream ${r.target.stream}` : `${r.target.sink} sink`;
  const ended = ENDED[r.stopReason];
  const lines = [
    `loadgen ${ended}: ${where}, generator ${r.generator}, seed ${r.seed}`,
    `  rate       target ${r.targetRate === null ? 'max' : `${int(r.targetRate)}/s`} (${r.rateExplanation})`,
    `             achieved ${int(r.achievedRate)}/s over ${r.durationSeconds.toFixed(1)} s`,
    `  records    scheduled ${int(r.recordsScheduled)}  acked ${int(r.recordsAcked)}  failed ${int(r.recordsFailed)}  dropped ${int(r.droppedRecords)}  unsent ${int(r.recordsUnsent)}`,
    `  retries    ${int(r.retries)} (throttled ${int(r.throttled)}) in ${int(r.requests)} PutRecords requests`,
    `  latency    request ${percentiles(r.latencyMs)}  (per PutRecords)`,
    `             record  ${percentiles(r.recordLatencyMs)}  (due time to ack: queueing and retries included)`,
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
  if (r.consumer) lines.push(`  consumer   ${r.consumer.verdict}${r.consumer.errors.length ? ` (${r.consumer.errors.length} CloudWatch errors)` : ''}`);
  if (r.thresholds?.length) lines.push(...thresholdLines(r.thresholds, options.color ?? false));
  return lines.join('\n');
}
