import type { TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AppConfig } from '../config/schema';

/** Tag every AWS resource carries (provider default tags). */
export const PROJECT_TAG = 'iot-streaming';

/**
 * The AWS provider every stack of this project declares: the configured region (or `region`, for the state
 * bucket's), and default tags naming project, stage and tool on every resource.
 */
export function addAwsProvider(stack: TerraformStack, config: Pick<AppConfig, 'region' | 'stage' | 'tags'>, region: string = config.region): AwsProvider {
  return new AwsProvider(stack, 'aws', {
    region,
    defaultTags: [{ tags: { ...config.tags, project: PROJECT_TAG, stage: config.stage, 'managed-by': 'cdktf' } }],
  });
}
