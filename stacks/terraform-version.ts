import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The one Terraform version CI installs (`.terraform-version`, read by both workflows; tfenv and asdf read it
 * too), and the Terraform features our synthesized stacks rely on.
 */
export const TERRAFORM_VERSION_FILE = join(__dirname, '..', '.terraform-version');

export function pinnedTerraformVersion(file: string = TERRAFORM_VERSION_FILE): string {
  const version = readFileSync(file, 'utf8').trim();
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`${file} must hold one version such as 1.11.4, got ${JSON.stringify(version)}`);
  return version;
}

/**
 * The first Terraform release that accepts each S3 backend argument we write (in a stack's backend block or
 * in the terraform_remote_state data source that reads it). `use_lockfile` (S3-native locking) arrived as
 * experimental in 1.10.0 and became generally available in 1.11.0 (hashicorp/terraform#36338); the others
 * predate the 1.x series. A new argument must be added here, with its version, before a stack may emit it.
 */
export const S3_BACKEND_ARGUMENTS_SINCE: Readonly<Record<string, string>> = {
  bucket: '1.0.0',
  key: '1.0.0',
  region: '1.0.0',
  encrypt: '1.0.0',
  kms_key_id: '1.0.0',
  use_lockfile: '1.11.0',
};

export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** The lowest Terraform version that accepts all of `args` (S3 backend arguments). */
export function minimumTerraformFor(args: readonly string[]): string {
  return args.reduce((min, arg) => {
    const since = S3_BACKEND_ARGUMENTS_SINCE[arg];
    if (!since) throw new Error(`S3 backend argument ${arg} has no known minimum Terraform version: add it to S3_BACKEND_ARGUMENTS_SINCE`);
    return compareVersions(since, min) > 0 ? since : min;
  }, '1.0.0');
}
