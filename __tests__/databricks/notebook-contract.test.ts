import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SENSOR_RECORD_FIELDS } from '../../contract/sensor-record';
import { inspectNotebook, NOTEBOOK_PATH, type HelperResult, type NotebookInspection } from './notebook-inspection';

// The Databricks Kinesis connector's documented options (FACTS.md, Databricks section).
const CONNECTOR_OPTIONS = [
  'streamName', 'region', 'initialPosition', 'maxRecordsPerFetch', 'maxFetchRate', 'shardsPerTask',
  'consumerMode', 'roleArn', 'roleExternalId', 'roleSessionName', 'serviceCredential',
];
// Options of an unrelated open-source connector that the Databricks one silently ignores.
const FOREIGN_OPTIONS = ['awsUseInstanceProfile', 'startingPosition', 'endpointUrl', 'awsAccessKeyId', 'awsSecretKey'];

const VALID_WIDGETS: Record<string, string> = {
  stream_name: 'iot-dev-sensors',
  region: 'eu-west-1',
  auth_mode: 'instance_profile',
  service_credential: '',
  role_arn: '',
  initial_position: 'trim_horizon',
  consumer_mode: 'polling',
  max_records_per_fetch: '10000',
  catalog: 'main',
  schema: 'iot_dev',
  raw_table: 'iot_sensor_raw',
  processed_table: 'iot_sensor_processed',
  quarantine_table: 'iot_sensor_quarantine',
  checkpoint_base: '/Volumes/main/iot_dev/checkpoints/processor',
  trigger: '10 seconds',
  watermark_delay: '10 minutes',
  critical_rule: 'temperature',
  critical_temperature_c: '28.0',
  temperature_min_c: '-10',
  temperature_max_c: '45',
  pressure_min_hpa: '950',
  pressure_max_hpa: '1050',
};
const withWidgets = (patch: Record<string, string>) => ({ ...VALID_WIDGETS, ...patch });

const okValue = <T>(result: HelperResult): T => {
  if (result.error !== undefined) throw new Error(result.error);
  return result.ok as T;
};

describe('processor notebook', () => {
  let nb: NotebookInspection;
  let settings: Record<string, unknown>;
  const calls = [
    { fn: 'parse_settings', args: [VALID_WIDGETS] },
    { fn: 'parse_settings', args: [withWidgets({ region: 'Ireland' })] },
    { fn: 'parse_settings', args: [withWidgets({ auth_mode: 'access_keys' })] },
    { fn: 'parse_settings', args: [withWidgets({ auth_mode: 'service_credential' })] },
    { fn: 'parse_settings', args: [withWidgets({ temperature_min_c: '50', temperature_max_c: '45' })] },
    { fn: 'parse_settings', args: [withWidgets({ checkpoint_base: 'dbfs:/tmp/checkpoints' })] },
    { fn: 'parse_settings', args: [withWidgets({ max_records_per_fetch: '20000' })] },
    { fn: 'parse_settings', args: [{ ...VALID_WIDGETS, startingPosition: 'earliest' }] },
    { fn: 'parse_settings', args: [withWidgets({ auth_mode: 'service_credential', service_credential: 'iot-dev-kinesis' })] },
    { fn: 'parse_settings', args: [withWidgets({ auth_mode: 'role_arn', role_arn: 'arn:aws:iam::123456789012:role/iot-kinesis' })] },
    { fn: 'trigger_kwargs', args: ['availableNow'] },
    { fn: 'trigger_kwargs', args: ['10 seconds'] },
    { fn: 'quarantine_checks', args: [] },
    { fn: 'quarantine_reason_sql', args: [] },
    { fn: 'create_table_sql', args: ['`main`.`iot`.`t`', [['a', 'STRING'], ['b', 'TIMESTAMP']], ['b']] },
  ];

  beforeAll(() => {
    nb = inspectNotebook(calls);
    settings = okValue(nb.calls[0]);
  });

  it('is a Databricks Python source notebook with several cells that compiles as Python', () => {
    expect(nb.firstLine).toBe('# Databricks notebook source');
    expect(nb.cellCount).toBeGreaterThan(3);
  });

  it('fails inspection when the notebook is not valid Python', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nb-'));
    const broken = join(dir, 'broken.py');
    writeFileSync(broken, readFileSync(NOTEBOOK_PATH, 'utf8').replace('def parse_settings(raw):', 'def parse_settings(raw)'));
    expect(() => inspectNotebook([], broken)).toThrow(/SyntaxError/);
  });

  it('parses records with exactly the contract fields and Spark types', () => {
    const contract = SENSOR_RECORD_FIELDS.map((f) => `${f.path}:${f.sparkType}`).sort();
    expect(nb.schema.map((f) => `${f.path}:${f.sparkType}`).sort()).toEqual(contract);
  });

  it('quarantines exactly the records missing a required contract field', () => {
    const required = SENSOR_RECORD_FIELDS.filter((f) => f.required).map((f) => f.path);
    expect([...nb.requiredFields].sort()).toEqual([...required].sort());
    const reasons = okValue<[string, string][]>(nb.calls[12]).map(([reason]) => reason);
    for (const path of required) expect(reasons).toContain(`missing or mistyped ${path}`);
    expect(reasons).toEqual(expect.arrayContaining(['not valid JSON', 'unknown status']));
    expect(okValue<string>(nb.calls[13])).toMatch(/^CASE WHEN .* ELSE NULL END$/);
  });

  it('keeps every contract field in the processed table, flattened', () => {
    const columns = nb.processedColumns.map(([name]) => name);
    for (const f of SENSOR_RECORD_FIELDS) {
      const flat = f.path === 'timestamp' ? 'timestamp_ms' : f.path.split('.').pop()!;
      expect(columns).toContain(flat);
    }
    expect(columns).toEqual(expect.arrayContaining(['event_timestamp', 'is_critical', 'is_anomaly']));
    expect(nb.processedExprKeys).toEqual(columns);
  });

  it('drops retried writes by (run_id, device_id, seq)', () => {
    expect(nb.dedupKey).toEqual(['run_id', 'device_id', 'seq']);
  });

  it('defines and reads exactly its declared widgets, and nothing else configures it', () => {
    const declared = Object.keys(nb.widgetDefaults).sort();
    expect(nb.unresolvedWidgetCalls).toEqual([]);
    expect(nb.definedWidgets).toEqual(declared);
    expect(nb.readWidgets).toEqual(declared);
    expect(Object.keys(VALID_WIDGETS).sort()).toEqual(declared);
  });

  it('uses only option names the Databricks Kinesis connector documents', () => {
    expect(nb.kinesisOptionKeys.length).toBeGreaterThan(3);
    for (const key of nb.kinesisOptionKeys) expect(CONNECTOR_OPTIONS).toContain(key);
    for (const foreign of FOREIGN_OPTIONS) expect(nb.strings).not.toContain(foreign);
    expect(nb.writerOptions).toEqual(['checkpointLocation']);
  });

  it('validates widget values with one-line messages naming the widget and the value', () => {
    expect(settings).toMatchObject({ region: 'eu-west-1', max_records_per_fetch: 10000, temperature_max_c: 45 });
    expect(nb.calls[1].error).toMatch(/widget region must be an AWS region.*got 'Ireland'/);
    expect(nb.calls[2].error).toMatch(/widget auth_mode must be instance_profile \| service_credential \| role_arn, got 'access_keys'/);
    expect(nb.calls[3].error).toMatch(/widget service_credential must be a service credential name/);
    expect(nb.calls[4].error).toMatch(/widget temperature_min_c must be below temperature_max_c/);
    expect(nb.calls[5].error).toMatch(/widget checkpoint_base must be a path under \/Volumes/);
    expect(nb.calls[6].error).toMatch(/widget max_records_per_fetch must be an integer from 1 to 10000 .*got '20000'/);
    expect(nb.calls[7].error).toMatch(/unknown widgets \['startingPosition'\]/);
    for (const r of nb.calls.slice(1, 8)) expect(r.error).not.toContain('\n');
  });

  it('chooses the connector credential from auth_mode', () => {
    const optionsFor = (s: unknown) => inspectNotebook([{ fn: 'kinesis_options', args: [s] }]).calls[0];
    const profile = okValue<Record<string, string>>(optionsFor(settings));
    expect(profile).toEqual({
      streamName: 'iot-dev-sensors', region: 'eu-west-1', initialPosition: 'trim_horizon',
      consumerMode: 'polling', maxRecordsPerFetch: '10000',
    });
    const service = okValue<Record<string, string>>(optionsFor(okValue(nb.calls[8])));
    expect(service.serviceCredential).toBe('iot-dev-kinesis');
    expect(service.roleArn).toBeUndefined();
    const role = okValue<Record<string, string>>(optionsFor(okValue(nb.calls[9])));
    expect(role.roleArn).toBe('arn:aws:iam::123456789012:role/iot-kinesis');
  });

  it('computes flags from the thresholds, triggers and per-query checkpoints', () => {
    const more = inspectNotebook([
      { fn: 'flag_sql', args: [settings] },
      { fn: 'checkpoint_location', args: ['/Volumes/main/iot/checkpoints/processor/', 'iot_raw'] },
      { fn: 'checkpoint_location', args: ['/Volumes/main/iot/checkpoints/processor', 'iot_processed'] },
    ]).calls;
    const flags = okValue<Record<string, string>>(more[0]);
    expect(flags.is_critical).toBe('temperature_c > 28.0');
    expect(flags.is_anomaly).toContain('temperature_c < -10.0 OR temperature_c > 45.0');
    expect(flags.is_anomaly).toContain('pressure_hpa < 950.0 OR pressure_hpa > 1050.0');
    expect(okValue(more[1])).toBe('/Volumes/main/iot/checkpoints/processor/iot_raw');
    expect(okValue(more[2])).toBe('/Volumes/main/iot/checkpoints/processor/iot_processed');
    expect(okValue(nb.calls[10])).toEqual({ availableNow: true });
    expect(okValue(nb.calls[11])).toEqual({ processingTime: '10 seconds' });
  });

  it("defaults is_critical to the PoC's rule; status and another threshold only by explicit widgets", () => {
    expect(nb.widgetDefaults).toMatchObject({ critical_rule: 'temperature', critical_temperature_c: '28.0' });
    const [byDefault, withStatus, bad] = inspectNotebook([
      { fn: 'parse_flag_settings', args: [nb.widgetDefaults] },
      { fn: 'parse_flag_settings', args: [{ ...nb.widgetDefaults, critical_rule: 'temperature_or_status', critical_temperature_c: '30' }] },
      { fn: 'parse_flag_settings', args: [{ ...nb.widgetDefaults, critical_rule: 'status' }] },
    ]).calls;
    const flagsOf = (s: unknown) => okValue<Record<string, string>>(inspectNotebook([{ fn: 'flag_sql', args: [s] }]).calls[0]);
    expect(flagsOf(okValue(byDefault)).is_critical).toBe('temperature_c > 28.0');
    expect(flagsOf(okValue(withStatus)).is_critical).toBe("status = 'CRITICAL' OR temperature_c > 30.0");
    expect(bad.error).toMatch(/widget critical_rule must be temperature \| temperature_or_status, got 'status'/);
  });

  it('creates tables if absent with liquid clustering', () => {
    expect(okValue(nb.calls[14])).toBe('CREATE TABLE IF NOT EXISTS `main`.`iot`.`t` (`a` STRING, `b` TIMESTAMP) CLUSTER BY (`b`)');
  });
});
