/** Where `run` sends records: the embedded Kinesis, a stream at an endpoint or in a region, or a sink without shards. */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../kinesis/client';
import { startEmbeddedStream, type LocalKinesis } from '../kinesis/local-server';
import type { ShardRange } from '../kinesis/shard-map';
import { describeLimits } from '../kinesis/shard-throughput';
import type { KinesisSender } from '../kinesis/shards';
import type { RunReport } from '../report/report';
import { RunError } from '../shared/errors';
import { createSink, type Sink } from '../sinks';
import { explainStreamError } from './explain';
import { EMBEDDED_STREAM_NAME, MAX_CONCURRENCY, type RunOptions } from './options';

export interface RunTarget {
  readonly sink: Sink;
  /** Open shards, or null for a sink without shards. */
  readonly shards: ShardRange[] | null;
  /** For reading the stream back (verification); undefined for sinks other than Kinesis. */
  readonly reader?: { readonly client: KinesisSender; readonly streamName: string };
  readonly embedded?: LocalKinesis;
  /** How the report names the target. */
  readonly description: RunReport['target'];
  /** Where requests go, for messages: an endpoint URL or `Kinesis in region r`. */
  readonly endpointLabel: string;
  close(): Promise<void>;
}

/** What opening a target needs: run's options, or find-limit's. */
export type TargetSpec = Pick<RunOptions, 'stream' | 'region' | 'endpoint' | 'sink' | 'shards' | 'limits' | 'concurrency'>;

export async function openTarget(
  options: TargetSpec,
  log: (line: string) => void,
  wrapClient?: (client: KinesisClient) => KinesisSender,
  /** The embedded stream's clock for its limits. */
  clock?: () => number,
): Promise<RunTarget> {
  let embedded: LocalKinesis | undefined;
  let client: KinesisClient | undefined;
  let streamName = options.stream;
  if (options.sink.kind === 'kinesis') {
    // Sockets open lazily: room for the most requests the controller may allow, plus reads and listings.
    const maxSockets = (options.concurrency === 'auto' ? MAX_CONCURRENCY : options.concurrency) + 4;
    if (streamName === undefined) {
      streamName = EMBEDDED_STREAM_NAME;
      ({ server: embedded, client } = await startEmbeddedStream(streamName, options.shards, 0, maxSockets, { limits: options.limits, onWarning: log, clock }));
      const limits = options.limits.writes || options.limits.reads ? `, enforcing the Kinesis ${describeLimits(options.limits)}` : '';
      log(`embedded Kinesis at ${embedded.endpoint}, stream ${streamName} with ${options.shards} shards${limits}`);
    } else {
      client = createKinesisClient({ region: options.region, endpoint: options.endpoint, maxSockets });
    }
  }
  const sender = client && (wrapClient ? wrapClient(client) : client);
  const sink = createSink(options.sink, sender && streamName ? { client: sender, streamName } : undefined);
  const close = async (): Promise<void> => {
    await sink.close();
    client?.destroy();
    await embedded?.close();
  };
  try {
    const shards = await sink.listShards();
    if (shards !== null && shards.length === 0) throw new RunError(`stream ${streamName} has no open shards`);
    const endpoint = embedded?.endpoint ?? options.endpoint;
    return {
      sink,
      shards,
      reader: sender && streamName ? { client: sender, streamName } : undefined,
      embedded,
      description: { sink: options.sink.kind, stream: streamName, endpoint, embedded: !!embedded, region: options.region },
      endpointLabel: endpoint ?? `Kinesis in region ${options.region}`,
      close,
    };
  } catch (error) {
    await close();
    throw explainStreamError(error, { ...options, stream: streamName }, `listing the shards of`);
  }
}
