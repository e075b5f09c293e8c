import { streamingAutoscale } from '../../constructs/databricks/autoscale';

describe('streamingAutoscale', () => {
  const base = { onDemandShardEstimate: 4, shardsPerWorker: 4 };

  it('derives the upper bound from a provisioned shard count', () => {
    expect(streamingAutoscale({ ...base, shardCount: 10 })).toEqual({ minWorkers: 1, maxWorkers: 3 });
    expect(streamingAutoscale({ ...base, shardCount: 40 })).toEqual({ minWorkers: 1, maxWorkers: 10 });
  });

  it('keeps room to scale out for a small stream', () => {
    expect(streamingAutoscale({ ...base, shardCount: 1 })).toEqual({ minWorkers: 1, maxWorkers: 2 });
  });

  it('sizes an on-demand stream from the configured estimate', () => {
    expect(streamingAutoscale({ ...base, onDemandShardEstimate: 16 })).toEqual({ minWorkers: 1, maxWorkers: 4 });
  });

  it('lets explicit bounds override the derived ones', () => {
    expect(streamingAutoscale({ ...base, shardCount: 40, maxWorkers: 6 })).toEqual({ minWorkers: 1, maxWorkers: 6 });
    expect(streamingAutoscale({ ...base, shardCount: 4, minWorkers: 3 })).toEqual({ minWorkers: 3, maxWorkers: 3 });
  });

  it('rejects bounds that cannot hold, naming the key and the value', () => {
    expect(() => streamingAutoscale({ ...base, minWorkers: 0 })).toThrow(
      'databricks.cluster.minWorkers must be an integer >= 1, got 0',
    );
    expect(() => streamingAutoscale({ ...base, minWorkers: 5, maxWorkers: 2 })).toThrow(
      'databricks.cluster.maxWorkers must be an integer >= minWorkers (5), got 2',
    );
  });
});
