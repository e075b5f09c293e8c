import { Metrics } from '../../../loadgen/metrics/ledger';

describe('acks counted in runs (one ledger call per run of records with the same shard and due time)', () => {
  it('a run of n acks counts exactly as n single acks: totals, shards, series and record latency', () => {
    const one = new Metrics(0);
    const runs = new Metrics(0);
    const acks: [string, number, number, number][] = [
      ['shardId-000000000000', 100, 1200, 1000],
      ['shardId-000000000000', 100, 1200, 1000],
      ['shardId-000000000000', 100, 1200, 1000],
      ['shardId-000000000001', 50, 1200, 1100],
      ['shardId-000000000001', 70, 2300, 900],
    ];
    for (const [shard, bytes, now, due] of acks) one.onAcks(shard, 1, bytes, now, due);
    runs.onAcks('shardId-000000000000', 3, 300, 1200, 1000);
    runs.onAcks('shardId-000000000001', 1, 50, 1200, 1100);
    runs.onAcks('shardId-000000000001', 1, 70, 2300, 900);
    const a = one.snapshot(3000);
    const b = runs.snapshot(3000);
    expect(b.shards).toEqual(a.shards);
    expect(b.series).toEqual(a.series);
    expect(b.recordLatencyMs).toEqual(a.recordLatencyMs);
    expect(b.series.map((p) => p.acked)).toEqual([0, 4, 1]);
    expect(b.shards.find((s) => s.shardId === 'shardId-000000000000')).toMatchObject({ records: 3, bytes: 300 });
    // 3 of 5 records waited 200 ms: the median.
    expect(b.recordLatencyMs.p50).toBeCloseTo(200, -1); // HDR: 3 significant digits
    expect(b.recordLatencyMs.max).toBeCloseTo(1400, -1);
  });
});
