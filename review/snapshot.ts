import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { OptionError } from './options';
import { findSynthDir, readStacks, StackSet } from './synth-dir';

/** One side of the comparison: its stacks and how to name it in the report. */
export interface Snapshot {
  readonly label: string;
  readonly stacks: StackSet;
  readonly note?: string;
}

/** Synthesis of a side failed; the message is one line with the tail of the app's error output. */
export class SynthError extends Error {}

/** The project checkout this tool belongs to (the folder above review/). */
export const PROJECT_ROOT = resolve(__dirname, '..');

/** Seconds one synthesis may take before it is reported as failed. */
const SYNTH_TIMEOUT_MS = 300_000;

function git(args: string[], cwd: string): { ok: boolean; out: string; err: string } {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8' });
  return { ok: run.status === 0, out: (run.stdout ?? '').trim(), err: (run.stderr ?? '').trim() };
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
const lastLine = (text: string): string => lines(text).pop() ?? '';

/** The line of a crashed Node program's output that says what went wrong: its last `...Error: ...` line. */
export function errorLine(stderr: string): string {
  const all = lines(stderr).filter((l) => !/^at /.test(l) && !/^Node\.js v\d/.test(l));
  const at = all.map((l) => /^\w*Error\b/.test(l)).lastIndexOf(true);
  if (at < 0) return all.pop() ?? '';
  // "Error: Validation failed with the following errors:" says little without its next line.
  return all[at].endsWith(':') && all[at + 1] ? `${all[at]} ${all[at + 1]}` : all[at];
}

/** Runs the project's CDKTF app (`main.ts`) in `appDir`, writing the output to `outdir`. */
export function synthesize(appDir: string, outdir: string, label: string, projectRoot = PROJECT_ROOT): StackSet {
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const run = spawnSync(tsx, ['main.ts'], {
    cwd: appDir,
    env: { ...process.env, CDKTF_OUTDIR: outdir },
    encoding: 'utf8',
    timeout: SYNTH_TIMEOUT_MS,
  });
  if (run.status !== 0) {
    const why = errorLine(run.stderr ?? '') || run.error?.message || `signal ${run.signal}`;
    throw new SynthError(`synthesizing ${label} failed (exit ${run.status ?? 'none'}): ${why}`);
  }
  return readStacks(outdir, appDir);
}

/** Runs `work` with a fresh temporary folder that is removed afterwards, even when `work` throws. */
function withTempDir<T>(work: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'iot-review-'));
  try {
    return work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks out `sha` in a temporary git worktree (sharing this checkout's node_modules) and synthesizes it. */
function synthesizeRef(ref: string, sha: string, projectRoot: string): Snapshot {
  const label = `${ref} (${sha.slice(0, 7)})`;
  return withTempDir((tmp) => {
    const tree = join(tmp, 'src');
    const added = git(['worktree', 'add', '--detach', '--quiet', tree, sha], projectRoot);
    if (!added.ok) throw new SynthError(`git worktree add for ${label} failed: ${lastLine(added.err)}`);
    try {
      if (!existsSync(join(tree, 'main.ts'))) {
        return { label, stacks: new Map(), note: `${label} has no main.ts: every stack counts as new.` };
      }
      // npm ci per ref would take minutes; the dependencies of a nearby ref are this checkout's.
      symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
      return { label, stacks: synthesize(tree, join(tmp, 'cdktf.out'), label, projectRoot) };
    } finally {
      git(['worktree', 'remove', '--force', tree], projectRoot);
      git(['worktree', 'prune'], projectRoot);
    }
  });
}

/**
 * Resolves `--base`/`--head` to stacks: a folder holding synthesized output is read as is; anything else
 * must be a git ref of this repository and is synthesized in a temporary worktree; no value (head only)
 * synthesizes the working tree, uncommitted edits included.
 */
export function loadSnapshot(option: '--base' | '--head', spec: string | undefined, projectRoot = PROJECT_ROOT): Snapshot {
  if (spec === undefined) {
    return withTempDir((tmp) => ({
      label: 'working tree',
      stacks: synthesize(projectRoot, join(tmp, 'cdktf.out'), 'the working tree', projectRoot),
    }));
  }
  if (existsSync(spec) && statSync(spec).isDirectory()) {
    const synthDir = findSynthDir(spec);
    if (!synthDir) throw new OptionError(`${option} folder "${spec}" has no stacks/<name>/cdk.tf.json (nor cdktf.out/stacks); run \`npm run synth\` or pass a git ref`);
    return { label: spec, stacks: readStacks(resolve(synthDir)) };
  }
  const sha = git(['rev-parse', '--verify', '--quiet', `${spec}^{commit}`], projectRoot);
  if (!sha.ok) throw new OptionError(`${option} "${spec}" is neither a folder nor a git ref of ${projectRoot}; pass a cdktf.out folder, a branch, a tag or a commit`);
  return synthesizeRef(spec, sha.out, projectRoot);
}
