/** `loadgen describe`: what a stream can take: mode, encryption, shards with hash-key ranges, capacity. */
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from './limits';
import { listAllShards, type KinesisSender } from './sinks/kinesis';
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

export function formatDescription(d: StreamDescription): string {
  const lines = [
    `stream      ${d.streamName}${d.streamArn ? ` (${d.streamArn})` : ''}`,
    `status      ${d.status ?? 'unknown'}`,
    `mode        ${d.mode}${d.mode === 'ON_DEMAND' ? ' (scales shards with traffic; new streams start at 4 MB/s)' : ''}`,
    `encryption  ${d.encryption}${d.kmsKeyId ? ` (key ${d.kmsKeyId})` : ''}`,
    `retention   ${d.retentionHours ?? '?'} h`,
    `shards      ${d.openShards} open, ${d.closedShards} closed`,
    `capacity    ${d.writeCapacity.recordsPerSecond} records/s and ${(d.writeCapacity.bytesPerSecond / 1048576).toFixed(0)} MiB/s (open shards x 1,000 records/s and 1 MiB/s)`,
    '',
    'shard                   state   hash-key range',
    ...d.shards.map((s) => `${s.shardId.padEnd(23)} ${(s.open ? 'open' : 'closed').padEnd(7)} ${s.startingHashKey} .. ${s.endingHashKey}`),
  ];
  return lines.join('\n');
}
