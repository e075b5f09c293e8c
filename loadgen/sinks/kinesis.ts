import { KinesisClient, ListShardsCommand, PutRecordsCommand, type Shard } from '@aws-sdk/client-kinesis';
import type { PutEntry } from '../record';
import type { ShardRange } from '../shard-map';
import type { PutResultEntry, Sink } from './types';

/** The subset of KinesisClient a sink needs, so tests can wrap it (e.g. to inject partial failures). */
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

/** Every shard of the stream (open and closed), following ListShards pagination. */
export async function listAllShards(client: KinesisSender, streamName: string): Promise<ShardRange[]> {
  const shards: ShardRange[] = [];
  let nextToken: string | undefined;
  do {
    // With NextToken, ListShards must not be given the stream name.
    const page = await client.send(
      new ListShardsCommand(nextToken ? { NextToken: nextToken } : { StreamName: streamName }),
    );
    for (const shard of page.Shards ?? []) shards.push(toShardRange(shard));
    nextToken = page.NextToken;
  } while (nextToken);
  return shards;
}

export class KinesisSink implements Sink {
  readonly kind = 'kinesis';

  constructor(
    private readonly client: KinesisSender,
    private readonly streamName: string,
  ) {}

  async listShards(): Promise<ShardRange[]> {
    return (await listAllShards(this.client, this.streamName)).filter((s) => s.open);
  }

  async putRecords(entries: PutEntry[]): Promise<PutResultEntry[]> {
    const response = await this.client.send(new PutRecordsCommand({ StreamName: this.streamName, Records: entries }));
    return response.Records ?? [];
  }

  async close(): Promise<void> {
    // The client belongs to the caller, which destroys it after verification.
  }
}
