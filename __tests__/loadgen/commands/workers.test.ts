/**
 * `run --workers`: segments in worker threads of one process, one progress line, one merged report, one verify.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import type { RunReport } from '../../../loadgen/report/report';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-workers-'));
const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');
const TYPED_PLUGIN = join(__dirname, '..', 'fixtures', 'typed-plugin.ts');
const read = (name: string): RunReport => JSON.parse(readFileSync(join(dir, name), 'utf8'));

describe('run --workers', () => {
  it('runs 2 workers on the embedded Kinesis: one progress line, one merged report, one verify of every record', async () => {
    const io = captureIo();
    const code = await main(['run', '--workers', '2', '--rate', '600', '--duration', '6s', '--seed', '8', '--verify', '--report', join(dir, 'two.json')], io);
    expect(code).toBe(0);
    const report = read('two.json');
    expect(report).toMatchObject({ segment: { index: 1, count: 1 }, recordsScheduled: 3600, recordsAcked: 3600, droppedRecords: 0, stopReason: 'completed', targetRate: 600 });
    expect(report.target).toMatchObject({ embedded: true, sink: 'kinesis' });
    expect(report.verify).toMatchObject({ received: 3600, matched: 3600, missing: 0, duplicates: 0 });
    expect(report.shards.reduce((n, s) => n + s.records, 0)).toBe(3600);
    expect(report.series.reduce((n, p) => n + p.acked, 0)).toBe(3600);
    expect(report.client.cpuSeconds).toBeGreaterThan(0);
    // The busiest worker thread's event loop (each thread has its own).
    expect(report.client.eventLoopBusy).toBeGreaterThan(0);
    expect(report.client.eventLoopBusy).toBeLessThanOrEqual(1);
    // Each thread's controller sized its own limit: the report adds them and says how many.
    expect(report.concurrency).toMatchObject({ mode: 'adaptive', controllers: 2 });
    expect(report.concurrency!.settled).toBeGreaterThanOrEqual(8);
    expect(io.out()).toMatch(/in flight\s+settled at \d+ requests in all \(adaptive, 2 segments' limits added/);
    const err = io.err().split('\n');
    // One rate line, one start line, one read-back; progress lines for both workers together, never one per worker.
    expect(err.filter((l) => l.startsWith('rate 600/s: fixed; 2 worker threads'))).toHaveLength(1);
    expect(err.filter((l) => l.includes('running: Ctrl-C'))).toHaveLength(1);
    expect(err.filter((l) => l.startsWith('verifying'))).toHaveLength(1);
    const progress = err.filter((l) => /^\[loadgen\] .*acked=/.test(l));
    expect(progress.length).toBeGreaterThan(0);
    for (const line of progress) expect(line).toMatch(/^\[loadgen\] 2 workers: \d+s acked=\d+ rate=\d+\/s/);
    expect(io.out()).toMatch(/loadgen finished: embedded Kinesis, generator iot-sensor, seed 8/);
    expect(io.out()).toMatch(/verify\s+received 3,600\s+missing 0\s+duplicates 0/);
  });

  it('loads TypeScript in the workers (a .ts plugin through tsx)', async () => {
    const code = await main(['run', '--workers', '2', '--generator', TYPED_PLUGIN, '--sink', 'null', '--rate', 'max', '--records', '20000', '--quiet', '--report', join(dir, 'ts.json')], captureIo());
    expect(code).toBe(0);
    expect(read('ts.json')).toMatchObject({ generator: 'typed-ts', recordsAcked: 20000, segment: { index: 1, count: 1 } });
  });

  it('runs a segment of a run in workers: the report is that segment, with its share of the records', async () => {
    const args = ['run', '--workers', '2', '--segment', '2/2', '--seed', '1', '--run-id', 'w-seg', '--sink', 'null', '--rate', 'max', '--records', '10001', '--quiet'];
    expect(await main([...args, '--report', join(dir, 'segment.json')], captureIo())).toBe(0);
    expect(read('segment.json')).toMatchObject({ segment: { index: 2, count: 2 }, runId: 'w-seg', recordsScheduled: 5000 });
  });

  it('stops every worker when an abortOnFail threshold fails on the merged live report (exit 99)', async () => {
    const args = ['run', '--workers', '2', '--rate', '400', '--duration', '60s', '--quiet', '--threshold', 'recordsAcked<300,abortOnFail', '--report', join(dir, 'aborted.json')];
    const io = captureIo();
    expect(await main(args, io)).toBe(99);
    const report = read('aborted.json');
    expect(report).toMatchObject({ stopReason: 'aborted', recordsUnsent: 0 });
    expect(report.recordsAcked).toBeLessThan(400 * 60);
    expect(report.thresholds?.[0]).toMatchObject({ ok: false, abortedRun: expect.any(Object) });
    expect(io.err()).toMatch(/loadgen: 1 of 1 thresholds failed: recordsAcked<300/);
  });

  it('drains every worker on a real SIGINT and still writes the report, nothing lost', async () => {
    const reportPath = join(dir, 'sigint.json');
    const child = spawn(process.execPath, [BIN, 'run', '--workers', '2', '--rate', '400', '--duration', '60s', '--report', reportPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // Both workers have acknowledged records once the first progress line is out.
      if (/2 workers: \d+s acked=[1-9]/.test(stderr) && !child.killed) child.kill('SIGINT');
    });
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ interrupted: true, stopReason: 'interrupted', recordsUnsent: 0, recordsFailed: 0 });
    expect(report.recordsAcked).toBe(report.recordsScheduled);
    expect(report.recordsAcked).toBeGreaterThan(0);
  });
});
