/**
 * Arguments AWS provider 6.0 renamed that our stacks write. The synthesized JSON follows the bindings (6.x);
 * when the mirror offers only 5.x, the offline copy writes them back under their 5.x names so validate and
 * plan check everything else, and the report names each rename.
 */
export const AWS_6_RENAMES: ReadonlyArray<{ readonly type: string; readonly from: string; readonly to: string }> = [
  { type: 'aws_batch_compute_environment', from: 'name', to: 'compute_environment_name' },
];

const major = (version: string | undefined): number => Number(/^\D*(\d+)/.exec(version ?? '')?.[1] ?? NaN);

/** Renames 6.x arguments of `stack` (mutated) to 5.x when the plan runs on a 5.x provider; returns what it renamed. */
export function toAws5Arguments(stack: Record<string, any>, synthesizedVersion: string | undefined, mirrorVersion: string | undefined): string[] { // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!(major(synthesizedVersion) >= 6 && major(mirrorVersion) < 6)) return [];
  const renamed: string[] = [];
  for (const { type, from, to } of AWS_6_RENAMES) {
    for (const body of Object.values((stack.resource?.[type] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (!(from in body)) continue;
      body[to] = body[from];
      delete body[from];
      renamed.push(`${type}.${from} -> ${to}`);
    }
  }
  return [...new Set(renamed)];
}
