/**
 * Reads every shard of a stream from a point in time to its tip, within the per-shard read limits that it
 * shares with every other consumer (the Databricks job polls the same shards): at most 5 GetRecords calls
 * and 2 MiB per second and shard, or the share the caller asks for. Throttled and failed calls are retried
 * with backoff; an expired iterator is renewed after the last record read. Records stream through: each page
 * is handed over record by record and dropped, and pages are sized to one call's share of the byte limit
 * (about 400 KiB), so a read holds one small page per shard however long the stream is.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type GetRecordsCommandOutput,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-kinesis';
import { fullJitterDelay } from '../shared/backoff';
import { RunError, firstLine } from '../shared/errors';
import { GET_RECORDS_MAX_RECORDS, SHARD_READS_PER_SECOND, SHARD_READ_BYTES_PER_SECOND } from './limits';
import type { ReadProgress } from './read-progress';
import { classifyRequestError } from './request-errors';
import { listAllShards, type KinesisSender } from './shards';

export interface ReadRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly partitionKey: string;
  readonly data: Uint8Array;
}

export interface ReadOptions {
  /** Read from this time; undefined = from the oldest record kept (TRIM_HORIZON). */
  readonly since?: Date;
  /** Share of each shard's read limits this reader may use, 0..1. @default 1 */
  readonly readShare?: number;
  /** Retries of one throttled or failed call before the read gives up. @default 10 */
  readonly maxRetries?: number;
  /** Randomness for the backoff jitter (seed it in tests). @default Math.random */
  readonly random?: () => number;
  /** Updated as pages arrive, for a progress line. */
  readonly progress?: ReadProgress;
}

export interface ReadStats {
  readonly shardsRead: number;
  readonly calls: number;
  /** Calls the service throttled (and we retried). */
  readonly throttled: number;
}

/**
 * Bytes one page should hold: what a shard may deliver per call at the full call rate (2 MiB/s / 5 calls/s).
 * Bigger pages would not read faster (the byte limit paces them) but would be held in memory whole.
 */
export const PAGE_BYTES = SHARD_READ_BYTES_PER_SECOND / SHARD_READS_PER_SECOND;
const MIN_PAGE_RECORDS = 100;
/** Until a shard's first page tells the record size. */
const FIRST_PAGE_RECORDS = 1000;

/** Records per GetRecords call so a page holds about PAGE_BYTES at this average record size. */
export function pageLimit(avgRecordBytes: number): number {
  if (!(avgRecordBytes > 0)) return FIRST_PAGE_RECORDS;
  return Math.max(MIN_PAGE_RECORDS, Math.min(GET_RECORDS_MAX_RECORDS, Math.floor(PAGE_BYTES / avgRecordBytes)));
}

const RETRY_BASE_MS = 200;
const RETRY_CAP_MS = 5_000;

/**
 * kinesalite never answers GetShardIterator AT_TIMESTAMP on a shard with no record after the timestamp;
 * after this long we fall back to TRIM_HORIZON and filter by arrival time ourselves.
 */
const AT_TIMESTAMP_TIMEOUT_MS = 3_000;

const isAbort = (error: unknown): boolean => ['AbortError', 'TimeoutError'].includes((error as Error)?.name);

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** How long a shard must rest after a call that returned `bytes`, to stay within its calls/s and bytes/s. */
export function readPauseMs(bytes: number, callsPerSecond: number, bytesPerSecond: number): number {
  return Math.max(1000 / callsPerSecond, (1000 * bytes) / bytesPerSecond);
}

/** Spaces one shard's calls so that calls per second and bytes per second stay within the share. */
class ShardReadPacer {
  private nextAt = 0;
  constructor(
    private readonly callsPerSecond: number,
    private readonly bytesPerSecond: number,
  ) {}

  async beforeCall(): Promise<void> {
    const wait = this.nextAt - performance.now();
    if (wait > 0) await sleep(wait);
  }

  afterCall(bytes: number): void {
    const now = performance.now();
    this.nextAt = now + readPauseMs(bytes, this.callsPerSecond, this.bytesPerSecond);
  }
}

class Reader {
  calls = 0;
  throttled = 0;
  private readonly maxRetries: number;
  private readonly random: () => number;
  private readonly share: number;

  constructor(
    private readonly client: KinesisSender,
    private readonly streamName: string,
    private readonly options: ReadOptions,
  ) {
    this.maxRetries = options.maxRetries ?? 10;
    this.random = options.random ?? Math.random;
    this.share = options.readShare ?? 1;
  }

  /** Sends a read call, retrying throttling, server errors and lost connections with backoff. */
  private async call<T>(pacer: ShardReadPacer, send: () => Promise<T>, passThrough?: (error: unknown) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await pacer.beforeCall();
      this.calls++;
      try {
        return await send();
      } catch (error) {
        pacer.afterCall(0);
        if (passThrough?.(error)) throw error;
        const failure = classifyRequestError(error);
        if (!failure.retryable) throw error;
        if (attempt >= this.maxRetries) {
          throw new RunError(`reading ${this.streamName} failed ${attempt + 1} times in a row: ${failure.code}: ${firstLine(error)}`);
        }
        if (failure.kind === 'throttled') this.throttled++;
        await sleep(fullJitterDelay(attempt + 1, this.random, RETRY_BASE_MS, RETRY_CAP_MS));
      }
    }
  }

  private async iterator(pacer: ShardReadPacer, shardId: string, after?: string): Promise<string | undefined> {
    const base = { StreamName: this.streamName, ShardId: shardId };
    if (after !== undefined) {
      const input: GetShardIteratorCommandInput = { ...base, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: after };
      return (await this.call(pacer, () => this.client.send(new GetShardIteratorCommand(input)))).ShardIterator;
    }
    const since = this.options.since;
    if (since) {
      try {
        const input: GetShardIteratorCommandInput = { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since };
        const response = await this.call(
          pacer,
          () => this.client.send(new GetShardIteratorCommand(input), { abortSignal: AbortSignal.timeout(AT_TIMESTAMP_TIMEOUT_MS) }),
          isAbort,
        );
        return response.ShardIterator;
      } catch (error) {
        if (!isAbort(error)) throw error;
      }
    }
    return (await this.call(pacer, () => this.client.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'TRIM_HORIZON' })))).ShardIterator;
  }

  async readShard(shardId: string, onRecord: (record: ReadRecord) => void): Promise<void> {
    const pacer = new ShardReadPacer(SHARD_READS_PER_SECOND * this.share, SHARD_READ_BYTES_PER_SECOND * this.share);
    const sinceMs = this.options.since?.getTime() ?? -Infinity;
    const progress = this.options.progress;
    let lastSequence: string | undefined;
    let recordsRead = 0;
    let bytesRead = 0;
    let iterator = await this.iterator(pacer, shardId);
    while (iterator) {
      const current = iterator;
      const limit = pageLimit(bytesRead / recordsRead);
      let page: GetRecordsCommandOutput;
      try {
        page = await this.call(pacer, () => this.client.send(new GetRecordsCommand({ ShardIterator: current, Limit: limit })));
      } catch (error) {
        // Iterators expire after 5 minutes: continue after the last record read.
        if ((error as Error).name !== 'ExpiredIteratorException') throw error;
        iterator = await this.iterator(pacer, shardId, lastSequence);
        continue;
      }
      const records = page.Records ?? [];
      let bytes = 0;
      for (const r of records) {
        const data = r.Data ?? new Uint8Array();
        bytes += data.length;
        lastSequence = r.SequenceNumber ?? lastSequence;
        if (r.ApproximateArrivalTimestamp && r.ApproximateArrivalTimestamp.getTime() < sinceMs) continue;
        onRecord({ shardId, sequenceNumber: r.SequenceNumber ?? '', partitionKey: r.PartitionKey ?? '', data });
      }
      recordsRead += records.length;
      bytesRead += bytes;
      pacer.afterCall(bytes);
      progress?.page(shardId, records.length, bytes, records[0]?.ApproximateArrivalTimestamp?.getTime(), records[records.length - 1]?.ApproximateArrivalTimestamp?.getTime());
      iterator = page.NextShardIterator;
      const atTip = (page.MillisBehindLatest ?? 0) === 0;
      if (atTip && records.length < limit) break;
    }
    progress?.shardDone(shardId);
  }
}

/** Reads every shard (open and closed) from `since` (or the oldest record kept) up to the tip. */
export async function readStream(
  client: KinesisSender,
  streamName: string,
  onRecord: (record: ReadRecord) => void,
  options: ReadOptions = {},
): Promise<ReadStats> {
  const shards = await listAllShards(client, streamName);
  options.progress?.begin(shards.map((s) => s.shardId));
  const reader = new Reader(client, streamName, options);
  await Promise.all(shards.map(({ shardId }) => reader.readShard(shardId, onRecord)));
  return { shardsRead: shards.length, calls: reader.calls, throttled: reader.throttled };
}
