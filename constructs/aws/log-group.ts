import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AWS_REGION } from '../../contract/aws-names';
import { LOG_RETENTION_DAYS } from '../../contract/aws-values';
import type { AccountContext } from './arns';
import type { CustomerManagedKey } from './kms-key';
import type { IGrantable } from './policy-document';

/** What a container's log driver calls, on this log group's streams. */
export const LOG_WRITE_OPERATIONS = ['logs:CreateLogStream', 'logs:PutLogEvents'];
/**
 * What CloudWatch Logs needs on a key to encrypt a log group with it (AWS's documented key-policy statement,
 * its `Encrypt*`, `Decrypt*`, `ReEncrypt*`, `GenerateDataKey*`, `Describe*` written out for a symmetric key).
 */
export const CLOUDWATCH_LOGS_KMS_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
];

export interface EncryptedLogGroupProps {
  readonly account: AccountContext;
  /** Log group name, 1-512 of letters, digits and `_-/.#`. */
  readonly logGroupName: string;
  /** Region of the log group: CloudWatch Logs' service principal is regional (`logs.<region>.amazonaws.com`). */
  readonly region: string;
  /** Encrypts the log events; the key policy lets CloudWatch Logs use it for this log group only. */
  readonly encryptionKey: CustomerManagedKey;
  /**
   * Days events are kept, one of the values CloudWatch Logs accepts.
   * @default 30 (never "never expire": logs of load tests are not worth keeping forever)
   */
  readonly retentionDays?: number;
}

/**
 * A CloudWatch Logs group encrypted with a customer-managed key, with a retention. The key policy statement
 * is conditioned on the encryption context naming this log group, so the key encrypts no other group.
 */
export class EncryptedLogGroup extends Construct {
  readonly logGroupName: string;
  readonly logGroupArn: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: EncryptedLogGroupProps) {
    super(scope, id);
    const retentionDays = props.retentionDays ?? 30;
    if (!/^[\w\-/.#]{1,512}$/.test(props.logGroupName)) {
      throw new Error(`logGroupName must be 1-512 of letters, digits and _-/.#. Received ${JSON.stringify(props.logGroupName)}`);
    }
    if (!AWS_REGION.test(props.region)) {
      throw new Error(`region must be an AWS region such as eu-west-1. Received ${JSON.stringify(props.region)}`);
    }
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retentionDays)) {
      throw new Error(`retentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}. Received ${retentionDays}`);
    }
    // Built from the name, not the resource: the key policy must allow the group before the group can exist.
    const arn = `arn:${props.account.partition}:logs:${props.region}:${props.account.accountId}:log-group:${props.logGroupName}`;
    props.encryptionKey.allowServiceUse('CloudWatchLogsEncryptLogGroup', `logs.${props.region}.amazonaws.com`, CLOUDWATCH_LOGS_KMS_ACTIONS, [
      { test: 'ArnEquals', variable: 'kms:EncryptionContext:aws:logs:arn', values: [arn] },
    ]);
    const group = new CloudwatchLogGroup(this, 'log-group', {
      name: props.logGroupName,
      retentionInDays: retentionDays,
      kmsKeyId: props.encryptionKey.keyArn,
    });
    this.logGroupName = group.name;
    this.logGroupArn = group.arn;
    this.region = props.region;
  }

  /** Create log streams in this group and put events into them (what the awslogs driver does). */
  grantWrite(grantee: IGrantable): void {
    // The provider's arn has no `:*`; IAM names the group's streams `<group arn>:*` (CloudWatch Logs guide).
    grantee.addToPolicy({ sid: 'LogGroupWrite', actions: LOG_WRITE_OPERATIONS, resources: [`${this.logGroupArn}:*`] });
  }
}
