import type { ShardRange } from '../kinesis/shard-map';

/** One PutRecords request entry, as the SDK takes it. */
export interface PutEntry {
  Data: Uint8Array;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

/** Per entry, in request order, as PutRecords returns it: ShardId + SequenceNumber, or ErrorCode. */
export interface PutResultEntry {
  ShardId?: string;
  SequenceNumber?: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

/** The sink's reader went away (a closed pipe: `loadgen run --sink stdout | head`): nothing more can be written. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

/** Which sink `--sink` names. */
export type SinkSpec =
  | { readonly kind: 'kinesis' }
  | { readonly kind: 'null' }
  | { readonly kind: 'stdout' }
  | { readonly kind: 'file'; readonly path: string };

/** Where records go. The engine batches and retries; a sink only writes one batch. */
export interface Sink {
  readonly kind: SinkSpec['kind'];
  /** The writable shards' hash-key ranges, or null when the sink has no shards. */
  listShards(): Promise<ShardRange[] | null>;
  /** Writes one batch; rejects only when the whole request failed. */
  putRecords(entries: PutEntry[]): Promise<PutResultEntry[]>;
  close(): Promise<void>;
}
