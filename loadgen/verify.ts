/**
 * Reads a stream back and checks what arrived. Two checks:
 * - against the producer's acknowledgements (`run --verify`): every acked (shard, sequence number) must be
 *   read back; missing = acked but not found.
 * - standalone (`verify`): for records in the sensor contract, each device's `seq` must have no gaps within
 *   a run; missing = the gaps (records lost after a device's last one read cannot be seen this way).
 * Both count duplicates: the same payload stored more than once (what a retried write that had in fact
 * succeeded leaves behind).
 */
import { createHash } from 'node:crypto';
import { GetRecordsCommand, GetShardIteratorCommand, type GetShardIteratorCommandInput } from '@aws-sdk/client-kinesis';
import { GET_RECORDS_MAX_RECORDS, GET_RECORDS_MIN_INTERVAL_MS } from './limits';
import { listAllShards, type KinesisSender } from './sinks/kinesis';

export interface ReadRecord {
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly data: Uint8Array;
}

export interface VerifyResult {
  /** Records read back from the stream in the window. */
  readonly received: number;
  /** Acked by the producer (or expected from seq numbering) but not read back. */
  readonly missing: number;
  /** Extra copies of a payload already read. */
  readonly duplicates: number;
  /** Run check only: acked records found. */
  readonly matched?: number;
  /** Up to 10 missing records, `shardId/sequenceNumber` or `run_id/device_id#seq`. */
  readonly missingSample: readonly string[];
  readonly shardsRead: number;
  /** Standalone check only: sensor-contract runs seen, and records that were not in the contract. */
  readonly runs?: number;
  readonly unrecognized?: number;
}

const SAMPLE = 10;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * kinesalite never answers GetShardIterator AT_TIMESTAMP on a shard with no record after the timestamp;
 * after this long we fall back to TRIM_HORIZON and filter by arrival time ourselves.
 */
const AT_TIMESTAMP_TIMEOUT_MS = 3_000;

async function shardIterator(client: KinesisSender, streamName: string, shardId: string, since: Date | undefined): Promise<string | undefined> {
  const base = { StreamName: streamName, ShardId: shardId };
  if (since) {
    try {
      const input: GetShardIteratorCommandInput = { ...base, ShardIteratorType: 'AT_TIMESTAMP', Timestamp: since };
      const response = await client.send(new GetShardIteratorCommand(input), { abortSignal: AbortSignal.timeout(AT_TIMESTAMP_TIMEOUT_MS) });
      return response.ShardIterator;
    } catch (error) {
      if ((error as Error).name !== 'AbortError' && (error as Error).name !== 'TimeoutError') throw error;
    }
  }
  return (await client.send(new GetShardIteratorCommand({ ...base, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
}

/** Reads every shard (open and closed) from `since` (or the oldest record kept) up to the tip. */
export async function readStream(
  client: KinesisSender,
  streamName: string,
  since: Date | undefined,
  onRecord: (record: ReadRecord) => void,
): Promise<number> {
  const shards = await listAllShards(client, streamName);
  const sinceMs = since?.getTime() ?? -Infinity;
  await Promise.all(
    shards.map(async ({ shardId }) => {
      let iterator = await shardIterator(client, streamName, shardId, since);
      let lastCall = 0;
      while (iterator) {
        // A shard serves 5 GetRecords calls per second.
        const wait = lastCall + GET_RECORDS_MIN_INTERVAL_MS - Date.now();
        if (wait > 0) await sleep(wait);
        lastCall = Date.now();
        const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: GET_RECORDS_MAX_RECORDS }));
        const records = page.Records ?? [];
        for (const r of records) {
          if (r.ApproximateArrivalTimestamp && r.ApproximateArrivalTimestamp.getTime() < sinceMs) continue;
          onRecord({ shardId, sequenceNumber: r.SequenceNumber ?? '', data: r.Data ?? new Uint8Array() });
        }
        iterator = page.NextShardIterator;
        const atTip = (page.MillisBehindLatest ?? 0) === 0;
        if (atTip && records.length < GET_RECORDS_MAX_RECORDS) break;
      }
    }),
  );
  return shards.length;
}

/** Counts extra copies of identical payloads. */
class DuplicateCounter {
  private readonly seen = new Set<string>();
  duplicates = 0;

  add(data: Uint8Array): void {
    const key = createHash('md5').update(data).digest('base64');
    if (this.seen.has(key)) this.duplicates++;
    else this.seen.add(key);
  }
}

/** `run --verify`: were all acked records stored? `since` undefined reads the whole (fresh) stream. */
export async function verifyAcked(
  client: KinesisSender,
  streamName: string,
  since: Date | undefined,
  acks: ReadonlyMap<string, readonly string[]>,
): Promise<VerifyResult> {
  const expected = new Map<string, Set<string>>();
  let ackedTotal = 0;
  for (const [shardId, seqs] of acks) {
    expected.set(shardId, new Set(seqs));
    ackedTotal += seqs.length;
  }
  let received = 0;
  let matched = 0;
  const dupes = new DuplicateCounter();
  const shardsRead = await readStream(client, streamName, since, (r) => {
    received++;
    dupes.add(r.data);
    if (expected.get(r.shardId)?.delete(r.sequenceNumber)) matched++;
  });
  const missingSample: string[] = [];
  for (const [shardId, left] of expected) {
    for (const seq of left) {
      if (missingSample.length >= SAMPLE) break;
      missingSample.push(`${shardId}/${seq}`);
    }
  }
  return { received, matched, missing: ackedTotal - matched, duplicates: dupes.duplicates, missingSample, shardsRead };
}

interface DeviceSeqs {
  max: number;
  seen: Set<number>;
}

/** Standalone `verify`: duplicates, and gaps in each device's seq per run (sensor-contract records). */
export async function verifyStream(client: KinesisSender, streamName: string, since: Date | undefined): Promise<VerifyResult> {
  let received = 0;
  let unrecognized = 0;
  const dupes = new DuplicateCounter();
  const devices = new Map<string, DeviceSeqs>();
  const runs = new Set<string>();
  const decoder = new TextDecoder();
  const shardsRead = await readStream(client, streamName, since, (r) => {
    received++;
    dupes.add(r.data);
    let parsed: { run_id?: unknown; device_id?: unknown; seq?: unknown };
    try {
      parsed = JSON.parse(decoder.decode(r.data));
    } catch {
      unrecognized++;
      return;
    }
    const { run_id: runId, device_id: deviceId, seq } = parsed ?? {};
    if (typeof runId !== 'string' || typeof deviceId !== 'string' || typeof seq !== 'number' || !Number.isInteger(seq) || seq < 0) {
      unrecognized++;
      return;
    }
    runs.add(runId);
    const key = `${runId}/${deviceId}`;
    let d = devices.get(key);
    if (!d) devices.set(key, (d = { max: -1, seen: new Set() }));
    d.seen.add(seq);
    if (seq > d.max) d.max = seq;
  });
  let missing = 0;
  const missingSample: string[] = [];
  for (const [key, d] of devices) {
    const gaps = d.max + 1 - d.seen.size;
    missing += gaps;
    for (let s = 0; gaps > 0 && s <= d.max && missingSample.length < SAMPLE; s++) {
      if (!d.seen.has(s)) missingSample.push(`${key}#${s}`);
    }
  }
  return { received, missing, duplicates: dupes.duplicates, missingSample, shardsRead, runs: runs.size, unrecognized };
}
