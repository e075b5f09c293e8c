import { KeySpread } from '../../../loadgen/engine/key-spread';
import { encodeRecord, type PendingRecord } from '../../../loadgen/engine/record';
import { ShardMap, type ShardRange } from '../../../loadgen/kinesis/shard-map';
import { toShardRange } from '../../../loadgen/kinesis/shards';
import { evenShards } from '../helpers';

const ranges = (n: number): ShardRange[] => evenShards(n).map(toShardRange);
const device = (i: number): PendingRecord => encodeRecord({ partitionKey: `sensor-${String(i).padStart(3, '0')}`, data: 'x' });

/** Places every device once (as the generator's turns do) and returns each one's explicit hash key and shard. */
function placeAll(spread: KeySpread, devices: number): Map<string, { hashKey: string; shard: number }> {
  const placed = new Map<string, { hashKey: string; shard: number }>();
  for (let i = 0; i < devices; i++) {
    const record = device(i);
    const shard = spread.place(record);
    placed.set(record.entry.PartitionKey, { hashKey: record.entry.ExplicitHashKey!, shard });
  }
  return placed;
}

describe('key spread: an equal share of devices on every open shard', () => {
  it('gives each device a fixed explicit hash key inside one shard, the same number of devices per shard', () => {
    const map = new ShardMap(ranges(100));
    const spread = new KeySpread(map);
    const placed = placeAll(spread, 1000);
    expect(spread.devicesPerShard).toEqual(new Array(100).fill(10));
    for (const [key, { hashKey, shard }] of placed) {
      // Kinesis routes the explicit hash key to the shard the spread chose; the partition key is untouched.
      expect(map.shardIdFor(key, hashKey)).toBe(map.shards[shard].shardId);
      const again = encodeRecord({ partitionKey: key, data: 'y' });
      expect(spread.place(again)).toBe(shard);
      expect(again.entry).toMatchObject({ PartitionKey: key, ExplicitHashKey: hashKey });
    }
    // Fewer devices than a multiple: shards differ by one device at most.
    const uneven = new KeySpread(map);
    placeAll(uneven, 250);
    expect(new Set(uneven.devicesPerShard)).toEqual(new Set([2, 3]));
  });

  it("places a segment's devices where the whole run places them (device d on shard d mod shards)", () => {
    const map = new ShardMap(ranges(7));
    const whole = placeAll(new KeySpread(map), 100);
    const count = 3;
    for (let index = 0; index < count; index++) {
      // Segment index of count sends devices index, index + count, ... in that order (segments/device-share.ts).
      const segment = new KeySpread(map, { first: index, step: count });
      for (let d = index; d < 100; d += count) {
        const record = device(d);
        const shard = segment.place(record);
        expect(shard).toBe(d % 7);
        expect(shard).toBe(whole.get(record.entry.PartitionKey)!.shard);
      }
    }
  });

  it('leaves a record with its own explicit hash key alone', () => {
    const spread = new KeySpread(new ShardMap(ranges(4)));
    const pinned = encodeRecord({ partitionKey: 'p', explicitHashKey: '0', data: 'x' });
    expect(spread.place(pinned)).toBe(-1);
    expect(pinned.entry.ExplicitHashKey).toBe('0');
    expect(spread.devices).toBe(0);
  });

  it('after a split, moves only the devices of the closed shard and those over the new even share', () => {
    const before = ranges(4);
    const spread = new KeySpread(new ShardMap(before));
    const placedBefore = placeAll(spread, 1000);
    // Shard 0 splits in two halves; its parent closes.
    const parent = before[0];
    const middle = (BigInt(parent.endingHashKey) / 2n).toString();
    const after: ShardRange[] = [
      { ...parent, open: false },
      ...before.slice(1),
      { shardId: 'shardId-000000000004', startingHashKey: '0', endingHashKey: middle, open: true },
      { shardId: 'shardId-000000000005', startingHashKey: (BigInt(middle) + 1n).toString(), endingHashKey: parent.endingHashKey, open: true },
    ];
    const map = new ShardMap(after);
    spread.reshape(map);
    const placedAfter = placeAll(spread, 1000);
    expect(spread.devicesPerShard).toEqual([200, 200, 200, 200, 200]);
    let moved = 0;
    for (const [key, { hashKey }] of placedAfter) {
      expect(map.shardIdFor(key, hashKey)).toBeDefined();
      if (hashKey !== placedBefore.get(key)!.hashKey) moved++;
    }
    // The parent's 250 devices, and 50 from each of the three other shards (250 -> 200): no more.
    expect(moved).toBe(400);
  });
});
