/**
 * Thresholds checked against a report: each key is looked up generically as a dotted path, so any number a
 * report carries (including keys added later) can gate a run without changes here.
 */
import { compare, type Threshold } from './expression';

export interface ThresholdResult {
  readonly expression: string;
  readonly key: string;
  /** The report's value; null when the report has no number there (the threshold then fails). */
  readonly value: number | null;
  readonly ok: boolean;
  readonly abortOnFail: boolean;
  /** Set when it failed during the run and stopped it (abortOnFail): when, and the value then. */
  readonly abortedRun?: { readonly atSecond: number; readonly value: number | null };
}

/** The value at a dotted path, or undefined when a step is missing. */
export function lookup(report: unknown, key: string): unknown {
  let node: unknown = report;
  for (const name of key.split('.')) {
    if (node === null || typeof node !== 'object' || Array.isArray(node) || !Object.hasOwn(node, name)) return undefined;
    node = (node as Record<string, unknown>)[name];
  }
  return node;
}

/** The threshold's value in the report and whether it holds. */
export function check(threshold: Threshold, report: unknown): { value: number | null; ok: boolean } {
  const raw = lookup(report, threshold.key);
  const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
  return { value, ok: value !== null && compare(value, threshold.op, threshold.limit) };
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  report: unknown,
  aborted?: { readonly threshold: Threshold; readonly atSecond: number; readonly value: number | null },
): ThresholdResult[] {
  return thresholds.map((t) => {
    const { value, ok } = check(t, report);
    const result = { expression: t.expression, key: t.key, value, ok, abortOnFail: t.abortOnFail };
    // A threshold that stopped the run failed, whatever the shortened run's final value says.
    if (aborted?.threshold === t) return { ...result, ok: false, abortedRun: { atSecond: aborted.atSecond, value: aborted.value } };
    return result;
  });
}
