import { SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine } from '../../loadgen/engine';
import { createIotSensor } from '../../loadgen/generators/iot-sensor';
import { startEmbeddedStream, type LocalKinesis } from '../../loadgen/local-server';
import { Pacer, constantRate } from '../../loadgen/scheduler';
import { KinesisSink } from '../../loadgen/sinks/kinesis';
import { verifyAcked } from '../../loadgen/verify';

describe('shard map refresh', () => {
  let server: LocalKinesis;
  let client: KinesisClient;
  beforeAll(async () => {
    ({ server, client } = await startEmbeddedStream('reshard', 2));
  });
  afterAll(async () => {
    client.destroy();
    await server.close();
  });

  it('notices a split shard from mismatched ShardIds, re-lists, and routes to the children', async () => {
    const sink = new KinesisSink(client, 'reshard');
    const shards = await sink.listShards();
    const generator = createIotSensor({ seed: 1, devices: 200, anomalyRate: 0, workerIndex: 0, workerCount: 1, runId: 'r' });
    const engine = new Engine(
      { sink, generator, generatorName: 'iot-sensor', pacer: new Pacer(constantRate(600, 2500)), shards },
      { batchSize: 100, concurrency: 2, maxRetries: 5, shardLimit: 1, drainTimeoutMs: 5000, recordAcks: true, shardRefreshMinIntervalMs: 200 },
    );
    setTimeout(() => {
      void client.send(
        new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 126n).toString() }),
      );
    }, 800);
    const result = await engine.run();
    const m = result.metrics;
    expect(m.recordsAcked).toBe(1500);
    expect(m.recordsFailed).toBe(0);
    // After the split, writes for the parent's range land on the two children.
    expect([...result.shardIds].sort()).toEqual(['shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003']);
    expect(m.routingMismatches).toBeGreaterThan(0);
    const tallies = Object.fromEntries(m.shards().map((s) => [s.shardId, s.records]));
    expect(tallies['shardId-000000000002']).toBeGreaterThan(0);
    expect(tallies['shardId-000000000003']).toBeGreaterThan(0);
    // Mispredictions stop once the map is refreshed: far fewer than the records sent after the split.
    const afterSplit = tallies['shardId-000000000002'] + tallies['shardId-000000000003'];
    expect(m.routingMismatches).toBeLessThan(afterSplit);
    const verify = await verifyAcked(client, 'reshard', undefined, result.acks!);
    expect(verify).toMatchObject({ received: 1500, missing: 0, duplicates: 0 });
  });
});
