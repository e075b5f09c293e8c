/**
 * Turns a generator's output into a PutRecords entry once, up front: data encoded to bytes, size and
 * partition key checked against the Kinesis limits.
 */
import type { GeneratedRecord, RecordGenerator } from '../generators/types';
import { MAX_PARTITION_KEY_CHARS, MAX_RECORD_BYTES, MIN_PARTITION_KEY_CHARS } from '../kinesis/limits';
import { isHashKey } from '../kinesis/shard-map';
import { RunError, firstLine } from '../shared/errors';
import { NO_SEQ_NUMBER } from '../shared/seq-ranges';
import type { PutEntry } from '../sinks/types';

/** A record on its way to the sink. */
export interface PendingRecord {
  readonly entry: PutEntry;
  /** Data + partition key bytes: what counts against record, request and shard byte limits. */
  readonly bytes: number;
  /** Index of the predicted shard in the router's current shard map. */
  shard: number;
  /** Send attempts that failed so far. */
  attempts: number;
  /** The generator's number for it among its partition key's records (for verification); NO_SEQ_NUMBER when it gave none (a number either way, so every record has one shape). */
  readonly seq: number;
  /**
   * When it fell due on the schedule (engine clock, ms): its record latency runs from here to its ack. Created as
   * -0, a double: fractional ms stored into a field V8 holds as a small integer change its representation, which
   * deprecates the shape of every record alive at that moment (the 20,000 sampled before a run) and kept
   * admission re-optimizing in a loop at half its speed.
   */
  dueMs: number;
  /** Its explicit hash key was given by the key spread (engine/key-spread.ts), not by the generator. */
  spread: boolean;
}

/** A generator returned something Kinesis cannot take: the generator's fault, not the run's. */
export class InvalidRecordError extends Error {
  override readonly name = 'InvalidRecordError';
}

export function encodeRecord(record: GeneratedRecord): PendingRecord {
  const { partitionKey, data, explicitHashKey, seq } = record ?? ({} as GeneratedRecord);
  if (typeof partitionKey !== 'string' || partitionKey.length < MIN_PARTITION_KEY_CHARS || partitionKey.length > MAX_PARTITION_KEY_CHARS) {
    throw new InvalidRecordError(
      `next() returned partitionKey ${JSON.stringify(partitionKey)}; expected a string of ${MIN_PARTITION_KEY_CHARS}-${MAX_PARTITION_KEY_CHARS} characters`,
    );
  }
  let bytes: Uint8Array;
  if (typeof data === 'string') bytes = Buffer.from(data, 'utf8');
  else if (data instanceof Uint8Array) bytes = data;
  else if (data !== null && typeof data === 'object') bytes = Buffer.from(JSON.stringify(data), 'utf8');
  else throw new InvalidRecordError(`next() returned data of type ${data === null ? 'null' : typeof data}; expected a string, bytes or an object`);
  const size = bytes.length + Buffer.byteLength(partitionKey, 'utf8');
  if (size > MAX_RECORD_BYTES) {
    throw new InvalidRecordError(`a record of ${size} bytes (data + partition key); expected at most ${MAX_RECORD_BYTES} bytes (1 MiB)`);
  }
  const entry: PutEntry = { Data: bytes, PartitionKey: partitionKey };
  if (explicitHashKey !== undefined) {
    if (typeof explicitHashKey !== 'string' || !isHashKey(explicitHashKey)) {
      throw new InvalidRecordError(`next() returned explicitHashKey ${JSON.stringify(explicitHashKey)}; expected a decimal string from 0 to 2^128-1`);
    }
    entry.ExplicitHashKey = explicitHashKey;
  }
  if (seq !== undefined && (!Number.isSafeInteger(seq) || seq < 0)) {
    throw new InvalidRecordError(`next() returned seq ${JSON.stringify(seq)}; expected a whole number >= 0`);
  }
  return { entry, bytes: size, shard: 0, attempts: 0, seq: seq ?? NO_SEQ_NUMBER, dueMs: -0, spread: false };
}

/**
 * A copy of `record` (its data replaced by `data` when given), built as encodeRecord builds a record (same keys
 * in the same order), so copies share the shape of the records the engine's hot paths see.
 */
export function copyRecord(record: PendingRecord, data: Uint8Array = record.entry.Data): PendingRecord {
  const entry: PutEntry = { Data: data, PartitionKey: record.entry.PartitionKey };
  if (record.entry.ExplicitHashKey !== undefined) entry.ExplicitHashKey = record.entry.ExplicitHashKey;
  return { entry, bytes: record.bytes, shard: record.shard, attempts: record.attempts, seq: record.seq, dueMs: record.dueMs, spread: record.spread };
}

/**
 * The engine's supply of records: the generator's next() encoded for PutRecords. A generator that throws
 * ends the run with its message; one that returns an unusable record raises InvalidRecordError.
 */
export function recordSource(generator: RecordGenerator, generatorName: string): () => PendingRecord {
  return () => {
    let generated: GeneratedRecord;
    try {
      generated = generator.next();
    } catch (error) {
      throw new RunError(`generator ${JSON.stringify(generatorName)} failed in next(): ${firstLine(error)}`);
    }
    return encodeRecord(generated);
  };
}
