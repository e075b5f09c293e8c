import { SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine } from '../../../loadgen/engine/engine';
import { recordSource } from '../../../loadgen/engine/record';
import { constantRate } from '../../../loadgen/engine/schedule';
import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { sensorSeqOf } from '../../../loadgen/generators/sensor-seq';
import { ShardMap } from '../../../loadgen/kinesis/shard-map';
import { mulberry32 } from '../../../loadgen/shared/random';
import { KinesisSink } from '../../../loadgen/sinks/kinesis';
import type { PutEntry, PutResultEntry } from '../../../loadgen/sinks/types';
import { verifyAcked } from '../../../loadgen/verify/acked';
import { useEmbeddedStream } from '../helpers';

/** A sink that splits the first shard once it has answered `after` requests, as if someone resharded mid-run. */
class SplittingSink extends KinesisSink {
  private answered = 0;
  /** Every entry sent, in order. */
  readonly sent: PutEntry[] = [];
  constructor(
    private readonly kinesis: KinesisClient,
    private readonly after: number,
    private readonly stream = 'reshard',
  ) {
    super(kinesis, stream);
  }

  override async putRecords(entries: PutEntry[]): Promise<PutResultEntry[]> {
    this.sent.push(...entries.map((e) => ({ ...e })));
    const results = await super.putRecords(entries);
    if (++this.answered === this.after) {
      await this.kinesis.send(
        new SplitShardCommand({ StreamName: this.stream, ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 126n).toString() }),
      );
    }
    return results;
  }
}

const engineOptions = { batchSize: 100, concurrency: 2, maxRetries: 5, shardLimit: 1, drainTimeoutMs: 5000, unreachableAfterMs: 5000, recordAcks: true, shardRefreshMinIntervalMs: 200 };

describe('router: shard map refresh', () => {
  const stream = useEmbeddedStream('reshard', 2);

  it('notices a split shard from mismatched ShardIds, re-lists, and routes to the children', async () => {
    const client = stream.client();
    const sink = new SplittingSink(client, 5);
    const shards = await sink.listShards();
    const ctx = { seed: 1, devices: 200, anomalyRate: 0, workerIndex: 0, workerCount: 1, runId: 'r' };
    const generator = createIotSensor(ctx);
    const engine = new Engine(
      { sink, nextRecord: recordSource(generator, 'iot-sensor'), schedule: constantRate(600, 2500), shards, random: mulberry32(1) },
      engineOptions,
    );
    const { snapshot: m, acks } = await engine.run();
    expect(m.acked).toBe(1500);
    expect(m.failed).toBe(0);
    // After the split, writes for the parent's range land on the two children.
    const tallies = Object.fromEntries(m.shards.map((s) => [s.shardId, s.records]));
    expect(Object.keys(tallies).sort()).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expect(tallies['shardId-000000000002']).toBeGreaterThan(0);
    expect(tallies['shardId-000000000003']).toBeGreaterThan(0);
    expect(m.routingMismatches).toBeGreaterThan(0);
    // Mispredictions stop once the map is refreshed: far fewer than the records sent after the split.
    const afterSplit = tallies['shardId-000000000002'] + tallies['shardId-000000000003'];
    expect(m.routingMismatches).toBeLessThan(afterSplit);
    const verify = await verifyAcked(client, 'reshard', acks!, (data) => sensorSeqOf(data, ctx));
    expect(verify).toMatchObject({ received: 1500, matched: 1500, missing: 0, duplicates: 0 });
  });
});

describe('router: devices spread again after a reshard', () => {
  const stream = useEmbeddedStream('respread', 2);

  it('spreads the devices evenly over the three open shards once it sees the split, and loses nothing', async () => {
    const client = stream.client();
    // Split after 20 requests (at least 15 records each at 600/s): every device has been placed before it.
    const sink = new SplittingSink(client, 20, 'respread');
    const ctx = { seed: 2, devices: 200, anomalyRate: 0, workerIndex: 0, workerCount: 1, runId: 'r' };
    const generator = createIotSensor(ctx);
    const engine = new Engine(
      { sink, nextRecord: recordSource(generator, 'iot-sensor'), schedule: constantRate(600, 3000), shards: await sink.listShards(), random: mulberry32(1) },
      { ...engineOptions, spreadKeys: true },
    );
    const { snapshot: m, acks } = await engine.run();
    expect(m).toMatchObject({ acked: 1800, failed: 0 });
    // Before the split: 100 devices on each of the two shards.
    const firstMap = new ShardMap([
      { shardId: 'shardId-000000000000', startingHashKey: '0', endingHashKey: (2n ** 127n - 1n).toString(), open: true },
      { shardId: 'shardId-000000000001', startingHashKey: (2n ** 127n).toString(), endingHashKey: (2n ** 128n - 1n).toString(), open: true },
    ]);
    expect(devicesPerShard(sink.sent, firstMap, 'first')).toEqual({ 'shardId-000000000000': 100, 'shardId-000000000001': 100 });
    // Each device's last record, long after the router re-listed the shards: 67/67/66 over the three open shards.
    const openMap = new ShardMap(await sink.listShards());
    expect(openMap.shards).toHaveLength(3);
    const after = devicesPerShard(sink.sent, openMap, 'last');
    expect(Object.keys(after).sort()).toEqual(openMap.shards.map((s) => s.shardId).sort());
    expect(Object.values(after).sort()).toEqual([66, 67, 67]);
    const verify = await verifyAcked(client, 'respread', acks!, (data) => sensorSeqOf(data, ctx));
    expect(verify).toMatchObject({ received: 1800, matched: 1800, missing: 0, duplicates: 0 });
  });
});

/** Devices per shard by each device's first or last record sent, routed as Kinesis routes it (its explicit hash key). */
function devicesPerShard(entries: readonly PutEntry[], map: ShardMap, which: 'first' | 'last'): Record<string, number> {
  const byDevice = new Map<string, PutEntry>();
  for (const e of entries) if (which === 'last' || !byDevice.has(e.PartitionKey)) byDevice.set(e.PartitionKey, e);
  const counts: Record<string, number> = {};
  for (const e of byDevice.values()) {
    const shardId = map.shardIdFor(e.PartitionKey, e.ExplicitHashKey) ?? 'none';
    counts[shardId] = (counts[shardId] ?? 0) + 1;
  }
  return counts;
}
