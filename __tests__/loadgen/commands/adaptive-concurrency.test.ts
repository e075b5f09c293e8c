import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import type { RunReport } from '../../../loadgen/report/report';
import { captureIo, onFakeClock, slowStream } from '../helpers';

/**
 * Whole runs against a stream that answers after a fixed delay, on jest's fake clock: the request latency and the
 * schedule are exact, so the counts are the same on every run however busy the machine is.
 */
const dir = mkdtempSync(join(tmpdir(), 'loadgen-adaptive-'));
let runs = 0;

async function run(args: string[], stream: ReturnType<typeof slowStream>): Promise<{ code: number; report: RunReport; out: string }> {
  const reportPath = join(dir, `run-${runs++}.json`);
  const io = captureIo();
  const argv = ['run', '--endpoint', 'http://127.0.0.1:9', '--stream', 'slow', '--seed', '11', '--report', reportPath, ...args];
  // How busy this process is depends on the machine: the runs assume it has time to spare.
  const code = await onFakeClock(main(argv, io, { wrapClient: () => stream, engine: { clientBusy: () => 0 } }));
  return { code, report: JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport, out: io.out() };
}

describe('adaptive concurrency over whole runs (fake clock)', () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('default --rate auto against 100 shards answering after 60 ms reaches its 80,000/s target; a fixed 4 in flight could not', async () => {
    const { code, report: r, out } = await run(['--rate', 'auto', '--duration', '2s'], slowStream(100, 60));
    expect(code).toBe(0);
    expect(r.targetRate).toBe(80_000);
    expect(r.recordsScheduled).toBe(160_000);
    expect(r.achievedRate).toBeGreaterThanOrEqual(0.95 * 80_000);
    expect(r.droppedRecords + r.throttled).toBeLessThanOrEqual(0.005 * r.recordsScheduled);
    expect(r.recordsAcked + r.droppedRecords).toBe(r.recordsScheduled);
    // Little's law: 80,000/s x 60 ms / 500 records x 1.5 headroom = 14.4 (a little more: some batches leave partial).
    const settled = r.concurrency!.settled;
    expect(r.concurrency).toMatchObject({ mode: 'adaptive', reason: 'demand', why: expect.stringMatching(/^Little's law: 80,000\/s x 60 ms \/ 4\d\d records per request/) });
    expect(settled).toBeGreaterThanOrEqual(15);
    expect(settled).toBeLessThanOrEqual(17);
    expect(r.series[1].concurrency).toBe(settled);
    expect(out).toContain(`in flight  settled at ${settled} requests (adaptive`);
    // 1,000 devices spread 10 per shard: every shard takes 1 % of the records.
    expect(r.keys).toMatchObject({ mode: 'spread', keysSampled: 1000, openShards: 100, idleShards: 0, maxShare: 0.01, hotShards: [] });
    for (const shard of r.shards) expect(shard).toMatchObject({ share: 0.01, expectedShare: 0.01 });
    expect(Math.max(...r.shards.map((s) => s.recordsUtilization!))).toBeLessThan(0.81);

    const pinned = (await run(['--rate', 'auto', '--duration', '2s', '--concurrency', '4'], slowStream(100, 60))).report;
    // 4 x 500 records / 60 ms = 33,333/s at most: the rest of the schedule drops.
    expect(pinned.concurrency).toMatchObject({ mode: 'pinned', settled: 4, min: 4, max: 4 });
    expect(pinned.recordsAcked).toBeLessThan(0.45 * pinned.recordsScheduled);
    expect(pinned.droppedRecords).toBeGreaterThan(0.55 * pinned.recordsScheduled);
  });

  it('stages stepping from 1,000/s to 60,000/s are followed within 5 % after each step, with no --concurrency', async () => {
    const steps = [1000, 5000, 20000, 60000];
    const stages = steps.flatMap((rate) => [`0s:${rate}`, `2s:${rate}`]).join(',');
    const { code, report: r } = await run(['--stages', stages], slowStream(100, 60));
    expect(code).toBe(0);
    expect(r.droppedRecords + r.throttled).toBeLessThanOrEqual(0.005 * r.recordsScheduled);
    steps.forEach((rate, i) => {
      // The second after the step's first.
      const second = r.series[2 * i + 1];
      expect(Math.abs(second.acked - rate) / rate).toBeLessThanOrEqual(0.05);
    });
    // More in flight for more records per second (each value as the step's last second ends, sized for the next step).
    const concurrency = steps.map((_, i) => r.series[2 * i + 1].concurrency);
    expect([...concurrency].sort((a, b) => a - b)).toEqual(concurrency);
    expect(concurrency[0]).toBeGreaterThanOrEqual(4);
    // At the top: 60,000/s x 60 ms / up to 500 records x 1.5 = 11 or a little more.
    expect(concurrency[3]).toBeGreaterThanOrEqual(11);
    expect(concurrency[3]).toBeLessThanOrEqual(17);
  });

  it('--rate max grows while records wait and latency holds, and stops where the endpoint starts queueing', async () => {
    // 6 workers, 40 ms a request of 100 records: 15,000 records/s, with latency rising past 6 in flight.
    const { code, report: r } = await run(['--rate', 'max', '--duration', '2s', '--batch-size', '100'], slowStream(100, 40, 6));
    expect(code).toBe(0);
    expect(r.achievedRate).toBeGreaterThanOrEqual(0.9 * 15_000);
    expect(r.concurrency!.settled).toBeGreaterThanOrEqual(6);
    expect(r.concurrency!.max).toBeLessThanOrEqual(24);
    expect(r.concurrency!.reason).toMatch(/^(latency|waiting)$/);
  });
});
