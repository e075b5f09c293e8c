import { z } from 'zod';

/**
 * The sensor record: the one contract between the load generator, the Kinesis stream and the
 * Databricks notebook. The original simulator's fields, plus `seq` (a per-device counter) and `run_id`
 * so that loss and duplication can be measured end to end.
 *
 * `SENSOR_RECORD_FIELDS` is the source of truth; the zod schema and the tests comparing the notebook's
 * Spark schema are derived from it.
 */

/** A leaf type, named by its Spark SQL type so the notebook's schema can be compared field by field. */
export type SparkType = 'string' | 'long' | 'double';

export interface ContractField {
  /** Dotted path, e.g. `metrics.temperature_c`. */
  readonly path: string;
  readonly sparkType: SparkType;
  /** A record missing this field goes to the quarantine table. */
  readonly required: boolean;
  readonly description: string;
}

export const SENSOR_STATUSES = ['HEALTHY', 'WARNING', 'CRITICAL'] as const;
export type SensorStatus = (typeof SENSOR_STATUSES)[number];

export const SENSOR_RECORD_FIELDS: readonly ContractField[] = [
  { path: 'device_id', sparkType: 'string', required: true, description: 'Device identifier; also the partition key' },
  { path: 'timestamp', sparkType: 'long', required: true, description: 'Reading time, epoch milliseconds (UTC)' },
  { path: 'metrics.temperature_c', sparkType: 'double', required: true, description: 'Temperature, degrees Celsius' },
  { path: 'metrics.pressure_hpa', sparkType: 'double', required: false, description: 'Pressure, hectopascals' },
  { path: 'metrics.humidity_percent', sparkType: 'double', required: false, description: 'Relative humidity, percent' },
  { path: 'status', sparkType: 'string', required: true, description: 'HEALTHY | WARNING | CRITICAL' },
  { path: 'region', sparkType: 'string', required: false, description: 'Region the device reports from' },
  { path: 'seq', sparkType: 'long', required: true, description: 'Per-device counter, starting at 0 for each run' },
  { path: 'run_id', sparkType: 'string', required: true, description: 'Identifies the load-generator run that produced the record' },
];

/** Validates one decoded record; the load generator's tests and the verifier use it. */
export const sensorRecordSchema = z.object({
  device_id: z.string().min(1),
  timestamp: z.number().int().nonnegative(),
  metrics: z.object({
    temperature_c: z.number(),
    pressure_hpa: z.number().optional(),
    humidity_percent: z.number().optional(),
  }),
  status: z.enum(SENSOR_STATUSES),
  region: z.string().optional(),
  seq: z.number().int().nonnegative(),
  run_id: z.string().min(1),
});

export type SensorRecord = z.infer<typeof sensorRecordSchema>;
