/**
 * Routing: predicts each record's shard exactly as Kinesis does (kinesis/shard-map.ts), checks the
 * prediction against the ShardId of every ack, and re-lists the shards when a prediction misses, a key
 * maps to no open shard, or the refresh interval has passed. When the shards changed (a split or a merge),
 * it rebuilds the map, re-spreads the devices (when keys are spread) and re-routes every queued record.
 */
import { ShardMap, WHOLE_KEY_SPACE, type ShardRange } from '../kinesis/shard-map';
import type { Metrics } from '../metrics/ledger';
import type { Sink } from '../sinks/types';
import { KeySpread, type SpreadOrder } from './key-spread';
import type { PendingRecord } from './record';
import type { ShardQueues } from './shard-queues';

export interface RouterOptions {
  /** Re-list shards at least this often. */
  readonly refreshMs: number;
  /** ...and at most this often (ListShards is rate-limited), even when predictions miss. */
  readonly minRefreshIntervalMs: number;
  /** Give each device an explicit hash key so every open shard carries an equal share (engine/key-spread.ts). */
  readonly spreadKeys?: boolean;
  /** Which of the run's devices this process spreads, in the order they appear (engine/key-spread.ts). */
  readonly spreadOrder?: SpreadOrder;
}

const openIds = (shards: readonly ShardRange[]): string =>
  shards
    .filter((s) => s.open)
    .map((s) => s.shardId)
    .sort()
    .join();

export class Router {
  private map: ShardMap;
  private lastRefreshMs: number;
  private refreshing = false;
  private closed = false;

  private readonly hasShards: boolean;
  private readonly spread: KeySpread | null;

  /** `map` null: the sink has no shards, and everything goes to one pseudo-shard. */
  constructor(
    private readonly sink: Sink,
    map: ShardMap | null,
    private readonly queues: ShardQueues,
    private readonly metrics: Metrics,
    private readonly options: RouterOptions,
    private readonly clock: () => number,
  ) {
    this.hasShards = map !== null;
    this.map = map ?? new ShardMap([WHOLE_KEY_SPACE]);
    this.spread = map && options.spreadKeys ? new KeySpread(map, options.spreadOrder) : null;
    this.lastRefreshMs = clock();
    metrics.onShards(this.shardIds);
  }

  /** The open shards written to, or none for a sink without shards. */
  get shardIds(): string[] {
    return this.hasShards ? this.map.shards.map((s) => s.shardId) : [];
  }

  /** Sets the record's predicted shard (spreading its device first); a key no open shard covers triggers a refresh. */
  route(record: PendingRecord, nowMs: number): void {
    const spreadTo = this.spread ? this.spread.place(record) : -1;
    const index = spreadTo >= 0 ? spreadTo : this.map.indexFor(record.entry.PartitionKey, record.entry.ExplicitHashKey);
    record.shard = index < 0 ? 0 : index;
    if (index < 0) this.refresh(nowMs);
  }

  /** The shard the record is predicted to land on. */
  predictedShardId(record: PendingRecord): string {
    return this.map.shards[record.shard]?.shardId ?? 'unknown';
  }

  /** The shard an acked record landed on; a miss against the prediction is counted and triggers a refresh. */
  landedOn(record: PendingRecord, actualShardId: string | undefined, nowMs: number): string {
    const predicted = this.predictedShardId(record);
    if (actualShardId === undefined) return predicted;
    if (actualShardId !== predicted) {
      this.metrics.onRoutingMismatch(1);
      this.refresh(nowMs);
    }
    return actualShardId;
  }

  /** The periodic refresh. */
  tick(nowMs: number): void {
    if (nowMs - this.lastRefreshMs >= this.options.refreshMs) this.refresh(nowMs);
  }

  /** Stops acting on ListShards answers that arrive after the run. */
  close(): void {
    this.closed = true;
  }

  private refresh(nowMs: number): void {
    if (!this.hasShards || this.refreshing || nowMs - this.lastRefreshMs < this.options.minRefreshIntervalMs) return;
    this.refreshing = true;
    this.lastRefreshMs = nowMs;
    this.sink.listShards().then(
      (shards) => {
        this.refreshing = false;
        if (this.closed || !shards || shards.length === 0 || openIds(shards) === openIds(this.map.shards)) return;
        this.rebuild(shards);
      },
      () => {
        // Keep the old map; the next miss or the periodic refresh tries again.
        this.refreshing = false;
      },
    );
  }

  private rebuild(shards: readonly ShardRange[]): void {
    const nowMs = this.clock();
    this.map = new ShardMap(shards);
    this.spread?.reshape(this.map);
    const queued = this.queues.drainAll();
    this.queues.reset(this.map.shards.length, nowMs);
    for (const record of queued) {
      this.route(record, nowMs);
      this.queues.requeue(record);
    }
    this.metrics.onShards(this.shardIds);
  }
}
