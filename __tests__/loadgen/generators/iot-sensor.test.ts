import { sensorRecordSchema, type SensorRecord } from '../../../contract/sensor-record';
import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { sensorSeqOf } from '../../../loadgen/generators/sensor-seq';
import type { GeneratorContext } from '../../../loadgen/generators/types';

const ctx = (over: Partial<GeneratorContext> = {}): GeneratorContext => ({
  seed: 42,
  devices: 50,
  anomalyRate: 0.1,
  workerIndex: 0,
  workerCount: 1,
  runId: 'run-1',
  ...over,
});

function take(c: GeneratorContext, n: number): { partitionKey: string; record: SensorRecord }[] {
  const generator = createIotSensor(c);
  return Array.from({ length: n }, () => {
    const { partitionKey, data } = generator.next();
    return { partitionKey, record: sensorRecordSchema.parse(JSON.parse(data as string)) };
  });
}

describe('iot-sensor generator', () => {
  const records = take(ctx(), 5000);

  it('emits the sensor record contract, partitioned by device_id, with run_id', () => {
    for (const { partitionKey, record } of records) {
      expect(partitionKey).toBe(record.device_id);
      expect(record.run_id).toBe('run-1');
      expect(Math.abs(record.timestamp - Date.now())).toBeLessThan(60_000);
    }
    expect(new Set(records.map((r) => r.record.device_id)).size).toBe(50);
  });

  it('numbers each device seq 0, 1, 2, ... with no gaps', () => {
    const byDevice = new Map<string, number[]>();
    for (const { record } of records) byDevice.set(record.device_id, [...(byDevice.get(record.device_id) ?? []), record.seq]);
    for (const seqs of byDevice.values()) expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('keeps values in realistic ranges and makes anomalies CRITICAL spikes at about --anomaly-rate', () => {
    const critical = records.filter((r) => r.record.status === 'CRITICAL');
    const normal = records.filter((r) => r.record.status !== 'CRITICAL');
    expect(critical.length / records.length).toBeGreaterThan(0.08);
    expect(critical.length / records.length).toBeLessThan(0.12);
    for (const { record } of normal) {
      expect(record.metrics.temperature_c).toBeGreaterThan(10);
      expect(record.metrics.temperature_c).toBeLessThan(35);
    }
    for (const { record } of critical) expect(record.metrics.temperature_c).toBeGreaterThan(35);
    for (const { record } of records) {
      expect(record.metrics.pressure_hpa).toBeGreaterThanOrEqual(950);
      expect(record.metrics.pressure_hpa).toBeLessThanOrEqual(1050);
      expect(record.metrics.humidity_percent).toBeGreaterThanOrEqual(0);
      expect(record.metrics.humidity_percent).toBeLessThanOrEqual(100);
    }
    expect(records.some((r) => r.record.status === 'WARNING')).toBe(true);
    expect(take(ctx({ anomalyRate: 0 }), 2000).some((r) => r.record.status === 'CRITICAL')).toBe(false);
  });

  it('is deterministic under a seed (apart from timestamp and run_id)', () => {
    const strip = ({ record }: { record: SensorRecord }) => ({ ...record, timestamp: 0, run_id: '' });
    const a = take(ctx({ seed: 7 }), 300).map(strip);
    const b = take(ctx({ seed: 7, runId: 'other' }), 300).map(strip);
    const c = take(ctx({ seed: 8 }), 300).map(strip);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('numbers each record for verification (seq per device) and reads the number back from the bytes alone', () => {
    const generator = createIotSensor(ctx());
    const own: number[] = [];
    const given: number[] = [];
    for (let i = 0; i < 500; i++) {
      const record = generator.next();
      const parsed = JSON.parse(record.data as string) as { seq: number; device_id: string };
      expect(record.seq).toBe(parsed.seq);
      given.push(record.seq!);
      own.push(sensorSeqOf(Buffer.from(record.data as string), ctx())!);
    }
    expect(own).toEqual(given);
    const another = Buffer.from(createIotSensor(ctx({ runId: 'run-2' })).next().data as string);
    expect(sensorSeqOf(another, ctx())).toBeUndefined(); // another run's record
    expect(sensorSeqOf(another, ctx({ runId: 'run-2' }))).toBe(0);
    expect(sensorSeqOf(Buffer.from('{"run_id":"run-1"}'), ctx())).toBeUndefined();
    expect(sensorSeqOf(Buffer.from('{"seq":x,"run_id":"run-1"}'), ctx())).toBeUndefined();
    expect(sensorSeqOf(new Uint8Array(0), ctx())).toBeUndefined();
  });
});
