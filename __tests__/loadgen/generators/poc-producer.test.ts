import { SENSOR_STATUSES, sensorRecordSchema, type SensorRecord } from '../../../contract/sensor-record';
import { BUILT_IN_GENERATORS } from '../../../loadgen/generators/loader';
import { createPocProducer, POC_RANGES, pocDeviceIds } from '../../../loadgen/generators/poc-producer';
import type { GeneratorContext } from '../../../loadgen/generators/types';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const ctx = (over: Partial<GeneratorContext> = {}): GeneratorContext => ({
  seed: 42, devices: 5, anomalyRate: 0.01, workerIndex: 0, workerCount: 1, runId: 'run-1', ...over,
});

function take(c: GeneratorContext, n: number): { partitionKey: string; record: SensorRecord; line: string }[] {
  const generator = createPocProducer(c);
  return Array.from({ length: n }, () => {
    const { partitionKey, data } = generator.next();
    return { partitionKey, line: data as string, record: sensorRecordSchema.parse(JSON.parse(data as string)) };
  });
}

const share = <T>(items: readonly T[], test: (item: T) => boolean): number => items.filter(test).length / items.length;

describe('poc-producer generator (the PoC producer workload)', () => {
  // 6,000 seconds of the PoC's 5 devices at one reading each per second.
  const records = take(ctx(), 30_000);
  const metric = (name: keyof typeof POC_RANGES) => records.map((r) => r.record.metrics[name]!);

  it('is a built-in generator', () => {
    expect(BUILT_IN_GENERATORS['poc-producer']?.create).toBe(createPocProducer);
  });

  it("emits the PoC payload's fields in its order, then seq and run_id, partitioned by device_id, region us-east-1", () => {
    const first = JSON.parse(records[0].line);
    expect(Object.keys(first)).toEqual(['device_id', 'timestamp', 'metrics', 'status', 'region', 'seq', 'run_id']);
    expect(Object.keys(first.metrics)).toEqual(['temperature_c', 'pressure_hpa', 'humidity_percent']);
    const now = Date.now();
    const odd = records.filter(({ partitionKey, record }) =>
      partitionKey !== record.device_id || record.region !== 'us-east-1' || record.run_id !== 'run-1' ||
      Math.abs(record.timestamp - now) > 60_000);
    expect(odd).toEqual([]);
  });

  it('simulates --devices devices with UUID v4 ids taking turns, each counting seq 0, 1, 2, ...', () => {
    const ids = records.slice(0, 5).map((r) => r.record.device_id);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(UUID_V4);
    const outOfTurn = records.filter(({ record }, i) => record.device_id !== ids[i % 5] || record.seq !== Math.floor(i / 5));
    expect(outOfTurn).toEqual([]);
    expect(new Set(take(ctx({ devices: 40 }), 400).map((r) => r.record.device_id)).size).toBe(40);
  });

  it('hands run --verify each record\'s seq, and reads it back from the bytes of this run\'s records only', () => {
    const generator = createPocProducer(ctx());
    const plugin = BUILT_IN_GENERATORS['poc-producer'];
    const pairs = Array.from({ length: 20 }, () => {
      const { data, seq } = generator.next();
      return [seq, plugin.seqOf!(Buffer.from(data as string), ctx()), plugin.seqOf!(Buffer.from(data as string), ctx({ runId: 'other' }))];
    });
    expect(pairs).toEqual(Array.from({ length: 20 }, (_, i) => [Math.floor(i / 5), Math.floor(i / 5), undefined]));
  });

  it.each(Object.entries(POC_RANGES))('draws %s uniformly from its range, rounded to 2 decimals', (name, [min, max]) => {
    const values = metric(name as keyof typeof POC_RANGES);
    expect(values.filter((v) => !(v >= min && v <= max))).toEqual([]);
    expect(values.filter((v) => Math.abs(v * 100 - Math.round(v * 100)) > 1e-6)).toEqual([]);
    // Uniform: each tenth of the range holds about a tenth of the readings (3,000 +- 10 %).
    const bins = new Array(10).fill(0);
    for (const v of values) bins[Math.min(9, Math.floor(((v - min) / (max - min)) * 10))]++;
    for (const count of bins) expect(Math.abs(count / values.length - 0.1)).toBeLessThan(0.01);
    // Both ends of the range are reached.
    expect(Math.min(...values)).toBeLessThan(min + (max - min) * 0.001);
    expect(Math.max(...values)).toBeGreaterThan(max - (max - min) * 0.001);
  });

  it('draws the status uniformly from HEALTHY, WARNING and CRITICAL, independently of the temperature', () => {
    for (const status of SENSOR_STATUSES) {
      expect(Math.abs(share(records, (r) => r.record.status === status) - 1 / 3)).toBeLessThan(0.015);
    }
    const hot = records.filter((r) => r.record.metrics.temperature_c > 28);
    expect(Math.abs(share(hot, (r) => r.record.status === 'CRITICAL') - 1 / 3)).toBeLessThan(0.03);
  });

  it('gives about one reading in six above 28.0 C (the critical share of the PoC workload)', () => {
    // Uniform in 18-30 rounded to 2 decimals: 28.01..30.00 is (2 - 0.005) / 12 of the range.
    expect(Math.abs(share(records, (r) => r.record.metrics.temperature_c > 28) - 1.995 / 12)).toBeLessThan(0.01);
  });

  it('is deterministic under a seed, device UUIDs included (apart from timestamp and run_id)', () => {
    const strip = ({ record }: { record: SensorRecord }) => ({ ...record, timestamp: 0, run_id: '' });
    const a = take(ctx({ seed: 7 }), 300).map(strip);
    expect(take(ctx({ seed: 7, runId: 'other' }), 300).map(strip)).toEqual(a);
    const c = take(ctx({ seed: 8 }), 300).map(strip);
    expect(c).not.toEqual(a);
    expect(c[0].device_id).not.toBe(a[0].device_id);
  });

  it('splits the same fleet between workers by workerIndex and workerCount', () => {
    const fleet = pocDeviceIds(9, 7);
    const devicesOf = (workerIndex: number) =>
      new Set(take(ctx({ seed: 9, devices: 7, workerIndex, workerCount: 2 }), 70).map((r) => r.record.device_id));
    const [even, odd] = [devicesOf(0), devicesOf(1)];
    expect([...even]).toEqual(fleet.filter((_, i) => i % 2 === 0));
    expect([...odd]).toEqual(fleet.filter((_, i) => i % 2 === 1));
    expect(new Set(take(ctx({ seed: 9, devices: 7 }), 7).map((r) => r.record.device_id))).toEqual(new Set(fleet));
  });
});
