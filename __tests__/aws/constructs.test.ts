import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamInstanceProfile } from '@cdktf/provider-aws/lib/iam-instance-profile';
import { IamPolicy } from '@cdktf/provider-aws/lib/iam-policy';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { AccountContext } from '../../constructs/aws/arns';
import { DatabricksClusterAccess } from '../../constructs/aws/cluster-access';
import { grantStreamRead, IngestStream } from '../../constructs/aws/kinesis-stream';
import { CustomerManagedKey } from '../../constructs/aws/kms-key';
import { ManagedPolicy } from '../../constructs/aws/managed-policy';
import { grantBucketReadWrite, SecureBucket } from '../../constructs/aws/secure-bucket';
import { ServiceRole } from '../../constructs/aws/service-role';
import { StreamAlarms } from '../../constructs/aws/stream-alarms';
import { UnityCatalogRole } from '../../constructs/aws/unity-catalog-role';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function withKey(scope: Construct) {
  const account = new AccountContext(scope, 'account');
  const key = new CustomerManagedKey(scope, 'key', { account, aliasName: 'test' });
  return { account, key };
}

/** Statements of the one policy document under a construct path fragment. */
function statementsOf(synthesized: string, pathFragment: string): Json[] {
  const docs = JSON.parse(synthesized).data.aws_iam_policy_document as Record<string, Json>;
  const match = Object.entries(docs).filter(([name]) => name.startsWith(pathFragment));
  if (match.length !== 1) throw new Error(`expected one document ${pathFragment}*, found ${match.map(([n]) => n).join(', ') || 'none'}`);
  return match[0][1].statement;
}

describe('CustomerManagedKey', () => {
  const synthesized = Testing.synthScope((scope) => withKey(scope));

  it('rotates, waits 30 days before deletion and has an alias', () => {
    expect(synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(synthesized).toHaveResourceWithProperties(KmsAlias, { name: 'alias/test' });
  });

  it('lets the account root administer the key through its key policy', () => {
    expect(statementsOf(synthesized, 'key_key-policy')).toEqual([
      expect.objectContaining({
        actions: ['kms:*'],
        resources: ['*'],
        principals: [{ type: 'AWS', identifiers: [expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:root$/)] }],
      }),
    ]);
  });

  it('rejects a deletion window outside 7..30 days with the value received', () => {
    expect(() =>
      Testing.synthScope((scope) => new CustomerManagedKey(scope, 'k', { account: new AccountContext(scope, 'a'), aliasName: 'x', deletionWindowDays: 3 })),
    ).toThrow('deletionWindowDays must be an integer between 7 and 30. Received 3');
  });
});

describe('IngestStream', () => {
  it('is a provisioned, KMS-encrypted stream with retention and shard-level metrics', () => {
    const synthesized = Testing.synthScope((scope) => {
      const { key } = withKey(scope);
      new IngestStream(scope, 's', { name: 'events', encryptionKey: key, shardCount: 3, retentionHours: 48, shardLevelMetrics: ['IncomingBytes'] });
    });
    expect(synthesized).toHaveResourceWithProperties(KinesisStream, {
      name: 'events',
      shard_count: 3,
      retention_period: 48,
      encryption_type: 'KMS',
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/),
      stream_mode_details: { stream_mode: 'PROVISIONED' },
      shard_level_metrics: ['IncomingBytes'],
      // Consumers registered at run time (enhanced fan-out) must not block a destroy.
      enforce_consumer_deletion: true,
    });
  });

  it('sets no shard count in ON_DEMAND mode', () => {
    const synthesized = Testing.synthScope((scope) => new IngestStream(scope, 's', { name: 'events', encryptionKey: withKey(scope).key, mode: 'ON_DEMAND' }));
    const stream = Object.values(JSON.parse(synthesized).resource.aws_kinesis_stream)[0] as Json;
    expect(stream.stream_mode_details).toEqual({ stream_mode: 'ON_DEMAND' });
    expect(stream).not.toHaveProperty('shard_count');
  });

  it('grantRead and grantWrite scope stream actions to its ARN and add the matching KMS action', () => {
    const synthesized = Testing.synthScope((scope) => {
      const { key } = withKey(scope);
      const stream = new IngestStream(scope, 's', { name: 'events', encryptionKey: key });
      stream.grantRead(new ManagedPolicy(scope, 'reader', { policyName: 'reader', description: 'r' }));
      stream.grantWrite(new ManagedPolicy(scope, 'writer', { policyName: 'writer', description: 'w' }));
    });
    const streamArn = expect.stringMatching(/^\$\{aws_kinesis_stream\.s_stream_.+\.arn\}$/);
    const keyArn = expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/);
    expect(statementsOf(synthesized, 'reader_document')).toEqual([
      { sid: 'StreamRead', effect: 'Allow', actions: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'], resources: [streamArn] },
      { sid: 'KeyDecrypt', effect: 'Allow', actions: ['kms:Decrypt'], resources: [keyArn] },
    ]);
    expect(statementsOf(synthesized, 'writer_document')).toEqual([
      {
        sid: 'StreamWrite',
        effect: 'Allow',
        actions: ['kinesis:PutRecord', 'kinesis:PutRecords', 'kinesis:DescribeStreamSummary', 'kinesis:ListShards'],
        resources: [streamArn],
      },
      { sid: 'KeyGenerateDataKey', effect: 'Allow', actions: ['kms:GenerateDataKey'], resources: [keyArn] },
    ]);
  });

  it('grantStreamRead on ARNs alone grants what grantRead grants, enhanced fan-out included', () => {
    const statements = (grant: (scope: Construct, policy: ManagedPolicy) => void) =>
      statementsOf(
        Testing.synthScope((scope) => grant(scope, new ManagedPolicy(scope, 'reader', { policyName: 'reader', description: 'r' }))),
        'reader_document',
      );
    const fromArns = statements((_, policy) =>
      grantStreamRead(policy, { streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' }, { enhancedFanOut: true }),
    );
    const fromConstruct = statements((scope, policy) => new IngestStream(scope, 's', { name: 'events', encryptionKey: withKey(scope).key }).grantRead(policy, { enhancedFanOut: true }));
    expect(fromArns.map((s) => [s.sid, s.actions])).toEqual(fromConstruct.map((s) => [s.sid, s.actions]));
    expect(fromArns.map((s) => s.resources)).toEqual([
      ['arn:aws:kinesis:eu-west-1:123456789012:stream/events'],
      ['arn:aws:kinesis:eu-west-1:123456789012:stream/events'],
      ['arn:aws:kinesis:eu-west-1:123456789012:stream/events/consumer/*'],
      ['arn:aws:kms:eu-west-1:123456789012:key/k'],
    ]);
  });

  it.each([
    [{ retentionHours: 10 }, 'retentionHours must be an integer between 24 and 8760. Received 10'],
    [{ shardCount: 0 }, 'shardCount must be an integer >= 1. Received 0'],
    [{ mode: 'ON_DEMAND' as const, shardCount: 2 }, 'shardCount must be left out for an ON_DEMAND stream. Received 2'],
    [{ name: 'bad name' }, 'name must be 1-128 letters, digits, _ - or . Received "bad name"'],
  ])('rejects %j', (props, message) => {
    expect(() => Testing.synthScope((scope) => new IngestStream(scope, 's', { name: 'ok', encryptionKey: withKey(scope).key, ...props }))).toThrow(message);
  });
});

describe('StreamAlarms', () => {
  const synthesized = Testing.synthScope((scope) => {
    const stream = new IngestStream(scope, 's', { name: 'events', encryptionKey: withKey(scope).key });
    new StreamAlarms(scope, 'alarms', { stream, namePrefix: 'iot-t', writeThrottleThreshold: 5, iteratorAgeMs: 30000, actions: ['arn:aws:sns:eu-west-1:123456789012:ops'] });
  });

  it('alarms on write throttling and on consumer iterator age with the given thresholds', () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'iot-t-kinesis-write-throttled',
      namespace: 'AWS/Kinesis',
      metric_name: 'WriteProvisionedThroughputExceeded',
      statistic: 'Sum',
      threshold: 5,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      alarm_actions: ['arn:aws:sns:eu-west-1:123456789012:ops'],
    });
    expect(synthesized).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      alarm_name: 'iot-t-kinesis-consumer-lagging',
      metric_name: 'GetRecords.IteratorAgeMilliseconds',
      statistic: 'Maximum',
      threshold: 30000,
      dimensions: { StreamName: expect.stringMatching(/^\$\{aws_kinesis_stream\..+\.name\}$/) },
    });
  });

  it('treats missing consumer-lag data as missing, not as lag: no consumer deployed or running is not an alarm', () => {
    const alarms = Object.values(JSON.parse(synthesized).resource.aws_cloudwatch_metric_alarm) as Json[];
    expect(Object.fromEntries(alarms.map((a) => [a.alarm_name, a.treat_missing_data]))).toEqual({
      'iot-t-kinesis-write-throttled': 'notBreaching',
      'iot-t-kinesis-consumer-lagging': 'missing',
    });
  });

  it('measures enhanced fan-out lag per consumer with a Metrics Insights query over the stream', () => {
    const efo = Testing.synthScope((scope) => {
      const stream = new IngestStream(scope, 's', { name: 'events', encryptionKey: withKey(scope).key });
      new StreamAlarms(scope, 'alarms', { stream, namePrefix: 'iot-t', consumerMode: 'efo', periodSeconds: 300 });
    });
    const lag = (Object.values(JSON.parse(efo).resource.aws_cloudwatch_metric_alarm) as Json[]).find((a) => a.alarm_name === 'iot-t-kinesis-consumer-lagging')!;
    expect(lag.metric_name).toBeUndefined();
    expect(lag.dimensions).toBeUndefined();
    expect(lag.treat_missing_data).toBe('missing');
    expect(lag.metric_query).toEqual([
      {
        id: 'lag',
        expression: expect.stringMatching(
          /^SELECT MAX\("SubscribeToShardEvent\.MillisBehindLatest"\) FROM SCHEMA\("AWS\/Kinesis", ConsumerName, StreamName\) WHERE StreamName = '\$\{aws_kinesis_stream\..+\.name\}'$/,
        ),
        period: 300,
        return_data: true,
      },
    ]);
  });

  it('rejects a period that is not whole minutes', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const stream = new IngestStream(scope, 's', { name: 'events', encryptionKey: withKey(scope).key });
        new StreamAlarms(scope, 'a', { stream, namePrefix: 'x', periodSeconds: 30 });
      }),
    ).toThrow('periodSeconds must be a multiple of 60 (Kinesis stream metrics are per minute). Received 30');
  });
});

describe('SecureBucket', () => {
  const synthesized = Testing.synthScope((scope) => {
    const bucket = new SecureBucket(scope, 'lake', { bucketName: 'my-lake', encryptionKey: withKey(scope).key, noncurrentVersionDays: 14 });
    bucket.grantReadWrite(new ManagedPolicy(scope, 'rw', { policyName: 'rw', description: 'rw' }), 'delta/');
  });

  it('is SSE-KMS with bucket keys, versioned, private, ACL-less and not force-destroyed', () => {
    expect(synthesized).toHaveResourceWithProperties(S3Bucket, { bucket: 'my-lake', force_destroy: false });
    expect(synthesized).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: expect.stringContaining('aws_kms_key.') }, bucket_key_enabled: true }],
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketVersioningA, { versioning_configuration: { status: 'Enabled' } });
    expect(synthesized).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(synthesized).toHaveResourceWithProperties(S3BucketOwnershipControls, { rule: { object_ownership: 'BucketOwnerEnforced' } });
  });

  it('aborts incomplete multipart uploads after 7 days and expires noncurrent versions', () => {
    expect(synthesized).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: [
        expect.objectContaining({ status: 'Enabled', abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
        expect.objectContaining({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 14 }] }),
      ],
    });
  });

  it('denies every request without TLS on the bucket and its objects', () => {
    expect(statementsOf(synthesized, 'lake_tls-only')).toEqual([
      {
        sid: 'DenyInsecureTransport',
        effect: 'Deny',
        actions: ['s3:*'],
        principals: [{ type: '*', identifiers: ['*'] }],
        resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.lake_bucket_.+\.arn\}$/), expect.stringMatching(/^\$\{aws_s3_bucket\.lake_bucket_.+\.arn\}\/\*$/)],
        condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
      },
    ]);
  });

  it('grantReadWrite with a prefix scopes listing by s3:prefix and objects to the prefix', () => {
    const statements = statementsOf(synthesized, 'rw_document');
    expect(statements.map((s) => s.sid)).toEqual(['BucketLevel', 'BucketList', 'BucketObjects', 'KeyEncryptDecrypt']);
    // Bucket-level calls have no s3:prefix context, so they are never prefix-conditioned.
    expect(statements[0]).toMatchObject({ actions: ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'] });
    expect(statements[0].condition).toBeUndefined();
    expect(statements[1].condition).toEqual([{ test: 'StringLike', variable: 's3:prefix', values: ['delta/', 'delta/*'] }]);
    expect(statements[2].resources).toEqual([expect.stringMatching(/^\$\{aws_s3_bucket\..+\.arn\}\/delta\/\*$/)]);
    expect(statements[3].actions).toEqual(['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']);
  });

  it('grantRead gives listing, GetObject and Decrypt only', () => {
    const read = Testing.synthScope((scope) => {
      const bucket = new SecureBucket(scope, 'b', { bucketName: 'state', encryptionKey: withKey(scope).key });
      bucket.grantRead(new ManagedPolicy(scope, 'ro', { policyName: 'ro', description: 'ro' }), 'iot/');
    });
    expect(statementsOf(read, 'ro_document').map((s) => [s.sid, s.actions])).toEqual([
      ['BucketLocation', ['s3:GetBucketLocation']],
      ['BucketList', ['s3:ListBucket']],
      ['BucketObjectsRead', ['s3:GetObject']],
      ['KeyDecrypt', ['kms:Decrypt']],
    ]);
  });

  it('grantBucketReadWrite on ARNs alone grants the same statements as the bucket', () => {
    const fromArns = Testing.synthScope((scope) =>
      grantBucketReadWrite(new ManagedPolicy(scope, 'rw', { policyName: 'rw', description: 'rw' }), {
        bucketArn: 'arn:aws:s3:::my-lake',
        keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k',
      }),
    );
    expect(statementsOf(fromArns, 'rw_document').map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ['BucketLevel', ['s3:GetBucketLocation', 's3:ListBucketMultipartUploads'], ['arn:aws:s3:::my-lake']],
      ['BucketList', ['s3:ListBucket'], ['arn:aws:s3:::my-lake']],
      ['BucketObjects', ['s3:AbortMultipartUpload', 's3:DeleteObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'], ['arn:aws:s3:::my-lake/*']],
      ['KeyEncryptDecrypt', ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey'], ['arn:aws:kms:eu-west-1:123456789012:key/k']],
    ]);
  });

  it('refuses to be destroyed by any plan when preventDestroy is set (the state bucket)', () => {
    const kept = Testing.synthScope((scope) => new SecureBucket(scope, 'b', { bucketName: 'state', encryptionKey: withKey(scope).key, preventDestroy: true }));
    expect(kept).toHaveResourceWithProperties(S3Bucket, { bucket: 'state', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(synthesized).not.toHaveResourceWithProperties(S3Bucket, { lifecycle: expect.anything() });
  });

  it.each([
    [{ bucketName: 'Not_Valid' }, 'bucketName must be a valid S3 bucket name (3-63 of a-z, 0-9, . and -). Received "Not_Valid"'],
    [{ noncurrentVersionDays: 0 }, 'noncurrentVersionDays must be an integer >= 1. Received 0'],
  ])('rejects %j', (props, message) => {
    expect(() => Testing.synthScope((scope) => new SecureBucket(scope, 'b', { bucketName: 'ok-name', encryptionKey: withKey(scope).key, ...props }))).toThrow(message);
  });

  it('rejects a wildcard prefix', () => {
    expect(() =>
      Testing.synthScope((scope) => {
        const b = new SecureBucket(scope, 'b', { bucketName: 'ok-name', encryptionKey: withKey(scope).key });
        b.grantReadWrite(new ManagedPolicy(scope, 'p', { policyName: 'p', description: 'p' }), 'delta/*');
      }),
    ).toThrow('prefix must be a key prefix such as delta/ (no wildcards, ends with /). Received "delta/*"');
  });
});

describe('DatabricksClusterAccess', () => {
  const synthesized = Testing.synthScope((scope) => new DatabricksClusterAccess(scope, 'cluster', { roleName: 'iot-t-cluster' }));

  it('is a role EC2 assumes, with an instance profile of the same name', () => {
    expect(synthesized).toHaveResourceWithProperties(IamRole, { name: 'iot-t-cluster' });
    expect(synthesized).toHaveResourceWithProperties(IamInstanceProfile, { name: 'iot-t-cluster', role: expect.stringContaining('aws_iam_role.') });
    expect(statementsOf(synthesized, 'cluster_role_trust')).toEqual([
      { sid: 'Ec2AssumeRole', effect: 'Allow', actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] },
    ]);
  });

  it('renders the iam:PassRole statement the workspace role needs for exactly this role', () => {
    expect(synthesized).toHaveDataSourceWithProperties(DataAwsIamPolicyDocument, {
      statement: [{ sid: 'PassClusterRole', effect: 'Allow', actions: ['iam:PassRole'], resources: [expect.stringMatching(/^\$\{aws_iam_role\.cluster_role_.+\.arn\}$/)] }],
    });
  });
});

describe('UnityCatalogRole', () => {
  const synthesized = Testing.synthScope((scope) => {
    new UnityCatalogRole(scope, 'uc', {
      account: new AccountContext(scope, 'account'),
      roleName: 'iot-t-uc',
      externalId: '0d26daa6-5e44-4c97-a497-ef015f91254a',
      description: 'test',
    });
  });
  const selfArn = expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:iam::\$\{data\.aws_caller_identity\..+\.account_id\}:role\/iot-t-uc$/);

  it('trusts the UC master role with the external id, and itself through the account root', () => {
    const externalId = { test: 'StringEquals', variable: 'sts:ExternalId', values: ['0d26daa6-5e44-4c97-a497-ef015f91254a'] };
    expect(statementsOf(synthesized, 'uc_trust')).toEqual([
      {
        sid: 'UnityCatalogAssumeRole',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'AWS', identifiers: ['arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL'] }],
        condition: [externalId],
      },
      {
        sid: 'ExplicitSelfRoleAssumption',
        effect: 'Allow',
        actions: ['sts:AssumeRole'],
        principals: [{ type: 'AWS', identifiers: [expect.stringMatching(/:root$/)] }],
        condition: [{ test: 'ArnLike', variable: 'aws:PrincipalArn', values: [selfArn] }, externalId],
      },
    ]);
  });

  it('may assume itself', () => {
    expect(statementsOf(synthesized, 'uc_permissions')).toEqual([
      { sid: 'AssumeSelf', effect: 'Allow', actions: ['sts:AssumeRole'], resources: [selfArn] },
    ]);
  });
});

describe('ServiceRole and ManagedPolicy', () => {
  it('merges a repeated grant instead of repeating its Sid', () => {
    const synthesized = Testing.synthScope((scope) => {
      const { key } = withKey(scope);
      const policy = new ManagedPolicy(scope, 'p', { policyName: 'p', description: 'p' });
      key.grantDecrypt(policy);
      key.grantDecrypt(policy);
    });
    expect(statementsOf(synthesized, 'p_document')).toHaveLength(1);
  });

  it.each([
    [() => ({ roleName: 'x'.repeat(65), trust: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }] }), 'roleName must be 1-64'],
    [() => ({ roleName: 'ok', trust: [{ actions: ['sts:AssumeRole'] }] }), 'trust must be statements that each name principals'],
  ])('rejects bad props (%#)', (props, message) => {
    expect(() => Testing.synthScope((scope: Construct) => new ServiceRole(scope, 'r', { description: 'd', ...props() }))).toThrow(message);
  });

  it('works inside a real stack too', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'x');
    new ManagedPolicy(stack, 'p', { policyName: 'p', description: 'p' }).addToPolicy({ actions: ['kinesis:PutRecord'], resources: ['arn:aws:kinesis:eu-west-1:123456789012:stream/s'] });
    expect(Testing.synth(stack)).toHaveResourceWithProperties(IamPolicy, { name: 'p' });
  });
});

describe('CustomerManagedKey.allowServiceUse', () => {
  it.each([
    ['cloudwatch', ['kms:Decrypt'], 'servicePrincipal must be a service such as cloudwatch.amazonaws.com. Received "cloudwatch"'],
    ['cloudwatch.amazonaws.com', ['kms:*'], 'actions must be named kms: actions. Received ["kms:*"]'],
  ])('rejects %s %j', (principal, actions, message) => {
    expect(() => Testing.synthScope((scope) => withKey(scope).key.allowServiceUse('X', principal, actions))).toThrow(message);
  });
});

describe('PolicyDocument', () => {
  it('fails synth when nothing was granted to a role, instead of failing at apply', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'empty');
    new ServiceRole(stack, 'r', { roleName: 'r', description: 'd', trust: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }] });
    expect(() => Testing.fullSynth(stack)).toThrow(/policy document empty\/r\/permissions has no statements/);
  });
});
