/**
 * How every key of a run report merges when the reports of one run's segments become one report. Each key of
 * RunReport (and of its nested objects, series points and shard entries) has a declared rule, and the tables are
 * typed against the report's own types, so a new report key does not compile until someone decides how it merges;
 * a test also walks real reports for keys the types do not show. Rules:
 *   same       every part has the same value (the run's identity and settings); parts that differ are not one run
 *   sum        added (counts)
 *   max, min   the largest or smallest (peak memory; how many shards a read covered)
 *   earliest   the earliest ISO time (the run's start)
 *   any        true if true in any part
 *   sum-by-key objects of counts per code, added code by code
 *   severest   the most serious of an ordered list (why the run stopped)
 *   first      the first part that has it (optional details that come with a severest value)
 *   samples    lists concatenated up to a bound (examples of missing records)
 *   fields     an object whose own keys each have a rule
 *   histograms encoded HDR histograms, added (the percentiles are then read from the sum)
 *   series     per-second points aligned on wall-clock time, each field by its own rule (a second's latency
 *              percentiles: the largest of the parts', an upper bound, as reports keep no histogram per second)
 *   shards     entries matched by shard id, each field by its own rule
 *   derived    computed after the merge from merged keys (rates, shares, durations, percentiles, exit code, segment)
 *   thresholds every part's expressions evaluated again on the merged report
 */
import type { ConcurrencySummary } from '../metrics/concurrency-track';
import type { LatencyPoint } from '../metrics/ledger';
import type { SeriesPoint } from '../metrics/series';
import type { RunReport, ShardReport } from '../report/report';
import type { VerifyResult } from '../verify/types';

export type Rule =
  | { readonly kind: 'same' | 'sum' | 'max' | 'min' | 'earliest' | 'any' | 'sum-by-key' | 'first' | 'derived' | 'thresholds' | 'histograms' }
  | { readonly kind: 'severest'; readonly order: readonly string[] }
  | { readonly kind: 'samples'; readonly limit: number }
  | { readonly kind: 'fields'; readonly fields: Readonly<Record<string, Rule>> }
  | { readonly kind: 'series'; readonly fields: Readonly<Record<string, Rule>> }
  | { readonly kind: 'shards'; readonly fields: Readonly<Record<string, Rule>> };

/** A rule for every key of T, optional keys included. */
type RulesOf<T> = { readonly [K in keyof Required<T>]: Rule };

const same: Rule = { kind: 'same' };
const sum: Rule = { kind: 'sum' };
const max: Rule = { kind: 'max' };
const derived: Rule = { kind: 'derived' };
const sumByKey: Rule = { kind: 'sum-by-key' };

/** Why a run stopped, most serious first: a merged run stopped for the most serious reason any part did. */
export const STOP_SEVERITY = ['failed', 'unreachable', 'aborted', 'interrupted', 'output-closed', 'completed'] as const;

/**
 * A second's latency percentiles in a merged series: the largest of the parts' (an upper bound). Exact ones would
 * need every second's histogram in every report: 0.3-3 KB a second, megabytes for an hour. The run's percentiles
 * (latencyMs, recordLatencyMs) are exact: reports carry the run's histograms.
 */
const secondLatency: Rule = { kind: 'fields', fields: { p50: max, p90: max, p99: max, max } satisfies RulesOf<LatencyPoint> };

export const SERIES_POINT_RULES: RulesOf<SeriesPoint> = {
  second: derived, // the merged run's second, from each part's start
  sent: sum,
  acked: sum,
  throttled: sum,
  dropped: sum,
  failed: sum,
  scheduled: sum,
  retried: sum,
  latencyMs: secondLatency,
  recordLatencyMs: secondLatency,
  cloudwatch: { kind: 'first' }, // the stream's own figures for the period: the same whoever watched
  concurrency: sum, // each segment's limit in force: together, what the run allowed in flight
};

export const SHARD_RULES: RulesOf<ShardReport> = {
  shardId: same, // the key entries are matched by
  records: sum,
  bytes: sum,
  throttled: sum,
  share: derived, // of the merged run's acked records
  expectedShare: { kind: 'first' }, // planned from the whole run's keys: the same in every segment
  recordsUtilization: derived, // the merged records over the merged run's duration
  bytesUtilization: derived,
};

/**
 * Each segment's own controller sized its own limit: the run's are their sums (min and max: the sums of the
 * segments' lows and highs, bounds on the run's); the reasons are the first segment's (the segments of a run see
 * the same rate share and endpoint, so they decide alike).
 */
export const CONCURRENCY_RULES: RulesOf<ConcurrencySummary> = {
  mode: same,
  settled: sum,
  reason: { kind: 'first' },
  why: { kind: 'first' },
  final: sum,
  min: sum,
  max: sum,
  changes: sum,
  controllers: sum,
};

export const VERIFY_RULES: RulesOf<VerifyResult> = {
  received: sum,
  missing: sum,
  duplicates: sum,
  matched: sum,
  method: { kind: 'severest', order: ['mixed', 'sequence-number', 'seq-per-key'] },
  missingSample: { kind: 'samples', limit: 10 },
  shardsRead: max, // each segment reads every shard
  readsThrottled: sum,
  runs: max,
  unrecognized: sum,
};

export const REPORT_RULES: RulesOf<RunReport> = {
  tool: same,
  command: same,
  startedAt: { kind: 'earliest' },
  target: same,
  generator: same,
  seed: same,
  runId: same,
  segment: derived, // the segment the parts make up together
  rateMode: same,
  targetRate: sum, // each segment's share of the whole rate
  rateExplanation: same, // it explains the whole run's rate
  achievedRate: derived,
  durationSeconds: derived, // from the earliest start to the latest end
  recordsScheduled: sum,
  recordsGenerated: sum,
  recordsSent: sum,
  recordsAcked: sum,
  recordsFailed: sum,
  droppedRecords: sum,
  recordsUnsent: sum,
  bytesAcked: sum,
  requests: sum,
  requestErrors: sum,
  requestErrorCodes: sumByKey,
  retries: sum,
  throttled: sum,
  routingMismatches: sum,
  failureCodes: sumByKey,
  achievedPct: derived,
  throttledPct: derived,
  droppedPct: derived,
  failedPct: derived,
  interrupted: { kind: 'any' },
  stopReason: { kind: 'severest', order: STOP_SEVERITY },
  unreachable: { kind: 'first' },
  latencyMs: derived, // read from the merged histogram
  recordLatencyMs: derived, // read from the merged histogram
  concurrency: { kind: 'fields', fields: CONCURRENCY_RULES },
  keys: same, // planned from the whole run's keys: the same in every segment
  histograms: { kind: 'histograms' },
  shards: { kind: 'shards', fields: SHARD_RULES },
  series: { kind: 'series', fields: SERIES_POINT_RULES },
  verify: { kind: 'fields', fields: VERIFY_RULES },
  thresholds: { kind: 'thresholds' },
  consumer: { kind: 'first' }, // the stream's CloudWatch figures: the same whoever watched (the parent of workers does)
  settings: same, // the run's options: one run, one set
  // eventLoopBusy: the busiest segment's (near 1, that one was the bottleneck)
  client: { kind: 'fields', fields: { cpuSeconds: sum, maxRssMB: max, eventLoopBusy: max } satisfies RulesOf<RunReport['client']> },
  exitCode: derived,
};

/** The rule for a dotted path into a report (`verify.missing`, `series.acked`), or undefined when none is declared. */
export function ruleAt(path: readonly string[], rules: Readonly<Record<string, Rule>> = REPORT_RULES): Rule | undefined {
  const [head, ...rest] = path;
  const rule = Object.hasOwn(rules, head) ? rules[head] : undefined;
  if (!rule || rest.length === 0) return rule;
  if (rule.kind === 'fields' || rule.kind === 'series' || rule.kind === 'shards') return ruleAt(rest, rule.fields);
  // Keys inside values merged whole (target, segment, histograms, per-code counts, thresholds) are the value's own.
  return rule;
}
