import { buildFindLimitReport, type FindLimitOutcome, type FindLimitStep } from '../../../loadgen/report/find-limit-report';

const latency = { p50: 5, p90: 8, p99: 12, p999: 15, max: 15, mean: 6 };

/** A measured step at `rate` whose four shards acked `shares` of what was acked. */
function step(n: number, rate: number, outcome: { sustained: boolean; limitedBy?: 'throttling' | 'producer'; throttled?: number }, shares = [0.25, 0.25, 0.25, 0.25]): FindLimitStep {
  const achieved = outcome.sustained ? rate : rate * 0.9;
  return {
    step: n,
    phase: n < 3 ? 'bracket' : 'bisect',
    startedAtSeconds: n * 10,
    targetRate: rate,
    achievedRate: achieved,
    durationSeconds: 2,
    recordsScheduled: rate * 2,
    recordsSent: rate * 2,
    recordsAcked: achieved * 2,
    throttled: outcome.throttled ?? 0,
    throttledShare: (outcome.throttled ?? 0) / (rate * 2),
    dropped: 0,
    failed: 0,
    latencyMs: latency,
    recordLatencyMs: latency,
    shards: shares.map((share, i) => ({ shardId: `shardId-00000000000${i}`, recordsPerSecond: achieved * share, throttled: 0 })),
    burst: null,
    sustained: outcome.sustained,
    limitedBy: outcome.limitedBy ?? null,
  };
}

const context = {
  startedAt: new Date('2026-03-01T10:00:00Z'),
  runId: 'r',
  seed: 1,
  generator: 'iot-sensor',
  target: { sink: 'kinesis', stream: 's', embedded: false, region: 'eu-west-1' },
  durationSeconds: 60,
  recordsSent: 1000,
  settings: {},
  client: { cpuSeconds: 1, maxRssMB: 100 },
};
const outcome = (steps: FindLimitStep[], over: Partial<FindLimitOutcome> = {}): FindLimitOutcome => ({
  steps,
  end: 'bracketed',
  concurrency: 8,
  nominal: { openShards: 4, recordsPerSecond: 4000, avgRecordBytes: 240 },
  ...over,
});

describe('find-limit report', () => {
  it('answers with the highest sustained step, the lowest throttled one, and names a hot shard', () => {
    const skewed = [0.25, 0.27, 0.24, 0.24];
    const report = buildFindLimitReport(
      context,
      outcome([
        step(1, 2000, { sustained: true }, skewed),
        step(2, 4500, { sustained: false, limitedBy: 'throttling', throttled: 900 }),
        step(3, 3700, { sustained: true }, skewed),
        step(4, 3750, { sustained: false, limitedBy: 'throttling', throttled: 10 }),
      ]),
    );
    expect(report).toMatchObject({ maxSustainedRate: 3700, throttleOnsetRate: 3750, stopReason: 'throttled', exitCode: 0 });
    expect(report.maxSustainedPerShard.map((s) => s.share)).toEqual(skewed);
    expect(report.verdict).toBe(
      'maximum sustained rate 3,700 records/s (92.5% of the nominal 4,000/s of 4 open shards); throttling began at 3,750/s; ' +
        'the busiest shard, shardId-000000000001, carried 27.0% of the records (999/s): uneven partition keys, not the shard count, set this limit',
    );
  });

  it('judges a step tried again by its last try', () => {
    const report = buildFindLimitReport(
      context,
      outcome([
        step(1, 3000, { sustained: true }),
        step(2, 3750, { sustained: false, limitedBy: 'producer' }),
        step(3, 3750, { sustained: false, limitedBy: 'throttling', throttled: 20 }),
      ]),
    );
    expect(report.stopReason).toBe('throttled');
    const producer = buildFindLimitReport(context, outcome([step(1, 3000, { sustained: true }), step(2, 4000, { sustained: false, limitedBy: 'producer' }), step(3, 4000, { sustained: false, limitedBy: 'producer' })]));
    expect(producer.stopReason).toBe('producer-limited');
    expect(producer.verdict).toMatch(/without throttling: loadgen could not offer more \(raise --concurrency, now 8/);
  });

  it('exits 1 when nothing was sustained or the stream stopped answering', () => {
    expect(buildFindLimitReport(context, outcome([step(1, 100, { sustained: false, limitedBy: 'throttling', throttled: 5 })], { end: 'nothing-sustained' }))).toMatchObject({
      maxSustainedRate: null,
      stopReason: 'nothing-sustained',
      exitCode: 1,
    });
    expect(buildFindLimitReport(context, outcome([step(1, 2000, { sustained: true })], { end: null, stopped: 'unreachable' }))).toMatchObject({ stopReason: 'unreachable', exitCode: 1 });
  });
});
