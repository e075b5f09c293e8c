import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import type { FindLimitReport } from '../../../loadgen/report/find-limit-report';
import { SHARD_WRITE_RECORDS_PER_SECOND } from '../../../loadgen/kinesis/limits';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { captureIo, interceptPutRecords, slowedClock, withLocalKinesis } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-find-limit-'));

describe('find-limit', () => {
  it('finds about 4,000 records/s on the embedded stream with the Kinesis limits and 4 shards', async () => {
    const reportPath = join(dir, 'limit.json');
    const io = captureIo();
    // Short steps keep the test to seconds; the default 1,000 devices are spread evenly over the shards (MD5 alone
    // would give one shard 27 % of them), so the shard count, not one hot shard, sets the limit. A step so short starts with no headroom in the shards' buckets, so batches
    // arriving a little unevenly near the limit see some throttling: a sustained step may have 1% of it.
    // The stream and loadgen share a clock at a third of real speed (see slowedClock).
    const args = ['find-limit', '--shards', '4', '--start-rate', '3500', '--growth', '1.2', '--step-duration', '1s', '--settle', '500ms', '--burst', '5s'];
    const search = ['--resolution', '0.05', '--max-throttled', '0.01', '--seed', '11', '--report', reportPath];
    const code = await main([...args, ...search], io, { clock: slowedClock(3) });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as FindLimitReport;
    expect(report).toMatchObject({ command: 'find-limit', stopReason: 'throttled', nominalCapacity: { openShards: 4, recordsPerSecond: 4000 } });
    expect(report.maxSustainedRate).toBeGreaterThanOrEqual(3600);
    expect(report.maxSustainedRate).toBeLessThanOrEqual(4400);
    expect(report.throttleOnsetRate).not.toBeNull();
    expect(report.throttleOnsetRate!).toBeLessThanOrEqual(4400);

    // Every step is in the report; the search went past the limit and came back under it.
    expect(report.steps.length).toBeGreaterThanOrEqual(3);
    expect(report.steps.map((s) => s.step)).toEqual(report.steps.map((_, i) => i + 1));
    // A step loadgen fell short of is tried again (a busy machine): each rate counts by its last try.
    const failed = [...new Map(report.steps.map((s) => [s.targetRate, s])).values()].filter((s) => !s.sustained);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((s) => s.targetRate > report.maxSustainedRate!)).toBe(true);
    expect(failed.some((s) => s.limitedBy === 'throttling' && s.throttled > 0)).toBe(true);
    for (const step of report.steps) {
      // The burst used up every shard's burst allowance before each step was measured.
      expect(step.burst).toMatchObject({ saturated: true });
      expect(step.recordsAcked + step.throttled + step.failed).toBeLessThanOrEqual(step.recordsSent);
    }

    // Per shard, the sustained rate stays at the service's limit: the stream throttled, not loadgen. (A window's
    // records are sent over a little more than its second, and a bucket may hold a few spare tokens: 5%.)
    expect(report.maxSustainedPerShard).toHaveLength(4);
    for (const shard of report.maxSustainedPerShard) expect(shard.recordsPerSecond).toBeLessThanOrEqual(SHARD_WRITE_RECORDS_PER_SECOND * 1.05);
    for (const shard of report.maxSustainedPerShard) expect(Math.abs(shard.share - 0.25)).toBeLessThanOrEqual(0.01);
    expect(io.err()).toContain('find-limit: keys: devices spread evenly over the 4 open shards');
    expect(io.out()).toMatch(/result\s+maximum sustained rate [\d,]+ records\/s/);
    expect(io.err()).toMatch(/step\s+1 bracket\s+3,500\/s -> achieved/);
  });

  it('on a stream that never throttles, sustains every rate up to --max-rate and says no throttling was seen', async () => {
    const reportPath = join(dir, 'unlimited.json');
    const io = captureIo();
    const code = await withLocalKinesis({ port: 0, shards: 2, stream: 'unlimited' }, (endpoint) =>
      main(
        ['find-limit', '--endpoint', endpoint, '--stream', 'unlimited', '--start-rate', '400', '--max-rate', '600', '--step-duration', '500ms', '--settle', '0s'].concat(
          ['--burst', '300ms', '--seed', '3', '--report', reportPath],
        ),
        io,
      ),
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as FindLimitReport;
    expect(report).toMatchObject({ stopReason: 'max-rate', maxSustainedRate: 600, throttleOnsetRate: null });
    expect(report.steps.map((s) => s.targetRate)).toEqual([400, 600]);
    // No burst could make a shard throttle: each ran its full length, and said so.
    for (const step of report.steps) expect(step.burst).toMatchObject({ saturated: false, throttled: 0, durationSeconds: expect.any(Number) });
    expect(report.steps[0].burst!.durationSeconds).toBeGreaterThanOrEqual(0.3);
    expect(report.verdict).toMatch(/every rate up to --max-rate was sustained; no step was throttled/);
    expect(io.err()).toContain('did not make every shard throttle: loadgen may not send fast enough to find this stream\'s limit');
  });

  it('tries a step once more when loadgen fell short of its rate without the stream throttling', async () => {
    const reportPath = join(dir, 'stalled.json');
    let calls = 0;
    // On a clock at half speed (so a busy machine's own pauses stay within the half second of queue a step allows),
    // the third PutRecords of the search hangs 2.5 s: with one request in flight the queue fills and the records
    // due meanwhile are dropped, in the first step's window only.
    const stall = (client: KinesisClient) =>
      interceptPutRecords(client, async (records, forward) => {
        if (++calls === 3) await new Promise((resolve) => setTimeout(resolve, 2500));
        return forward(records);
      });
    const args = ['--stream', 'stalled', '--start-rate', '400', '--max-rate', '400', '--step-duration', '2s', '--settle', '0s'];
    const io = captureIo();
    const code = await withLocalKinesis({ port: 0, shards: 1, stream: 'stalled' }, (endpoint) =>
      main(['find-limit', '--endpoint', endpoint, ...args, '--burst', '0s', '--concurrency', '1', '--batch-size', '10', '--seed', '5', '--report', reportPath], io, {
        wrapClient: stall,
        clock: slowedClock(2),
      }),
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as FindLimitReport;
    expect(report.steps.map((s) => [s.targetRate, s.sustained, s.limitedBy])).toEqual([
      [400, false, 'producer'],
      [400, true, null],
    ]);
    expect(report.steps[0].dropped).toBeGreaterThan(0);
    expect(report).toMatchObject({ maxSustainedRate: 400, stopReason: 'max-rate' });
    expect(io.err()).toContain('loadgen fell short of 400/s without the stream throttling: trying the step once more');
  });

  it('rejects bad search options in one line each', async () => {
    const io = captureIo();
    expect(await main(['find-limit', '--growth', '1', '--start-rate', '900', '--max-rate', '800', '--settle', 'soon'], io)).toBe(2);
    expect(io.err()).toBe(
      'loadgen: invalid --growth "1": expected a factor > 1 and <= 10; invalid --settle "soon": expected a duration such as 500ms, 30s, 5m, 1h or 1m30s; ' +
        'invalid --start-rate "900": expected at most --max-rate (800)\n',
    );
  });
});
