/** Shard listing: every shard of a stream with its hash-key range, following ListShards pagination. */
import { ListShardsCommand, type KinesisClient, type Shard } from '@aws-sdk/client-kinesis';
import type { ShardRange } from './shard-map';

/** The subset of KinesisClient the tool needs, so tests can wrap it (e.g. to inject partial failures). */
export type KinesisSender = Pick<KinesisClient, 'send'>;

export function toShardRange(shard: Shard): ShardRange {
  return {
    shardId: shard.ShardId ?? '',
    startingHashKey: shard.HashKeyRange?.StartingHashKey ?? '0',
    endingHashKey: shard.HashKeyRange?.EndingHashKey ?? '0',
    // A closed shard has an ending sequence number.
    open: shard.SequenceNumberRange?.EndingSequenceNumber === undefined,
  };
}

/** Every shard of the stream (open and closed). */
export async function listAllShards(client: KinesisSender, streamName: string): Promise<ShardRange[]> {
  const shards: ShardRange[] = [];
  let nextToken: string | undefined;
  do {
    // With NextToken, ListShards must not be given the stream name.
    const page = await client.send(new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }));
    for (const shard of page.Shards ?? []) shards.push(toShardRange(shard));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}
