/**
 * `run --verify`: reads the stream back and checks that every record the producer saw acknowledged is
 * there (missing = acked but not read back), and counts duplicate payloads.
 */
import type { KinesisSender } from '../kinesis/shards';
import { readStream, type ReadOptions } from '../kinesis/stream-reader';
import { DuplicateCounter } from './duplicates';
import { MISSING_SAMPLE_SIZE, type VerifyResult } from './types';

/** `acks`: per shard, the acked sequence numbers. `since` undefined reads the whole (fresh) stream. */
export async function verifyAcked(
  client: KinesisSender,
  streamName: string,
  acks: ReadonlyMap<string, readonly string[]>,
  options: ReadOptions = {},
): Promise<VerifyResult> {
  const expected = new Map<string, Set<string>>();
  let ackedTotal = 0;
  for (const [shardId, seqs] of acks) {
    expected.set(shardId, new Set(seqs));
    ackedTotal += seqs.length;
  }
  let received = 0;
  let matched = 0;
  const dupes = new DuplicateCounter();
  const stats = await readStream(
    client,
    streamName,
    (r) => {
      received++;
      dupes.add(r.data);
      if (expected.get(r.shardId)?.delete(r.sequenceNumber)) matched++;
    },
    options,
  );
  const missingSample: string[] = [];
  for (const [shardId, left] of expected) {
    for (const seq of left) {
      if (missingSample.length >= MISSING_SAMPLE_SIZE) break;
      missingSample.push(`${shardId}/${seq}`);
    }
  }
  return {
    received,
    matched,
    missing: ackedTotal - matched,
    duplicates: dupes.duplicates,
    missingSample,
    shardsRead: stats.shardsRead,
    readsThrottled: stats.throttled,
  };
}
