import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-thresholds-'));
const readReport = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

describe('--threshold on real runs against the embedded Kinesis', () => {
  it('passing thresholds: exit 0, every one listed in the summary and the report with its value', async () => {
    const reportPath = join(dir, 'pass.json');
    const io = captureIo();
    const code = await main(
      ['run', '--rate', '400', '--duration', '1s', '--seed', '5', '--verify', '--report', reportPath,
        '--threshold', 'recordsAcked==400', '--threshold', 'throttledPct<0.5', '--threshold', 'verify.missing==0', '--threshold', 'latencyMs.p99>0'],
      io,
    );
    expect(code).toBe(0);
    const report = readReport(reportPath);
    expect(report.exitCode).toBe(0);
    expect(report.thresholds).toEqual([
      { expression: 'recordsAcked==400', key: 'recordsAcked', value: 400, ok: true, abortOnFail: false },
      { expression: 'throttledPct<0.5', key: 'throttledPct', value: 0, ok: true, abortOnFail: false },
      { expression: 'verify.missing==0', key: 'verify.missing', value: 0, ok: true, abortOnFail: false },
      { expression: 'latencyMs.p99>0', key: 'latencyMs.p99', value: report.latencyMs.p99, ok: true, abortOnFail: false },
    ]);
    expect(io.out()).toMatch(/thresholds pass {2}recordsAcked==400 +value 400\n +pass {2}throttledPct<0\.5 +value 0\n +pass {2}verify\.missing==0 +value 0\n/);
    expect(io.err()).not.toContain('thresholds failed');
  });

  it('a failing threshold: the report is written, exit 99, the failed one named (also under --quiet)', async () => {
    const reportPath = join(dir, 'fail.json');
    const io = captureIo();
    const code = await main(
      ['run', '--rate', '300', '--duration', '1s', '--seed', '5', '--quiet', '--report', reportPath, '--threshold', 'recordsAcked<100', '--threshold', 'recordsFailed==0'],
      io,
    );
    expect(code).toBe(99);
    const report = readReport(reportPath);
    expect(report).toMatchObject({ exitCode: 99, recordsAcked: 300, stopReason: 'completed' });
    expect(report.thresholds.map((t: { ok: boolean }) => t.ok)).toEqual([false, true]);
    expect(io.out()).toBe('');
    expect(io.err()).toBe(`loadgen: 1 of 2 thresholds failed: recordsAcked<100 (value 300); report in ${reportPath}\n`);
  });

  it('a bad expression is a usage error before the run: exit 2, one line, no engine, no report', async () => {
    const reportPath = join(dir, 'bad.json');
    const io = captureIo();
    let engines = 0;
    const code = await main(
      ['run', '--rate', '300', '--duration', '1s', '--report', reportPath, '--threshold', 'latencyMs.p99<<50', '--threshold', 'verify.missing==0'],
      io,
      { onEngine: () => engines++ },
    );
    expect(code).toBe(2);
    expect(engines).toBe(0);
    expect(existsSync(reportPath)).toBe(false);
    expect(io.err().trim().split('\n')).toEqual([
      expect.stringMatching(/^loadgen: invalid --threshold "latencyMs\.p99<<50": expected .*; invalid --threshold "verify\.missing==0": expected verify\.missing only together with --verify$/),
    ]);
  });

  it('abortOnFail stops scheduling as soon as the threshold fails, drains like Ctrl-C, and exits 99', async () => {
    const reportPath = join(dir, 'abort.json');
    const io = captureIo();
    const code = await main(
      ['run', '--rate', '500', '--duration', '60s', '--seed', '5', '--verify', '--report', reportPath,
        '--threshold', 'recordsAcked<300,abortOnFail', '--threshold', 'droppedPct<50,abortOnFail,delayAbortEval=1h'],
      io,
    );
    expect(code).toBe(99);
    const report = readReport(reportPath);
    expect(report).toMatchObject({ stopReason: 'aborted', interrupted: false, recordsUnsent: 0, recordsFailed: 0, exitCode: 99 });
    // Checked once per completed second: the first check after 300 acks stops it, far before 60 s.
    expect(report.recordsScheduled).toBeLessThan(500 * 10);
    expect(report.recordsAcked).toBe(report.recordsScheduled);
    expect(report.verify).toMatchObject({ missing: 0, received: report.recordsAcked });
    const [aborting, delayed] = report.thresholds;
    expect(aborting).toMatchObject({ ok: false, abortOnFail: true, abortedRun: { atSecond: expect.any(Number), value: expect.any(Number) } });
    expect(aborting.abortedRun.value).toBeGreaterThanOrEqual(300);
    expect(delayed).toMatchObject({ ok: true, value: 0 });
    expect(delayed.abortedRun).toBeUndefined();
    expect(io.err()).toContain('[loadgen] threshold recordsAcked<300,abortOnFail failed at');
    expect(io.out()).toContain('loadgen aborted (a threshold with abortOnFail failed)');
    expect(io.out()).toMatch(/FAIL {2}recordsAcked<300,abortOnFail .*and stopped the run/);
  });
});
