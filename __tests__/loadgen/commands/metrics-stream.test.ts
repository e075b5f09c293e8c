import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../loadgen/cli/main';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-out-'));
const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');

interface Line {
  second: number;
  time: string;
  sent: number;
  acked: number;
  throttled: number;
  dropped: number;
  failed: number;
  inFlightRequests: number;
  queuedRecords: number;
}

const parseLines = (text: string): Line[] => text.trim().split('\n').map((l) => JSON.parse(l) as Line);

describe('--out json: one JSON line per second of the run', () => {
  it('to a file: every second once, in order, adding up to the report', async () => {
    const out = join(dir, 'metrics.jsonl');
    const reportPath = join(dir, 'report.json');
    const code = await main(['run', '--rate', '300', '--duration', '2500ms', '--seed', '2', '--quiet', '--out', `json=${out}`, '--report', reportPath], captureIo());
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const lines = parseLines(readFileSync(out, 'utf8'));
    expect(lines.map((l) => l.second)).toEqual(lines.map((_, i) => i));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['acked', 'concurrency', 'dropped', 'failed', 'inFlightRequests', 'latencyMs', 'queuedRecords', 'recordLatencyMs', 'retried', 'scheduled', 'second', 'sent', 'throttled', 'time']);
      expect(Date.parse(line.time) - Date.parse(report.startedAt)).toBeGreaterThanOrEqual(line.second * 1000 - 5);
    }
    // The lines are the report's series (the stream may end with seconds in which nothing happened).
    expect(lines.slice(0, report.series.length).map(({ time, inFlightRequests, queuedRecords, ...point }) => point)).toEqual(report.series);
    expect(lines.reduce((sum, l) => sum + l.acked, 0)).toBe(750);
  });

  it('to stdout (-) from the real process: lines arrive while the run goes, stdout carries nothing else, the summary goes to stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--rate', '200', '--duration', '60s', '--out', 'json=-'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      // A second line is out while the run has 58 s to go: it was flushed as it went. Stop the run.
      if (stdout.split('\n').length > 2 && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    const lines = parseLines(stdout);
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.map((l) => l.second)).toEqual(lines.map((_, i) => i));
    expect(stderr).toContain('loadgen interrupted: embedded Kinesis');
    expect(stderr).toMatch(/records {4}scheduled/);
  });

  it('a reader that stops reading (| head -2) ends the run quietly with exit 0', async () => {
    const reportPath = join(dir, 'head.json');
    const child = spawn('bash', ['-c', `"${process.execPath}" "${BIN}" run --rate 300 --duration 60s --quiet --out json=- --report "${reportPath}" | head -2; echo "loadgen exit \${PIPESTATUS[0]}" >&2`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    expect(parseLines(stdout).map((l) => l.second)).toEqual([0, 1]);
    expect(stderr).toBe('loadgen exit 0\n');
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ stopReason: 'output-closed', recordsUnsent: 0, recordsFailed: 0, exitCode: 0 });
    expect(report.recordsScheduled).toBeLessThan(300 * 30);
  });
});
