import { readdirSync } from 'node:fs';
import { ANALYSIS_QUERIES, SQL_DIR, inlineTableName, parameterMarkers, readSql } from '../../constructs/databricks/analysis-sql';
import { inspectNotebook } from './notebook-inspection';
import { columnReferences } from './sql-columns';

describe('SQL files', () => {
  const processedColumns = inspectNotebook().processedColumns.map(([name]) => name);

  it('ships the schema script and both analysis queries', () => {
    expect(readdirSync(SQL_DIR).sort()).toEqual(
      ['create_schema.sql', ...ANALYSIS_QUERIES.map((q) => q.file)].sort(),
    );
  });

  it.each(ANALYSIS_QUERIES.map((q) => [q.file]))('%s reads only columns the processed table has', (file) => {
    const refs = columnReferences(readSql(file));
    expect(refs.length).toBeGreaterThan(1);
    expect(refs.filter((c) => !processedColumns.includes(c))).toEqual([]);
  });

  it('the column reader flags a column the processed table does not have', () => {
    const refs = columnReferences("SELECT avg(temperature) AS t FROM x WHERE status = 'CRITICAL' -- humidity");
    expect(refs).toEqual(['status', 'temperature', 'x']);
  });

  it.each(ANALYSIS_QUERIES.map((q) => [q.file]))('%s names its table only through catalog/schema/table parameters', (file) => {
    const sql = readSql(file);
    expect(parameterMarkers(sql)).toEqual(['catalog', 'processed_table', 'schema']);
    expect(sql).toMatch(/FROM IDENTIFIER\(:catalog \|\| '\.' \|\| :schema \|\| '\.' \|\| :processed_table\)/);
    expect(sql).not.toMatch(/iot_sensor_processed|\bmain\./);
  });

  it('create_schema.sql is parameterised by catalog and schema', () => {
    const sql = readSql('create_schema.sql');
    expect(parameterMarkers(sql)).toEqual(['catalog', 'schema']);
    expect(sql).toMatch(/CREATE SCHEMA IF NOT EXISTS IDENTIFIER\(:catalog \|\| '\.' \|\| :schema\)/);
  });

  it('inlines a quoted three-part name for plain-SQL consumers', () => {
    const sql = inlineTableName(readSql('fleet_temperature_trend.sql'), 'main', 'iot_dev', 'iot_sensor_processed');
    expect(sql).toContain('FROM `main`.`iot_dev`.`iot_sensor_processed`');
    expect(parameterMarkers(sql)).toEqual([]);
    expect(() => inlineTableName('SELECT 1 FROM t WHERE x = :y', 'a', 'b', 'c')).toThrow(/parameter markers.*y/);
  });
});
