/**
 * The embedded Kinesis: kinesalite in this process, in memory. `run` starts one on a free port when no
 * stream or endpoint is given; `loadgen local` keeps one up for other tools.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateStreamCommand, DescribeStreamSummaryCommand, type KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from './client';

// kinesalite ships no types.
const kinesalite = require('kinesalite') as (options: Record<string, unknown>) => Server;

export interface LocalKinesis {
  readonly endpoint: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Starts kinesalite on 127.0.0.1 (`port` 0 = any free port). `shardLimit` bounds all streams' shards. */
export async function startLocalKinesis(port: number, shardLimit: number): Promise<LocalKinesis> {
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        // Keep-alive sockets would hold close() open.
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
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
export async function startEmbeddedStream(streamName: string, shards: number, port = 0, maxSockets?: number): Promise<{
  server: LocalKinesis;
  client: KinesisClient;
}> {
  const server = await startLocalKinesis(port, Math.max(shards * 2, 10));
  const client = createKinesisClient({ region: 'us-east-1', endpoint: server.endpoint, maxSockets }, {});
  await createStream(client, streamName, shards);
  return { server, client };
}
