/** Runs the dashboard's chart queries (notebooks/sql/) on the derived processed table, translated for DuckDB. */
import type { DuckDBConnection } from '@duckdb/node-api';
import { ANALYSIS_QUERIES, readSql } from '../../constructs/databricks/analysis-sql';
import { toDuckDbSql } from './databricks-dialect';

export type Cell = string | number | boolean | null;

/** One chart's data: its query's columns and rows (timestamps as ISO strings in UTC). */
export interface ChartTable {
  /** The query's key in constructs/databricks/analysis-sql.ts and its file in notebooks/sql/. */
  readonly key: string;
  readonly file: string;
  readonly title: string;
  readonly columns: readonly string[];
  readonly rows: readonly Record<string, Cell>[];
}

function cell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}

/** Runs a query and returns its columns and rows as plain JSON values. */
export async function query(connection: DuckDBConnection, sql: string): Promise<{ columns: string[]; rows: Record<string, Cell>[] }> {
  const reader = await connection.runAndReadAll(sql);
  const columns = reader.columnNames();
  const rows = reader.getRowObjectsJS().map((row) => Object.fromEntries(columns.map((c) => [c, cell(row[c])])));
  return { columns, rows };
}

/** Every chart query over `table`, with `now` as the end of their time windows. */
export async function runCharts(connection: DuckDBConnection, table: string, now: Date): Promise<ChartTable[]> {
  const charts: ChartTable[] = [];
  for (const q of ANALYSIS_QUERIES) {
    const { columns, rows } = await query(connection, toDuckDbSql(readSql(q.file), table, now));
    charts.push({ key: q.key, file: q.file, title: q.title, columns, rows });
  }
  return charts;
}
