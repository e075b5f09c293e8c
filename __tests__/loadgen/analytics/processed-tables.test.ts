import { DATABRICKS_FUNCTION_SHIMS } from '../../../loadgen/analytics/databricks-dialect';
import { readNotebookRules } from '../../../loadgen/analytics/notebook-rules';
import { deriveTables } from '../../../loadgen/analytics/processed-tables';
import { inspectNotebook } from '../../databricks/notebook-inspection';
import { useDuckDb } from './use-duckdb';

/** Columns only Kinesis can fill: the offline tables leave them out. */
const KINESIS_COLUMNS = ['shard_id', 'sequence_number', 'approximate_arrival_timestamp', 'ingest_timestamp'];
const SPARK_TO_DUCKDB: Record<string, string> = { STRING: 'VARCHAR', BIGINT: 'BIGINT', DOUBLE: 'DOUBLE', TIMESTAMP: 'TIMESTAMP', BOOLEAN: 'BOOLEAN' };

describe('processed table derived offline', () => {
  const { db } = useDuckDb([
    ...DATABRICKS_FUNCTION_SHIMS,
    'CREATE TABLE raw (line BIGINT, payload VARCHAR)',
    `INSERT INTO raw VALUES (0, '{"device_id":"d","timestamp":1769860800000,"metrics":{"temperature_c":28.01},"status":"WARNING","seq":0,"run_id":"r"}')`,
  ]);

  it("has the notebook's processed columns and types, less the Kinesis ones, in its order", async () => {
    await deriveTables(db(), readNotebookRules());
    const described = (await db().runAndReadAll('DESCRIBE processed')).getRowObjectsJS().map((r) => [r.column_name, r.column_type]);
    const notebook = inspectNotebook().processedColumns.filter(([name]) => !KINESIS_COLUMNS.includes(name));
    expect(described).toEqual(notebook.map(([name, type]) => [name, SPARK_TO_DUCKDB[type]]));
    const [row] = (await db().runAndReadAll('SELECT * FROM processed')).getRowObjectsJS();
    expect(row).toMatchObject({
      device_id: 'd', timestamp_ms: 1769860800000n, event_timestamp: new Date(1769860800000), temperature_c: 28.01,
      pressure_hpa: null, status: 'WARNING', is_critical: true, is_anomaly: false,
    });
  });
});
