import { LocalBackend, S3Backend, TerraformStack } from 'cdktf';
import type { AppConfig } from '../config/schema';

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
      encrypt: true,
    });
    // S3-native locking; cdktf 0.21's S3Backend has no prop for it (DynamoDB locking is deprecated).
    stack.addOverride('terraform.backend.s3.use_lockfile', true);
  } else {
    // State at the project root, addressed relative to cdktf.out/stacks/<stack>/: no absolute path.
    new LocalBackend(stack, { path: `../../../terraform.${id}.tfstate` });
  }
}
