/**
 * The baselines loadgen is measured against: `concurrency` plain loops of PutRecords with 500-record
 * batches, the same client and HTTP handler, and no accounting. Run in its own process so its CPU time is
 * its own:
 *   node -r tsx/cjs loadgen/bench/plain-loop.ts <endpoint> <stream> <seconds> <concurrency> <prebuilt|fresh>
 * `prebuilt` sends the same pre-encoded batches over and over: the endpoint's ceiling. `fresh` generates and
 * encodes every record with the same generator loadgen uses: what loadgen would cost without its engine.
 * Prints {"rate", "acked", "cpuSeconds"} as JSON.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { encodeRecord } from '../engine/record';
import { createIotSensor } from '../generators/iot-sensor';
import { createKinesisClient } from '../kinesis/client';
import { MAX_RECORDS_PER_REQUEST } from '../kinesis/limits';
import type { PutEntry } from '../sinks/types';

export interface PlainLoopResult {
  readonly rate: number;
  readonly acked: number;
  readonly cpuSeconds: number;
}

export type PlainLoopMode = 'prebuilt' | 'fresh';

async function plainLoop(endpoint: string, stream: string, seconds: number, concurrency: number, mode: PlainLoopMode): Promise<PlainLoopResult> {
  const client = createKinesisClient({ region: 'us-east-1', endpoint, maxSockets: concurrency + 4 });
  const generator = createIotSensor({ seed: 1, devices: 1000, anomalyRate: 0.01, workerIndex: 0, workerCount: 1, runId: 'bench' });
  const batch = (): PutEntry[] => Array.from({ length: MAX_RECORDS_PER_REQUEST }, () => encodeRecord(generator.next()).entry);
  const batches: PutEntry[][] = [];
  for (let b = 0; b < 64; b++) batches.push(batch());
  let acked = 0;
  let next = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + seconds * 1000;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      const records = mode === 'fresh' ? batch() : batches[next++ % batches.length];
      const response = await client.send(new PutRecordsCommand({ StreamName: stream, Records: records }));
      acked += records.length - (response.FailedRecordCount ?? 0);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const elapsed = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  client.destroy();
  return { rate: acked / elapsed, acked, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

if (require.main === module) {
  const [endpoint, stream, seconds, concurrency, mode] = process.argv.slice(2);
  plainLoop(endpoint, stream, Number(seconds), Number(concurrency), mode as PlainLoopMode).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error) => {
      process.stderr.write(`plain loop failed: ${(error as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
