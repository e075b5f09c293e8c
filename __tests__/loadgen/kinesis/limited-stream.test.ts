import {
  GetRecordsCommand,
  KinesisClient,
  GetShardIteratorCommand,
  PutRecordCommand,
  PutRecordsCommand,
  type PutRecordsRequestEntry,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createStream, startLocalKinesis, type LocalKinesis, type StreamLimits } from '../../../loadgen/kinesis/local-server';
import { ShardMap } from '../../../loadgen/kinesis/shard-map';
import { listAllShards } from '../../../loadgen/kinesis/shards';

/**
 * A local stream with limits on a clock the test moves by hand, so every count is exact, and a plain SDK
 * client with the SDK's own retries off, so each call is answered once.
 */
function useLimitedStream(name: string, shards: number, limits: StreamLimits) {
  let now = 0;
  let stream: { server: LocalKinesis; client: KinesisClient } | undefined;
  let keysByShard = new Map<string, string[]>();
  beforeAll(async () => {
    const server = await startLocalKinesis(0, 10, { limits, clock: () => now });
    const client = new KinesisClient({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
    });
    stream = { server, client };
    await createStream(client, name, shards);
    const map = new ShardMap(await listAllShards(stream.client, name));
    keysByShard = new Map(map.shards.map((s) => [s.shardId, []]));
    for (let i = 0; keysByShard.size && [...keysByShard.values()].some((k) => k.length < 200); i++) {
      keysByShard.get(map.shardIdFor(`device-${i}`)!)!.push(`device-${i}`);
    }
  });
  afterAll(async () => {
    stream?.client.destroy();
    await stream?.server.close();
  });
  return {
    client: (): KinesisClient => stream!.client,
    server: (): LocalKinesis => stream!.server,
    advance: (ms: number) => (now += ms),
    shardIds: () => [...keysByShard.keys()],
    /** `n` entries of `dataBytes` bytes each whose keys all hash to the shard. */
    entries: (shardId: string, n: number, dataBytes = 100): PutRecordsRequestEntry[] => {
      const keys = keysByShard.get(shardId)!;
      return Array.from({ length: n }, (_, i) => ({ PartitionKey: keys[i % keys.length], Data: new Uint8Array(dataBytes).fill(i % 251) }));
    },
  };
}

async function countStored(client: KinesisClient, streamName: string, shardId: string): Promise<number> {
  const { ShardIterator } = await client.send(new GetShardIteratorCommand({ StreamName: streamName, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));
  let iterator = ShardIterator;
  let count = 0;
  for (;;) {
    const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10000 }));
    count += page.Records?.length ?? 0;
    if (!page.Records?.length) return count;
    iterator = page.NextShardIterator;
  }
}

describe('local stream with write limits, driven by a raw SDK client', () => {
  const stream = useLimitedStream('limited-writes', 2, { writes: true, reads: false });

  it('takes 1,000 records per shard and second, fails the excess entries in place with HTTP 200, and stores only what it took', async () => {
    const client = stream.client();
    const [a, b] = stream.shardIds();
    const put = (Records: PutRecordsRequestEntry[]) => client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records }));

    // An idle shard's bucket holds one second: 1,000 records at once.
    for (let i = 0; i < 2; i++) {
      const ok = await put(stream.entries(a, 500));
      expect(ok.$metadata.httpStatusCode).toBe(200);
      expect(ok.FailedRecordCount).toBe(0);
    }
    const over = await put(stream.entries(a, 500));
    expect(over.$metadata.httpStatusCode).toBe(200);
    expect(over.FailedRecordCount).toBe(500);
    for (const entry of over.Records!) {
      expect(entry).toEqual({
        ErrorCode: 'ProvisionedThroughputExceededException',
        ErrorMessage: `Rate exceeded for shard ${a} in stream limited-writes under account 000000000000.`,
      });
    }

    // One call for both shards: a's entries fail, b's land, each answer in its entry's place.
    const mixed = [...stream.entries(a, 3), ...stream.entries(b, 250)].sort((x, y) => (x.PartitionKey! < y.PartitionKey! ? -1 : 1));
    const answer = await put(mixed);
    expect(answer.FailedRecordCount).toBe(3);
    answer.Records!.forEach((entry, i) => {
      const onA = stream.entries(a, 200).some((e) => e.PartitionKey === mixed[i].PartitionKey);
      if (onA) expect(entry.ErrorCode).toBe('ProvisionedThroughputExceededException');
      else expect(entry).toMatchObject({ ShardId: b, SequenceNumber: expect.any(String) });
    });

    // 100 ms later shard a has exactly 100 more tokens: the first 100 of 150 entries land.
    stream.advance(100);
    const refilled = await put(stream.entries(a, 150));
    expect(refilled.FailedRecordCount).toBe(50);
    expect(refilled.Records!.slice(0, 100).every((e) => e.ShardId === a)).toBe(true);
    expect(refilled.Records!.slice(100).every((e) => e.ErrorCode === 'ProvisionedThroughputExceededException')).toBe(true);

    expect(await countStored(client, 'limited-writes', a)).toBe(1100);
    expect(await countStored(client, 'limited-writes', b)).toBe(250);
    expect(stream.server().counts()).toMatchObject({ entriesAccepted: 1350, entriesThrottled: 553 });
  });

  it('takes 1 MiB per shard and second of data plus partition keys', async () => {
    stream.advance(5000); // idle: buckets full again
    const client = stream.client();
    const b = stream.shardIds()[1];
    const key = stream.entries(b, 1)[0].PartitionKey!;
    // Each entry counts exactly 100 KiB: data plus its key.
    const entries = Array.from({ length: 12 }, () => ({ PartitionKey: key, Data: new Uint8Array(102_400 - Buffer.byteLength(key)) }));
    const first = await client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records: entries }));
    expect(first.FailedRecordCount).toBe(2); // 10 x 100 KiB fit in 1 MiB, the 11th does not
    stream.advance(50); // +51.2 KiB: 75.2 KiB free, still short of one entry
    expect((await client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records: entries.slice(0, 1) }))).FailedRecordCount).toBe(1);
    stream.advance(50); // +51.2 KiB more: one entry fits
    expect((await client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records: entries.slice(0, 2) }))).FailedRecordCount).toBe(1);
  });

  it('fails a PutRecord over the limit as a whole, with HTTP 400 ProvisionedThroughputExceededException', async () => {
    stream.advance(5000);
    const client = stream.client();
    const a = stream.shardIds()[0];
    await client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records: stream.entries(a, 500) }));
    await client.send(new PutRecordsCommand({ StreamName: 'limited-writes', Records: stream.entries(a, 499) }));
    const [one] = stream.entries(a, 1);
    await expect(client.send(new PutRecordCommand({ StreamName: 'limited-writes', ...one }))).resolves.toMatchObject({ ShardId: a });
    const error = await client.send(new PutRecordCommand({ StreamName: 'limited-writes', ...one })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });
  });

  it('answers what it cannot limit as kinesalite does (an unknown stream)', async () => {
    const error = await stream
      .client()
      .send(new PutRecordsCommand({ StreamName: 'no-such-stream', Records: [{ PartitionKey: 'k', Data: new Uint8Array(1) }] }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe('local stream with read limits, driven by a raw SDK client', () => {
  const stream = useLimitedStream('limited-reads', 1, { writes: false, reads: true });
  const iterator = (client: KinesisClient, shardId: string) =>
    client.send(new GetShardIteratorCommand({ StreamName: 'limited-reads', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }));

  it('allows 5 GetShardIterator and 5 GetRecords calls per shard and second, then fails the call with ProvisionedThroughputExceededException', async () => {
    const client = stream.client();
    const [shard] = stream.shardIds();
    const iterators = [];
    for (let i = 0; i < 5; i++) iterators.push((await iterator(client, shard)).ShardIterator);
    await expect(iterator(client, shard)).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException', $metadata: { httpStatusCode: 400 } });

    for (let i = 0; i < 5; i++) await client.send(new GetRecordsCommand({ ShardIterator: iterators[i] }));
    const error = await client.send(new GetRecordsCommand({ ShardIterator: iterators[0] })).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'ProvisionedThroughputExceededException', message: `Rate exceeded for Shard - ${shard} in stream limited-reads under account 000000000000.` });
    stream.advance(200); // one more call's worth
    await client.send(new GetRecordsCommand({ ShardIterator: iterators[0] }));
    await expect(client.send(new GetRecordsCommand({ ShardIterator: iterators[0] }))).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
  });

  it('makes a shard that returned more than 2 MiB wait until the excess is paid off at 2 MiB/s', async () => {
    stream.advance(5000);
    const client = stream.client();
    const [shard] = stream.shardIds();
    // 3 MiB of data in the shard (no write limits on this stream).
    for (let i = 0; i < 3; i++) {
      const records = stream.entries(shard, 4, 262_144);
      await client.send(new PutRecordsCommand({ StreamName: 'limited-reads', Records: records }));
    }
    const { ShardIterator } = await iterator(client, shard);
    const page = await client.send(new GetRecordsCommand({ ShardIterator, Limit: 10000 }));
    expect(page.Records!.reduce((sum, r) => sum + r.Data!.length, 0)).toBe(3 * 1024 * 1024);
    // 2 MiB held, 3 MiB returned: 1 MiB of debt, paid off at 2 MiB/s.
    stream.advance(499);
    await expect(client.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))).rejects.toMatchObject({ name: 'ProvisionedThroughputExceededException' });
    stream.advance(2);
    await expect(client.send(new GetRecordsCommand({ ShardIterator: page.NextShardIterator }))).resolves.toMatchObject({ Records: [] });
    expect(stream.server().counts()).toMatchObject({ readsThrottled: 4 });
  });
});
