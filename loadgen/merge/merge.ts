/**
 * One report from the reports of one run's segments (`loadgen merge`, `--workers`, `fleet run`): every key by its
 * declared rule (rules.ts), then the figures derived from the merged counts, the percentiles read from the added
 * histograms, and the parts' thresholds evaluated again on the whole. Parts of different runs, a segment missing
 * or given twice, and keys no rule covers are errors naming the parts.
 */
import { addEncoded, summaryOfEncoded } from '../metrics/latency';
import { exitCodeOf } from '../report/exit-code';
import { derivedFigures, roundTargetRate, shardReports, type RunReport, type ShardReport } from '../report/report';
import { WHOLE_RUN, coverProblem, formatSegment, type Segment } from '../segments/segment';
import { evaluateThresholds, type ThresholdResult } from '../thresholds/evaluate';
import { parseThreshold, type Threshold } from '../thresholds/expression';
import { isObject } from '../shared/is-object';
import { mergeSeries, mergeShards } from './lists';
import { REPORT_RULES, type Rule } from './rules';

/** A report and where it came from (a file, an S3 key, a worker), for messages. */
export interface ReportPart {
  readonly name: string;
  readonly report: RunReport;
}

/** The parts cannot be merged; the message is one line naming them. */
export class MergeError extends Error {
  override readonly name = 'MergeError';
}

export interface MergeOptions {
  /** What the parts must make up together. @default the whole run */
  readonly whole?: Segment;
  /** More thresholds to evaluate on the merged report, after the parts' own. */
  readonly thresholds?: readonly Threshold[];
}

const list = (names: readonly string[]): string => (names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : names.join(', '));
const segments = (s: readonly Segment[]): string => list(s.map(formatSegment));

/** Every part is one run's, and together they are `whole`, each segment once. */
function checkParts(parts: readonly ReportPart[], whole: Segment): void {
  if (parts.length === 0) throw new MergeError('no reports to merge');
  const runs = new Map<string, string[]>();
  for (const { name, report } of parts) runs.set(report.runId, [...(runs.get(report.runId) ?? []), name]);
  if (runs.size > 1) {
    const described = [...runs].map(([runId, names]) => `run ${runId} (${list(names)})`);
    throw new MergeError(`the reports belong to ${runs.size} different runs: ${described.join('; ')}; merge the parts of one run (one --run-id)`);
  }
  const problem = coverProblem(
    parts.map((p) => p.report.segment),
    whole,
  );
  if (!problem) return;
  const runId = parts[0].report.runId;
  if (problem.kind === 'mixed-counts') {
    throw new MergeError(`the reports of run ${runId} cut it into different numbers of segments (${problem.counts.join(', ')}): merge the parts of one cut`);
  }
  const named = (segment: Segment): string => {
    const names = parts.filter((p) => p.report.segment.index === segment.index).map((p) => p.name);
    return `${formatSegment(segment)} (${list(names)})`;
  };
  const issues: string[] = [];
  if (problem.missing.length) issues.push(`segment${problem.missing.length > 1 ? 's' : ''} ${segments(problem.missing)} missing`);
  if (problem.duplicate.length) issues.push(`given twice: ${problem.duplicate.map(named).join(', ')}`);
  if (problem.outside.length) issues.push(`not part of segment ${formatSegment(whole)}: ${problem.outside.map(named).join(', ')}`);
  throw new MergeError(`run ${runId} is not complete: ${issues.join('; ')}`);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Merges the values one key has in the parts (undefined where a part lacks it). */
function mergeValue(rule: Rule, key: string, values: readonly unknown[], parts: readonly ReportPart[]): unknown {
  const present = values.filter((v) => v !== undefined);
  if (present.length === 0) return undefined;
  switch (rule.kind) {
    case 'same': {
      const differing = parts.filter((_, i) => values[i] !== undefined && !equal(values[i], present[0]));
      if (differing.length) {
        throw new MergeError(`the reports disagree on ${key} (${JSON.stringify(present[0])} in ${parts[values.indexOf(present[0])].name}, ${JSON.stringify(values[parts.indexOf(differing[0])])} in ${differing[0].name}): not parts of one run`);
      }
      return present[0];
    }
    case 'sum': {
      if (present.every((v) => v === null)) return null;
      return present.reduce<number>((total, v) => total + (typeof v === 'number' ? v : 0), 0);
    }
    case 'max':
      return Math.max(...present.map(Number));
    case 'min':
      return Math.min(...present.map(Number));
    case 'earliest':
      return present.map(String).sort()[0];
    case 'any':
      return present.some(Boolean);
    case 'first':
      return present[0];
    case 'sum-by-key': {
      const total: Record<string, number> = {};
      for (const counts of present as Record<string, number>[]) for (const [code, n] of Object.entries(counts)) total[code] = (total[code] ?? 0) + n;
      return total;
    }
    case 'severest':
      return [...rule.order].find((level) => present.includes(level)) ?? present[0];
    case 'samples':
      return (present as unknown[][]).flat().slice(0, rule.limit);
    case 'fields':
      if (present.every((v) => v === null)) return null;
      return mergeFields(rule.fields, key, present as Record<string, unknown>[], parts.filter((_, i) => values[i] !== undefined));
    case 'histograms': {
      const merged: Record<string, string> = {};
      for (const name of new Set(present.flatMap((h) => Object.keys(h as object)))) {
        const encoded = present.map((h) => (h as Record<string, string>)[name]).filter((e) => typeof e === 'string');
        merged[name] = decoded(`${key}.${name}`, () => addEncoded(encoded));
      }
      return merged;
    }
    // Lists and derived keys are handled by the caller.
    case 'series':
    case 'shards':
    case 'derived':
    case 'thresholds':
      return undefined;
  }
}

/** Decodes reports' histograms; one that is not one is a merge error naming the key. */
function decoded<T>(key: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new MergeError(`${key} is not an encoded HDR histogram in every report (${(error as Error).message})`);
  }
}

/** Merges objects key by key; a key without a rule is an error (a report from another version of loadgen?). */
function mergeFields(rules: Readonly<Record<string, Rule>>, at: string, objects: readonly Record<string, unknown>[], parts: readonly ReportPart[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  const keys = new Set(objects.flatMap((o) => (isObject(o) ? Object.keys(o) : [])));
  for (const key of keys) {
    const path = at ? `${at}.${key}` : key;
    if (!Object.hasOwn(rules, key)) {
      const holder = parts[objects.findIndex((o) => isObject(o) && Object.hasOwn(o, key))];
      throw new MergeError(`${holder.name} has the report key ${path}, which has no merge rule in this version of loadgen (a report of another version?)`);
    }
    const value = mergeValue(rules[key], path, objects.map((o) => (isObject(o) ? o[key] : undefined)), parts);
    if (value !== undefined) merged[key] = value;
  }
  return merged;
}

/** Every part's thresholds (and the merge's own), evaluated on the merged report; one that stopped a part stays failed. */
function mergeThresholds(parts: readonly ReportPart[], merged: RunReport, extra: readonly Threshold[]): ThresholdResult[] {
  const byExpression = new Map<string, Threshold>();
  const stopped = new Map<string, ThresholdResult['abortedRun']>();
  for (const { report } of parts) {
    for (const result of report.thresholds ?? []) {
      const parsed = parseThreshold(result.expression);
      if (parsed.ok && !byExpression.has(result.expression)) byExpression.set(result.expression, parsed.threshold);
      if (result.abortedRun && !stopped.has(result.expression)) stopped.set(result.expression, result.abortedRun);
    }
  }
  for (const t of extra) if (!byExpression.has(t.expression)) byExpression.set(t.expression, t);
  return evaluateThresholds([...byExpression.values()], merged).map((result) => {
    const abortedRun = stopped.get(result.expression);
    return abortedRun ? { ...result, ok: false, abortedRun } : result;
  });
}

/** The parts' shards added up, with their shares and utilization derived again from the merged counts. */
function mergedShards(parts: readonly ReportPart[], acked: number, durationSeconds: number): ShardReport[] {
  const tallies = mergeShards(parts.map((p) => p.report.shards ?? []));
  const planned = tallies.filter((s) => s.expectedShare !== undefined);
  const expectedShares = planned.length ? Object.fromEntries(planned.map((s) => [s.shardId, s.expectedShare!])) : undefined;
  return shardReports(tallies, acked, durationSeconds, expectedShares);
}

export function mergeReports(parts: readonly ReportPart[], options: MergeOptions = {}): RunReport {
  const whole = options.whole ?? WHOLE_RUN;
  checkParts(parts, whole);
  const reports = parts.map((p) => p.report as unknown as Record<string, unknown>);
  const merged = mergeFields(REPORT_RULES, '', reports, parts) as Record<string, unknown>;
  const base = merged as unknown as RunReport;

  // Wall-clock alignment: each part's seconds shift by its start's offset from the earliest.
  const startMs = Math.min(...parts.map((p) => Date.parse(p.report.startedAt)));
  const offsets = parts.map((p) => Math.round((Date.parse(p.report.startedAt) - startMs) / 1000));
  const endMs = Math.max(...parts.map((p) => Date.parse(p.report.startedAt) + p.report.durationSeconds * 1000));
  const targetRate = base.targetRate === null ? null : roundTargetRate(base.targetRate, whole);
  const derived = derivedFigures({
    acked: base.recordsAcked,
    durationSeconds: (endMs - startMs) / 1000,
    targetRate,
    throttled: base.throttled,
    sent: base.recordsSent,
    dropped: base.droppedRecords,
    failed: base.recordsFailed,
    scheduled: base.recordsScheduled,
  });
  // Every histogram's percentiles, from the merged histogram (never an average of the parts' percentiles).
  const summaries: Record<string, unknown> = {};
  for (const [name, encoded] of Object.entries(base.histograms)) {
    const maxUs = Math.max(0, ...reports.map((r) => Math.round(((r[name] as { max?: number } | undefined)?.max ?? 0) * 1000)));
    const { count: _count, ...summary } = decoded(`histograms.${name}`, () => summaryOfEncoded([encoded], maxUs));
    summaries[name] = summary;
  }
  const withLists = {
    ...merged,
    targetRate,
    ...derived,
    ...summaries,
    segment: whole,
    shards: mergedShards(parts, base.recordsAcked, derived.durationSeconds),
    series: mergeSeries(
      parts.map((p) => p.report.series ?? []),
      offsets,
    ),
  } as unknown as RunReport;
  const thresholds = mergeThresholds(parts, withLists, options.thresholds ?? []);
  const { thresholds: _parts, exitCode: _exit, ...rest } = withLists;
  const report = { ...rest, ...(thresholds.length ? { thresholds } : {}) } as RunReport;
  // Keys in the order a run writes them, so a merged report reads like one; the exit code last.
  return orderLike(parts[0].report, { ...report, exitCode: exitCodeOf(report) });
}

/** `report`'s keys in the order `model` has them (keys `model` lacks at the end). */
function orderLike(model: RunReport, report: RunReport): RunReport {
  const out: Record<string, unknown> = {};
  const source = report as unknown as Record<string, unknown>;
  for (const key of Object.keys(model)) if (key in source && key !== 'exitCode') out[key] = source[key];
  for (const key of Object.keys(source)) if (!(key in out)) out[key] = source[key];
  return out as unknown as RunReport;
}
