import { SENSOR_RECORD_FIELDS, sensorRecordSchema } from '../../contract/sensor-record';

// The field table and the zod schema are two views of one contract: they must name the same leaves.
function leafPaths(shape: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(shape).flatMap(([key, value]) => {
    const inner = (value as { unwrap?: () => unknown }).unwrap ? (value as { unwrap: () => unknown }).unwrap() : value;
    const nested = (inner as { shape?: Record<string, unknown> }).shape;
    return nested ? leafPaths(nested, `${prefix}${key}.`) : [`${prefix}${key}`];
  });
}

describe('sensor record contract', () => {
  it('the zod schema and the field table name the same fields', () => {
    expect(leafPaths(sensorRecordSchema.shape).sort()).toEqual(SENSOR_RECORD_FIELDS.map((f) => f.path).sort());
  });

  it('accepts a well-formed record and rejects one missing a required field', () => {
    const record = {
      device_id: 'sensor-0001',
      timestamp: 1_700_000_000_000,
      metrics: { temperature_c: 21.5, pressure_hpa: 1013.2, humidity_percent: 40.1 },
      status: 'HEALTHY',
      region: 'us-east-1',
      seq: 0,
      run_id: 'run-1',
    };
    expect(sensorRecordSchema.safeParse(record).success).toBe(true);
    const { seq: _dropped, ...withoutSeq } = record;
    expect(sensorRecordSchema.safeParse(withoutSeq).success).toBe(false);
  });
});
