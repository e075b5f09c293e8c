import { Fn, Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { TerraformJson } from '../../review/terraform-json';

/** Knobs for a small stack shaped like ours, synthesized in-process for the review's unit tests. */
export interface TinyStackProps {
  readonly stackName?: string;
  readonly shardCount?: number;
  readonly keyRotation?: boolean;
  /** Actions the producer role's policy document grants on the stream. */
  readonly producerActions?: string[];
  /** Reverse the order of the document's statements (a reorder must not count as a change). */
  readonly reverseStatements?: boolean;
  /** Encrypt the bucket with the second key instead of the first. */
  readonly useSecondKey?: boolean;
  readonly bucketPolicyActions?: string[];
  readonly attachReadOnly?: boolean;
  readonly opaqueRolePolicy?: boolean;
  readonly withExtraBucket?: boolean;
}

export function synthTinyStack(props: TinyStackProps = {}): TerraformJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, props.stackName ?? 'tiny');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const key = new KmsKey(stack, 'key', { enableKeyRotation: props.keyRotation ?? true });
  const second = new KmsKey(stack, 'second_key', { enableKeyRotation: true });
  const stream = new KinesisStream(stack, 'stream', {
    name: 'tiny-stream',
    shardCount: props.shardCount ?? 2,
    encryptionType: 'KMS',
    kmsKeyId: key.arn,
  });
  const bucket = new S3Bucket(stack, 'bucket', { bucketPrefix: 'tiny-' });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'sse', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: (props.useSecondKey ? second : key).arn } }],
  });
  const statements = [
    { sid: 'Write', effect: 'Allow', actions: props.producerActions ?? ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [stream.arn] },
    { sid: 'Key', effect: 'Allow', actions: ['kms:GenerateDataKey'], resources: [key.arn] },
  ];
  const document = new DataAwsIamPolicyDocument(stack, 'producer', {
    statement: props.reverseStatements ? [...statements].reverse() : statements,
  });
  const trust = new DataAwsIamPolicyDocument(stack, 'trust', {
    statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }],
  });
  const role = new IamRole(stack, 'producer_role', {
    assumeRolePolicy: trust.json,
    inlinePolicy: [
      { name: 'produce', policy: props.opaqueRolePolicy ? Fn.jsonencode({ Statement: [] }) : document.json },
    ],
  });
  if (props.attachReadOnly) {
    new IamRolePolicyAttachment(stack, 'read_only', { role: role.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
  }
  new S3BucketPolicy(stack, 'bucket_policy', {
    bucket: bucket.id,
    policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'ProducerRead',
          Effect: 'Allow',
          Principal: { AWS: role.arn },
          Action: props.bucketPolicyActions ?? ['s3:GetObject'],
          Resource: `${bucket.arn}/*`,
          Condition: { Bool: { 'aws:SecureTransport': 'true' } },
        },
      ],
    }),
  });
  if (props.withExtraBucket) new S3Bucket(stack, 'extra_bucket', { bucketPrefix: 'extra-' });
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}
