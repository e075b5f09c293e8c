import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { terminalCaps } from '../../../loadgen/shared/terminal';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');
const dir = mkdtempSync(join(tmpdir(), 'loadgen-unix-'));
const run = promisify(execFile);

/** The environment without the variables these tests set themselves. */
function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { CI: _ci, NO_COLOR: _noColor, TERM: _term, ...rest } = process.env;
  return { ...rest, TERM: 'xterm', ...extra };
}

/** Runs a shell command line; resolves with its output whatever it exits with. */
async function shell(command: string, extraEnv: Record<string, string> = {}): Promise<{ stdout: string; stderr: string }> {
  const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], env: env(extraEnv) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  await new Promise((resolve) => child.once('exit', resolve));
  return { stdout, stderr };
}

const loadgen = `"${process.execPath}" "${BIN}"`;
const ESCAPE = '\x1b';
const COLOUR = /\x1b\[3\dm/;
const HIDE_CURSOR = '\x1b[?25l'; // the live bar takes over the line

describe('Unix manners of the real process (bin/loadgen.js)', () => {
  it('`run --sink stdout | head -3` ends quietly with exit 0: no EPIPE, scheduling stops', async () => {
    const reportPath = join(dir, 'head.json');
    const { stdout, stderr } = await shell(
      `${loadgen} run --sink stdout --rate 1000 --duration 60s --report "${reportPath}" | head -3; echo "loadgen exit \${PIPESTATUS[0]}" >&2`,
    );
    expect(stdout.trim().split('\n').map((l) => JSON.parse(l).seq)).toEqual([0, 0, 0]);
    expect(stderr).toContain('loadgen exit 0\n');
    expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
    expect(stderr).toContain('loadgen stopped (the output was closed by its reader)');
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ stopReason: 'output-closed', recordsFailed: 0, exitCode: 0 });
    expect(report.recordsScheduled).toBeLessThan(1000 * 30);
  });

  it('a stdout closed before the summary is written never crashes it either (`run | true`)', async () => {
    const { stderr } = await shell(`${loadgen} run --rate 200 --duration 500ms | true; echo "loadgen exit \${PIPESTATUS[0]}" >&2`);
    expect(stderr).toContain('loadgen exit 0\n');
    expect(stderr).not.toMatch(/EPIPE|\n\s+at /);
  });

  it('an unknown command says so and lists the commands (exit 2)', async () => {
    const error = await run(process.execPath, [BIN, 'bogus']).then(
      () => undefined,
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expect(error).toMatchObject({ code: 2, stdout: '' });
    expect(error!.stderr).toBe('loadgen: unknown command "bogus": expected one of run (default), find-limit, verify, describe, analytics, fleet, merge, local (loadgen --help describes them)\n');
    // Options still go to the default command, and `help` still helps.
    expect((await run(process.execPath, [BIN, 'help'])).stdout).toContain('Commands:');
  });

  describe('colour and the live bar only on an interactive terminal', () => {
    // `script` gives the process a pseudo-terminal for stdout and stderr, as a user's shell does.
    const onTerminal = (extraEnv: Record<string, string>) =>
      shell(`script -qec '${loadgen} run --rate 200 --duration 1s --threshold recordsAcked==200' /dev/null`, extraEnv);

    it('on a terminal: the live bar on stderr, the thresholds coloured', async () => {
      const { stdout } = await onTerminal({});
      expect(stdout).toContain(HIDE_CURSOR);
      expect(stdout).toContain('\x1b[32mpass\x1b[0m  recordsAcked==200');
    });

    it('NO_COLOR: no colour (the bar stays: it is not colour)', async () => {
      const { stdout } = await onTerminal({ NO_COLOR: '1' });
      expect(stdout).toContain('pass  recordsAcked==200');
      expect(stdout).not.toMatch(COLOUR);
    });

    it('CI: no bar and no colour even on a terminal, plain lines for the log', async () => {
      const { stdout } = await onTerminal({ CI: 'true' });
      expect(stdout).toContain('pass  recordsAcked==200');
      expect(stdout).not.toContain(ESCAPE);
    });

    it('piped: no escape codes at all', async () => {
      const { stdout, stderr } = await shell(`${loadgen} run --rate 200 --duration 1s --threshold recordsAcked==200 2>&1 | cat`);
      expect(stdout).toContain('pass  recordsAcked==200');
      expect(stdout + stderr).not.toContain(ESCAPE);
    });

    it('decides from the stream and the environment', () => {
      const tty = { isTTY: true };
      expect(terminalCaps(tty, {})).toEqual({ color: true, liveProgress: true });
      expect(terminalCaps(tty, { NO_COLOR: '1' })).toEqual({ color: false, liveProgress: true });
      expect(terminalCaps(tty, { NO_COLOR: '' })).toEqual({ color: true, liveProgress: true });
      expect(terminalCaps(tty, { CI: 'true' })).toEqual({ color: false, liveProgress: false });
      expect(terminalCaps(tty, { CI: 'false' })).toEqual({ color: true, liveProgress: true });
      expect(terminalCaps(tty, { TERM: 'dumb' })).toEqual({ color: false, liveProgress: false });
      expect(terminalCaps({ isTTY: false }, {})).toEqual({ color: false, liveProgress: false });
    });
  });
});
