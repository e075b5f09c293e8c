/**
 * The service's side of the per-shard limits, as the local stream enforces them (kinesis/limited-endpoint.ts).
 * Writes: 1,000 records/s and 1 MiB/s of data + partition keys per shard, decided entry by entry. Reads:
 * 5 GetRecords calls/s and 2 MiB/s returned per shard, and 5 GetShardIterator calls/s. Every limit is a token
 * bucket that holds SERVICE_BURST_SECONDS of it and is full while the shard is idle. Unlike the producer's own
 * limiter (engine/shard-limiter.ts), which must stay under the limits, this one decides what is over them.
 */
import { TokenBucket } from '../shared/token-bucket';
import {
  SERVICE_BURST_SECONDS,
  SHARD_ITERATOR_CALLS_PER_SECOND,
  SHARD_READS_PER_SECOND,
  SHARD_READ_BYTES_PER_SECOND,
  SHARD_WRITE_BYTES_PER_SECOND,
  SHARD_WRITE_RECORDS_PER_SECOND,
} from './limits';

/** Which of the service's limits the local stream enforces. */
export interface StreamLimits {
  /** 1,000 records/s and 1 MiB/s per shard; excess PutRecords entries fail with ProvisionedThroughputExceededException. */
  readonly writes: boolean;
  /** 5 GetRecords/s and 2 MiB/s, 5 GetShardIterator/s per shard; excess calls fail with ProvisionedThroughputExceededException. */
  readonly reads: boolean;
}

export const NO_LIMITS: StreamLimits = { writes: false, reads: false };

/** What the limits refused so far (and what they let through), for `loadgen local` and tests. */
export interface ThroughputCounts {
  readonly entriesAccepted: number;
  readonly entriesThrottled: number;
  readonly readsAccepted: number;
  readonly readsThrottled: number;
}

const bucket = (perSecond: number, nowMs: number): TokenBucket => {
  const capacity = perSecond * SERVICE_BURST_SECONDS;
  return new TokenBucket(perSecond, capacity, nowMs, capacity);
};

class ShardWrites {
  private readonly records: TokenBucket;
  private readonly bytes: TokenBucket;

  constructor(nowMs: number) {
    this.records = bucket(SHARD_WRITE_RECORDS_PER_SECOND, nowMs);
    this.bytes = bucket(SHARD_WRITE_BYTES_PER_SECOND, nowMs);
  }

  /** One entry of `bytes` (data + partition key): taken when both buckets have room, else throttled. */
  admit(bytes: number, nowMs: number): boolean {
    if (this.records.available(nowMs) < 1 || this.bytes.available(nowMs) < bytes) return false;
    this.records.tryTake(1, nowMs);
    this.bytes.tryTake(bytes, nowMs);
    return true;
  }
}

class ShardReads {
  private readonly calls: TokenBucket;
  private readonly bytes: TokenBucket;
  private readonly iterators: TokenBucket;

  constructor(nowMs: number) {
    this.calls = bucket(SHARD_READS_PER_SECOND, nowMs);
    this.bytes = bucket(SHARD_READ_BYTES_PER_SECOND, nowMs);
    this.iterators = bucket(SHARD_ITERATOR_CALLS_PER_SECOND, nowMs);
  }

  /** A GetRecords call: needs a call token and no byte debt left from earlier calls. */
  admitGetRecords(nowMs: number): boolean {
    if (this.bytes.available(nowMs) <= 0) return false;
    return this.calls.tryTake(1, nowMs);
  }

  /** What a GetRecords call returned; more than the bucket holds is a debt later calls wait out. */
  returned(bytes: number, nowMs: number): void {
    this.bytes.spend(bytes, nowMs);
  }

  admitGetShardIterator(nowMs: number): boolean {
    return this.iterators.tryTake(1, nowMs);
  }
}

/** Every shard's buckets, keyed by stream and shard, created on first use. */
export class StreamThroughput {
  private readonly writes = new Map<string, ShardWrites>();
  private readonly reads = new Map<string, ShardReads>();
  private counts = { entriesAccepted: 0, entriesThrottled: 0, readsAccepted: 0, readsThrottled: 0 };

  constructor(readonly limits: StreamLimits) {}

  /** A PutRecords entry (or a PutRecord) of `bytes` for the shard: true when the shard takes it. */
  write(streamName: string, shardId: string, bytes: number, nowMs: number): boolean {
    if (!this.limits.writes) return true;
    const key = `${streamName}/${shardId}`;
    let shard = this.writes.get(key);
    if (!shard) this.writes.set(key, (shard = new ShardWrites(nowMs)));
    const ok = shard.admit(bytes, nowMs);
    if (ok) this.counts.entriesAccepted++;
    else this.counts.entriesThrottled++;
    return ok;
  }

  getRecords(streamName: string, shardId: string, nowMs: number): boolean {
    return this.read(streamName, shardId, nowMs, (shard) => shard.admitGetRecords(nowMs));
  }

  getShardIterator(streamName: string, shardId: string, nowMs: number): boolean {
    return this.read(streamName, shardId, nowMs, (shard) => shard.admitGetShardIterator(nowMs));
  }

  /** Bytes a GetRecords call on the shard returned. */
  returned(streamName: string, shardId: string, bytes: number, nowMs: number): void {
    if (this.limits.reads) this.readsOf(streamName, shardId, nowMs).returned(bytes, nowMs);
  }

  snapshot(): ThroughputCounts {
    return { ...this.counts };
  }

  private read(streamName: string, shardId: string, nowMs: number, admit: (shard: ShardReads) => boolean): boolean {
    if (!this.limits.reads) return true;
    const ok = admit(this.readsOf(streamName, shardId, nowMs));
    if (ok) this.counts.readsAccepted++;
    else this.counts.readsThrottled++;
    return ok;
  }

  private readsOf(streamName: string, shardId: string, nowMs: number): ShardReads {
    const key = `${streamName}/${shardId}`;
    let shard = this.reads.get(key);
    if (!shard) this.reads.set(key, (shard = new ShardReads(nowMs)));
    return shard;
  }
}

/** How messages name the limits: "write limits (1,000 records/s, 1 MiB/s per shard)". */
export function describeLimits(limits: StreamLimits): string {
  const parts = [
    ...(limits.writes ? ['write limits (1,000 records/s and 1 MiB/s per shard)'] : []),
    ...(limits.reads ? ['read limits (5 GetRecords/s and 2 MiB/s, 5 GetShardIterator/s per shard)'] : []),
  ];
  return parts.length ? parts.join(' and ') : 'no limits';
}
