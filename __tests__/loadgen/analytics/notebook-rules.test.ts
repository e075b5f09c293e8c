import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOTEBOOK_PATH, NotebookRulesUnavailable, NotebookSettingsError, readNotebookRules } from '../../../loadgen/analytics/notebook-rules';
import { inspectNotebook } from '../../databricks/notebook-inspection';

describe("the notebook's rules, read by loadgen analytics", () => {
  it('are what the notebook computes: flags for its default widgets, its quarantine CASE, dedup key and columns', () => {
    const rules = readNotebookRules();
    const nb = inspectNotebook([{ fn: 'quarantine_reason_sql' }]);
    const defaults = nb.widgetDefaults;
    const [settings] = inspectNotebook([{ fn: 'parse_flag_settings', args: [defaults] }]).calls;
    const [flags] = inspectNotebook([{ fn: 'flag_sql', args: [settings.ok] }]).calls;
    expect(rules).toEqual({
      widgets: Object.fromEntries(Object.keys(rules.widgets).map((name) => [name, defaults[name]])),
      isCritical: (flags.ok as Record<string, string>).is_critical,
      isAnomaly: (flags.ok as Record<string, string>).is_anomaly,
      quarantineReason: nb.calls[0].ok,
      dedupKey: nb.dedupKey,
      processedColumns: nb.processedColumns.map(([name]) => name),
    });
    expect(rules.isCritical).toBe('temperature_c > 28.0');
    expect(Object.keys(rules.widgets)).toEqual(expect.arrayContaining(['critical_rule', 'critical_temperature_c']));
  });

  it('follow the widgets asked for, validated by the notebook', () => {
    const rules = readNotebookRules({ critical_rule: 'temperature_or_status', critical_temperature_c: '30' });
    expect(rules.isCritical).toBe("status = 'CRITICAL' OR temperature_c > 30.0");
    expect(rules.widgets).toMatchObject({ critical_rule: 'temperature_or_status', critical_temperature_c: '30' });
    expect(() => readNotebookRules({ critical_temperature_c: 'hot' })).toThrow(
      new NotebookSettingsError("widget critical_temperature_c must be a finite number, got 'hot'"),
    );
    expect(() => readNotebookRules({ stream_name: 'x' })).toThrow(NotebookSettingsError);
    expect(() => readNotebookRules({ stream_name: 'x' })).toThrow(/unknown flag widgets \['stream_name'\]; allowed: \['critical_rule'/);
  });

  it('cannot be read from a notebook that does not compile or has no helper cell', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rules-'));
    const broken = join(dir, 'broken.py');
    writeFileSync(broken, readFileSync(NOTEBOOK_PATH, 'utf8').replace('def flag_sql(s):', 'def flag_sql(s)'));
    expect(() => readNotebookRules({}, broken)).toThrow(NotebookRulesUnavailable);
    expect(() => readNotebookRules({}, broken)).toThrow(/SyntaxError/);
    const bare = join(dir, 'bare.py');
    writeFileSync(bare, '# Databricks notebook source\nprint(1)\n');
    expect(() => readNotebookRules({}, bare)).toThrow(/exactly one cell starting with '# Pure helpers', found 0/);
  });
});
