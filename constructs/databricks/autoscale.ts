/** Worker bounds for the streaming job cluster, derived from the Kinesis shard count. */
export interface StreamingAutoscaleInput {
  /** Shards of a provisioned stream; `undefined` for an on-demand stream (the shard count floats). */
  readonly shardCount?: number;
  /** Shards assumed for an on-demand stream. */
  readonly onDemandShardEstimate: number;
  /** Shards one worker reads while leaving room for the processed and quarantine queries. */
  readonly shardsPerWorker: number;
  /** Overrides the derived lower bound. */
  readonly minWorkers?: number;
  /** Overrides the derived upper bound. */
  readonly maxWorkers?: number;
}

export interface AutoscaleBounds {
  readonly minWorkers: number;
  readonly maxWorkers: number;
}

/**
 * One reader task per shard spread over workers: max = ceil(shards / shardsPerWorker), at least 2 so a burst
 * can scale out; min = 1 (the stream never stops). Explicit bounds win; they must satisfy 1 <= min <= max.
 */
export function streamingAutoscale(input: StreamingAutoscaleInput): AutoscaleBounds {
  const shards = input.shardCount ?? input.onDemandShardEstimate;
  const derivedMax = Math.max(2, Math.ceil(shards / input.shardsPerWorker));
  const minWorkers = input.minWorkers ?? 1;
  const maxWorkers = input.maxWorkers ?? Math.max(derivedMax, minWorkers);
  if (!Number.isInteger(minWorkers) || minWorkers < 1) {
    throw new RangeError(`databricks.cluster.minWorkers must be an integer >= 1, got ${minWorkers}`);
  }
  if (!Number.isInteger(maxWorkers) || maxWorkers < minWorkers) {
    throw new RangeError(
      `databricks.cluster.maxWorkers must be an integer >= minWorkers (${minWorkers}), got ${maxWorkers}`,
    );
  }
  return { minWorkers, maxWorkers };
}
