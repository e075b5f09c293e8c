export interface VerifyResult {
  /** Records read back from the stream in the window. */
  readonly received: number;
  /** Acked by the producer (or expected from seq numbering) but not read back. */
  readonly missing: number;
  /** Extra copies of a payload already read. */
  readonly duplicates: number;
  /** Run check only: acked records found. */
  readonly matched?: number;
  /**
   * Run check only: how acknowledged records were tracked: `seq-per-key` (the generator numbers its records per
   * partition key: memory per key), `sequence-number` (the fallback: memory per record), or `mixed`.
   */
  readonly method?: 'seq-per-key' | 'sequence-number' | 'mixed';
  /** Up to 10 missing records, `shardId/sequenceNumber` or `run_id/device_id#seq`. */
  readonly missingSample: readonly string[];
  readonly shardsRead: number;
  /** GetRecords/GetShardIterator calls the service throttled (each retried with backoff). */
  readonly readsThrottled: number;
  /** Standalone check only: sensor-contract runs seen, and records that were not in the contract. */
  readonly runs?: number;
  readonly unrecognized?: number;
}

/** How many missing records a result names. */
export const MISSING_SAMPLE_SIZE = 10;

/** What `run --verify` reports before it has read anything: every key it has (the report template uses it). */
export const EMPTY_RUN_VERIFY_RESULT: VerifyResult = Object.freeze({
  received: 0,
  matched: 0,
  missing: 0,
  duplicates: 0,
  missingSample: [],
  shardsRead: 0,
  readsThrottled: 0,
});
