import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readManifest } from './stack-order';
import { usesLocalState } from './state-backend';

/**
 * CI deploy guard: stops before any apply when a synthesized stack keeps its state in a local file, which
 * the runner throws away after the job, so the next deploy would fail on "already exists" for everything.
 * Exit 1 with one line saying why and what to set; exit 0 when every stack has remote state.
 *
 *   npx tsx review/ci/require-remote-state.ts --synth-dir cdktf.out
 */
export function localStateStacks(synthDir: string): string[] {
  return readManifest(synthDir)
    .filter((stack) => usesLocalState(JSON.parse(readFileSync(join(synthDir, stack.workingDirectory, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>))
    .map((stack) => stack.name);
}

export function remoteStateRefusal(stacks: string[], stage: string): string {
  return (
    `deploy: refusing to deploy ${stacks.join(', ')} with local state (backend.type "local" in config/${stage}.json): ` +
    'this runner discards it after the job, so the next deploy would recreate every resource; ' +
    'set backend.type "s3" and backend.bucket, after bootstrapping the state bucket (README: Remote state)'
  );
}

if (require.main === module) {
  const index = process.argv.indexOf('--synth-dir');
  const synthDir = resolve(index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : 'cdktf.out');
  try {
    const local = localStateStacks(synthDir);
    if (local.length) {
      process.stderr.write(`${remoteStateRefusal(local, process.env.STAGE || 'dev')}\n`);
      process.exitCode = 1;
    }
  } catch (error) {
    process.stderr.write(`require-remote-state: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
