/**
 * Standalone `verify`: reads the stream and, for records in the sensor contract, checks each device's
 * `seq` per run for gaps (missing) and counts duplicate payloads. Records lost after a device's last one
 * read cannot be seen this way; `run --verify` sees them.
 */
import { sensorRecordSchema } from '../../contract/sensor-record';
import type { KinesisSender } from '../kinesis/shards';
import type { ReadOptions } from '../kinesis/stream-reader';
import { readBack } from './read-back';
import { SeenRecords } from './seen-records';
import { MISSING_SAMPLE_SIZE, type VerifyResult } from './types';

function parseJson(data: Uint8Array, decoder: { decode(data: Uint8Array): string }): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
}

export async function verifySequences(client: KinesisSender, streamName: string, options: ReadOptions = {}): Promise<VerifyResult> {
  let unrecognized = 0;
  // Per run and device, the seqs seen as runs of numbers; records outside the contract by payload digest.
  const seen = new SeenRecords(true);
  const runs = new Set<string>();
  const decoder = new TextDecoder();
  const counts = await readBack(client, streamName, options, (r) => {
    const parsed = sensorRecordSchema.safeParse(parseJson(r.data, decoder));
    if (!parsed.success) {
      unrecognized++;
      return seen.unnumbered(r.data);
    }
    const { run_id: runId, device_id: deviceId, seq } = parsed.data;
    runs.add(runId);
    seen.numbered(`${runId}/${deviceId}`, seq);
  });
  let missing = 0;
  const missingSample: string[] = [];
  for (const [key, seqs] of seen.byKey) {
    // Every seq from 0 to the highest read should be there.
    missing += seqs.max + 1 - seqs.size;
    if (missingSample.length < MISSING_SAMPLE_SIZE) {
      for (const seq of seqs.gaps(MISSING_SAMPLE_SIZE - missingSample.length)) missingSample.push(`${key}#${seq}`);
    }
  }
  return { ...counts, duplicates: seen.duplicates, missing, missingSample, runs: runs.size, unrecognized };
}
