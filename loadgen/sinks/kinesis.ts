import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import type { ShardRange } from '../kinesis/shard-map';
import { listAllShards, type KinesisSender } from '../kinesis/shards';
import type { PutEntry, PutResultEntry, Sink } from './types';

/** Writes batches to a Kinesis stream with PutRecords. */
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
