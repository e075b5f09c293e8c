/**
 * Standalone `verify`: reads the stream and, for records in the sensor contract, checks each device's
 * `seq` per run for gaps (missing) and counts duplicate payloads. Records lost after a device's last one
 * read cannot be seen this way; `run --verify` sees them.
 */
import { sensorRecordSchema } from '../../contract/sensor-record';
import type { KinesisSender } from '../kinesis/shards';
import type { ReadOptions } from '../kinesis/stream-reader';
import { readBack } from './read-back';
import { MISSING_SAMPLE_SIZE, type VerifyResult } from './types';

interface DeviceSeqs {
  max: number;
  seen: Set<number>;
}

function parseJson(data: Uint8Array, decoder: { decode(data: Uint8Array): string }): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
}

export async function verifySequences(client: KinesisSender, streamName: string, options: ReadOptions = {}): Promise<VerifyResult> {
  let unrecognized = 0;
  const devices = new Map<string, DeviceSeqs>();
  const runs = new Set<string>();
  const decoder = new TextDecoder();
  const counts = await readBack(client, streamName, options, (r) => {
    const parsed = sensorRecordSchema.safeParse(parseJson(r.data, decoder));
    if (!parsed.success) {
      unrecognized++;
      return;
    }
    const { run_id: runId, device_id: deviceId, seq } = parsed.data;
    runs.add(runId);
    const key = `${runId}/${deviceId}`;
    let d = devices.get(key);
    if (!d) devices.set(key, (d = { max: -1, seen: new Set() }));
    d.seen.add(seq);
    if (seq > d.max) d.max = seq;
  });
  let missing = 0;
  const missingSample: string[] = [];
  for (const [key, d] of devices) {
    const gaps = d.max + 1 - d.seen.size;
    missing += gaps;
    for (let s = 0; gaps > 0 && s <= d.max && missingSample.length < MISSING_SAMPLE_SIZE; s++) {
      if (!d.seen.has(s)) missingSample.push(`${key}#${s}`);
    }
  }
  return { ...counts, missing, missingSample, runs: runs.size, unrecognized };
}
