/**
 * `loadgen merge` on real report files: three segments of one run against the embedded Kinesis, then merged as a
 * user would, and the parts altered one way at a time to see every refusal.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import { MergeError, mergeReports } from '../../../loadgen/merge/merge';
import { LatencyPerSecond, summaryOfEncoded } from '../../../loadgen/metrics/latency';
import type { RunReport } from '../../../loadgen/report/report';
import { captureIo, useEmbeddedStream } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-merge-'));
const embedded = useEmbeddedStream('merge', 3);
const parts: RunReport[] = [];
const file = (name: string): string => join(dir, name);
const read = (path: string): RunReport => JSON.parse(readFileSync(path, 'utf8'));
const write = (name: string, report: unknown): string => {
  writeFileSync(file(name), JSON.stringify(report));
  return file(name);
};
const named = (reports: RunReport[]) => reports.map((report, i) => ({ name: `part-${i + 1}.json`, report }));

/** Runs `merge` as a user would; exit code, stdout, stderr. */
async function merge(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await main(['merge', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(async () => {
  const args = ['run', '--endpoint', embedded.endpoint(), '--stream', 'merge', '--rate', 'max', '--records', '3000', '--devices', '9', '--seed', '3'];
  const startAt = new Date(Date.now() + 500).toISOString();
  const codes = await Promise.all(
    [1, 2, 3].map((i) =>
      main(
        [...args, '--run-id', 'm1', '--segment', `${i}/3`, '--start-at', startAt, '--verify', '--quiet', '--threshold', 'recordsAcked>=1500', '--report', file(`segment-${i}.json`)],
        captureIo(),
      ),
    ),
  );
  // Each part alone fails its threshold (1,000 records); the merged run holds it.
  expect(codes).toEqual([99, 99, 99]);
  parts.push(...[1, 2, 3].map((i) => read(file(`segment-${i}.json`))));
});

describe('loadgen merge', () => {
  it('adds the counts, shards and verification, evaluates the thresholds again on the whole, and exits by the merged run', async () => {
    const { code, out } = await merge(file('segment-1.json'), file('segment-2.json'), file('segment-3.json'), '--report', file('merged.json'));
    expect(code).toBe(0);
    expect(out).toContain('merged 3 reports of run m1');
    const merged = read(file('merged.json'));
    const sum = (key: keyof RunReport) => parts.reduce((n, p) => n + (p[key] as number), 0);
    expect(merged).toMatchObject({ runId: 'm1', segment: { index: 1, count: 1 }, recordsScheduled: 3000, recordsAcked: 3000, exitCode: 0 });
    for (const key of ['recordsSent', 'bytesAcked', 'requests', 'retries', 'throttled'] as const) expect(merged[key]).toBe(sum(key));
    expect(merged.shards.map((s) => s.records)).toEqual(parts[0].shards.map((_, i) => parts.reduce((n, p) => n + p.shards[i].records, 0)));
    expect(merged.verify).toMatchObject({ received: 3000, matched: 3000, missing: 0, duplicates: 0, shardsRead: 3, method: 'seq-per-key' });
    expect(merged.thresholds).toEqual([{ expression: 'recordsAcked>=1500', key: 'recordsAcked', value: 3000, ok: true, abortOnFail: false }]);
    expect(merged.series.reduce((n, p) => n + p.acked, 0)).toBe(3000);
    // Keys in a run's order, the same keys as a part.
    expect(Object.keys(merged)).toEqual(Object.keys(parts[0]));
  });

  it('reads a folder of reports, adds thresholds of its own, and writes the HTML report too', async () => {
    const folder = join(dir, 'folder');
    mkdirSync(folder);
    parts.forEach((p, i) => writeFileSync(join(folder, `segment-${i + 1}.json`), JSON.stringify(p)));
    const { code, err } = await merge(folder, '--threshold', 'recordsAcked>3000', '--quiet', '--report', file('folder.json'), '--report-html', file('folder.html'));
    expect(code).toBe(99);
    expect(err).toBe('');
    // The HTML report of the merged run, as a run writes it.
    expect(readFileSync(file('folder.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect(read(file('folder.json')).thresholds?.map((t) => [t.expression, t.ok])).toEqual([
      ['recordsAcked>=1500', true],
      ['recordsAcked>3000', false],
    ]);
  });

  it('reads percentiles from the merged histogram, never from the parts\' percentiles', () => {
    // Part 1: 900 answers of 1 ms; part 2: 100 of 100 ms. The whole's p50 is 1 ms (an average of p50s would say 50.5).
    const histogram = (us: number, count: number) => {
      const h = new LatencyPerSecond();
      for (let i = 0; i < count; i++) h.record(0, us);
      return h;
    };
    const fast = histogram(1000, 900);
    const slow = histogram(100_000, 100);
    const [a, b] = [
      { ...parts[0], segment: { index: 1, count: 2 }, latencyMs: fast.summaryMs(), histograms: { ...parts[0].histograms, latencyMs: fast.encode() } },
      { ...parts[1], segment: { index: 2, count: 2 }, latencyMs: slow.summaryMs(), histograms: { ...parts[1].histograms, latencyMs: slow.encode() } },
    ];
    const merged = mergeReports(named([a, b]));
    expect(merged.latencyMs).toMatchObject({ p50: 1, p90: 1, p99: 100, max: 100 });
    expect(merged.latencyMs.mean).toBeCloseTo((900 * 1 + 100 * 100) / 1000, 1);
    // And for the real parts: exactly the percentiles of all their answers in one histogram.
    const real = mergeReports(named(parts));
    const { count, ...all } = summaryOfEncoded(
      parts.map((p) => p.histograms.latencyMs),
      Math.round(Math.max(...parts.map((p) => p.latencyMs.max)) * 1000),
    );
    expect(count).toBe(parts.reduce((n, p) => n + p.requests, 0));
    expect(real.latencyMs).toEqual(all);
    // Record latency too: one histogram of every record, from the parts' histograms.
    const records = summaryOfEncoded(
      parts.map((p) => p.histograms.recordLatencyMs),
      Math.round(Math.max(...parts.map((p) => p.recordLatencyMs.max)) * 1000),
    );
    expect(records.count).toBe(3000);
    expect(real.recordLatencyMs).toMatchObject({ p50: records.p50, p99: records.p99, max: records.max });
    expect(real.latencyMs.max).toBe(Math.max(...parts.map((p) => p.latencyMs.max)));
  });

  it('aligns the per-second series on wall-clock time and spans the duration from the first start to the last end', () => {
    const later = { ...parts[2], startedAt: new Date(Date.parse(parts[2].startedAt) + 2000).toISOString() };
    const merged = mergeReports(named([parts[0], parts[1], later]));
    const ackedAt = (report: RunReport, second: number) => report.series.find((p) => p.second === second)?.acked ?? 0;
    for (let second = 0; second < merged.series.length; second++) {
      expect(ackedAt(merged, second)).toBe(ackedAt(parts[0], second) + ackedAt(parts[1], second) + ackedAt(parts[2], second - 2));
    }
    const end = Math.max(...[parts[0], parts[1], later].map((p) => Date.parse(p.startedAt) + p.durationSeconds * 1000));
    expect(merged.durationSeconds).toBeCloseTo((end - Date.parse(parts[0].startedAt)) / 1000, 2);
    expect(merged.achievedRate).toBeCloseTo(3000 / merged.durationSeconds, 0);
  });

  it.each([
    ['parts of different runs', () => [parts[0], parts[1], { ...parts[2], runId: 'other' }], /^the reports belong to 2 different runs: run m1 \(.*segment-1.json, .*segment-2.json\); run other \(.*segment-3.json\); merge the parts of one run \(one --run-id\)$/],
    ['a missing segment', () => [parts[0], parts[2]], /^run m1 is not complete: segment 2\/3 missing$/],
    ['a segment given twice', () => [parts[0], parts[1], parts[1], parts[2]], /^run m1 is not complete: given twice: 2\/3 \(.*segment-2.json, .*segment-3.json\)$/],
    ['parts of different cuts', () => [parts[0], { ...parts[1], segment: { index: 2, count: 4 } }], /^the reports of run m1 cut it into different numbers of segments \(3, 4\): merge the parts of one cut$/],
    ['settings that differ', () => [parts[0], parts[1], { ...parts[2], seed: 4 }], /^the reports disagree on seed \(3 in .*segment-1.json, 4 in .*segment-3.json\): not parts of one run$/],
    ['a key no rule covers', () => [parts[0], parts[1], { ...parts[2], newKey: 1 }], /^.*segment-3.json has the report key newKey, which has no merge rule in this version of loadgen \(a report of another version\?\)$/],
    ['a nested key no rule covers', () => [parts[0], parts[1], { ...parts[2], client: { ...parts[2].client, gpuSeconds: 1 } }], /has the report key client.gpuSeconds, which has no merge rule/],
    ['a report without histograms', () => [parts[0], parts[1], { ...parts[2], histograms: undefined }], /segment-3.json has no segment or latency histogram: it was written by a loadgen without --segment/],
    ['a file that is not a report', () => [parts[0], parts[1], { hello: 'world' }], /segment-3.json is not a loadgen run report/],
  ])('refuses %s: one line, exit 2', async (_case, make, message) => {
    const files = make().map((report, i) => write(`segment-${i + 1}.json`.replace('.json', `-${_case.replace(/\W/g, '')}.json`), report));
    const { code, err } = await merge(...files);
    expect(code).toBe(2);
    const lines = err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0].replace(/^loadgen: /, '').replace(/-\w+\.json/g, '.json')).toMatch(message);
  });

  it('refuses no parts, and a merge error is a MergeError', () => {
    expect(() => mergeReports([])).toThrow(MergeError);
  });
});
