/**
 * `run --verify`: reads the stream back and checks that every record the producer saw acknowledged is
 * there (missing = acked but not read back), and counts duplicate payloads.
 */
import type { KinesisSender } from '../kinesis/shards';
import type { ReadOptions } from '../kinesis/stream-reader';
import { readBack } from './read-back';
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
  let matched = 0;
  const counts = await readBack(client, streamName, options, (r) => {
    if (expected.get(r.shardId)?.delete(r.sequenceNumber)) matched++;
  });
  const missingSample: string[] = [];
  for (const [shardId, left] of expected) {
    for (const seq of left) {
      if (missingSample.length >= MISSING_SAMPLE_SIZE) break;
      missingSample.push(`${shardId}/${seq}`);
    }
  }
  return { ...counts, matched, missing: ackedTotal - matched, missingSample };
}
