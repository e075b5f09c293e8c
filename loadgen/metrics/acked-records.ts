/**
 * What `run --verify` will look for: the records the stream acknowledged. Records the generator numbered (`seq`
 * per partition key) are kept as runs of numbers per key, so memory grows with the keys and the exceptions
 * (gaps, out-of-order acks after retries), not with the records. Records without a number fall back to their
 * (shard, sequence number), one string per record.
 */
import { NO_SEQ_NUMBER, SeqRanges } from '../shared/seq-ranges';

export class AckedRecords {
  /** Partition key -> the seq numbers acknowledged. */
  readonly byKey = new Map<string, SeqRanges>();
  /** Shard -> the sequence numbers of acknowledged records that had no seq. */
  readonly bySequenceNumber = new Map<string, Set<string>>();
  private unnumbered = 0;

  add(shardId: string, sequenceNumber: string | undefined, partitionKey: string, seq: number): void {
    if (seq !== NO_SEQ_NUMBER) {
      let ranges = this.byKey.get(partitionKey);
      if (!ranges) this.byKey.set(partitionKey, (ranges = new SeqRanges()));
      ranges.add(seq);
      return;
    }
    if (sequenceNumber === undefined) return;
    let set = this.bySequenceNumber.get(shardId);
    if (!set) this.bySequenceNumber.set(shardId, (set = new Set()));
    set.add(sequenceNumber);
    this.unnumbered++;
  }

  /** Records acknowledged that the fallback keeps one by one. */
  get unnumberedCount(): number {
    return this.unnumbered;
  }

  /** Plain arrays (runs of numbers per key, sequence numbers per shard): what worker threads send their parent. */
  toPlain(): PlainAckedRecords {
    return {
      byKey: [...this.byKey].map(([key, ranges]) => [key, ranges.toRuns()]),
      bySequenceNumber: [...this.bySequenceNumber].map(([shard, numbers]) => [shard, [...numbers]]),
    };
  }

  /** Adds the records another part of the run acknowledged (a worker's share). */
  addPlain(plain: PlainAckedRecords): void {
    for (const [key, runs] of plain.byKey) {
      const ranges = this.byKey.get(key);
      if (ranges) ranges.addAll(SeqRanges.fromRuns(runs));
      else this.byKey.set(key, SeqRanges.fromRuns(runs));
    }
    for (const [shard, numbers] of plain.bySequenceNumber) {
      let set = this.bySequenceNumber.get(shard);
      if (!set) this.bySequenceNumber.set(shard, (set = new Set()));
      for (const n of numbers) {
        if (set.has(n)) continue;
        set.add(n);
        this.unnumbered++;
      }
    }
  }
}

/** AckedRecords as plain data (structured-clone friendly). */
export interface PlainAckedRecords {
  readonly byKey: readonly (readonly [string, readonly number[]])[];
  readonly bySequenceNumber: readonly (readonly [string, readonly string[]])[];
}
