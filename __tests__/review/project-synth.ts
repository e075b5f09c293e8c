import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Helpers for the tests that run on real synth outputs of this project. */

export const ROOT = join(__dirname, '..', '..');
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

/** Synthesizes this project's app (main.ts) into `outdir`, as the review does for a git ref. */
export function synthProject(outdir: string, cwd = ROOT, env: NodeJS.ProcessEnv = {}): void {
  mkdirSync(dirname(outdir), { recursive: true }); // cdktf creates only the last folder
  const run = spawnSync(TSX, ['main.ts'], { cwd, env: { ...process.env, ...env, CDKTF_OUTDIR: outdir }, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`synth failed: ${run.stderr}`);
}

export type StackJson = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const stackNames = (synthDir: string): string[] => readdirSync(join(synthDir, 'stacks')).sort();
export const readStack = (synthDir: string, name: string): StackJson =>
  JSON.parse(readFileSync(join(synthDir, 'stacks', name, 'cdk.tf.json'), 'utf8'));

/** Copies a synth output folder to `to` and edits one stack's JSON there: a variant for one test. */
export function variant(from: string, to: string, stack: string, edit: (json: StackJson) => void): string {
  cpSync(from, to, { recursive: true });
  const json = readStack(to, stack);
  edit(json);
  writeFileSync(join(to, 'stacks', stack, 'cdk.tf.json'), JSON.stringify(json, null, 2));
  return to;
}

/** The one resource of `type` in a stack (its name carries a cdktf hash suffix): [name, body]. */
export function only(json: StackJson, section: 'resource' | 'data', type: string): [string, StackJson] {
  const entries = Object.entries(json[section]?.[type] ?? {}) as [string, StackJson][];
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return entries[0];
}

export function runReview(args: string[], cwd = ROOT): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(TSX, [join(cwd, 'review', 'cli.ts'), ...args], { cwd, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}
