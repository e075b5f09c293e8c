/**
 * The embedded Kinesis: kinesalite in this process, in memory. `run` starts one on a free port when no
 * stream or endpoint is given; `loadgen local` keeps one up for other tools. With limits, clients talk to the
 * limiting layer (limited-endpoint.ts) and kinesalite listens on a second, internal port behind it.
 */
import type { Server } from 'node:http';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './client';
import { closeServer, listen } from './http-listen';
import { startLimitedEndpoint } from './limited-endpoint';
import { NO_LIMITS, type StreamLimits, type ThroughputCounts } from './shard-throughput';

export { NO_LIMITS, type StreamLimits, type ThroughputCounts } from './shard-throughput';

// kinesalite ships no types.
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

export interface LocalKinesis {
  readonly endpoint: string;
  readonly port: number;
  /** The service limits this endpoint enforces. */
  readonly limits: StreamLimits;
  /** What the limits let through and refused so far; null without limits. */
  counts(): ThroughputCounts | null;
  close(): Promise<void>;
}

export interface LocalKinesisOptions {
  /** Enforce the service's per-shard limits. @default none */
  readonly limits?: StreamLimits;
  /** The limits' clock, in milliseconds (tests drive it by hand). @default performance.now */
  readonly clock?: () => number;
  /** Where warnings of the limiting layer go. @default ignored */
  readonly onWarning?: (message: string) => void;
}

/**
 * Starts kinesalite on 127.0.0.1 (`port` 0 = any free port). `shardLimit` bounds all streams' shards; with
 * `options.limits`, the endpoint enforces the service's per-shard limits.
 */
export async function startLocalKinesis(port: number, shardLimit: number, options: LocalKinesisOptions = {}): Promise<LocalKinesis> {
  const limits = options.limits ?? NO_LIMITS;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
  const limited = limits.writes || limits.reads;
  const kinesalitePort = await listen(server, limited ? 0 : port);
  if (!limited) {
    return { endpoint: `http://127.0.0.1:${kinesalitePort}`, port: kinesalitePort, limits, counts: () => null, close: () => closeServer(server) };
  }
  let front;
  try {
    front = await startLimitedEndpoint(port, { upstream: `http://127.0.0.1:${kinesalitePort}`, limits, clock: options.clock, onWarning: options.onWarning });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return {
    endpoint: front.endpoint,
    port: front.port,
    limits,
    counts: () => front.counts(),
    close: async () => {
      await front.close();
      await closeServer(server);
    },
  };
}

/** Creates a stream and waits until it is ACTIVE. */
export async function createStream(client: KinesisClient, streamName: string, shardCount: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }));
  for (let i = 0; i < 200; i++) {
    const summary = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    if (summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`stream ${streamName} did not become ACTIVE`);
}

/** An embedded Kinesis with one stream, and a client for it. */
export async function startEmbeddedStream(
  streamName: string,
  shards: number,
  port = 0,
  maxSockets?: number,
  options: LocalKinesisOptions = {},
): Promise<{
  server: LocalKinesis;
  client: KinesisClient;
}> {
  const server = await startLocalKinesis(port, Math.max(shards * 2, 10), options);
  const client = createKinesisClient({ region: 'us-east-1', endpoint: server.endpoint, maxSockets }, {});
  await createStream(client, streamName, shards);
  return { server, client };
}
