import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { StackPlan } from '../review/ci/plan-stacks';
import { summarizePlan } from '../review/ci/plan-summary';
import { checkStacks, type TfCheckReport } from './check-stacks';

/**
 * `npm run tf-check`: real `terraform validate` and `terraform plan`, offline, for every stack of STAGE whose
 * providers the local provider mirror has, and a check of the S3 backend block against a loopback stub.
 * Skipped stacks and why are printed; exit 1 when a check failed, 0 otherwise (also when nothing could be
 * checked: it says so), 2 on bad usage.
 *
 *   npm run tf-check                         # synthesizes STAGE (default dev) into a temporary folder
 *   npm run tf-check -- --synth-dir cdktf.out --plans plans   # an existing synth; plans.json for compose-comment
 */

const ROOT = resolve(__dirname, '..');
const USAGE = 'usage: tf-check [--synth-dir <dir>] [--plans <dir>] [--keep]';

export function formatReport(report: TfCheckReport): string[] {
  const lines: string[] = [];
  if (report.unavailable) {
    lines.push(`tf-check: nothing checked: ${report.unavailable}. CI pins terraform ${report.pinned}.`);
  } else {
    const versionNote = report.terraform === report.pinned ? `the CI pin` : `CI pins ${report.pinned}`;
    lines.push(`tf-check: terraform ${report.terraform} (${versionNote}); provider mirror ${report.mirror!.dir}: ${report.mirror!.providers.join(', ')}`);
    lines.push(`tf-check: AWS answered by a stub on ${report.stubUrl} with fake credentials; state is an empty local file in a temporary folder`);
  }
  for (const s of report.stacks) {
    if (s.status === 'planned') {
      const notes = [
        ...(s.relaxed ?? []).map((r) => `provider ${r}`),
        ...(s.renamed ?? []).map((r) => `renamed ${r}`),
        `endpoints ${(s.endpoints ?? []).join(', ')} on the stub`,
        ...(s.standIns ?? []).map((r) => `remote state of ${r}`),
        ...(s.variables ?? []).map((v) => `variable ${v}`),
      ];
      lines.push(`${s.stack}: validated and planned: ${s.headline ?? '(no summary line)'} (${notes.join('; ')})`);
    } else {
      lines.push(`${s.stack}: ${s.status}: ${s.reason ?? ''}`);
    }
  }
  const b = report.backend;
  if (b) {
    lines.push(
      b.status === 'passed'
        ? `s3 backend: init and apply accepted every argument we write (${b.arguments.join(', ')}; required_version ${b.requiredVersion}); lock file written and removed; state written with ${b.stateEncryption}`
        : `s3 backend: failed: ${b.reason}`,
    );
  }
  if (!report.unavailable) {
    const unexpected = report.stubRequests.filter((r) => r.operation === 'unknown');
    const ops = [...new Set(report.stubRequests.map((r) => r.operation))].sort();
    lines.push(`stub: ${report.stubRequests.length} requests (${ops.join(', ')})${unexpected.length ? `, ${unexpected.length} unexpected: ${unexpected.map((r) => `${r.method} ${r.path}`).join(', ')}` : ', none unexpected'}`);
  }
  if (report.workDir) lines.push(`kept: ${report.workDir}`);
  return lines;
}

/** The report as review/ci's plans.json, so compose-comment renders the real plans. */
export function asStackPlans(report: TfCheckReport): StackPlan[] {
  return report.stacks.map((s) =>
    s.status === 'planned'
      ? {
          stack: s.stack,
          status: 'planned',
          summary: summarizePlan(s.plan),
          warning: `planned offline by tf-check against empty state, fake credentials and a loopback AWS stub${s.standIns?.length ? `, with placeholder outputs for ${s.standIns.map((r) => r.split(':')[0]).join(', ')}` : ''}`,
          text: (s.planText ?? '').trim().split('\n').slice(-300).join('\n'),
        }
      : { stack: s.stack, status: s.status, reason: s.reason },
  );
}

function synthesize(): string {
  const outdir = mkdtempSync(join(tmpdir(), 'tf-check-synth-'));
  const run = spawnSync('npx', ['tsx', 'main.ts'], { cwd: ROOT, env: { ...process.env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`synth failed: ${(run.stderr || run.stdout).trim().split('\n')[0]}`);
  return outdir;
}

async function main(argv: string[]): Promise<number> {
  const value = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const unknown = argv.filter((a, i) => a.startsWith('--') && !['--synth-dir', '--plans', '--keep'].includes(a) && !['--synth-dir', '--plans'].includes(argv[i - 1]));
  if (unknown.length || (argv.includes('--synth-dir') && !value('--synth-dir')) || (argv.includes('--plans') && !value('--plans'))) {
    process.stderr.write(`tf-check: invalid option ${JSON.stringify(unknown[0] ?? argv.find((a) => a === '--synth-dir' || a === '--plans'))}; ${USAGE}\n`);
    return 2;
  }
  const given = value('--synth-dir');
  const synthDir = given ? resolve(given) : synthesize();
  try {
    const report = await checkStacks(synthDir, { keepWorkDir: argv.includes('--keep') });
    for (const line of formatReport(report)) process.stdout.write(`${line}\n`);
    const plansDir = value('--plans');
    if (plansDir) {
      mkdirSync(plansDir, { recursive: true });
      writeFileSync(join(plansDir, 'plans.json'), `${JSON.stringify(asStackPlans(report), null, 2)}\n`);
    }
    const failed = report.stacks.some((s) => s.status === 'failed') || report.backend?.status === 'failed';
    return failed ? 1 : 0;
  } finally {
    if (!given) rmSync(synthDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      process.stderr.write(`tf-check: ${error.message}\n`);
      process.exitCode = 2;
    },
  );
}
