/**
 * Kinesis Data Streams service limits the producer honours, in one place (see shared/FACTS.md).
 * Change them here only: every other module imports these names.
 */

/** PutRecords accepts at most this many entries per call. */
export const MAX_RECORDS_PER_REQUEST = 500;

/**
 * Bytes of data + partition keys per PutRecords call. The current API reference says 10 MiB, older SDK docs
 * 5 MiB: we stay under the smaller figure so the tool works against either.
 */
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;

/** One record (data blob + partition key), default stream setting. */
export const MAX_RECORD_BYTES = 1024 * 1024;

/** Partition key length in Unicode characters. */
export const MIN_PARTITION_KEY_CHARS = 1;
export const MAX_PARTITION_KEY_CHARS = 256;

/** Write throughput of one shard (provisioned and on-demand alike). */
export const SHARD_WRITE_RECORDS_PER_SECOND = 1000;
export const SHARD_WRITE_BYTES_PER_SECOND = 1024 * 1024;

/** GetRecords returns at most this many records per call. */
export const GET_RECORDS_MAX_RECORDS = 10_000;

/** Read throughput of one shard, shared by every consumer that polls it (the Databricks job included). */
export const SHARD_READ_BYTES_PER_SECOND = 2 * 1024 * 1024;
export const SHARD_READS_PER_SECOND = 5;

/** GetShardIterator calls per second and shard. */
export const SHARD_ITERATOR_CALLS_PER_SECOND = 5;

/**
 * How much of each per-shard limit the service lets an idle shard take at once, in seconds of the limit: the
 * local stream's token buckets hold this much (kinesis/shard-throughput.ts). The service documents per-second
 * limits and no burst size; one second is the smallest bucket that lets a shard reach its limit in every second.
 */
export const SERVICE_BURST_SECONDS = 1;
