/**
 * The proof of concept's producer (its python_iot_simulator/iot_producer.py) as a built-in generator, so the
 * PoC's workload can be replayed through this pipeline and compared like for like: devices with random UUIDs
 * taking turns, temperature uniform in 18-30 °C, pressure in 980-1030 hPa, humidity in 40-70 %, each rounded to
 * 2 decimals, status drawn uniformly from HEALTHY, WARNING and CRITICAL, region us-east-1, partition key = device
 * id; plus the contract's `seq` and `run_id`. The PoC ran 5 devices at one reading each per second:
 * `--devices 5 --rate 5`. `--anomaly-rate` does not apply (the PoC's statuses are random, not anomalies).
 * Deterministic under a seed apart from `timestamp` and `run_id`; the device UUIDs are derived from the seed too,
 * and each device draws from its own random stream, so a segment of a run sends the whole run's readings for its
 * share of the devices and numbers (segments/device-share.ts).
 */
import { SENSOR_STATUSES } from '../../contract/sensor-record';
import { deviceLanes } from '../segments/device-share';
import { RandomStreams, mulberry32, uuidV4 } from '../shared/random';
import { sensorSeqOf } from './sensor-seq';
import type { GeneratorContext, GeneratorPlugin, RecordGenerator } from './types';

/** The PoC producer's uniform ranges (min, max). */
export const POC_RANGES = {
  temperature_c: [18, 30],
  pressure_hpa: [980, 1030],
  humidity_percent: [40, 70],
} as const;
export const POC_REGION = 'us-east-1';
/** Salt: the fleet's UUIDs come from their own random sequence, the same for every segment. */
const DEVICE_ID_SALT = 0x5bd1e995;
/** Random draws per reading (temperature, pressure, humidity, status). */
const DRAWS_PER_READING = 4;

const round2 = (x: number): number => Math.round(x * 100) / 100;

/** Every device id of the fleet, in order: a pure function of the seed. */
export function pocDeviceIds(seed: number, devices: number): string[] {
  const random = mulberry32(seed ^ DEVICE_ID_SALT);
  return Array.from({ length: devices }, () => uuidV4(random));
}

export function createPocProducer(ctx: GeneratorContext): RecordGenerator {
  const lanes = deviceLanes(ctx.devices, ctx.workerIndex, ctx.workerCount);
  const all = pocDeviceIds(ctx.seed, ctx.devices);
  const ids = lanes.map((lane) => all[lane.device]);
  const random = new RandomStreams(ctx.seed, lanes.map((lane) => lane.device));
  const stride = lanes.map((lane) => lane.stride);
  const seq = new Float64Array(lanes.length);
  // A device shared with other segments: skip the draws of the numbers before this segment's first.
  lanes.forEach((lane, d) => {
    random.skip(d, lane.firstSeq * DRAWS_PER_READING);
    seq[d] = lane.firstSeq;
  });
  const uniform = (d: number, [min, max]: readonly [number, number]): number => round2(min + random.next(d) * (max - min));
  const runIdJson = JSON.stringify(ctx.runId);
  let cursor = 0;

  return {
    next() {
      const d = cursor;
      cursor = cursor + 1 === ids.length ? 0 : cursor + 1;
      const temperature = uniform(d, POC_RANGES.temperature_c);
      const pressure = uniform(d, POC_RANGES.pressure_hpa);
      const humidity = uniform(d, POC_RANGES.humidity_percent);
      const status = SENSOR_STATUSES[Math.floor(random.next(d) * SENSOR_STATUSES.length)];
      const s = seq[d];
      seq[d] += stride[d];
      // The other segments' numbers of a shared device: their draws are theirs.
      if (stride[d] > 1) random.skip(d, (stride[d] - 1) * DRAWS_PER_READING);
      // The PoC's payload in its field order, then seq and run_id (hand-built like iot-sensor's, for speed).
      const data =
        `{"device_id":"${ids[d]}","timestamp":${Date.now()},"metrics":{"temperature_c":${temperature},` +
        `"pressure_hpa":${pressure},"humidity_percent":${humidity}},"status":"${status}",` +
        `"region":"${POC_REGION}","seq":${s},"run_id":${runIdJson}}`;
      return { partitionKey: ids[d], data, seq: s };
    },
  };
}

export const pocProducer: GeneratorPlugin = { name: 'poc-producer', create: createPocProducer, seqOf: sensorSeqOf };
