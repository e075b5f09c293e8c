import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main } from '../../loadgen/cli/main';
import { captureIo } from './helpers';

const ROOT = join(__dirname, '..', '..');

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}

const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'plan-review.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[]; permissions?: Record<string, string> }>;
};
const job = workflow.jobs['loadgen-smoke'];
const smokeStep = job.steps.find((s) => s.run?.startsWith('npm start'))!;
const startScript = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

/** A shell command line's words (single quotes only, as the workflow writes them). */
const words = (line: string): string[] => [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]);

describe('the PR workflow runs a thresholded loadgen smoke test', () => {
  const [npm, start, dashes, ...smokeArgs] = words(smokeStep.run!);
  const startArgs = words(startScript).slice(2); // after `node bin/loadgen.js`

  it('is `npm start` with thresholds and a report, which is attached even when a threshold fails', () => {
    expect([npm, start, dashes]).toEqual(['npm', 'start', '--']);
    expect(startArgs[0]).toBe('run');
    expect(smokeArgs.filter((a) => a === '--threshold').length).toBeGreaterThanOrEqual(4);
    const reportFile = smokeArgs[smokeArgs.indexOf('--report') + 1];
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'))!;
    expect(upload.if).toBe('always()');
    expect(upload.with).toMatchObject({ path: reportFile });
    expect(job.permissions).toEqual({ contents: 'read' });
  });

  it("its thresholds parse and each has a number in a real (shortened) run's report", async () => {
    const reportPath = join(mkdtempSync(join(tmpdir(), 'loadgen-smoke-')), 'smoke.json');
    const args = [...startArgs, ...smokeArgs, '--duration', '500ms', '--quiet', '--report', reportPath];
    const io = captureIo();
    const code = await main(args, io);
    expect(io.err()).not.toContain('invalid');
    expect([0, 99]).toContain(code);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    const expressions = smokeArgs.filter((_, i) => smokeArgs[i - 1] === '--threshold');
    expect(report.thresholds.map((t: { expression: string }) => t.expression)).toEqual(expressions);
    for (const t of report.thresholds) expect(typeof t.value).toBe('number');
  });
});
