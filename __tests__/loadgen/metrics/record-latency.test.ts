import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { runLoad } from '../../../loadgen/commands/run';
import { Series } from '../../../loadgen/metrics/series';
import { captureIo, interceptPutRecords, runOptions } from '../helpers';

describe('per-second latency in the series', () => {
  it('summarizes each second on its own, with null for a second without answers', () => {
    const series = new Series(0);
    for (const ms of [1, 2, 3, 4, 100]) series.requestLatencyAt(500, ms * 1000);
    series.requestLatencyAt(1500, 7000);
    series.add(2500, 'acked', 1);
    series.requestLatencyAt(3200, 9000);
    series.ackAt(3300, 42_000);
    const points = series.points();
    expect(points.map((p) => p.second)).toEqual([0, 1, 2, 3]);
    // Two significant digits: within 1%.
    expect(points[0].latencyMs!.p50).toBeCloseTo(3, 1);
    expect(points[0].latencyMs).toMatchObject({ p90: 100, p99: 100, max: 100 });
    expect(points[1].latencyMs!.max).toBe(7);
    expect(points[2].latencyMs).toBeNull();
    expect(points[3]).toMatchObject({ acked: 1, latencyMs: { max: 9 }, recordLatencyMs: { max: 42 } });
    expect(points[0].recordLatencyMs).toBeNull();
  });
});

describe('record latency: from the time a record fell due to its ack', () => {
  it('counts the time records waited behind a stalled request, which request latency does not show (no coordinated omission)', async () => {
    let calls = 0;
    const stallMs = 1000;
    const { report } = await runLoad(runOptions({ rate: '500', duration: '3s', concurrency: '1', shards: '2' }), captureIo(), {
      // The 5th PutRecords takes a second to answer; with one request in flight, records due meanwhile wait.
      wrapClient: (client: KinesisClient) =>
        interceptPutRecords(client, async (records, forward) => {
          if (++calls === 5) await new Promise((resolve) => setTimeout(resolve, stallMs));
          return forward(records);
        }),
    });
    expect(report).toMatchObject({ recordsScheduled: 1500, recordsAcked: 1500, droppedRecords: 0 });
    expect(Object.keys(report.recordLatencyMs)).toEqual(Object.keys(report.latencyMs));
    // The records of the stalled request were due before it left and were acked after it came back.
    expect(report.recordLatencyMs.max).toBeGreaterThanOrEqual(stallMs);
    // About a third of the records fell due during the stall and waited up to a second: the top 10% waited long.
    expect(report.recordLatencyMs.p90).toBeGreaterThanOrEqual(500);
    expect(report.recordLatencyMs.p90).toBeGreaterThan(report.latencyMs.p90);
    // One slow request among many: request latency's p50 is far below the stall.
    expect(report.latencyMs.p50).toBeLessThan(report.recordLatencyMs.p90);
    // The run's max is the highest second's max (to HDR's 3 significant digits).
    const highestSecond = Math.max(...report.series.map((p) => p.recordLatencyMs?.max ?? 0));
    expect(Math.abs(highestSecond - report.recordLatencyMs.max) / report.recordLatencyMs.max).toBeLessThan(0.001);
    // The series counts the schedule itself: 500 records fell due in each second.
    expect(report.series.slice(0, 3).map((p) => p.scheduled)).toEqual([500, 500, 500]);
  });
});
