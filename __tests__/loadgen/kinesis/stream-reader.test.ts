import { GetRecordsCommand, GetShardIteratorCommand, PutRecordsCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import type { KinesisSender } from '../../../loadgen/kinesis/shards';
import { ReadProgress } from '../../../loadgen/kinesis/read-progress';
import { PAGE_BYTES, pageLimit, readPauseMs, readStream, type ReadRecord } from '../../../loadgen/kinesis/stream-reader';
import { mulberry32 } from '../../../loadgen/shared/random';
import { useEmbeddedStream } from '../helpers';

const serviceError = (name: string): Error => Object.assign(new Error(`${name} (injected)`), { name, $metadata: { httpStatusCode: 400 } });

/**
 * Wraps a client: follows which shard each iterator belongs to, records when each shard is read, and fails
 * the first GetRecords calls of chosen shards with the errors given.
 */
function observedClient(client: KinesisClient, failures: Record<string, string[]>) {
  const shardOf = new Map<string, string>();
  const calls = new Map<string, number[]>();
  /** Per GetRecords call: its Limit, and how many records the reader had handed over when it was sent. */
  const pages: { shardId: string; limit: number; deliveredBefore: number }[] = [];
  let delivered = 0;
  const send = async (command: unknown, options?: unknown): Promise<unknown> => {
    if (command instanceof GetShardIteratorCommand) {
      const response = await client.send(command, options as never);
      shardOf.set(response.ShardIterator!, command.input.ShardId!);
      return response;
    }
    if (command instanceof GetRecordsCommand) {
      const shardId = shardOf.get(command.input.ShardIterator!)!;
      calls.set(shardId, [...(calls.get(shardId) ?? []), performance.now()]);
      pages.push({ shardId, limit: command.input.Limit!, deliveredBefore: delivered });
      const next = failures[shardId]?.shift();
      if (next) throw serviceError(next);
      const response = await client.send(command);
      if (response.NextShardIterator) shardOf.set(response.NextShardIterator, shardId);
      return response;
    }
    return client.send(command as never);
  };
  return { sender: { send } as unknown as KinesisSender, calls, pages, onRecord: () => delivered++ };
}

describe('reading a stream within the per-shard read limits', () => {
  const stream = useEmbeddedStream('reads', 2);
  beforeAll(async () => {
    const client = stream.client();
    const records = Array.from({ length: 200 }, (_, i) => ({ PartitionKey: `device-${i}`, Data: Buffer.from(`record-${i}`) }));
    await client.send(new PutRecordsCommand({ StreamName: 'reads', Records: records }));
  });

  it('retries throttled GetRecords with backoff, renews an expired iterator, and reads every record once', async () => {
    const { sender, calls } = observedClient(stream.client(), {
      'shardId-000000000000': ['ProvisionedThroughputExceededException', 'ProvisionedThroughputExceededException'],
      'shardId-000000000001': ['ExpiredIteratorException'],
    });
    const read: ReadRecord[] = [];
    const stats = await readStream(sender, 'reads', (r) => read.push(r), { readShare: 0.5, random: mulberry32(1) });
    expect(stats).toMatchObject({ shardsRead: 2, throttled: 2 });
    expect(read).toHaveLength(200);
    expect(new Set(read.map((r) => `${r.shardId}/${r.sequenceNumber}`)).size).toBe(200);
    expect(calls.get('shardId-000000000000')).toHaveLength(3);
    expect(calls.get('shardId-000000000001')).toHaveLength(2);
    // Half of 5 calls/s per shard: consecutive calls on one shard are at least 400 ms apart.
    for (const times of calls.values()) {
      for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(399);
    }
  });

  it('gives up with one line after too many throttled calls in a row', async () => {
    const { sender } = observedClient(stream.client(), { 'shardId-000000000000': Array(5).fill('ProvisionedThroughputExceededException') });
    await expect(readStream(sender, 'reads', () => {}, { maxRetries: 2, random: () => 0 })).rejects.toThrow(
      /^reading reads failed 3 times in a row: ProvisionedThroughputExceededException: /,
    );
  });

  it('rests a shard long enough for both limits: 5 calls/s and 2 MiB/s, scaled by the share', () => {
    expect(readPauseMs(0, 5, 2 * 1024 * 1024)).toBe(200);
    expect(readPauseMs(4 * 1024 * 1024, 5, 2 * 1024 * 1024)).toBe(2000); // 4 MiB read: 2 s of the shard's bytes
    expect(readPauseMs(1024 * 1024, 2.5, 1024 * 1024)).toBe(1000); // half share
  });
});

describe('a long shard streams through in small pages', () => {
  const stream = useEmbeddedStream('paged', 2);

  it('streams records through in pages of about one call\'s share of the byte limit, never a shard at a time', async () => {
    const client = stream.client();
    // 2,000 records of 1 KiB on one shard (one partition key).
    const big = Buffer.alloc(1024, 'x');
    for (let i = 0; i < 4; i++) {
      await client.send(new PutRecordsCommand({ StreamName: 'paged', Records: Array.from({ length: 500 }, () => ({ PartitionKey: 'one-key', Data: big })) }));
    }
    const { sender, pages, onRecord } = observedClient(client, {});
    let read = 0;
    const progress = new ReadProgress();
    await readStream(sender, 'paged', () => (read++, onRecord()), { progress });
    expect(read).toBe(2000);
    const perPage = pageLimit(1024); // the first page tells the size; later pages hold about PAGE_BYTES
    expect(perPage).toBe(Math.floor(PAGE_BYTES / 1024));
    const shardWithRecords = pages.find((p) => p.deliveredBefore > 0)!.shardId;
    const busy = pages.filter((p) => p.shardId === shardWithRecords);
    expect(busy.map((p) => p.limit)).toEqual([1000, perPage, perPage, perPage]);
    // Each page was handed over before the next was asked for.
    expect(busy.map((p) => p.deliveredBefore)).toEqual([0, 1000, 1000 + perPage, 1000 + 2 * perPage]);
    expect([progress.records, progress.shardsDone, progress.fraction()]).toEqual([2000, 2, 1]);
  });

});
