/**
 * The local stream's limits: a small HTTP layer in front of kinesalite (which never throttles) that answers as
 * the service does when a shard is over its limits. PutRecords: every entry is routed to its shard exactly as
 * Kinesis routes it (shard-map.ts) and checked against that shard's buckets (shard-throughput.ts); the entries
 * over the limit are left out of the call forwarded to kinesalite and answered, in place, with ErrorCode
 * ProvisionedThroughputExceededException, HTTP 200 and FailedRecordCount, as the service does. PutRecord,
 * GetRecords and GetShardIterator over their limits fail as a whole (HTTP 400). Everything else, and anything
 * this layer cannot read (a CBOR client, a malformed body), goes to kinesalite unchanged, so its validation
 * answers stay the service's.
 */
import { randomUUID } from 'node:crypto';
import { Agent, createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createKinesisClient } from './client';
import { closeServer, listen } from './http-listen';
import { THROTTLED_ERROR_CODE } from './request-errors';
import { ShardMap, isHashKey } from './shard-map';
import { StreamThroughput, type StreamLimits, type ThroughputCounts } from './shard-throughput';
import { listAllShards } from './shards';

export interface LimitedEndpointOptions {
  /** kinesalite's endpoint, e.g. http://127.0.0.1:40123. */
  readonly upstream: string;
  readonly limits: StreamLimits;
  /** Milliseconds, monotonic (tests drive it by hand). @default performance.now */
  readonly clock?: () => number;
  /** Told once per operation when a client this layer cannot read (CBOR) bypasses the limits. */
  readonly onWarning?: (message: string) => void;
}

export interface LimitedEndpoint {
  readonly endpoint: string;
  readonly port: number;
  /** What the limits let through and refused so far. */
  counts(): ThroughputCounts;
  close(): Promise<void>;
}

/** kinesalite's account id, which the service names in its throttling messages. */
const LOCAL_ACCOUNT_ID = '000000000000';
const JSON_TYPE = 'application/x-amz-json-1.1';
/** Operations after which a stream's shards may have changed. */
const RESHAPING = new Set(['CreateStream', 'DeleteStream', 'SplitShard', 'MergeShards', 'UpdateShardCount']);
const LIMITED = new Set(['PutRecords', 'PutRecord', 'GetRecords', 'GetShardIterator']);
/** Iterators remembered to find the shard of a GetRecords call; the oldest are forgotten first. */
const MAX_ITERATORS = 100_000;

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

interface ShardOfIterator {
  readonly streamName: string;
  readonly shardId: string;
}

type Json = Record<string, unknown>;

const streamNameOf = (input: Json): string | undefined => {
  if (typeof input.StreamName === 'string') return input.StreamName;
  return typeof input.StreamARN === 'string' ? input.StreamARN.split('/')[1] : undefined;
};

function jsonAnswer(status: number, value: unknown): Answer {
  return { status, headers: { 'content-type': JSON_TYPE, 'x-amzn-requestid': randomUUID() }, body: Buffer.from(JSON.stringify(value)) };
}

function throttledCall(message: string): Answer {
  return jsonAnswer(400, { __type: THROTTLED_ERROR_CODE, message });
}

const writeMessage = (streamName: string, shardId: string): string =>
  `Rate exceeded for shard ${shardId} in stream ${streamName} under account ${LOCAL_ACCOUNT_ID}.`;
const readMessage = (streamName: string, shardId: string): string =>
  `Rate exceeded for Shard - ${shardId} in stream ${streamName} under account ${LOCAL_ACCOUNT_ID}.`;

/** Bytes an entry counts against its shard: data + partition key, as the service counts them. */
function entryBytes(entry: Json): number | undefined {
  if (typeof entry.PartitionKey !== 'string' || typeof entry.Data !== 'string') return undefined;
  return Buffer.byteLength(entry.Data, 'base64') + Buffer.byteLength(entry.PartitionKey, 'utf8');
}

/** The shards of each stream, listed from kinesalite once and again after anything that reshapes it. */
class ShardMaps {
  private readonly maps = new Map<string, Promise<ShardMap | null>>();
  constructor(private readonly list: (streamName: string) => Promise<ShardMap>) {}

  get(streamName: string): Promise<ShardMap | null> {
    let map = this.maps.get(streamName);
    if (!map) {
      map = this.list(streamName).catch(() => {
        // No such stream (yet): kinesalite will say so; list again next time.
        this.maps.delete(streamName);
        return null;
      });
      this.maps.set(streamName, map);
    }
    return map;
  }

  forget(streamName: string | undefined): void {
    if (streamName === undefined) this.maps.clear();
    else this.maps.delete(streamName);
  }
}

class LimitedKinesis {
  private readonly throughput: StreamThroughput;
  private readonly clock: () => number;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly client;
  private readonly shardMaps: ShardMaps;
  private readonly iterators = new Map<string, ShardOfIterator>();
  private readonly warned = new Set<string>();
  private readonly upstream: URL;

  constructor(private readonly options: LimitedEndpointOptions) {
    this.throughput = new StreamThroughput(options.limits);
    this.clock = options.clock ?? (() => performance.now());
    this.upstream = new URL(options.upstream);
    this.client = createKinesisClient({ region: 'us-east-1', endpoint: options.upstream }, {});
    this.shardMaps = new ShardMaps(async (streamName) => new ShardMap(await listAllShards(this.client, streamName)));
  }

  counts(): ThroughputCounts {
    return this.throughput.snapshot();
  }

  close(): void {
    this.client.destroy();
    this.agent.destroy();
  }

  async answer(headers: IncomingHttpHeaders, method: string, url: string, body: Buffer): Promise<Answer> {
    const operation = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const json = String(headers['content-type'] ?? '').startsWith('application/x-amz-json');
    const forward = (payload: Buffer = body): Promise<Answer> => this.forward(headers, method, url, payload);
    if (!LIMITED.has(operation) && !RESHAPING.has(operation)) return forward();
    if (!json) {
      if (LIMITED.has(operation)) this.warnOnce(operation);
      return forward();
    }
    let input: Json;
    try {
      input = JSON.parse(body.toString('utf8')) as Json;
    } catch {
      return forward();
    }
    if (input === null || typeof input !== 'object') return forward();
    if (RESHAPING.has(operation)) {
      const answer = await forward();
      this.shardMaps.forget(streamNameOf(input));
      return answer;
    }
    switch (operation) {
      case 'PutRecords':
        return this.options.limits.writes ? this.putRecords(input, forward) : forward();
      case 'PutRecord':
        return this.options.limits.writes ? this.putRecord(input, forward) : forward();
      case 'GetShardIterator':
        return this.options.limits.reads ? this.getShardIterator(input, forward) : forward();
      default:
        return this.options.limits.reads ? this.getRecords(input, forward) : forward();
    }
  }

  /** Each entry against its shard's buckets; only the entries within them reach kinesalite. */
  private async putRecords(input: Json, forward: (payload?: Buffer) => Promise<Answer>): Promise<Answer> {
    const streamName = streamNameOf(input);
    const entries = input.Records;
    if (streamName === undefined || !Array.isArray(entries)) return forward();
    const map = await this.shardMaps.get(streamName);
    if (!map) return forward();
    const shards: string[] = [];
    const sizes: number[] = [];
    for (const entry of entries as Json[]) {
      const bytes = entry && typeof entry === 'object' ? entryBytes(entry) : undefined;
      const shardId = bytes === undefined ? undefined : this.shardOf(map, entry);
      // Something kinesalite must reject: let it answer for the whole call.
      if (bytes === undefined || shardId === undefined) return forward();
      shards.push(shardId);
      sizes.push(bytes);
    }
    const now = this.clock();
    const accepted = shards.map((shardId, i) => this.throughput.write(streamName, shardId, sizes[i], now));
    const taken = (entries as Json[]).filter((_, i) => accepted[i]);
    if (taken.length === entries.length) return forward();
    let written: Json[] = [];
    let failed = 0;
    if (taken.length) {
      const answer = await forward(Buffer.from(JSON.stringify({ ...input, Records: taken })));
      if (answer.status !== 200) return answer;
      const output = JSON.parse(answer.body.toString('utf8')) as { Records?: Json[]; FailedRecordCount?: number };
      written = output.Records ?? [];
      failed = output.FailedRecordCount ?? 0;
    }
    let k = 0;
    const records = shards.map((shardId, i) =>
      accepted[i] ? written[k++] : { ErrorCode: THROTTLED_ERROR_CODE, ErrorMessage: writeMessage(streamName, shardId) },
    );
    return jsonAnswer(200, { FailedRecordCount: failed + entries.length - taken.length, Records: records });
  }

  private async putRecord(input: Json, forward: () => Promise<Answer>): Promise<Answer> {
    const streamName = streamNameOf(input);
    const bytes = entryBytes(input);
    const map = streamName === undefined || bytes === undefined ? null : await this.shardMaps.get(streamName);
    const shardId = map ? this.shardOf(map, input) : undefined;
    if (streamName === undefined || bytes === undefined || shardId === undefined) return forward();
    if (!this.throughput.write(streamName, shardId, bytes, this.clock())) return throttledCall(writeMessage(streamName, shardId));
    return forward();
  }

  private async getShardIterator(input: Json, forward: () => Promise<Answer>): Promise<Answer> {
    const streamName = streamNameOf(input);
    const shardId = input.ShardId;
    if (streamName === undefined || typeof shardId !== 'string') return forward();
    if (!this.throughput.getShardIterator(streamName, shardId, this.clock())) return throttledCall(readMessage(streamName, shardId));
    const answer = await forward();
    if (answer.status === 200) this.remember(JSON.parse(answer.body.toString('utf8')).ShardIterator, { streamName, shardId });
    return answer;
  }

  private async getRecords(input: Json, forward: () => Promise<Answer>): Promise<Answer> {
    const shard = typeof input.ShardIterator === 'string' ? this.iterators.get(input.ShardIterator) : undefined;
    // An iterator this layer did not hand out (or forgot): nothing to charge it to.
    if (!shard) return forward();
    if (!this.throughput.getRecords(shard.streamName, shard.shardId, this.clock())) return throttledCall(readMessage(shard.streamName, shard.shardId));
    const answer = await forward();
    if (answer.status !== 200) return answer;
    const output = JSON.parse(answer.body.toString('utf8')) as { Records?: Json[]; NextShardIterator?: string };
    let bytes = 0;
    for (const record of output.Records ?? []) if (typeof record.Data === 'string') bytes += Buffer.byteLength(record.Data, 'base64');
    this.throughput.returned(shard.streamName, shard.shardId, bytes, this.clock());
    this.remember(output.NextShardIterator, shard);
    return answer;
  }

  private shardOf(map: ShardMap, entry: Json): string | undefined {
    const explicit = typeof entry.ExplicitHashKey === 'string' ? entry.ExplicitHashKey : undefined;
    if (explicit !== undefined && !isHashKey(explicit)) return undefined;
    return map.shardIdFor(entry.PartitionKey as string, explicit);
  }

  private remember(iterator: unknown, shard: ShardOfIterator): void {
    if (typeof iterator !== 'string') return;
    if (this.iterators.size >= MAX_ITERATORS) this.iterators.delete(this.iterators.keys().next().value as string);
    this.iterators.set(iterator, shard);
  }

  private warnOnce(operation: string): void {
    if (this.warned.has(operation)) return;
    this.warned.add(operation);
    this.options.onWarning?.(`${operation} from a client speaking CBOR passes without limits: only JSON-protocol clients (AWS SDK v3 for JavaScript, boto3, the AWS CLI) are limited`);
  }

  private forward(headers: IncomingHttpHeaders, method: string, url: string, body: Buffer): Promise<Answer> {
    const outgoing: Record<string, string | string[]> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)) outgoing[name] = value;
    }
    outgoing['content-length'] = String(body.length);
    return new Promise<Answer>((resolve, reject) => {
      const upstream = request(
        { host: this.upstream.hostname, port: this.upstream.port, method, path: url, headers: outgoing, agent: this.agent },
        (response: IncomingMessage) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const answerHeaders: Record<string, string> = {};
            for (const [name, value] of Object.entries(response.headers)) {
              if (typeof value === 'string' && !['connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name)) answerHeaders[name] = value;
            }
            resolve({ status: response.statusCode ?? 500, headers: answerHeaders, body: Buffer.concat(chunks) });
          });
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });
  }
}

function reply(res: ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length) });
  res.end(answer.body);
}

/** Starts the limiting layer on 127.0.0.1 (`port` 0 = any free port) in front of `options.upstream`. */
export async function startLimitedEndpoint(port: number, options: LimitedEndpointOptions): Promise<LimitedEndpoint> {
  const kinesis = new LimitedKinesis(options);
  const server = createServer({ keepAlive: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      kinesis.answer(req.headers, req.method ?? 'POST', req.url ?? '/', Buffer.concat(chunks)).then(
        (answer) => reply(res, answer),
        (error: Error) => reply(res, jsonAnswer(500, { __type: 'InternalFailure', message: `local stream: ${error.message}` })),
      );
    });
  });
  const actual = await listen(server, port);
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    counts: () => kinesis.counts(),
    close: () => closeServer(server).then(() => kinesis.close()),
  };
}
