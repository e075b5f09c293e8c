/**
 * Done-when of the segments: n segment runs of one seed against the embedded Kinesis, merged, equal the single run
 * (the same devices and records, the record count, the rate within 1 %), and each segment's --verify checks its own
 * records and finds none missing. The single run and the segments run at the same time, so the machine's load
 * weighs on both alike. The rate compared is the records sent and acknowledged per second over the schedule's
 * seconds, from the per-second series (which the merge aligns on wall-clock time). `achievedRate` also counts the
 * time to the run's last acknowledgement, which a busy 2-core machine stretches by a few hundred ms at random, and
 * a merged run waits for the slowest of its parts: over 20 s that alone moves it by up to 2 %.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import { createKinesisClient } from '../../../loadgen/kinesis/client';
import { readStream } from '../../../loadgen/kinesis/stream-reader';
import type { RunReport } from '../../../loadgen/report/report';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-segments-'));
const SEGMENTS = 3;
const RUN = ['--rate', '150', '--duration', '20s', '--devices', '30', '--seed', '17', '--quiet'];
const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');

/** `loadgen local` in its own process: the emulators' work stays off the thread the four engines share. */
interface Local {
  readonly endpoint: string;
  readonly client: ReturnType<typeof createKinesisClient>;
  readonly child: ChildProcess;
}

async function startLocal(stream: string): Promise<Local> {
  const child = spawn(process.execPath, [BIN, 'local', '--port', '0', '--shards', '4', '--stream', stream], { stdio: ['ignore', 'pipe', 'inherit'] });
  const endpoint = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (\S+),/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`loadgen local exited with ${code}`)));
  });
  return { endpoint, child, client: createKinesisClient({ region: 'us-east-1', endpoint }, {}) };
}

let whole: Local;
let split: Local;

beforeAll(async () => {
  [whole, split] = await Promise.all([startLocal('whole'), startLocal('split')]);
});
afterAll(async () => {
  for (const local of [whole, split]) {
    if (!local) continue;
    local.client.destroy();
    const exited = new Promise((resolve) => local.child.once('exit', resolve));
    local.child.kill('SIGINT');
    await exited;
  }
});

const readReport = (name: string): RunReport => JSON.parse(readFileSync(join(dir, name), 'utf8'));

/** Every record of a stream: device#seq -> payload without the parts that differ by design (timestamp, run id). */
async function records(stream: Local, name: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  await readStream(stream.client, name, (r) => {
    const { timestamp: _t, run_id: _r, ...reading } = JSON.parse(Buffer.from(r.data).toString('utf8'));
    out.set(`${r.partitionKey}#${reading.seq}`, JSON.stringify(reading));
  });
  return out;
}

describe('segments of one run against the embedded Kinesis', () => {
  it('together equal the single run: devices, records, rate within 1 %', async () => {
    const startAt = new Date(Date.now() + 1500).toISOString();
    const target = (stream: Local, name: string) => ['--endpoint', stream.endpoint, '--stream', name, '--start-at', startAt];
    const codes = await Promise.all([
      main(['run', ...RUN, ...target(whole, 'whole'), '--run-id', 'whole-run', '--report', join(dir, 'whole.json')], captureIo()),
      ...Array.from({ length: SEGMENTS }, (_, i) =>
        main(['run', ...RUN, ...target(split, 'split'), '--segment', `${i + 1}/${SEGMENTS}`, '--run-id', 'split-run', '--report', join(dir, `segment-${i + 1}.json`)], captureIo()),
      ),
    ]);
    expect(codes).toEqual([0, 0, 0, 0]);

    const io = captureIo();
    const parts = Array.from({ length: SEGMENTS }, (_, i) => join(dir, `segment-${i + 1}.json`));
    expect(await main(['merge', ...parts, '--report', join(dir, 'merged.json')], io)).toBe(0);
    expect(io.out()).toContain('merged 3 reports of run split-run');
    const single = readReport('whole.json');
    const merged = readReport('merged.json');

    // Records: the same count (here exactly: the schedule is striped), all acked, verified.
    expect(single.recordsAcked).toBe(3000);
    expect(merged).toMatchObject({ segment: { index: 1, count: 1 }, runId: 'split-run', recordsScheduled: 3000, recordsAcked: 3000, targetRate: 150 });
    // The rate: records per second over the 20 s of the schedule, sent and acknowledged, within 1 % of the single run's.
    const perSecond = (report: RunReport, key: 'sent' | 'acked') => report.series.filter((p) => p.second < 20).reduce((n, p) => n + p[key], 0) / 20;
    for (const key of ['sent', 'acked'] as const) {
      expect(Math.abs(perSecond(merged, key) - perSecond(single, key)) / perSecond(single, key)).toBeLessThan(0.01);
      expect(perSecond(single, key)).toBeGreaterThan(150 * 0.9);
    }
    expect(merged.targetRate).toBe(single.targetRate);

    // Each segment: a third of the rate and records.
    for (let i = 0; i < SEGMENTS; i++) {
      expect(readReport(`segment-${i + 1}.json`)).toMatchObject({ segment: { index: i + 1, count: SEGMENTS }, runId: 'split-run', recordsAcked: 1000, targetRate: 50 });
    }

    // Devices and records: the stream written by the segments holds exactly the single run's readings.
    const [fromWhole, fromSegments] = await Promise.all([records(whole, 'whole'), records(split, 'split')]);
    expect(fromSegments.size).toBe(3000);
    const devices = (m: Map<string, string>) => new Set([...m.keys()].map((k) => k.split('#')[0]));
    expect(devices(fromSegments)).toEqual(devices(fromWhole));
    expect(devices(fromWhole).size).toBe(30);
    expect(fromSegments).toEqual(fromWhole);
    // Shards and series add up like the single run's: each segment spread its devices where the whole run did.
    expect(merged.shards.map((s) => s.records)).toEqual(single.shards.map((s) => s.records));
    expect(merged.shards.map((s) => [s.share, s.expectedShare])).toEqual(single.shards.map((s) => [s.share, s.expectedShare]));
    expect(merged.keys).toEqual(single.keys);
    expect(merged.keys).toMatchObject({ mode: 'spread', keysSampled: 30, openShards: 4, idleShards: 0 });
    expect(merged.series.reduce((n, p) => n + p.acked, 0)).toBe(3000);
  });

  it("each segment's --verify checks its own records: none missing, the other segments' and other runs' records not counted", async () => {
    const verified = ['--rate', 'max', '--records', '3000', '--devices', '7', '--seed', '5', '--verify', '--quiet', '--endpoint', whole.endpoint, '--stream', 'whole'];
    const codes = await Promise.all(
      [1, 2].map((i) => main(['run', ...verified, '--segment', `${i}/2`, '--run-id', 'verified-run', '--report', join(dir, `verified-${i}.json`)], captureIo())),
    );
    expect(codes).toEqual([0, 0]);
    for (const i of [1, 2]) {
      // 3,000 records of the run in two halves; the stream also holds the first test's 6,000 of another run.
      expect(readReport(`verified-${i}.json`).verify).toMatchObject({ received: 1500, matched: 1500, missing: 0, duplicates: 0, method: 'seq-per-key' });
    }
  });
});

