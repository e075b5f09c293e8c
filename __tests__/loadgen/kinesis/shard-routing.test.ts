import { PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { ShardMap, WHOLE_KEY_SPACE, partitionKeyHashHex } from '../../../loadgen/kinesis/shard-map';
import { listAllShards } from '../../../loadgen/kinesis/shards';
import { mulberry32 } from '../../../loadgen/shared/random';
import { seededBytes, useEmbeddedStream } from '../helpers';

describe('ShardMap', () => {
  const shards = [
    { shardId: 'b', startingHashKey: '100', endingHashKey: '199', open: true },
    { shardId: 'a', startingHashKey: '0', endingHashKey: '99', open: true },
    { shardId: 'closed', startingHashKey: '0', endingHashKey: '199', open: false },
  ];

  it('routes explicit hash keys by range, inclusive at both ends, ignoring closed shards', () => {
    const map = new ShardMap(shards);
    expect(map.shards.map((s) => s.shardId)).toEqual(['a', 'b']);
    expect(map.shardIdFor('x', '0')).toBe('a');
    expect(map.shardIdFor('x', '99')).toBe('a');
    expect(map.shardIdFor('x', '100')).toBe('b');
    expect(map.shardIdFor('x', '199')).toBe('b');
    expect(map.indexFor('x', '200')).toBe(-1);
  });

  it('hashes partition keys with MD5 as Kinesis does', () => {
    expect(BigInt(`0x${partitionKeyHashHex('abc')}`).toString()).toBe(BigInt('0x900150983cd24fb0d6963f7d28e17f72').toString());
    expect(new ShardMap([WHOLE_KEY_SPACE]).shardIdFor('anything')).toBe('all');
  });
});

describe('predicted shard vs the ShardId the embedded Kinesis returns', () => {
  // 7 shards: hash-key boundaries that are not powers of two.
  const stream = useEmbeddedStream('routing', 7);

  it('agrees for every record, by partition key and by explicit hash key', async () => {
    const client = stream.client();
    const map = new ShardMap(await listAllShards(client, 'routing'));
    expect(map.shards).toHaveLength(7);
    const random = mulberry32(2024);
    const keys = [
      ...Array.from({ length: 1000 }, (_, i) => `sensor-${i}`),
      ...Array.from({ length: 500 }, () => seededBytes(random, 12).toString('base64')),
      'ü-unicode-key-✓',
    ];
    const explicit = Array.from({ length: 499 }, () => BigInt(`0x${seededBytes(random, 16).toString('hex')}`).toString());
    const entries: PutRecordsRequestEntry[] = [
      ...keys.map((k) => ({ PartitionKey: k, Data: Buffer.from('x') })),
      ...explicit.map((h) => ({ PartitionKey: 'same-key', ExplicitHashKey: h, Data: Buffer.from('y') })),
    ];
    let checked = 0;
    const shardsHit = new Set<string>();
    for (let i = 0; i < entries.length; i += 500) {
      const batch = entries.slice(i, i + 500);
      const response = await client.send(new PutRecordsCommand({ StreamName: 'routing', Records: batch }));
      expect(response.FailedRecordCount).toBe(0);
      response.Records!.forEach((result, j) => {
        const predicted = map.shardIdFor(batch[j].PartitionKey!, batch[j].ExplicitHashKey);
        expect({ key: batch[j].PartitionKey, hash: batch[j].ExplicitHashKey, shard: predicted }).toEqual({
          key: batch[j].PartitionKey,
          hash: batch[j].ExplicitHashKey,
          shard: result.ShardId,
        });
        shardsHit.add(result.ShardId!);
        checked++;
      });
    }
    expect(checked).toBe(2000);
    expect(shardsHit.size).toBe(7);
  });
});
