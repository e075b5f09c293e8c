/**
 * The few Databricks SQL constructs the notebook's rules and the chart queries use that DuckDB spells
 * differently: function shims as DuckDB macros, and one rewrite for the queries' parameters and clock.
 */
import { parameterMarkers } from '../../constructs/databricks/analysis-sql';

/** Databricks functions the notebook's SQL calls, defined in DuckDB under the same names. */
export const DATABRICKS_FUNCTION_SHIMS: readonly string[] = [
  // Databricks returns a VARIANT, NULL for text that is not JSON; the notebook only tests for NULL.
  'CREATE MACRO try_parse_json(text) AS CASE WHEN json_valid(text) THEN text::JSON END',
  // Epoch milliseconds to a TIMESTAMP (UTC), as the notebook derives event_timestamp.
  'CREATE MACRO timestamp_millis(ms) AS epoch_ms(ms)',
];

const quoteIdentifier = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** A TIMESTAMP literal in UTC, millisecond precision. */
export const timestampLiteral = (at: Date): string => `TIMESTAMP '${at.toISOString().replace('T', ' ').replace('Z', '')}'`;

/**
 * Databricks SQL -> DuckDB SQL: `IDENTIFIER(:catalog || '.' || ...)` names `table`, and `current_timestamp()`
 * (or `current_timestamp`, `now()`) is the fixed moment `now`, so a window's end is chosen rather than read from the clock. Throws
 * when a named parameter is left, which DuckDB would not know how to fill.
 */
export function toDuckDbSql(sql: string, table: string, now: Date): string {
  const translated = sql
    .replace(/IDENTIFIER\([^)]*\)/g, quoteIdentifier(table))
    .replace(/\bcurrent_timestamp\b(\(\))?|\bnow\(\)/gi, timestampLiteral(now));
  const left = parameterMarkers(translated);
  if (left.length > 0) throw new Error(`SQL still has named parameters after translation: ${left.map((p) => `:${p}`).join(', ')}`);
  return translated;
}
