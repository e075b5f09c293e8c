import type { PolicyRule } from '../types';
import { alarmRules } from './aws-alarms';
import { fleetRules } from './aws-fleet';
import { iamRules } from './aws-iam';
import { kmsKinesisRules } from './aws-kms-kinesis';
import { s3Rules } from './aws-s3';
import { unityCatalogRules } from './aws-unity-catalog';
import { databricksRules } from './databricks';

/** Every rule the policy module runs, AWS first. */
export const ALL_RULES: PolicyRule[] = [...kmsKinesisRules, ...s3Rules, ...iamRules, ...alarmRules, ...unityCatalogRules, ...fleetRules, ...databricksRules];
