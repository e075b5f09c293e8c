/** Every acknowledged record's shard and sequence number, kept for `run --verify` to look for. */
export class AckLog {
  private readonly byShard = new Map<string, string[]>();

  add(shardId: string, sequenceNumber: string): void {
    let list = this.byShard.get(shardId);
    if (!list) this.byShard.set(shardId, (list = []));
    list.push(sequenceNumber);
  }

  /** Per shard, the sequence numbers acknowledged. */
  entries(): ReadonlyMap<string, readonly string[]> {
    return this.byShard;
  }
}
