import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput, type MetricDataResult } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../loadgen/cli/main';
import { chartSpecs } from '../../../loadgen/report/html/chart-specs';
import type { RunReport } from '../../../loadgen/report/report';
import { ConsumerWatch, judgeIteratorAge } from '../../../loadgen/watch/consumer-watch';
import type { ConsumerPoint } from '../../../loadgen/watch/consumer-types';
import { chromiumAvailable, openViewer } from '../../../tools/headless-chromium';
import { captureIo, withLocalKinesis } from '../helpers';

const cloudWatch = mockClient(CloudWatchClient);
afterEach(() => cloudWatch.reset());
afterAll(() => cloudWatch.restore());

const dir = mkdtempSync(join(tmpdir(), 'loadgen-watch-'));

/** CloudWatch's answer for every minute from StartTime up to (not including) `upTo`, with the given iterator age. */
function answer(input: GetMetricDataCommandInput, upTo: number, iteratorAge: (minute: number) => number): { MetricDataResults: MetricDataResult[] } {
  const minutes: Date[] = [];
  for (let t = input.StartTime!.getTime(); t < Math.min(upTo, input.EndTime!.getTime()); t += 60_000) minutes.push(new Date(t));
  const values: Record<string, (m: number) => number> = { iteratorAge, incoming: () => 6000, writeThrottled: () => 0 };
  return {
    MetricDataResults: input.MetricDataQueries!.map((q) => ({
      Id: q.Id,
      StatusCode: 'Complete',
      Timestamps: minutes,
      Values: minutes.map((_, i) => values[q.Id!](i)),
    })),
  };
}

const points = (ages: (number | null)[]): ConsumerPoint[] =>
  ages.map((iteratorAgeMsMax, i) => ({ time: '', second: i * 60, iteratorAgeMsMax, incomingRecordsPerSecond: 10, writeThrottledPerSecond: 0 }));

describe('iterator age verdict', () => {
  it('is bounded when the age stays under the bound and does not keep rising toward it', () => {
    expect(judgeIteratorAge(points([900, 1500, 1200]), 60_000)).toMatchObject({ iteratorAgeBounded: true, maxIteratorAgeMs: 1500, lastIteratorAgeMs: 1200 });
    expect(judgeIteratorAge(points([100, 200, 300]), 60_000).iteratorAgeBounded).toBe(true); // rising but small
  });

  it('is not bounded past the bound, or rising over three periods past half of it', () => {
    expect(judgeIteratorAge(points([5_000, 90_000, 2_000]), 60_000)).toMatchObject({ iteratorAgeBounded: false, verdict: expect.stringMatching(/reached 1m30s \(bound 1m\)/) });
    expect(judgeIteratorAge(points([10_000, 20_000, 40_000]), 60_000)).toMatchObject({ iteratorAgeBounded: false, verdict: expect.stringMatching(/grew over the last 3 periods/) });
  });

  it('says there is no data (and why that may be) rather than guessing', () => {
    expect(judgeIteratorAge(points([null, null]), 60_000)).toMatchObject({ iteratorAgeBounded: null, verdict: expect.stringMatching(/no consumer read the stream/) });
  });
});

describe('ConsumerWatch', () => {
  it('waits after the run until CloudWatch has published the minute the run ended in, within the grace', async () => {
    let now = Date.parse('2026-03-01T10:00:30Z');
    const runEnd = new Date(Date.parse('2026-03-01T10:02:10Z'));
    let calls = 0;
    // The minute the run ended in (10:02) is published only on the third call.
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      calls++;
      return answer(input, calls < 3 ? Date.parse('2026-03-01T10:02:00Z') : Infinity, (m) => 1000 + m);
    });
    const watch = new ConsumerWatch(new CloudWatchClient({ region: 'eu-west-1' }), 'iot', {
      intervalMs: 60_000,
      graceMs: 180_000,
      boundMs: 60_000,
      now: () => now,
      sleep: async (ms) => void (now += ms),
    });
    watch.start(new Date(now));
    now = Date.parse('2026-03-01T10:02:15Z');
    const lines: string[] = [];
    const report = await watch.finish(runEnd, (line) => lines.push(line));
    expect(calls).toBe(3);
    expect(report.points.map((p) => p.time)).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T10:01:00.000Z', '2026-03-01T10:02:00.000Z']);
    expect(report.points.map((p) => p.second)).toEqual([-30, 30, 90]);
    expect(report.points[0]).toMatchObject({ iteratorAgeMsMax: 1000, incomingRecordsPerSecond: 100, writeThrottledPerSecond: 0 });
    expect(report).toMatchObject({ iteratorAgeBounded: true, maxIteratorAgeMs: 1002, periodSeconds: 60, errors: [] });
    expect(lines[0]).toMatch(/waiting up to 3m for CloudWatch/);

    // What it asked for: the three stream metrics, per minute, from the minute the run started in.
    const input = cloudWatch.commandCalls(GetMetricDataCommand)[0].args[0].input;
    expect(input.StartTime).toEqual(new Date('2026-03-01T10:00:00Z'));
    expect(input.MetricDataQueries!.map((q) => [q.Id, q.MetricStat!.Metric!.MetricName, q.MetricStat!.Stat, q.MetricStat!.Period])).toEqual([
      ['iteratorAge', 'GetRecords.IteratorAgeMilliseconds', 'Maximum', 60],
      ['incoming', 'IncomingRecords', 'Sum', 60],
      ['writeThrottled', 'WriteProvisionedThroughputExceeded', 'Sum', 60],
    ]);
    for (const q of input.MetricDataQueries!) {
      expect(q.MetricStat!.Metric).toMatchObject({ Namespace: 'AWS/Kinesis', Dimensions: [{ Name: 'StreamName', Value: 'iot' }] });
    }
  });

  it('gives up waiting at the end of the grace and says what it has', async () => {
    let now = Date.parse('2026-03-01T10:00:00Z');
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => answer(input, Date.parse('2026-03-01T10:01:00Z'), () => 500));
    const watch = new ConsumerWatch(new CloudWatchClient({ region: 'eu-west-1' }), 'iot', { intervalMs: 60_000, graceMs: 30_000, boundMs: 60_000, now: () => now, sleep: async (ms) => void (now += ms) });
    watch.start(new Date(now));
    now = Date.parse('2026-03-01T10:01:30Z');
    const report = await watch.finish(new Date(now));
    expect(cloudWatch.commandCalls(GetMetricDataCommand)).toHaveLength(3); // at once, after 15 s, after 30 s
    expect(report.points).toHaveLength(1);
    expect(report.iteratorAgeBounded).toBe(true);
  });
});

describe('run --watch-consumer against a stream at an endpoint, CloudWatch mocked', () => {
  const withLocalStream = <T>(body: (endpoint: string) => Promise<T>): Promise<T> => withLocalKinesis({ port: 0, shards: 2, stream: 'watched' }, body);

  it('samples during the run, puts the figures in the series, the summary and the HTML charts', async () => {
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => answer(input, Infinity, (m) => 800 + 100 * m));
    const io = captureIo();
    const reportPath = join(dir, 'watched.json');
    const code = await withLocalStream((endpoint) =>
      main(
        ['run', '--endpoint', endpoint, '--stream', 'watched', '--rate', '400', '--duration', '1500ms', '--watch-consumer', '--watch-interval', '500ms'].concat(
          ['--watch-grace', '0s', '--seed', '2', '--report', reportPath, '--report-html', join(dir, 'watched.html'), '--threshold', 'consumer.maxIteratorAgeMs<60000'],
        ),
        io,
      ),
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(cloudWatch.commandCalls(GetMetricDataCommand).length).toBeGreaterThanOrEqual(2); // during the run, and after it
    expect(report.consumer).toMatchObject({ source: 'cloudwatch', stream: 'watched', iteratorAgeBounded: true, iteratorAgeBoundMs: 60_000, errors: [] });
    expect(report.consumer!.points.length).toBeGreaterThanOrEqual(1);
    const first = report.consumer!.points[0];
    expect(first).toMatchObject({ iteratorAgeMsMax: 800, incomingRecordsPerSecond: 100 });
    // A CI gate on the consumer: the threshold reads the report's consumer keys.
    expect(report.thresholds).toEqual([expect.objectContaining({ key: 'consumer.maxIteratorAgeMs', ok: true })]);
    expect(report.series[0].cloudwatch).toEqual({ iteratorAgeMsMax: 800, incomingRecordsPerSecond: 100, writeThrottledPerSecond: 0 });
    expect(report.settings).toMatchObject({ 'watch-consumer': true, 'watch-interval': '500ms', 'max-iterator-age': '1m' });
    expect(io.out()).toMatch(/consumer\s+the consumer kept up: iterator age stayed at most/);
    expect(chartSpecs(report).map((c) => c.id)).toContain('chart-consumer');
    expect(readFileSync(join(dir, 'watched.html'), 'utf8')).toContain('Consumer lag (CloudWatch)');
    if (chromiumAvailable()) {
      const viewer = await openViewer();
      try {
        const look = await viewer.look(join(dir, 'watched.html'));
        expect(look.consoleErrors).toEqual([]);
        expect(look.chartsDrawn).toBe(5);
        // The consumer chart's one or two periods are points; every chart has colored pixels.
        for (const colored of look.coloredPixels) expect(colored).toBeGreaterThan(30);
      } finally {
        await viewer.close();
      }
    }
  });

  it('keeps the run and its exit code when CloudWatch refuses, and says why in the report', async () => {
    cloudWatch.on(GetMetricDataCommand).rejects(Object.assign(new Error('User: arn:aws:iam::1:user/x is not authorized to perform: cloudwatch:GetMetricData'), { name: 'AccessDeniedException' }));
    const io = captureIo();
    const reportPath = join(dir, 'denied.json');
    const code = await withLocalStream((endpoint) =>
      main(['run', '--endpoint', endpoint, '--stream', 'watched', '--rate', '200', '--duration', '500ms', '--watch-consumer', '--watch-grace', '0s', '--report', reportPath, '--quiet'], io),
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(report.recordsAcked).toBe(100);
    expect(report.consumer).toMatchObject({ iteratorAgeBounded: null, points: [] });
    expect(report.consumer!.verdict).toMatch(/^could not read CloudWatch: GetMetricData failed: AccessDeniedException: User: .* cloudwatch:GetMetricData$/);
  });

  it('is refused without a real stream, and its tuning without it', async () => {
    const io = captureIo();
    expect(await main(['run', '--watch-consumer', '--watch-interval', '10s'], io)).toBe(2);
    expect(io.err()).toBe(
      'loadgen: invalid --watch-consumer true: expected --stream (a real stream\'s CloudWatch metrics; with --endpoint, CloudWatch is asked there too)\n',
    );
    const io2 = captureIo();
    expect(await main(['run', '--stream', 's', '--max-iterator-age', '2m'], io2)).toBe(2);
    expect(io2.err()).toBe('loadgen: invalid --max-iterator-age "2m": expected only with --watch-consumer\n');
    const io3 = captureIo();
    expect(await main(['run', '--stream', 's', '--threshold', 'consumer.maxIteratorAgeMs<60000'], io3)).toBe(2);
    expect(io3.err()).toBe('loadgen: invalid --threshold "consumer.maxIteratorAgeMs<60000": expected consumer.maxIteratorAgeMs only together with --watch-consumer\n');
  });
});

describe('run --watch-consumer with the real CloudWatch client unmocked', () => {
  it('says so when the endpoint is not CloudWatch at all (kinesalite at --endpoint answers it in XML)', async () => {
    cloudWatch.restore();
    const io = captureIo();
    const reportPath = join(dir, 'not-cloudwatch.json');
    const code = await withLocalKinesis({ port: 0, shards: 1, stream: 'watched' }, (endpoint) =>
      main(['run', '--endpoint', endpoint, '--stream', 'watched', '--rate', '100', '--duration', '300ms', '--watch-consumer', '--watch-grace', '0s', '--report', reportPath, '--quiet'], io),
    );
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
    expect(report.consumer!.verdict).toBe('could not read CloudWatch: GetMetricData failed: the endpoint did not answer as CloudWatch does (a Kinesis-only emulator?)');
  });
});
