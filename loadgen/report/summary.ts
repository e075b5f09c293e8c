/** The human summary printed at the end of a run. */
import { CLIENT_BUSY } from '../engine/concurrency';
import type { LatencySummary, StopReason } from '../metrics/ledger';
import { int, pct, shortShardId } from '../shared/format';
import { paint } from '../shared/terminal';
import type { ThresholdResult } from '../thresholds/evaluate';
import type { RunReport, ShardReport } from './report';

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

/** Up to this many shards are listed one by one; more are summarized. */
const LISTED_SHARDS = 8;

/** The larger of a shard's records and bytes utilization. */
const load = (s: ShardReport): number => Math.max(s.recordsUtilization ?? 0, s.bytesUtilization ?? 0);

function concurrencyLine(r: RunReport): string | null {
  const c = r.concurrency;
  if (!c) return null;
  const requests = `${c.settled} request${c.settled === 1 ? '' : 's'}`;
  if (c.mode === 'pinned') {
    const each = c.controllers > 1 ? ` in all, ${c.controllers} segments with ${c.settled / c.controllers} each` : '';
    return `  in flight  ${requests}${each}, pinned by --concurrency`;
  }
  const range = c.min === c.max ? '' : `, ranged ${c.min}..${c.max}`;
  if (c.controllers > 1) {
    // Merged segments: each sized its own share; their limits add up, the reason is the first one's.
    return `  in flight  settled at ${requests} in all (adaptive, ${c.controllers} segments' limits added${range}, final ${c.final}): first segment: ${c.reason}: ${c.why}`;
  }
  return `  in flight  settled at ${requests} (adaptive${range}, final ${c.final}): ${c.reason}: ${c.why}`;
}

/** Said when loadgen itself, not the endpoint, set the pace. */
function clientLine(r: RunReport): string | null {
  const busy = r.client.eventLoopBusy ?? 0;
  if (busy < CLIENT_BUSY) return null;
  return (
    `  client     loadgen's event loop was ${Math.round(100 * busy)}% busy: the client, not the endpoint, set the pace ` +
    `(more requests in flight would not go out faster; a less busy or faster machine would)`
  );
}

function keysLine(r: RunReport): string | null {
  const k = r.keys;
  if (!k) return null;
  let line = `  keys       ${int(k.keysSampled)} keys sampled; ${k.why}`;
  if (k.hotShards.length) {
    line += `; hot shards ${k.hotShards.map((s) => `${shortShardId(s.shardId)} ${pct(s.share)}`).join(', ')} (even share ${pct(k.evenShare)})`;
  }
  if (k.idleShards) line += `; ${k.idleShards} of ${k.openShards} shards get no keys and idle`;
  return line;
}

function shardsLine(r: RunReport): string | null {
  if (!r.shards.length || r.target.sink !== 'kinesis') return null;
  const util = (s: ShardReport): string => (s.recordsUtilization === undefined ? '' : `, ${Math.round(100 * load(s))}% of limit`);
  if (r.shards.length <= LISTED_SHARDS) {
    return '  shards     ' + r.shards.map((s) => `${shortShardId(s.shardId)} ${int(s.records)} (${pct(s.share)}${util(s)})`).join('  ');
  }
  const shares = r.shards.map((s) => s.share);
  const busiest = [...r.shards].sort((a, b) => load(b) - load(a) || b.records - a.records)[0];
  return (
    `  shards     ${r.shards.length} shards took ${pct(Math.min(...shares))} to ${pct(Math.max(...shares))} of records each; ` +
    `busiest ${shortShardId(busiest.shardId)} ${int(busiest.records)} (${pct(busiest.share)}${util(busiest)})`
  );
}

export function formatSummary(r: RunReport, options: { readonly color?: boolean } = {}): string {
  const where = r.target.embedded ? 'embedded Kinesis' : r.target.sink === 'kinesis' ? `stream ${r.target.stream}` : `${r.target.sink} sink`;
  const ended = ENDED[r.stopReason];
  const lines = [
    `loadgen ${ended}: ${where}, generator ${r.generator}, seed ${r.seed}${r.segment.count > 1 ? `, segment ${r.segment.index}/${r.segment.count} of run ${r.runId}` : ''}`,
    `  rate       target ${r.targetRate === null ? 'max' : `${int(r.targetRate)}/s`} (${r.rateExplanation})`,
    `             achieved ${int(r.achievedRate)}/s over ${r.durationSeconds.toFixed(1)} s`,
    `  records    scheduled ${int(r.recordsScheduled)}  acked ${int(r.recordsAcked)}  failed ${int(r.recordsFailed)}  dropped ${int(r.droppedRecords)}  unsent ${int(r.recordsUnsent)}`,
    `  retries    ${int(r.retries)} (throttled ${int(r.throttled)}) in ${int(r.requests)} PutRecords requests`,
    `  latency    request ${percentiles(r.latencyMs)}  (per PutRecords)`,
    `             record  ${percentiles(r.recordLatencyMs)}  (due time to ack: queueing and retries included)`,
  ];
  for (const line of [concurrencyLine(r), clientLine(r), keysLine(r), shardsLine(r)]) if (line) lines.push(line);
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
