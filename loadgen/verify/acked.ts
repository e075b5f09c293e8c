/**
 * `run --verify`: reads the stream back and checks that every record the producer saw acknowledged is there
 * (missing = acked but not read back), and counts extra copies (duplicates). Numbered records (a generator's
 * `seq` per partition key, read back by its `seqOf`) are compared as runs of numbers per key; the rest by
 * (shard, sequence number), and their duplicates by payload digest. A segment of a run (`--segment`) shares its
 * run id with the others, so it checks only its own records: those whose (key, seq) or (shard, sequence number) it
 * acknowledged count as received, matched and duplicated; the other segments' are skipped.
 */
import type { KinesisSender } from '../kinesis/shards';
import type { ReadOptions } from '../kinesis/stream-reader';
import type { AckedRecords } from '../metrics/acked-records';
import { SeqRanges } from '../shared/seq-ranges';
import { readBack } from './read-back';
import { SeenRecords } from './seen-records';
import { MISSING_SAMPLE_SIZE, type VerifyResult } from './types';

/** Reads a record's seq back from its data; undefined for records not of this run (or without a number). */
export type SeqOf = (data: Uint8Array) => number | undefined;

/** Acknowledged records, numbered ones first. */
function ackedCount(acked: AckedRecords): number {
  let total = acked.unnumberedCount;
  for (const ranges of acked.byKey.values()) total += ranges.size;
  return total;
}

export interface AckedCheckOptions extends ReadOptions {
  /**
   * Count only the records this process acknowledged (a segment of a run): the other segments' records carry the
   * same run id. Duplicates of records without a `seq` cannot be told apart from other segments' records then,
   * so only numbered records' duplicates count.
   */
  readonly ownRecordsOnly?: boolean;
}

/**
 * Consumes `acked`'s sequence numbers as they are found (memory shrinks as the read goes). `since` undefined
 * reads the whole (fresh) stream.
 */
export async function verifyAcked(
  client: KinesisSender,
  streamName: string,
  acked: AckedRecords,
  seqOf: SeqOf | undefined,
  options: AckedCheckOptions = {},
): Promise<VerifyResult> {
  const expected = ackedCount(acked);
  const ownOnly = options.ownRecordsOnly ?? false;
  // Payload digests only when some records have no number: otherwise unnumbered records are other runs'.
  const seen = new SeenRecords(acked.unnumberedCount > 0 && !ownOnly);
  let matchedBySequence = 0;
  let own = 0;
  const counts = await readBack(client, streamName, options, (r) => {
    const seq = seqOf?.(r.data);
    if (seq !== undefined) {
      if (ownOnly && !acked.byKey.get(r.partitionKey)?.has(seq)) return;
      own++;
      return seen.numbered(r.partitionKey, seq);
    }
    if (acked.bySequenceNumber.get(r.shardId)?.delete(r.sequenceNumber)) {
      matchedBySequence++;
      own++;
    } else if (ownOnly) {
      return;
    }
    seen.unnumbered(r.data);
  });

  let matched = matchedBySequence;
  const missingSample: string[] = [];
  const none = new SeqRanges();
  for (const [key, ranges] of acked.byKey) {
    const found = seen.byKey.get(key) ?? none;
    matched += ranges.overlap(found);
    if (missingSample.length < MISSING_SAMPLE_SIZE) {
      for (const seq of ranges.missingFrom(found, MISSING_SAMPLE_SIZE - missingSample.length)) missingSample.push(`${key}#${seq}`);
    }
  }
  for (const [shardId, left] of acked.bySequenceNumber) {
    for (const sequenceNumber of left) {
      if (missingSample.length >= MISSING_SAMPLE_SIZE) break;
      missingSample.push(`${shardId}/${sequenceNumber}`);
    }
  }
  const method = acked.unnumberedCount === 0 ? 'seq-per-key' : acked.byKey.size === 0 ? 'sequence-number' : 'mixed';
  const received = ownOnly ? own : counts.received;
  return { ...counts, received, duplicates: seen.duplicates, matched, missing: expected - matched, missingSample, method };
}
