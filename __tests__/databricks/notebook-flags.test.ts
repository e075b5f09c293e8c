import { useDuckDb } from '../loadgen/analytics/use-duckdb';
import { inspectNotebook, type HelperResult } from './notebook-inspection';

const defaults = inspectNotebook().widgetDefaults;

/** is_critical and is_anomaly exactly as the notebook computes them for these widgets (parse_settings, flag_sql). */
function notebookFlags(patch: Record<string, string> = {}): Record<string, string> {
  const widgets = {
    ...defaults,
    stream_name: 'iot-dev-sensors', region: 'us-east-1', catalog: 'main', schema: 'iot_dev',
    checkpoint_base: '/Volumes/main/iot_dev/checkpoints/processor',
    ...patch,
  };
  const [settings] = inspectNotebook([{ fn: 'parse_settings', args: [widgets] }]).calls;
  const ok = (r: HelperResult) => {
    if (r.error !== undefined) throw new Error(r.error);
    return r.ok;
  };
  return ok(inspectNotebook([{ fn: 'flag_sql', args: [ok(settings)] }]).calls[0]) as Record<string, string>;
}

describe("the notebook's flag SQL, evaluated in DuckDB", () => {
  const { db } = useDuckDb();

  /** The flag for each (temperature_c, status, pressure_hpa) reading. */
  async function flag(sql: string, readings: [number, string, number | null][]): Promise<boolean[]> {
    const values = readings.map(([t, s, p]) => `(${t}::DOUBLE, '${s}', ${p === null ? 'NULL' : p}::DOUBLE)`).join(', ');
    const reader = await db().runAndReadAll(`SELECT (${sql}) AS flag FROM (VALUES ${values}) AS t(temperature_c, status, pressure_hpa)`);
    return reader.getRows().map(([v]) => v as boolean);
  }

  it("by default is the PoC's rule: strictly above 28.0 C, whatever the status", async () => {
    const { is_critical } = notebookFlags();
    expect(
      await flag(is_critical, [
        [28.0, 'HEALTHY', 1000], [28.01, 'HEALTHY', 1000], [27.99, 'WARNING', 1000],
        [28.0, 'CRITICAL', 1000], [18.0, 'CRITICAL', 1000], [30.0, 'HEALTHY', 1000], [29.5, 'WARNING', null],
      ]),
    ).toEqual([false, true, false, false, false, true, true]);
  });

  it('counts a CRITICAL status and uses another threshold only when the widgets say so', async () => {
    const { is_critical } = notebookFlags({ critical_rule: 'temperature_or_status', critical_temperature_c: '30' });
    expect(
      await flag(is_critical, [[30.0, 'HEALTHY', 1000], [30.01, 'WARNING', 1000], [18.0, 'CRITICAL', 1000], [29.0, 'HEALTHY', 1000]]),
    ).toEqual([false, true, true, false]);
    const { is_critical: threshold } = notebookFlags({ critical_temperature_c: '25.5' });
    expect(await flag(threshold, [[25.5, 'CRITICAL', 1000], [25.51, 'HEALTHY', 1000]])).toEqual([false, true]);
  });

  it('keeps the anomaly flag: outside -10..45 C or 950..1050 hPa, a missing pressure is no anomaly', async () => {
    const { is_anomaly } = notebookFlags();
    expect(
      await flag(is_anomaly, [
        [-10, 'HEALTHY', 1000], [-10.01, 'HEALTHY', 1000], [45, 'HEALTHY', 1000], [45.01, 'HEALTHY', 1000],
        [20, 'HEALTHY', 950], [20, 'HEALTHY', 949.99], [20, 'HEALTHY', 1050.01], [20, 'CRITICAL', null],
      ]),
    ).toEqual([false, true, false, true, false, true, true, false]);
  });
});
