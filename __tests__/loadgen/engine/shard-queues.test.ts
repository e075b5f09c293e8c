import { InvalidRecordError, encodeRecord, type PendingRecord } from '../../../loadgen/engine/record';
import { ShardQueues } from '../../../loadgen/engine/shard-queues';
import { MAX_RECORDS_PER_REQUEST, MAX_RECORD_BYTES, MAX_REQUEST_BYTES } from '../../../loadgen/kinesis/limits';
import { NO_SEQ_NUMBER } from '../../../loadgen/shared/seq-ranges';

function record(shard: number, dataBytes = 10, key = `k${shard}`): PendingRecord {
  return { entry: { PartitionKey: key, Data: new Uint8Array(dataBytes) }, bytes: dataBytes + key.length, shard, attempts: 0, seq: NO_SEQ_NUMBER, dueMs: 0, spread: false };
}

describe('batch limits', () => {
  it('never puts more than 500 records in a PutRecords batch', () => {
    const queues = new ShardQueues(2, null, 0, 10_000);
    for (let i = 0; i < 1234; i++) queues.offer(record(i % 2));
    const sizes: number[] = [];
    for (let batch = queues.takeBatch(0, MAX_RECORDS_PER_REQUEST); batch.length; batch = queues.takeBatch(0, MAX_RECORDS_PER_REQUEST)) {
      sizes.push(batch.length);
    }
    expect(sizes).toEqual([500, 500, 234]);
    expect(queues.size).toBe(0);
  });

  it('keeps a batch under the request byte limit', () => {
    const queues = new ShardQueues(1, null, 0, 100);
    const big = MAX_RECORD_BYTES - 100;
    for (let i = 0; i < 12; i++) queues.offer(record(0, big));
    const batches: number[] = [];
    for (let batch = queues.takeBatch(0, 500); batch.length; batch = queues.takeBatch(0, 500)) {
      expect(batch.reduce((sum, r) => sum + r.bytes, 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
      batches.push(batch.length);
    }
    expect(batches).toEqual([5, 5, 2]);
  });

  it('rejects a record over 1 MiB (data + partition key), a bad partition key or seq, as the generator\'s fault', () => {
    const key = 'device-1';
    expect(encodeRecord({ partitionKey: key, data: 'x'.repeat(MAX_RECORD_BYTES - key.length) }).bytes).toBe(MAX_RECORD_BYTES);
    expect(() => encodeRecord({ partitionKey: key, data: 'x'.repeat(MAX_RECORD_BYTES) })).toThrow(InvalidRecordError);
    expect(() => encodeRecord({ partitionKey: '', data: 'x' })).toThrow(/partitionKey/);
    expect(() => encodeRecord({ partitionKey: 'k'.repeat(257), data: 'x' })).toThrow(/1-256/);
    expect(encodeRecord({ partitionKey: key, data: 'x', seq: 7 }).seq).toBe(7);
    expect(encodeRecord({ partitionKey: key, data: 'x' }).seq).toBe(NO_SEQ_NUMBER);
    for (const seq of [-1, 1.5, Number.NaN]) expect(() => encodeRecord({ partitionKey: key, data: 'x', seq })).toThrow(/seq .*whole number >= 0/);
  });

  it('lets each shard send only what its token bucket holds, without starving the others', () => {
    // Factor 1: 1,000 records/s per shard, buckets start empty and hold 0.25 s.
    const queues = new ShardQueues(2, 1, 0, 100_000);
    for (let i = 0; i < 900; i++) queues.offer(record(0)); // hot shard, capped at 1 s of its limit
    for (let i = 0; i < 10; i++) queues.offer(record(1));
    expect(queues.takeBatch(0, 500)).toHaveLength(0); // empty buckets
    const batch = queues.takeBatch(100, 500); // 100 ms later: 100 tokens per shard
    const perShard = [0, 0];
    for (const r of batch) perShard[r.shard]++;
    expect(perShard).toEqual([100, 10]);
    // After a long pause the bucket holds at most a quarter second.
    expect(queues.takeBatch(10_000, 500)).toHaveLength(250);
  });

  it('refuses new records beyond one second of a shard limit, but never refuses retries', () => {
    const queues = new ShardQueues(1, 1, 0, 100_000);
    let accepted = 0;
    for (let i = 0; i < 1500; i++) if (queues.offer(record(0))) accepted++;
    expect(accepted).toBe(1000);
    queues.requeue(record(0));
    expect(queues.size).toBe(1001);
  });

  it('sends retries ahead of new records', () => {
    const queues = new ShardQueues(1, null, 0, 100);
    queues.offer(record(0, 1, 'fresh'));
    queues.requeue(record(0, 1, 'retry'));
    expect(queues.takeBatch(0, 2).map((r) => r.entry.PartitionKey)).toEqual(['retry', 'fresh']);
  });
});
