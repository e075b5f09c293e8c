import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeRecords, type AnalyticsResult, type ChartTable } from '../../../loadgen/analytics/analytics';
import { RecordsInputError } from '../../../loadgen/analytics/load-records';
import { main } from '../../../loadgen/cli/main';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-analytics-'));
const MIN = 60_000;
const HOUR = 60 * MIN;

interface Reading {
  device_id: string;
  timestamp: number;
  metrics: { temperature_c: number; pressure_hpa: number; humidity_percent: number };
  status: string;
  region: string;
  seq: number;
  run_id: string;
}

const chart = (r: AnalyticsResult, key: string): ChartTable => r.charts.find((c) => c.key === key)!;
const critical = (r: AnalyticsResult) => chart(r, 'critical_events_by_device');
const trend = (r: AnalyticsResult) => chart(r, 'fleet_temperature_trend');

function writeLines(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

describe('loadgen analytics on the PoC workload (records from a real run)', () => {
  const path = join(dir, 'poc.jsonl');
  let readings: Reading[];
  let result: AnalyticsResult;

  beforeAll(async () => {
    const args = ['run', '--generator', 'poc-producer', '--devices', '5', '--rate', 'max', '--records', '6000'];
    expect(await main([...args, '--sink', `file:${path}`, '--seed', '12', '--quiet'], captureIo())).toBe(0);
    readings = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Reading);
    result = await analyzeRecords({ input: path });
  });

  it('processes every record, quarantines none, and flags about one reading in six critical', () => {
    expect(result).toMatchObject({ lines: 6000, processed: 6000, duplicates: 0, quarantined: 0, anomalies: 0 });
    const hot = readings.filter((r) => r.metrics.temperature_c > 28).length;
    expect(result.critical).toBe(hot);
    expect(hot / 6000).toBeGreaterThan(0.15);
    expect(hot / 6000).toBeLessThan(0.185);
    expect(result.windowEnd).toBe(new Date(Math.max(...readings.map((r) => r.timestamp))).toISOString());
  });

  it('charts critical events per device as counted from the records, most first', () => {
    const byDevice = new Map<string, Reading[]>();
    for (const r of readings) byDevice.set(r.device_id, [...(byDevice.get(r.device_id) ?? []), r]);
    const expected = [...byDevice].map(([device_id, rs]) => ({
      device_id,
      critical_events: rs.filter((r) => r.metrics.temperature_c > 28).length,
      anomalies: 0,
      max_temperature_c: Math.max(...rs.map((r) => r.metrics.temperature_c)),
      last_event_timestamp: new Date(Math.max(...rs.map((r) => r.timestamp))).toISOString(),
    }));
    expected.sort((a, b) => b.critical_events - a.critical_events || a.device_id.localeCompare(b.device_id));
    expect(critical(result).rows).toEqual(expected);
    expect(expected).toHaveLength(5);
  });

  it('charts the fleet average per minute as computed from the records', () => {
    const byMinute = new Map<number, Reading[]>();
    for (const r of readings) {
      const minute = Math.floor(r.timestamp / MIN) * MIN;
      byMinute.set(minute, [...(byMinute.get(minute) ?? []), r]);
    }
    const rows = trend(result).rows;
    expect(rows.map((row) => row.minute_start)).toEqual([...byMinute.keys()].sort().map((m) => new Date(m).toISOString()));
    for (const row of rows) {
      const rs = byMinute.get(Date.parse(row.minute_start as string))!;
      const temps = rs.map((r) => r.metrics.temperature_c);
      expect(row.avg_temperature_c).toBeCloseTo(temps.reduce((a, b) => a + b, 0) / temps.length, 9);
      expect(row).toMatchObject({
        min_temperature_c: Math.min(...temps),
        max_temperature_c: Math.max(...temps),
        reporting_devices: new Set(rs.map((r) => r.device_id)).size,
        readings: rs.length,
      });
    }
  });

  it('counts a CRITICAL status too when the widgets ask for that deviation', async () => {
    const withStatus = await analyzeRecords({ input: path, widgets: { critical_rule: 'temperature_or_status' } });
    const expected = readings.filter((r) => r.metrics.temperature_c > 28 || r.status === 'CRITICAL').length;
    expect(withStatus.critical).toBe(expected);
    expect(expected / 6000).toBeGreaterThan(0.4); // 1/6 + 1/3 - 1/18 = 4/9
    expect(expected / 6000).toBeLessThan(0.49);
    expect(withStatus.rules.isCritical).toBe("status = 'CRITICAL' OR temperature_c > 28.0");
  });

  it('prints both charts from the command line and writes the same result as JSON', async () => {
    const io = captureIo();
    const report = join(dir, 'analytics.json');
    expect(await main(['analytics', path, '--report', report], io)).toBe(0);
    const out = io.out();
    expect(out).toContain('Critical events per device, last 24 hours (notebooks/sql/critical_events_by_device.sql): 5 rows');
    expect(out).toContain('Fleet temperature per minute, last hour (notebooks/sql/fleet_temperature_trend.sql)');
    expect(out).toMatch(/^device_id\s+critical_events\s+anomalies\s+max_temperature_c\s+last_event_timestamp$/m);
    const top = critical(result).rows[0];
    expect(out).toMatch(new RegExp(`^${top.device_id}\\s+${top.critical_events}\\s+0\\s+`, 'm'));
    expect(out).toContain(`is_critical = temperature_c > 28.0`);
    expect(out).toContain(`${result.critical.toLocaleString('en-US')} critical (${((result.critical / 6000) * 100).toFixed(1)} %)`);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toEqual(JSON.parse(JSON.stringify(result)));
  });

  it('names --widgets when the notebook rejects a value', async () => {
    const io = captureIo();
    expect(await main(['analytics', path, '--widgets', 'critical_rule=status'], io)).toBe(2);
    expect(io.err().trim()).toBe("loadgen: invalid --widgets: widget critical_rule must be temperature | temperature_or_status, got 'status'");
  });
});

describe('loadgen analytics time windows, on readings at chosen times', () => {
  const NOW = Date.parse('2026-01-31T12:00:00.000Z');
  let seq = 0;
  const at = (device: string, timestamp: number, temperature_c: number, pressure_hpa = 1000): string =>
    JSON.stringify({
      device_id: device, timestamp, metrics: { temperature_c, pressure_hpa, humidity_percent: 50 },
      status: 'HEALTHY', region: 'us-east-1', seq: seq++, run_id: 'windows',
    });
  const path = writeLines('windows.jsonl', [
    at('dev-a', NOW - 25 * HOUR, 35), // before both windows
    at('dev-a', NOW - 24 * HOUR, 29), // exactly 24 h old: outside (strictly within the last 24 hours)
    at('dev-a', NOW - 24 * HOUR + 1, 29), // just inside
    at('dev-b', NOW - 3 * HOUR, 28.0), // at the threshold: not critical
    at('dev-b', NOW - 2 * HOUR, 28.01), // just above: critical
    at('dev-c', NOW - HOUR, 20), // exactly 60 minutes old: outside the trend
    at('dev-c', NOW - HOUR + 1, 20), // 11:00:00.001
    at('dev-d', Date.parse('2026-01-31T11:30:00.000Z'), 22),
    at('dev-e', Date.parse('2026-01-31T11:30:59.999Z'), 24), // same minute
    at('dev-d', Date.parse('2026-01-31T11:31:00.000Z'), 29.5), // next minute
    at('dev-d', Date.parse('2026-01-31T11:45:00.000Z'), 30, 940), // critical and an anomaly (pressure)
    at('dev-c', NOW, 21),
  ]);
  const trendRow = (minute: string, avg: number, min: number, max: number, devices: number, readings: number) => ({
    minute_start: `2026-01-31T${minute}:00.000Z`, avg_temperature_c: avg, min_temperature_c: min, max_temperature_c: max,
    reporting_devices: devices, readings,
  });
  const expectedCritical = [
    { device_id: 'dev-d', critical_events: 2, anomalies: 1, max_temperature_c: 30, last_event_timestamp: '2026-01-31T11:45:00.000Z' },
    { device_id: 'dev-a', critical_events: 1, anomalies: 0, max_temperature_c: 29, last_event_timestamp: new Date(NOW - 24 * HOUR + 1).toISOString() },
    { device_id: 'dev-b', critical_events: 1, anomalies: 0, max_temperature_c: 28.01, last_event_timestamp: new Date(NOW - 2 * HOUR).toISOString() },
  ];
  const expectedTrend = [
    trendRow('11:00', 20, 20, 20, 1, 1),
    trendRow('11:30', 23, 22, 24, 2, 2),
    trendRow('11:31', 29.5, 29.5, 29.5, 1, 1),
    trendRow('11:45', 30, 30, 30, 1, 1),
    trendRow('12:00', 21, 21, 21, 1, 1),
  ];

  it('counts critical events strictly within the last 24 hours, devices with none left out, most first', async () => {
    const result = await analyzeRecords({ input: path, now: new Date(NOW) });
    expect(critical(result).rows).toEqual(expectedCritical);
    // The totals cover every reading, in a window or not: 35, 29, 29, 28.01, 29.5 and 30 C are above 28.
    expect(result).toMatchObject({ processed: 12, critical: 6, anomalies: 1, windowEnd: new Date(NOW).toISOString(), windowEndFrom: 'requested' });
  });

  it('averages the fleet per minute, strictly within the last 60 minutes, oldest minute first', async () => {
    const result = await analyzeRecords({ input: path, now: new Date(NOW) });
    expect(trend(result).rows).toEqual(expectedTrend);
  });

  it('ends the windows at the newest reading unless told otherwise', async () => {
    const result = await analyzeRecords({ input: path });
    expect(result).toMatchObject({ windowEnd: new Date(NOW).toISOString(), windowEndFrom: 'newest reading' });
    expect(critical(result).rows).toEqual(expectedCritical);
    expect(trend(result).rows).toEqual(expectedTrend);
  });

  it('moves the windows with --now: half an hour later, 11:30:00.000 and dev-a have aged out', async () => {
    const later = await analyzeRecords({ input: path, now: new Date(NOW + 30 * MIN) });
    expect(trend(later).rows).toEqual([
      trendRow('11:30', 24, 24, 24, 1, 1),
      trendRow('11:31', 29.5, 29.5, 29.5, 1, 1),
      trendRow('11:45', 30, 30, 30, 1, 1),
      trendRow('12:00', 21, 21, 21, 1, 1),
    ]);
    expect(critical(later).rows.map((r) => r.device_id)).toEqual(['dev-d', 'dev-b']);
  });
});

describe('loadgen analytics input: quarantine, retried writes, folders', () => {
  const good = (seq: number, extra: Record<string, unknown> = {}) =>
    JSON.stringify({
      device_id: 'dev-1', timestamp: 1_769_860_800_000 + seq, metrics: { temperature_c: 29, pressure_hpa: 1000, humidity_percent: 40 },
      status: 'HEALTHY', region: 'us-east-1', seq, run_id: 'q', ...extra,
    });

  it("quarantines with the notebook's reasons and keeps a retried write once", async () => {
    const path = writeLines('mixed.jsonl', [
      good(0), good(0), good(1), '', 'not json', '[1, 2]', '{"device_id": "dev-1"}',
      good(2, { seq: '7' }), good(3, { status: 'BROKEN' }), good(4, { metrics: { temperature_c: 'hot' } }),
      good(5, { seq: undefined }),
    ]);
    const result = await analyzeRecords({ input: path });
    expect(result).toMatchObject({ lines: 11, processed: 2, duplicates: 1, quarantined: 8, critical: 2 });
    expect(result.quarantineReasons).toEqual({
      'empty payload': 1,
      'not valid JSON': 1,
      'not a JSON object matching the contract': 1,
      'missing or mistyped timestamp': 1,
      'missing or mistyped seq': 2,
      'unknown status': 1,
      'missing or mistyped metrics.temperature_c': 1,
    });
  });

  it('reads every .jsonl and .ndjson file of a folder, and says so when there is none', async () => {
    const folder = join(dir, 'segments');
    mkdirSync(folder);
    writeFileSync(join(folder, 'b.ndjson'), `${good(1)}\n${good(2)}\n`);
    writeFileSync(join(folder, 'a.jsonl'), `${good(0)}\n`);
    writeFileSync(join(folder, 'notes.txt'), 'not records\n');
    const result = await analyzeRecords({ input: folder });
    expect(result.files).toEqual([join(folder, 'a.jsonl'), join(folder, 'b.ndjson')]);
    expect(result).toMatchObject({ lines: 3, processed: 3, quarantined: 0 });
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(analyzeRecords({ input: empty })).rejects.toThrow(new RecordsInputError(`no .jsonl or .ndjson records files in the folder ${empty}`));
    const io = captureIo();
    expect(await main(['analytics', empty], io)).toBe(2);
    expect(io.err()).toContain(`invalid records "${empty}": no .jsonl`);
  });

  it('exits 1 on an empty records file, after printing what it found', async () => {
    const io = captureIo();
    expect(await main(['analytics', writeLines('none.jsonl', [])], io)).toBe(1);
    expect(io.out()).toContain('records     0 lines from 1 file');
    expect(io.err()).toContain('no records in');
  });
});
