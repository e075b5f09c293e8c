import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
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

export function readStacks(synthDir: string): StackSet {
  const stacksDir = join(synthDir, 'stacks');
  const stacks: StackSet = new Map();
  if (!existsSync(stacksDir)) return stacks;
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (existsSync(file)) stacks.set(name, JSON.parse(readFileSync(file, 'utf8')) as TerraformJson);
  }
  return stacks;
}
