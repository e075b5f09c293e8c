import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** notebooks/sql: the schema script and the analysis queries, parameterised by catalog, schema and table. */
export const SQL_DIR = resolve(__dirname, '../../notebooks/sql');

export interface AnalysisQuery {
  /** Construct id and dashboard dataset name. */
  readonly key: string;
  readonly file: string;
  readonly title: string;
}

export const ANALYSIS_QUERIES: readonly AnalysisQuery[] = [
  { key: 'fleet_temperature_trend', file: 'fleet_temperature_trend.sql', title: 'Fleet temperature per minute, last hour' },
  { key: 'critical_events_by_device', file: 'critical_events_by_device.sql', title: 'Critical events per device, last 24 hours' },
];

export const readSql = (file: string): string => readFileSync(join(SQL_DIR, file), 'utf8');

const withoutCommentsAndStrings = (sql: string): string =>
  sql.replace(/--[^\n]*/g, ' ').replace(/'(?:[^']|'')*'/g, ' ');

/** Named parameter markers (`:name`) outside comments and string literals, sorted. */
export function parameterMarkers(sql: string): string[] {
  const names = [...withoutCommentsAndStrings(sql).matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
  return [...new Set(names)].sort();
}

/**
 * Replaces each `IDENTIFIER(...)` clause with a back-quoted three-part name, for consumers that take plain
 * SQL (the dashboard's datasets), so both read the same file.
 */
export function inlineTableName(sql: string, catalog: string, schema: string, table: string): string {
  const quoted = [catalog, schema, table].map((part) => '`' + part.replace(/`/g, '``') + '`').join('.');
  const inlined = sql.replace(/IDENTIFIER\([^)]*\)/g, quoted);
  const left = parameterMarkers(inlined);
  if (left.length > 0) throw new Error(`SQL still has parameter markers after inlining the table name: ${left.join(', ')}`);
  return inlined;
}
