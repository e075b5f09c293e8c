import { SplitShardCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine } from '../../../loadgen/engine/engine';
import { recordSource } from '../../../loadgen/engine/record';
import { constantRate } from '../../../loadgen/engine/schedule';
import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { sensorSeqOf } from '../../../loadgen/generators/sensor-seq';
import { mulberry32 } from '../../../loadgen/shared/random';
import { KinesisSink } from '../../../loadgen/sinks/kinesis';
import type { PutEntry, PutResultEntry } from '../../../loadgen/sinks/types';
import { verifyAcked } from '../../../loadgen/verify/acked';
import { useEmbeddedStream } from '../helpers';

/** A sink that splits the first shard once it has answered `after` requests, as if someone resharded mid-run. */
class SplittingSink extends KinesisSink {
  private answered = 0;
  constructor(
    private readonly kinesis: KinesisClient,
    private readonly after: number,
  ) {
    super(kinesis, 'reshard');
  }

  override async putRecords(entries: PutEntry[]): Promise<PutResultEntry[]> {
    const results = await super.putRecords(entries);
    if (++this.answered === this.after) {
      await this.kinesis.send(
        new SplitShardCommand({ StreamName: 'reshard', ShardToSplit: 'shardId-000000000000', NewStartingHashKey: (2n ** 126n).toString() }),
      );
    }
    return results;
  }
}

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
      { batchSize: 100, concurrency: 2, maxRetries: 5, shardLimit: 1, drainTimeoutMs: 5000, unreachableAfterMs: 5000, recordAcks: true, shardRefreshMinIntervalMs: 200 },
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
