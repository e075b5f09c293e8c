import type { PutEntry } from '../record';
import type { ShardRange } from '../shard-map';

/** Per entry, in request order, as PutRecords returns it: ShardId + SequenceNumber, or ErrorCode. */
export interface PutResultEntry {
  ShardId?: string;
  SequenceNumber?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** Where records go. The engine batches and retries; a sink only writes one batch. */
export interface Sink {
  readonly kind: 'kinesis' | 'null' | 'stdout' | 'file';
  /** The writable shards' hash-key ranges, or null when the sink has no shards. */
  listShards(): Promise<ShardRange[] | null>;
  /** Writes one batch; rejects only when the whole request failed. */
  putRecords(entries: PutEntry[]): Promise<PutResultEntry[]>;
  close(): Promise<void>;
}
