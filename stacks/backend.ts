import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { AppConfig } from '../config/schema';
import { minimumTerraformFor } from './terraform-version';

/**
 * One state layout for every stack, so the Databricks stack's remote-state data source finds the AWS stack's
 * outputs wherever config puts them.
 */
export function configureBackend(stack: TerraformStack, id: string, config: Pick<AppConfig, 'backend' | 'region'>): void {
  if (config.backend.type === 's3') {
    new S3Backend(stack, {
      bucket: config.backend.bucket as string,
      key: `${config.backend.keyPrefix}/${id}.tfstate`,
      region: config.backend.region ?? config.region,
      // With encrypt alone the backend asks for SSE-S3 (AES256) and overrides the bucket's KMS default: name
      // the state key, which the state-bucket bootstrap creates under this alias.
      encrypt: true,
      kmsKeyId: `alias/${config.backend.kmsKeyAlias}`,
    });
    // S3-native locking; cdktf 0.21's S3Backend has no prop for it (DynamoDB locking is deprecated).
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
    // Fail at init with Terraform's own version message rather than "Unsupported argument".
    const required = minimumTerraformFor(['bucket', 'key', 'region', 'encrypt', 'kms_key_id', 'use_lockfile']);
    stack.addOverride('terraform.required_version', `>= ${required}`);
  } else {
    useLocalState(stack, id);
  }
}

/**
 * State in `terraform.<stack>.tfstate` next to the app's cdktf.json (git-ignored), addressed relative to
 * cdktf.out/stacks/<stack>/: no absolute path in the synthesized JSON.
 */
export function useLocalState(stack: TerraformStack, id: string): void {
  new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
}
