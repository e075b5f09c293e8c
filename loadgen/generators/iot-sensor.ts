/**
 * The built-in generator: readings in the sensor record contract (contract/sensor-record.ts) from a fleet
 * of simulated devices. Each device drifts around its own baseline; `anomalyRate` of readings are
 * temperature spikes with status CRITICAL. Devices take turns, so every device's `seq` counts 0, 1, 2, ...
 * and a gap means a lost record. Each device draws from its own seeded random stream, so its readings are a
 * function of (seed, device, seq) alone: a segment of a run (`--segment`, `--workers`) sends exactly the readings
 * the whole run sends for the devices and numbers that are its share (segments/device-share.ts). Deterministic
 * under a seed apart from `timestamp` and `run_id`.
 */
import type { SensorStatus } from '../../contract/sensor-record';
import { deviceLanes } from '../segments/device-share';
import { RandomStreams } from '../shared/random';
import { sensorSeqOf } from './sensor-seq';
import type { GeneratorContext, GeneratorPlugin, RecordGenerator } from './types';

const REGIONS = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'] as const;
/** Share of normal readings flagged WARNING (a sensor drifting outside its comfort band). */
const WARNING_RATE = 0.02;

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function createIotSensor(ctx: GeneratorContext): RecordGenerator {
  const lanes = deviceLanes(ctx.devices, ctx.workerIndex, ctx.workerCount);
  const n = lanes.length;
  const random = new RandomStreams(ctx.seed, lanes.map((lane) => lane.device));
  const width = String(ctx.devices - 1).length;
  const ids = lanes.map((lane) => `sensor-${String(lane.device).padStart(width, '0')}`);
  const stride = lanes.map((lane) => lane.stride);
  const baseTemp = new Float64Array(n);
  const temp = new Float64Array(n);
  const pressure = new Float64Array(n);
  const humidity = new Float64Array(n);
  const seq = new Float64Array(n);
  const region: string[] = [];
  for (let d = 0; d < n; d++) {
    baseTemp[d] = 15 + random.next(d) * 15; // 15..30 C indoors/outdoors mix
    temp[d] = baseTemp[d];
    pressure[d] = 990 + random.next(d) * 40; // 990..1030 hPa
    humidity[d] = 30 + random.next(d) * 40; // 30..70 %
    region.push(REGIONS[Math.floor(random.next(d) * REGIONS.length)]);
  }
  let temperature = 0;
  let status: SensorStatus = 'HEALTHY';
  /** Device d's next reading: its walk moves on one step (into `temperature`, `status` and its arrays). */
  const step = (d: number): void => {
    // Random walk pulled back towards the device's baseline.
    temp[d] += (random.next(d) - 0.5) * 0.4 + (baseTemp[d] - temp[d]) * 0.05;
    pressure[d] = Math.min(1050, Math.max(950, pressure[d] + (random.next(d) - 0.5) * 0.6));
    humidity[d] = Math.min(100, Math.max(0, humidity[d] + (random.next(d) - 0.5) * 1.0));
    temperature = temp[d];
    status = 'HEALTHY';
    if (random.next(d) < ctx.anomalyRate) {
      temperature += 25 + random.next(d) * 35; // spike: +25..+60 C
      status = 'CRITICAL';
    } else if (random.next(d) < WARNING_RATE) {
      status = 'WARNING';
    }
  };
  // A device shared with other segments: walk past the numbers before this segment's first.
  lanes.forEach((lane, d) => {
    for (let s = 0; s < lane.firstSeq; s++) step(d);
    seq[d] = lane.firstSeq;
  });
  const runIdJson = JSON.stringify(ctx.runId);
  let cursor = 0;

  return {
    next() {
      const d = cursor;
      cursor = cursor + 1 === n ? 0 : cursor + 1;
      step(d);
      const s = seq[d];
      seq[d] += stride[d];
      // Hand-built JSON (field order as in the contract): the generator's hot path, ~3x JSON.stringify.
      const data =
        `{"device_id":"${ids[d]}","timestamp":${Date.now()},"metrics":{"temperature_c":${round2(temperature)},` +
        `"pressure_hpa":${round2(pressure[d])},"humidity_percent":${round2(humidity[d])}},"status":"${status}",` +
        `"region":"${region[d]}","seq":${s},"run_id":${runIdJson}}`;
      // The other segments' numbers of a shared device: its walk moves on past them without a record.
      for (let skip = 1; skip < stride[d]; skip++) step(d);
      return { partitionKey: ids[d], data, seq: s };
    },
  };
}

/** Devices are interchangeable simulated sensors: loadgen spreads them evenly over the shards. */
export const iotSensor: GeneratorPlugin = { name: 'iot-sensor', create: createIotSensor, seqOf: sensorSeqOf, keys: 'spread' };
