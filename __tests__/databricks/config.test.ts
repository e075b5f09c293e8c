import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig } from '../../config/load';

const raw = (stage: string) => JSON.parse(readFileSync(join(__dirname, `../../config/${stage}.json`), 'utf8'));

/** The ConfigError message for dev.json with `databricks` patched. */
function errorFor(databricks: Record<string, unknown>): string {
  const config = raw('dev');
  try {
    parseConfig({ ...config, databricks: { ...config.databricks, ...databricks } });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

describe('databricks config', () => {
  it.each(['dev', 'prod'])('%s.json validates, with defaults filled in', (stage) => {
    const c = loadConfig(stage).databricks;
    expect(c.unityCatalog.schema).toBe(`iot_${stage}`);
    expect(c.tables.processed).toBe('iot_sensor_processed');
    expect(c.cluster.shardsPerWorker).toBeGreaterThanOrEqual(1);
  });

  it.each(['dev', 'prod'])("%s flags a reading critical by the PoC's rule unless configured otherwise", (stage) => {
    expect(loadConfig(stage).databricks.thresholds).toMatchObject({ criticalRule: 'temperature', criticalTemperatureC: 28 });
  });

  it('prod alerts by e-mail on a standard-mode cluster; dev caps the cluster at 2 workers', () => {
    const prod = loadConfig('prod').databricks;
    expect(prod.alerts.email).toMatch(/@/);
    expect(prod.cluster.accessMode).toBe('standard');
    expect(loadConfig('dev').databricks.cluster).toMatchObject({ accessMode: 'dedicated', maxWorkers: 2 });
  });

  it('requires the run-as identity, naming the key', () => {
    const config = raw('dev');
    delete config.databricks.runAs;
    expect(() => parseConfig(config)).toThrow('databricks.runAs is required');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a bad catalog name', { unityCatalog: { catalog: 'my catalog', schema: 'iot', readerPrincipal: 'a' } },
      'databricks.unityCatalog.catalog must be a Unity Catalog name: letters, digits, _ and -, got "my catalog"'],
    ['an unknown key', { cluster: { workers: 3 } }, 'databricks.cluster.workers is not a config key (allowed here:'],
    ['crossed worker bounds', { cluster: { minWorkers: 5, maxWorkers: 2 } }, 'databricks.cluster.minWorkers must be <= maxWorkers, got 5'],
    ['an unknown access mode', { cluster: { accessMode: 'shared' } }, 'databricks.cluster.accessMode must be one of dedicated, standard, got "shared"'],
    ['too many records per fetch', { processor: { maxRecordsPerFetch: 20000 } }, 'databricks.processor.maxRecordsPerFetch must be <= 10000, got 20000'],
    ['a bad trigger', { processor: { trigger: 'often' } }, "databricks.processor.trigger must be availableNow or an interval such as '10 seconds', got \"often\""],
    ['crossed thresholds', { thresholds: { temperatureMinC: 50, temperatureMaxC: 40 } }, 'databricks.thresholds.temperatureMinC must be below temperatureMaxC, got 50'],
    ['an unknown critical rule', { thresholds: { criticalRule: 'status' } },
      'databricks.thresholds.criticalRule must be one of temperature, temperature_or_status, got "status"'],
    ['a bad e-mail', { alerts: { email: 'oncall' } }, 'databricks.alerts.email must be an e-mail address, got "oncall"'],
    ['a run-as service principal that is not an application id', { runAs: { servicePrincipal: 'ci-bot' } },
      'databricks.runAs.servicePrincipal must be a service principal application id (a UUID), got "ci-bot"'],
    ['a run-as user that is not an e-mail', { runAs: { user: 'alice' } }, 'databricks.runAs.user must be a user name (an e-mail address), got "alice"'],
    ['two run-as identities', { runAs: { user: 'a@example.com', servicePrincipal: '0d26daa6-5e44-4c97-a497-ef015f91254a' } },
      'databricks.runAs must set exactly one of servicePrincipal (an application id) or user (an e-mail address), got {"user":"a@example.com",'],
    ['no run-as identity', { runAs: {} }, 'databricks.runAs must set exactly one of servicePrincipal (an application id) or user (an e-mail address), got {}'],
    ['the removed account id', { accountId: '0d26daa6-5e44-4c97-a497-ef015f91254a' }, 'databricks.accountId is not a config key (allowed here: runAs,'],
    ['a relative workspace folder', { workspaceFolder: 'iot' }, 'databricks.workspaceFolder must be an absolute workspace folder such as /Shared/iot-streaming, got "iot"'],
  ])('rejects %s with one line naming the key and the value', (_what, patch, message) => {
    const error = errorFor(patch);
    expect(error).toContain(message);
    expect(error).not.toContain('\n');
  });
});
