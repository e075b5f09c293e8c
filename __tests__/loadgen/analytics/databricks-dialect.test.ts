import { ANALYSIS_QUERIES, readSql } from '../../../constructs/databricks/analysis-sql';
import { DATABRICKS_FUNCTION_SHIMS, timestampLiteral, toDuckDbSql } from '../../../loadgen/analytics/databricks-dialect';
import { useDuckDb } from './use-duckdb';

const NOW = new Date('2026-01-31T12:00:00.250Z');

describe('Databricks SQL translated for DuckDB', () => {
  const { db } = useDuckDb(DATABRICKS_FUNCTION_SHIMS);
  const one = async (sql: string): Promise<unknown> => (await db().runAndReadAll(sql)).getRows()[0][0];

  it('names the table for IDENTIFIER(...) and fixes current_timestamp() to the chosen moment', () => {
    const sql = "SELECT count(*) FROM IDENTIFIER(:catalog || '.' || :schema || '.' || :processed_table) WHERE t >= current_timestamp() - INTERVAL 1 HOUR";
    expect(toDuckDbSql(sql, 'processed', NOW)).toBe(
      `SELECT count(*) FROM "processed" WHERE t >= TIMESTAMP '2026-01-31 12:00:00.250' - INTERVAL 1 HOUR`,
    );
    expect(toDuckDbSql('SELECT now(), CURRENT_TIMESTAMP FROM IDENTIFIER(:t)', 'we"ird', NOW)).toBe(
      `SELECT TIMESTAMP '2026-01-31 12:00:00.250', TIMESTAMP '2026-01-31 12:00:00.250' FROM "we""ird"`,
    );
  });

  it('refuses SQL that keeps a named parameter DuckDB cannot fill', () => {
    expect(() => toDuckDbSql('SELECT * FROM IDENTIFIER(:t) WHERE device_id = :device', 'p', NOW)).toThrow(/named parameters.*:device/);
  });

  it('writes a UTC timestamp literal DuckDB reads back to the millisecond', async () => {
    expect(await one(`SELECT epoch_ms(${timestampLiteral(NOW)})`)).toBe(BigInt(NOW.getTime()));
  });

  it.each(ANALYSIS_QUERIES.map((q) => [q.file]))('%s runs in DuckDB once translated', async (file) => {
    await db().run('CREATE OR REPLACE TABLE processed (device_id VARCHAR, event_timestamp TIMESTAMP, temperature_c DOUBLE, is_critical BOOLEAN, is_anomaly BOOLEAN)');
    const reader = await db().runAndReadAll(toDuckDbSql(readSql(file), 'processed', NOW));
    expect(reader.columnNames().length).toBeGreaterThan(1);
  });

  it('shims the Databricks functions the notebook calls', async () => {
    expect(await one("SELECT try_parse_json('{\"a\": 1}') IS NULL")).toBe(false);
    expect(await one("SELECT try_parse_json('{oops') IS NULL")).toBe(true);
    expect(await one('SELECT try_parse_json(NULL) IS NULL')).toBe(true);
    expect(await one(`SELECT timestamp_millis(${NOW.getTime()}) = ${timestampLiteral(NOW)}`)).toBe(true);
  });
});
