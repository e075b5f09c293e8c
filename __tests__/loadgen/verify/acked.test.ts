import type { PutRecordsResultEntry } from '@aws-sdk/client-kinesis';
import { Engine } from '../../../loadgen/engine/engine';
import { recordSource } from '../../../loadgen/engine/record';
import { unpaced } from '../../../loadgen/engine/schedule';
import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { sensorSeqOf } from '../../../loadgen/generators/sensor-seq';
import type { GeneratorContext, RecordGenerator } from '../../../loadgen/generators/types';
import { ReadProgress } from '../../../loadgen/kinesis/read-progress';
import { listAllShards } from '../../../loadgen/kinesis/shards';
import { mulberry32 } from '../../../loadgen/shared/random';
import { KinesisSink } from '../../../loadgen/sinks/kinesis';
import { verifyAcked } from '../../../loadgen/verify/acked';
import { interceptPutRecords, useEmbeddedStream } from '../helpers';

const DEVICES = 200;
const RECORDS = 4000;

/** Fates of PutRecords entries, drawn per attempt from a seeded source; what happened is tallied exactly. */
function faultyEndpoint(client: ReturnType<ReturnType<typeof useEmbeddedStream>['client']>, seed: number) {
  const random = mulberry32(seed);
  const lost: string[] = [];
  let duplicated = 0;
  let fakeSequence = 0;
  const idOf = (data: Uint8Array): string => {
    const r = JSON.parse(Buffer.from(data).toString()) as { device_id: string; seq: number };
    return `${r.device_id}#${r.seq}`;
  };
  const sender = interceptPutRecords(client, async (records, forward) => {
    const fates = records.map(() => {
      const r = random();
      return r < 0.05 ? 'throttle' : r < 0.06 ? 'lose' : r < 0.07 ? 'duplicate' : 'write';
    });
    const toWrite = records.filter((_, i) => fates[i] === 'write' || fates[i] === 'duplicate');
    const copies = records.filter((_, i) => fates[i] === 'duplicate');
    const written = await forward([...toWrite, ...copies]);
    let k = 0;
    return records.map((record, i): PutRecordsResultEntry => {
      switch (fates[i]) {
        case 'throttle':
          // Not written; retried later, so acks arrive out of order.
          return { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' };
        case 'lose':
          // Acknowledged, never stored: what verification exists to catch.
          lost.push(idOf(record.Data!));
          return { SequenceNumber: `9${String(++fakeSequence).padStart(55, '0')}` };
        case 'duplicate':
          duplicated++;
          return written[k++];
        default:
          return written[k++];
      }
    });
  });
  return { sender, lost, duplicated: () => duplicated };
}

/** The iot-sensor generator, with or without its per-device numbers (the fallback path). */
function generator(ctx: GeneratorContext, numbered: boolean): RecordGenerator {
  const inner = createIotSensor(ctx);
  if (numbered) return inner;
  return {
    next() {
      const { seq: _dropped, ...rest } = inner.next();
      return rest;
    },
  };
}

async function faultyRun(streamName: string, client: ReturnType<ReturnType<typeof useEmbeddedStream>['client']>, numbered: boolean) {
  const ctx: GeneratorContext = { seed: 3, devices: DEVICES, anomalyRate: 0.01, workerIndex: 0, workerCount: 1, runId: `run-${streamName}` };
  const endpoint = faultyEndpoint(client, 99);
  const sink = new KinesisSink(endpoint.sender, streamName);
  const engine = new Engine(
    { sink, nextRecord: recordSource(generator(ctx, numbered), 'iot-sensor'), schedule: unpaced(Infinity, RECORDS), shards: await sink.listShards(), random: mulberry32(4) },
    { batchSize: 100, concurrency: 4, maxRetries: 20, shardLimit: null, drainTimeoutMs: 10_000, unreachableAfterMs: 10_000, recordAcks: true, retryBackoff: { baseMs: 5, capMs: 50 } },
  );
  const result = await engine.run();
  return { ctx, result, endpoint };
}

describe('run --verify finds injected losses and duplicates exactly, with out-of-order acks from retries', () => {
  const stream = useEmbeddedStream('faulty', 4);
  const fallbackStream = useEmbeddedStream('faulty-fallback', 4);

  it('numbered records (iot-sensor seq per device): memory per device and per exception, not per record', async () => {
    const client = stream.client();
    const { ctx, result, endpoint } = await faultyRun('faulty', client, true);
    const { snapshot, acks } = result;
    expect(snapshot).toMatchObject({ scheduled: RECORDS, acked: RECORDS, failed: 0, dropped: 0 });
    expect(snapshot.retries).toBeGreaterThan(100);
    const lost = endpoint.lost.length;
    expect(lost).toBeGreaterThan(10);
    expect(endpoint.duplicated()).toBeGreaterThan(10);
    // Every seq of every device was acknowledged (out of order or not): one run per device, nothing per record.
    expect(acks!.unnumberedCount).toBe(0);
    expect(acks!.byKey.size).toBe(DEVICES);
    for (const ranges of acks!.byKey.values()) expect(ranges.runCount).toBe(1);

    const progress = new ReadProgress(RECORDS);
    const verify = await verifyAcked(client, 'faulty', acks!, (data) => sensorSeqOf(data, ctx), { progress });
    expect(verify).toMatchObject({
      received: RECORDS - lost + endpoint.duplicated(),
      matched: RECORDS - lost,
      missing: lost,
      duplicates: endpoint.duplicated(),
      shardsRead: 4,
    });
    expect(verify.missingSample).toHaveLength(10);
    for (const id of verify.missingSample) expect(endpoint.lost).toContain(id);
    expect(progress.records).toBe(verify.received);
    expect([progress.shardsDone, progress.shardCount, progress.fraction()]).toEqual([4, 4, 1]);
  });

  it('records without a number (a plugin without seq) verify by the fallback, just as exactly', async () => {
    const client = fallbackStream.client();
    const { result, endpoint } = await faultyRun('faulty-fallback', client, false);
    const { snapshot, acks } = result;
    expect(snapshot).toMatchObject({ acked: RECORDS, failed: 0 });
    expect(acks!.byKey.size).toBe(0);
    expect(acks!.unnumberedCount).toBe(RECORDS);
    const lost = endpoint.lost.length;
    const verify = await verifyAcked(client, 'faulty-fallback', acks!, undefined);
    expect(verify).toMatchObject({
      received: RECORDS - lost + endpoint.duplicated(),
      matched: RECORDS - lost,
      missing: lost,
      duplicates: endpoint.duplicated(),
    });
    expect(verify.missingSample).toHaveLength(10);
    for (const id of verify.missingSample) expect(id).toMatch(/^shardId-\d{12}\/9\d{55}$/);
  });

  it('ignores records of other runs in the same stream (seqOf tells them apart)', async () => {
    const client = stream.client();
    const before = (await listAllShards(client, 'faulty')).length;
    const ctx: GeneratorContext = { seed: 3, devices: DEVICES, anomalyRate: 0, workerIndex: 0, workerCount: 1, runId: 'another-run' };
    const sink = new KinesisSink(client, 'faulty');
    const engine = new Engine(
      { sink, nextRecord: recordSource(createIotSensor(ctx), 'iot-sensor'), schedule: unpaced(Infinity, 200), shards: await sink.listShards() },
      { batchSize: 100, concurrency: 2, maxRetries: 2, shardLimit: null, drainTimeoutMs: 5000, unreachableAfterMs: 5000, recordAcks: true },
    );
    const { acks } = await engine.run();
    // The stream also holds the first test's 4,000-odd records of another run: they are received, not matched.
    const verify = await verifyAcked(client, 'faulty', acks!, (data) => sensorSeqOf(data, ctx));
    expect(verify).toMatchObject({ matched: 200, missing: 0, duplicates: 0, shardsRead: before, method: 'seq-per-key' });
    expect(verify.received - verify.matched!).toBeGreaterThan(RECORDS * 0.9);
  });
});
