import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isRecord } from '../terraform-json';

export interface ManifestStack {
  readonly name: string;
  /** Folder of the stack's cdk.tf.json, relative to the synthesized output folder. */
  readonly workingDirectory: string;
  readonly dependencies: string[];
}

/** Stacks of a cdktf manifest, each after the stacks it depends on (the order to plan and deploy them). */
export function orderStacks(stacks: ManifestStack[]): ManifestStack[] {
  const byName = new Map(stacks.map((s) => [s.name, s]));
  const done = new Set<string>();
  const ordered: ManifestStack[] = [];
  const visit = (stack: ManifestStack, path: string[]): void => {
    if (done.has(stack.name)) return;
    if (path.includes(stack.name)) throw new Error(`stack dependency cycle: ${[...path, stack.name].join(' -> ')}`);
    for (const dep of [...stack.dependencies].sort()) {
      const target = byName.get(dep);
      if (target) visit(target, [...path, stack.name]);
    }
    done.add(stack.name);
    ordered.push(stack);
  };
  [...stacks].sort((a, b) => a.name.localeCompare(b.name)).forEach((s) => visit(s, []));
  return ordered;
}

/** Reads `manifest.json` of a synthesized output folder. */
export function readManifest(synthDir: string): ManifestStack[] {
  const file = join(synthDir, 'manifest.json');
  if (!existsSync(file)) throw new Error(`no manifest.json in ${synthDir}: synthesize first`);
  const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const stacks = isRecord(manifest) && isRecord(manifest.stacks) ? Object.values(manifest.stacks) : [];
  return stacks.filter(isRecord).map((s) => ({
    name: String(s.name),
    workingDirectory: String(s.workingDirectory ?? `stacks/${String(s.name)}`),
    dependencies: Array.isArray(s.dependencies) ? s.dependencies.map(String) : [],
  }));
}
