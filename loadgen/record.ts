/**
 * Turns a generator's output into a PutRecords entry once, up front: data encoded to bytes, size and
 * partition key checked against the Kinesis limits. A bad record is a usage error of the generator.
 */
import { MAX_PARTITION_KEY_CHARS, MAX_RECORD_BYTES, MIN_PARTITION_KEY_CHARS } from './limits';
import { UsageError } from './errors';
import type { GeneratedRecord } from './generators/types';

/** The request entry as the SDK takes it. */
export interface PutEntry {
  Data: Uint8Array;
  PartitionKey: string;
  ExplicitHashKey?: string;
}

/** A record on its way to the sink. */
export interface PendingRecord {
  readonly entry: PutEntry;
  /** Data + partition key bytes: what counts against record, request and shard byte limits. */
  readonly bytes: number;
  /** Index of the predicted shard in the current ShardMap. */
  shard: number;
  /** Send attempts that failed so far. */
  attempts: number;
}

const HASH_KEY = /^\d{1,39}$/;

export function encodeRecord(record: GeneratedRecord, generatorName: string): PendingRecord {
  const { partitionKey, data, explicitHashKey } = record ?? ({} as GeneratedRecord);
  if (typeof partitionKey !== 'string' || partitionKey.length < MIN_PARTITION_KEY_CHARS || partitionKey.length > MAX_PARTITION_KEY_CHARS) {
    throw new UsageError(
      `invalid --generator ${JSON.stringify(generatorName)}: next() returned partitionKey ${JSON.stringify(partitionKey)}; expected a string of ${MIN_PARTITION_KEY_CHARS}-${MAX_PARTITION_KEY_CHARS} characters`,
    );
  }
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data instanceof Uint8Array) bytes = data;
  else if (data !== null && typeof data === 'object') bytes = Buffer.from(JSON.stringify(data), 'utf8');
  else {
    throw new UsageError(
      `invalid --generator ${JSON.stringify(generatorName)}: next() returned data of type ${data === null ? 'null' : typeof data}; expected a string, bytes or an object`,
    );
  }
  const size = bytes.length + Buffer.byteLength(partitionKey, 'utf8');
  if (size > MAX_RECORD_BYTES) {
    throw new UsageError(
      `invalid --generator ${JSON.stringify(generatorName)}: a record of ${size} bytes (data + partition key); expected at most ${MAX_RECORD_BYTES} bytes (1 MiB)`,
    );
  }
  const entry: PutEntry = { Data: bytes, PartitionKey: partitionKey };
  if (explicitHashKey !== undefined) {
    if (typeof explicitHashKey !== 'string' || !HASH_KEY.test(explicitHashKey) || BigInt(explicitHashKey) >= 2n ** 128n) {
      throw new UsageError(
        `invalid --generator ${JSON.stringify(generatorName)}: next() returned explicitHashKey ${JSON.stringify(explicitHashKey)}; expected a decimal string from 0 to 2^128-1`,
      );
    }
    entry.ExplicitHashKey = explicitHashKey;
  }
  return { entry, bytes: size, shard: 0, attempts: 0 };
}
