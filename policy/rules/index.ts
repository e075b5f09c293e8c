import type { PolicyRule } from '../types';
import { iamRules } from './aws-iam';
import { kmsKinesisRules } from './aws-kms-kinesis';
import { s3Rules } from './aws-s3';
import { databricksRules } from './databricks';

/** Every rule the policy module runs, AWS first. */
export const ALL_RULES: PolicyRule[] = [...kmsKinesisRules, ...s3Rules, ...iamRules, ...databricksRules];
