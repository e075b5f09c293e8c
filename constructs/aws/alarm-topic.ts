import { Construct } from 'constructs';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import type { AccountContext } from './arns';
import type { CustomerManagedKey } from './kms-key';
import { PolicyDocument } from './policy-document';

/** What CloudWatch needs on the key to publish to a topic encrypted with it. */
export const CLOUDWATCH_SNS_KMS_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey'];

export interface AlarmTopicProps {
  readonly account: AccountContext;
  /** Topic name, e.g. `iot-dev-alarms`. */
  readonly topicName: string;
  /** Encrypts messages at rest; CloudWatch is allowed to use it in the key policy. */
  readonly encryptionKey: CustomerManagedKey;
  /**
   * E-mail address subscribed to the topic (AWS sends a confirmation mail first).
   * @default no subscription
   */
  readonly email?: string;
}

/** An SNS topic for alarm notifications, encrypted with the CMK, that only this account's CloudWatch may publish to. */
export class AlarmTopic extends Construct {
  readonly topicArn: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_-]{1,256}$/.test(props.topicName)) {
      throw new Error(`topicName must be 1-256 of letters, digits, _ and -. Received ${JSON.stringify(props.topicName)}`);
    }
    if (props.email !== undefined && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) {
      throw new Error(`email must be an e-mail address. Received ${JSON.stringify(props.email)}`);
    }
    const topic = new SnsTopic(this, 'topic', { name: props.topicName, kmsMasterKeyId: props.encryptionKey.keyArn });
    this.topicArn = topic.arn;
    props.encryptionKey.allowServiceUse('CloudWatchAlarmsPublishEncrypted', 'cloudwatch.amazonaws.com', CLOUDWATCH_SNS_KMS_ACTIONS);
    const policy = new PolicyDocument(this, 'publish', [
      {
        sid: 'CloudWatchAlarmsPublish',
        actions: ['sns:Publish'],
        resources: [topic.arn],
        principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }],
        condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [props.account.accountId] }],
      },
    ]);
    new SnsTopicPolicy(this, 'policy', { arn: topic.arn, policy: policy.json });
    if (props.email) {
      new SnsTopicSubscription(this, 'email', { topicArn: topic.arn, protocol: 'email', endpoint: props.email });
    }
  }
}
