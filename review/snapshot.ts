import { ChildProcess, spawn, spawnSync } from 'node:child_process';
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

/** How long one synthesis may take before it is reported as failed. */
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

/** Synthesis children still running, so an interrupt can stop them (see stopSynthesis). */
const running = new Set<ChildProcess>();

/** Stops any running synthesis; its caller then fails and removes its temporary worktree as usual. */
export function stopSynthesis(): void {
  for (const child of running) child.kill('SIGTERM');
}

/**
 * Runs the project's CDKTF app (`main.ts`) in `appDir`, writing the output to `outdir`. Asynchronous on
 * purpose: a process blocked in spawnSync cannot handle Ctrl-C, and tsx then kills it before its
 * `finally` blocks remove the temporary worktree.
 */
export async function synthesize(appDir: string, outdir: string, label: string, projectRoot = PROJECT_ROOT): Promise<StackSet> {
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const child = spawn(tsx, ['main.ts'], { cwd: appDir, env: { ...process.env, CDKTF_OUTDIR: outdir }, stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  const timer = setTimeout(() => child.kill('SIGTERM'), SYNTH_TIMEOUT_MS);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-20_000); // the tail says what went wrong
  });
  const [status, signal, spawnError] = await new Promise<[number | null, NodeJS.Signals | null, Error | undefined]>((done) => {
    child.on('error', (error) => done([null, null, error]));
    child.on('close', (code, sig) => done([code, sig, undefined]));
  });
  clearTimeout(timer);
  running.delete(child);
  if (status !== 0) {
    const why = errorLine(stderr) || spawnError?.message || `stopped by ${signal}`;
    throw new SynthError(`synthesizing ${label} failed (exit ${status ?? 'none'}): ${why}`);
  }
  return readStacks(outdir, appDir);
}

/** Runs `work` with a fresh temporary folder that is removed afterwards, even when `work` throws. */
async function withTempDir<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'iot-review-'));
  try {
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks out `sha` in a temporary git worktree (sharing this checkout's node_modules) and synthesizes it. */
function synthesizeRef(ref: string, sha: string, projectRoot: string): Promise<Snapshot> {
  const label = `${ref} (${sha.slice(0, 7)})`;
  return withTempDir(async (tmp) => {
    const tree = join(tmp, 'src');
    const added = git(['worktree', 'add', '--detach', '--quiet', tree, sha], projectRoot);
    if (!added.ok) throw new SynthError(`git worktree add for ${label} failed: ${lastLine(added.err)}`);
    try {
      if (!existsSync(join(tree, 'main.ts'))) {
        return { label, stacks: new Map(), note: `${label} has no main.ts: every stack counts as new.` };
      }
      // npm ci per ref would take minutes; the dependencies of a nearby ref are this checkout's.
      symlinkSync(join(projectRoot, 'node_modules'), join(tree, 'node_modules'), 'dir');
      return { label, stacks: await synthesize(tree, join(tmp, 'cdktf.out'), label, projectRoot) };
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
export async function loadSnapshot(option: '--base' | '--head', spec: string | undefined, projectRoot = PROJECT_ROOT): Promise<Snapshot> {
  if (spec === undefined) {
    return withTempDir(async (tmp) => ({
      label: 'working tree',
      stacks: await synthesize(projectRoot, join(tmp, 'cdktf.out'), 'the working tree', projectRoot),
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
