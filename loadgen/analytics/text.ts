/** The analytics result as text: what was loaded and which rules applied, then each chart's table. */
import { int } from '../shared/format';
import type { AnalyticsResult } from './analytics';
import type { Cell, ChartTable } from './charts';

const show = (value: Cell): string => {
  if (value === null) return '';
  if (typeof value === 'number') return Number.isInteger(value) ? int(value) : value.toFixed(2);
  return String(value);
};

/** Columns padded to their widest cell; numbers right-aligned. */
export function formatTable(chart: Pick<ChartTable, 'columns' | 'rows'>): string {
  const cells = chart.rows.map((row) => chart.columns.map((c) => show(row[c])));
  const numeric = chart.columns.map((c) => chart.rows.length > 0 && chart.rows.every((row) => row[c] === null || typeof row[c] === 'number'));
  const widths = chart.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]): string =>
    values.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line([...chart.columns]), ...cells.map(line)].join('\n');
}

const percent = (part: number, whole: number): string => (whole > 0 ? `${((part / whole) * 100).toFixed(1)} %` : 'n/a');

export function formatAnalytics(r: AnalyticsResult): string {
  const reasons = Object.entries(r.quarantineReasons).map(([reason, n]) => `${reason} ${int(n)}`);
  const widgets = Object.entries(r.rules.widgets).map(([name, value]) => `${name}=${value}`);
  const windowEnd = {
    'newest reading': '(the newest reading; --now sets another end)',
    requested: '(--now)',
    clock: '(now: no readings)',
  }[r.windowEndFrom];
  const lines = [
    `records     ${int(r.lines)} lines from ${r.files.length} file${r.files.length === 1 ? '' : 's'}: ${int(r.processed)} processed, ` +
      `${int(r.duplicates)} retried writes dropped, ${int(r.quarantined)} quarantined${reasons.length ? ` (${reasons.join(', ')})` : ''}`,
    `rules       is_critical = ${r.rules.isCritical}`,
    `            is_anomaly  = ${r.rules.isAnomaly}`,
    `            from the notebook with ${widgets.join(' ')}`,
    `flags       ${int(r.critical)} critical (${percent(r.critical, r.processed)}), ${int(r.anomalies)} anomalies (${percent(r.anomalies, r.processed)}) of ${int(r.processed)} readings`,
    `events      ${r.firstEvent ?? '-'} .. ${r.lastEvent ?? '-'}`,
    `windows     end at ${r.windowEnd} ${windowEnd}`,
  ];
  for (const chart of r.charts) {
    lines.push('', `${chart.title} (notebooks/sql/${chart.file}): ${chart.rows.length} row${chart.rows.length === 1 ? '' : 's'}`);
    lines.push(formatTable(chart));
  }
  return lines.join('\n');
}
