import { layoutFromSample, summarizeLayout } from '../../../loadgen/engine/key-layout';
import { autoRate } from '../../../loadgen/engine/rate-plan';
import { encodeRecord } from '../../../loadgen/engine/record';
import { createIotSensor } from '../../../loadgen/generators/iot-sensor';
import { ShardMap } from '../../../loadgen/kinesis/shard-map';
import { toShardRange } from '../../../loadgen/kinesis/shards';
import { mulberry32 } from '../../../loadgen/shared/random';
import { evenShards, seededBytes } from '../helpers';

const mapOf = (n: number): ShardMap => new ShardMap(evenShards(n).map(toShardRange));

/** A sample of the built-in generator's records, as `run` takes one before the run. */
function sensorSample(devices: number, n = 20_000) {
  const generator = createIotSensor({ seed: 3, devices, anomalyRate: 0, workerIndex: 0, workerCount: 1, runId: 'r' });
  return Array.from({ length: n }, () => encodeRecord(generator.next()));
}

describe('key layout and --rate auto', () => {
  it('with 4 devices on 8 shards (keys kept): names the 4 idle shards and targets what 4 shards can take', () => {
    const map = mapOf(8);
    const layout = layoutFromSample(sensorSample(4), map, false);
    // sensor-0..3 hash to shards 1, 7, 3 and 4.
    expect(layout.shares.map((s) => s.share)).toEqual([0, 0.25, 0, 0.25, 0.25, 0, 0, 0.25]);
    expect(summarizeLayout(layout)).toMatchObject({ idleShards: 4, maxShare: 0.25, evenShare: 0.125, balanced: false });
    const { rate, explanation } = autoRate(layout, 0.8, 250);
    expect(rate).toBe(3200);
    expect(explanation).toBe(
      'auto: keys reach 4 of 8 open shards, so 4 will idle; the hottest shards (000000000001, 000000000003, 000000000004, ...) ' +
        'each take 25.0% of records (even share 12.5%): 1,000 records/s x 0.8 utilization / 25.0% = 3,200/s, what 4 shards can take',
    );
  });

  it('with 1,000 devices spread over 100 shards: balanced, open shards x 1,000/s x utilization', () => {
    const layout = layoutFromSample(sensorSample(1000), mapOf(100), true);
    expect(layout).toMatchObject({ mode: 'spread', keys: 1000 });
    expect(new Set(layout.shares.map((s) => s.share))).toEqual(new Set([0.01]));
    expect(autoRate(layout, 0.8, 250)).toEqual({
      rate: 80_000,
      explanation: 'auto: 100 open shards x 1,000 records/s x 0.8 utilization = 80,000/s; 1 MiB/s per shard at 250 B/record would allow 335,544/s',
    });
  });

  it('with the same devices hashed by MD5: the hottest shard sets the target', () => {
    const map = mapOf(100);
    const sample = sensorSample(1000);
    const layout = layoutFromSample(sample, map, false);
    // Counted independently: devices per shard by MD5.
    const perShard = new Array(100).fill(0);
    for (let i = 0; i < 1000; i++) perShard[map.indexFor(sample[i].entry.PartitionKey)]++;
    const hottest = Math.max(...perShard);
    expect(hottest).toBeGreaterThan(15); // the skew the issue measured: ~1.7x the average of 10
    expect(summarizeLayout(layout).maxShare).toBeCloseTo(hottest / 1000, 10);
    expect(autoRate(layout, 0.8, 250).rate).toBe(Math.floor(800 / (hottest / 1000)));
  });

  it('shares keys seen once by hash-range width (fresh keys every record stay balanced), bytes binding first when records are large', () => {
    const random = mulberry32(9);
    const sample = Array.from({ length: 5000 }, () => encodeRecord({ partitionKey: seededBytes(random, 12).toString('hex'), data: 'x'.repeat(2000) }));
    const layout = layoutFromSample(sample, mapOf(10), false);
    expect(layout.keys).toBe(5000);
    expect(summarizeLayout(layout)).toMatchObject({ balanced: true, idleShards: 0 });
    const { rate, explanation } = autoRate(layout, 0.5, 2024);
    expect(rate).toBe(Math.floor((10 * 1024 * 1024 * 0.5) / 2024));
    expect(explanation).toMatch(/^auto: 10 open shards x 1 MiB\/s \/ 2024 B\/record x 0\.5 utilization = 2,590\/s \(bytes bind before/);
  });
});
