import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { configureBackend } from '../stacks/backend';
import type { AwsStub } from './aws-stub';
import { terraform } from './terraform';

/** The config the check writes a backend for: a state bucket, our default key prefix and key alias. */
const CHECK_CONFIG = {
  region: 'eu-west-1',
  backend: { type: 's3' as const, bucket: 'tf-check-state', keyPrefix: 'iot-streaming', kmsKeyAlias: 'iot-tfstate' },
};
const STACK = 'iot-aws-dev';
export interface BackendCheck {
  readonly status: 'passed' | 'failed';
  /** The S3 backend arguments our stacks write, all of which terraform accepted (or not). */
  readonly arguments: string[];
  readonly requiredVersion?: string;
  /** The `.tflock` object was created during the apply and removed after it. */
  readonly lockWrittenAndRemoved: boolean;
  /** The state object's server-side encryption as S3 was asked for it, e.g. `aws:kms alias/iot-tfstate`. */
  readonly stateEncryption?: string;
  readonly reason?: string;
}

/** The terraform block (backend and required_version) that configureBackend writes for an S3 config. */
export function s3TerraformBlock(outdir: string): Record<string, unknown> {
  const app = new App({ outdir });
  configureBackend(new TerraformStack(app, STACK), STACK, CHECK_CONFIG);
  app.synth();
  const stack = JSON.parse(readFileSync(join(outdir, 'stacks', STACK, 'cdk.tf.json'), 'utf8')) as { terraform: Record<string, unknown> };
  return stack.terraform;
}

/**
 * Runs `terraform init` and `terraform apply` of an empty configuration with the S3 backend block our stacks
 * write, against the loopback stub: proves this terraform accepts every argument we emit (use_lockfile
 * included), that S3-native locking writes and removes its lock file, and that state is written under the
 * configured KMS key rather than SSE-S3.
 */
export async function checkS3Backend(dir: string, stub: AwsStub, env: NodeJS.ProcessEnv): Promise<BackendCheck> {
  const block = s3TerraformBlock(join(dir, 'synth'));
  const s3 = (block.backend as { s3: Record<string, unknown> }).s3;
  const requiredVersion = typeof block.required_version === 'string' ? block.required_version : undefined;
  // Added to our backend block so it talks to the stub; everything else is exactly what the stacks write.
  const stubbed = {
    ...s3,
    endpoints: { s3: stub.url, sts: stub.url },
    use_path_style: true,
    skip_region_validation: true,
    skip_metadata_api_check: true,
    skip_s3_checksum: true,
  };
  // One output, so the apply has a state to write.
  const config = { terraform: { ...block, backend: { s3: stubbed } }, output: { checked: { value: 'tf-check' } } };
  writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(config, null, 2));
  const result = { arguments: Object.keys(s3).sort(), requiredVersion };
  for (const args of [
    ['init', '-input=false', '-no-color'],
    ['apply', '-input=false', '-no-color', '-auto-approve'],
  ]) {
    const run = await terraform(args, dir, env);
    if (!run.ok) return { ...result, status: 'failed', lockWrittenAndRemoved: false, reason: `terraform ${args[0]} failed:\n${run.output.trim().split('\n').slice(-30).join('\n')}` };
  }
  const statePath = `${CHECK_CONFIG.backend.bucket}/${s3.key as string}`;
  const lockPath = `/${statePath}.tflock`;
  const lockWrittenAndRemoved =
    stub.requests.some((r) => r.method === 'PUT' && r.path === lockPath) &&
    stub.requests.some((r) => r.method === 'DELETE' && r.path === lockPath) &&
    !stub.objectPaths.includes(`${statePath}.tflock`);
  const headers = stub.objectHeaders(statePath);
  const stateEncryption = headers
    ? [headers['x-amz-server-side-encryption'], headers['x-amz-server-side-encryption-aws-kms-key-id']].filter(Boolean).join(' ')
    : undefined;
  const encrypted = stateEncryption === `aws:kms alias/${CHECK_CONFIG.backend.kmsKeyAlias}`;
  return {
    ...result,
    status: lockWrittenAndRemoved && encrypted ? 'passed' : 'failed',
    lockWrittenAndRemoved,
    stateEncryption,
    ...(lockWrittenAndRemoved && encrypted
      ? {}
      : { reason: `expected a lock file written and removed and state under aws:kms alias/${CHECK_CONFIG.backend.kmsKeyAlias}; got lock ${lockWrittenAndRemoved}, state ${stateEncryption ?? 'not written'}` }),
  };
}
