import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { TerraformJson } from './terraform-json';

/** Stacks of a synthesized output folder by name, read from `stacks/<name>/cdk.tf.json`. */
export type StackSet = Map<string, TerraformJson>;

/**
 * The synthesized output folder inside `dir`: `dir` itself when it has `stacks/`, else `dir/cdktf.out`.
 * Undefined when neither holds synthesized stacks.
 */
export function findSynthDir(dir: string): string | undefined {
  for (const candidate of [dir, join(dir, 'cdktf.out')]) {
    const stacks = join(candidate, 'stacks');
    if (existsSync(stacks) && statSync(stacks).isDirectory()) return candidate;
  }
  return undefined;
}

/**
 * The app folder a synthesized output folder came from, when it can tell: `cdktf.out` sits in its app's
 * folder. Used to make absolute paths (such as the local backend's state path) relative, so two checkouts
 * of the same code in different folders compare equal.
 */
export function appDirOf(synthDir: string): string | undefined {
  return basename(synthDir) === 'cdktf.out' ? dirname(synthDir) : undefined;
}

/** Reads every stack; `appDir/` prefixes inside string values are removed (see appDirOf). */
export function readStacks(synthDir: string, appDir = appDirOf(synthDir)): StackSet {
  const stacksDir = join(synthDir, 'stacks');
  const stacks: StackSet = new Map();
  if (!existsSync(stacksDir)) return stacks;
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const relative = appDir ? text.split(`${appDir}/`).join('') : text;
    stacks.set(name, JSON.parse(relative) as TerraformJson);
  }
  return stacks;
}
