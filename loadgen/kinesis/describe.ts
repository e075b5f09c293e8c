/** `loadgen describe`: what a stream can take: mode, encryption, shards with hash-key ranges, capacity. */
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from './limits';
import { listAllShards, type KinesisSender } from './shards';
import type { ShardRange } from './shard-map';

export interface StreamDescription {
  readonly streamName: string;
  readonly streamArn?: string;
  readonly status?: string;
  readonly mode: string;
  readonly encryption: string;
  readonly kmsKeyId?: string;
  readonly retentionHours?: number;
  readonly openShards: number;
  readonly closedShards: number;
  readonly shards: readonly ShardRange[];
  /** Sum of the open shards' write limits. */
  readonly writeCapacity: { readonly recordsPerSecond: number; readonly bytesPerSecond: number };
}

export async function describeStream(client: KinesisSender, streamName: string): Promise<StreamDescription> {
  const summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }))).StreamDescriptionSummary;
  const shards = await listAllShards(client, streamName);
  const open = shards.filter((s) => s.open).length;
  return {
    streamName,
    streamArn: summary?.StreamARN,
    status: summary?.StreamStatus,
    mode: summary?.StreamModeDetails?.StreamMode ?? 'PROVISIONED',
    encryption: summary?.EncryptionType ?? 'NONE',
    kmsKeyId: summary?.KeyId,
    retentionHours: summary?.RetentionPeriodHours,
    openShards: open,
    closedShards: shards.length - open,
    shards,
    writeCapacity: {
      recordsPerSecond: open * SHARD_WRITE_RECORDS_PER_SECOND,
      bytesPerSecond: open * SHARD_WRITE_BYTES_PER_SECOND,
    },
  };
}
