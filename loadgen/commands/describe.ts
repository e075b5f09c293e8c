/** `loadgen describe`: what a stream can take, as text or JSON. */
import { createKinesisClient } from '../kinesis/client';
import { describeStream, type StreamDescription } from '../kinesis/describe';
import { explainStreamError } from './explain';
import { EXIT_OK, type CommandIo } from './io';
import type { DescribeOptions } from './options';

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

export async function describeCommand(options: DescribeOptions, io: CommandIo): Promise<number> {
  const client = createKinesisClient(options);
  try {
    const description = await describeStream(client, options.stream);
    io.stdout.write(`${options.json ? JSON.stringify(description, null, 2) : formatDescription(description)}\n`);
    return EXIT_OK;
  } catch (error) {
    throw explainStreamError(error, options, 'describing');
  } finally {
    client.destroy();
  }
}
