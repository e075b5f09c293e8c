/**
 * Derives the notebook's processed and quarantine tables from the raw payloads, in DuckDB, with the notebook's
 * own rules: `record` is parsed with the contract's schema (as the notebook's from_json), the quarantine reason,
 * the flags and the dedup key come from the notebook (notebook-rules.ts). Kinesis columns (shard, sequence
 * number, arrival time) do not exist offline and are left out.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { SENSOR_RECORD_FIELDS, type ContractField } from '../../contract/sensor-record';
import type { NotebookRules } from './notebook-rules';

/** JSON value types DuckDB's json_type reports that Spark's from_json accepts for each contract type. */
const JSON_TYPES: Record<ContractField['sparkType'], string | null> = {
  string: null, // Spark keeps any JSON value's text for a string field, as json_extract_string does
  long: "'BIGINT', 'UBIGINT'",
  double: "'DOUBLE', 'BIGINT', 'UBIGINT'",
};
const DUCKDB_TYPES: Record<ContractField['sparkType'], string> = { string: 'VARCHAR', long: 'BIGINT', double: 'DOUBLE' };

function leafSql(field: ContractField): string {
  const path = `'$.${field.path}'`;
  const accepted = JSON_TYPES[field.sparkType];
  if (accepted === null) return `json_extract_string(payload, ${path})`;
  // A value of another JSON type is NULL (Spark 3's from_json), never coerced ("7" is not a seq).
  return `CASE WHEN json_type(payload, ${path}) IN (${accepted}) THEN TRY_CAST(json_extract(payload, ${path}) AS ${DUCKDB_TYPES[field.sparkType]}) END`;
}

type StructTree = Map<string, StructTree | ContractField>;

function structSql(tree: StructTree): string {
  const members = [...tree].map(([name, node]) => `'${name}': ${node instanceof Map ? structSql(node) : leafSql(node)}`);
  return `{${members.join(', ')}}`;
}

/** `record`: the payload parsed with the contract's schema; NULL unless the payload is a JSON object. */
export function recordSql(fields: readonly ContractField[] = SENSOR_RECORD_FIELDS): string {
  const root: StructTree = new Map();
  for (const field of fields) {
    const parts = field.path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      if (!node.has(part)) node.set(part, new Map());
      node = node.get(part) as StructTree;
    }
    node.set(parts[parts.length - 1], field);
  }
  return `CASE WHEN json_valid(payload) AND json_type(payload) = 'OBJECT' THEN ${structSql(root)} END`;
}

/** The processed table's contract columns (name -> SQL): metrics flattened, the epoch-ms timestamp kept and converted. */
function flattenedColumns(fields: readonly ContractField[] = SENSOR_RECORD_FIELDS): [string, string][] {
  return fields.flatMap((f): [string, string][] =>
    f.path === 'timestamp'
      ? [['event_timestamp', 'timestamp_millis(record.timestamp)'], ['timestamp_ms', 'record.timestamp']]
      : [[f.path.split('.').pop()!, `record.${f.path}`]],
  );
}

const flattenedColumnNames = (): string[] => flattenedColumns().map(([name]) => name);
const flattenedColumnsSql = (): string => flattenedColumns().map(([name, sql]) => `${sql} AS ${name}`).join(', ');

/**
 * From `raw` (line, payload): `quarantine` (line, payload, reason) and `processed` (the contract's columns,
 * event_timestamp, is_critical, is_anomaly), a retried write of a reading kept once (the first line).
 */
export async function deriveTables(connection: DuckDBConnection, rules: NotebookRules, raw = 'raw'): Promise<void> {
  // The notebook's column order, less what only Kinesis can fill.
  const offline = new Set([...flattenedColumnNames(), 'is_critical', 'is_anomaly']);
  const columns = rules.processedColumns.filter((c) => offline.has(c));
  await connection.run(
    `CREATE TEMP TABLE checked AS SELECT line, payload, record, ${rules.quarantineReason} AS reason ` +
      `FROM (SELECT line, payload, ${recordSql()} AS record FROM ${raw})`,
  );
  await connection.run('CREATE TABLE quarantine AS SELECT line, payload, reason FROM checked WHERE reason IS NOT NULL');
  await connection.run(
    `CREATE TABLE processed AS SELECT ${columns.join(', ')} FROM (` +
      `SELECT *, (${rules.isCritical}) AS is_critical, (${rules.isAnomaly}) AS is_anomaly ` +
      `FROM (SELECT line, ${flattenedColumnsSql()} FROM checked WHERE reason IS NULL)) ` +
      `QUALIFY row_number() OVER (PARTITION BY ${rules.dedupKey.join(', ')} ORDER BY line) = 1`,
  );
}
