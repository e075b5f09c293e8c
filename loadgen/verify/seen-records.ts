/**
 * The records a read-back has seen, for duplicates: numbered records (a key and its seq) as runs of numbers per
 * key, so a repeat is a duplicate and memory grows with the keys and the exceptions; records without a number,
 * when asked, by a digest of their payload (one per record: the documented fallback).
 */
import { SeqRanges } from '../shared/seq-ranges';
import { DuplicateCounter } from './duplicates';

export class SeenRecords {
  readonly byKey = new Map<string, SeqRanges>();
  private repeats = 0;
  private readonly payloads: DuplicateCounter | null;

  /** `hashUnnumbered`: count duplicates among records without a number too (one digest per record). */
  constructor(hashUnnumbered: boolean) {
    this.payloads = hashUnnumbered ? new DuplicateCounter() : null;
  }

  /** A record of `key` numbered `seq`. */
  numbered(key: string, seq: number): void {
    let ranges = this.byKey.get(key);
    if (!ranges) this.byKey.set(key, (ranges = new SeqRanges()));
    if (!ranges.add(seq)) this.repeats++;
  }

  /** A record without a number. */
  unnumbered(data: Uint8Array): void {
    this.payloads?.add(data);
  }

  /** Extra copies of a record already seen. */
  get duplicates(): number {
    return this.repeats + (this.payloads?.duplicates ?? 0);
  }
}
