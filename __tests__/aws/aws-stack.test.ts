import { Token } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { METRICS_READ_OPERATIONS } from '../../constructs/aws/kinesis-stream';
import { UNSCOPABLE_ACTIONS } from '../../contract/iam-unscoped-actions';
import { extractIamStatements } from '../../policy/iam-statements';
import { isWildcardResource } from '../../policy/rules/aws-iam';
import type { AwsStackExports } from '../../stacks/aws-stack';
import { actionsBySid, named, only, statementsUsedBy, synthAws, type Json } from './synth-aws';

const ref = (address: string, attr = 'arn') => `\${${address}.${attr}}`;

describe('AWS stack (dev config)', () => {
  let json: Json;
  let exports: AwsStackExports;
  let streamAddr: string;
  let keyAddr: string;
  let bucketAddr: string;
  beforeAll(() => {
    const synthesized = synthAws('dev');
    json = synthesized.json;
    exports = synthesized.stack.exports;
    streamAddr = only(json, 'aws_kinesis_stream')[0];
    keyAddr = only(json, 'aws_kms_key')[0];
    bucketAddr = only(json, 'aws_s3_bucket')[0];
  });

  /** Inline policy statements of the role named `roleName`. */
  const inline = (roleName: string) => {
    const [roleAddr] = named(json, 'aws_iam_role', roleName);
    const [policyAddr] = Object.entries(json.resource.aws_iam_role_policy).map(([n, b]) => [`aws_iam_role_policy.${n}`, b as Json]).find(([, b]) => (b as Json).role === ref(roleAddr, 'id')) as [string, Json];
    return statementsUsedBy(json, policyAddr);
  };
  const trust = (roleName: string) => statementsUsedBy(json, named(json, 'aws_iam_role', roleName)[0]);

  it('encrypts the stream with the CMK, which rotates', () => {
    const stream = only(json, 'aws_kinesis_stream')[1];
    expect(stream).toMatchObject({ encryption_type: 'KMS', kms_key_id: ref(keyAddr), shard_count: 2, retention_period: 24 });
    expect(stream.shard_level_metrics).toEqual(expect.arrayContaining(['IncomingRecords', 'WriteProvisionedThroughputExceeded', 'IteratorAgeMilliseconds']));
    expect(only(json, 'aws_kms_key')[1].enable_key_rotation).toBe(true);
  });

  it('encrypts the bucket with SSE-KMS under the same CMK', () => {
    const sse = only(json, 'aws_s3_bucket_server_side_encryption_configuration')[1];
    expect(sse.bucket).toBe(ref(bucketAddr, 'id'));
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: ref(keyAddr) });
  });

  it('derives a globally unique bucket name from stage, account id and region', () => {
    expect(only(json, 'aws_s3_bucket')[1].bucket).toMatch(/^iot-lake-dev-\$\{data\.aws_caller_identity\..+\.account_id\}-eu-west-1$/);
  });

  it('grants the cluster role stream reads and decrypt only: no Put*, no S3', () => {
    const statements = inline('iot-dev-databricks-cluster');
    expect(actionsBySid(statements)).toEqual({
      StreamRead: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      KeyDecrypt: ['kms:Decrypt'],
    });
    expect(statements.find((s) => s.sid === 'StreamRead')?.resources).toEqual([ref(streamAddr)]);
    expect(statements.find((s) => s.sid === 'KeyDecrypt')?.resources).toEqual([ref(keyAddr)]);
    expect(trust('iot-dev-databricks-cluster')).toEqual([
      expect.objectContaining({ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ec2.amazonaws.com'] }] }),
    ]);
    expect(only(json, 'aws_iam_instance_profile')[1]).toMatchObject({ name: 'iot-dev-databricks-cluster' });
  });

  it('gives the producer policy exactly PutRecord(s), DescribeStreamSummary, ListShards on the stream and GenerateDataKey on the key', () => {
    const [policyAddr] = named(json, 'aws_iam_policy', 'iot-dev-kinesis-producer');
    const statements = statementsUsedBy(json, policyAddr);
    expect(actionsBySid(statements)).toEqual({
      StreamWrite: ['kinesis:DescribeStreamSummary', 'kinesis:ListShards', 'kinesis:PutRecord', 'kinesis:PutRecords'],
      KeyGenerateDataKey: ['kms:GenerateDataKey'],
    });
    expect(statements.map((s) => s.resources)).toEqual([[ref(streamAddr)], [ref(keyAddr)]]);
  });

  it('gives the verifier policy exactly the reads of the stream and Decrypt on the key, nothing to write', () => {
    const [policyAddr] = named(json, 'aws_iam_policy', 'iot-dev-kinesis-verifier');
    const statements = statementsUsedBy(json, policyAddr);
    expect(actionsBySid(statements)).toEqual({
      StreamRead: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      KeyDecrypt: ['kms:Decrypt'],
    });
    expect(statements.map((s) => s.resources)).toEqual([[ref(streamAddr)], [ref(keyAddr)]]);
  });

  it('gives the metrics reader policy GetMetricData alone, on the only resource that action takes (*)', () => {
    const [policyAddr] = named(json, 'aws_iam_policy', 'iot-dev-stream-metrics-reader');
    const statements = statementsUsedBy(json, policyAddr);
    expect(actionsBySid(statements)).toEqual({ StreamMetricsRead: ['cloudwatch:GetMetricData'] });
    expect(statements.map((s) => s.resources)).toEqual([['*']]);
    expect(METRICS_READ_OPERATIONS.every((a) => UNSCOPABLE_ACTIONS.includes(a))).toBe(true);
  });

  it('has no wildcard action or resource in any Allow outside the KMS key policy and the metrics read', () => {
    const statements = extractIamStatements(json);
    expect(statements.length).toBeGreaterThan(5);
    const wild = statements.filter(
      (s) => s.effect === 'Allow' && s.documentRole !== 'key' && (s.actions.some((a) => a.includes('*')) || s.resources.some(isWildcardResource)),
    );
    // The two exceptions, so they cannot grow unnoticed: the key policy's "this key", and GetMetricData,
    // which takes no resource ARN.
    expect(wild.map((s) => [s.actions, s.resources])).toEqual([[['cloudwatch:GetMetricData'], ['*']]]);
    expect(statements.filter((s) => s.documentRole === 'key').map((s) => [s.actions, s.resources])).toEqual([[['kms:*'], ['*']]]);
  });

  it('writes every IAM policy through aws_iam_policy_document, never a JSON string', () => {
    const policies = [
      ...Object.values(json.resource.aws_iam_role).map((r) => (r as Json).assume_role_policy),
      ...Object.values(json.resource.aws_iam_role_policy).map((r) => (r as Json).policy),
      ...Object.values(json.resource.aws_iam_policy).map((r) => (r as Json).policy),
      only(json, 'aws_s3_bucket_policy')[1].policy,
      only(json, 'aws_kms_key')[1].policy,
    ];
    for (const p of policies) expect(p).toMatch(/^\$\{data\.aws_iam_policy_document\.[\w-]+\.json\}$/);
  });

  it('alarms on write throttling and iterator age with the configured thresholds; no data is not lag', () => {
    const alarms = Object.values(json.resource.aws_cloudwatch_metric_alarm) as Json[];
    expect(alarms.map((a) => [a.metric_name, a.threshold, a.dimensions.StreamName, a.treat_missing_data]).sort()).toEqual([
      ['GetRecords.IteratorAgeMilliseconds', 60000, ref(streamAddr, 'name'), 'missing'],
      ['WriteProvisionedThroughputExceeded', 1, ref(streamAddr, 'name'), 'notBreaching'],
    ]);
  });

  it('creates no role Unity Catalog assumes: those live in the Databricks stack, next to their credentials', () => {
    expect(Object.values(json.resource.aws_iam_role).map((r) => (r as Json).name)).toEqual(['iot-dev-databricks-cluster']);
  });

  it('lets a destroy delete the stream while enhanced fan-out consumers are registered', () => {
    expect(only(json, 'aws_kinesis_stream')[1].enforce_consumer_deletion).toBe(true);
  });

  it('exports resource tokens and writes each as an output', () => {
    expect(exports.region).toBe('eu-west-1');
    for (const [name, value] of Object.entries(exports)) if (name !== 'region') expect(Token.isUnresolved(value)).toBe(true);
    expect(Object.keys(json.output).sort()).toEqual(
      [
        'bucket-arn',
        'bucket-name',
        'bucket-url',
        'cluster-role-arn',
        'instance-profile-arn',
        'kms-key-arn',
        'producer-policy-arn',
        'region',
        'stream-arn',
        'stream-name',
        'verifier-policy-arn',
        'metrics-reader-policy-arn',
        'workspace-pass-role-policy',
      ].sort(),
    );
    expect(json.output['bucket-url'].value).toBe(`s3://${ref(bucketAddr, 'bucket')}`);
    expect(json.output['workspace-pass-role-policy'].value).toMatch(/^\$\{data\.aws_iam_policy_document\.cluster_pass-role.+\.json\}$/);
  });

  it('tags every resource through the provider default tags', () => {
    const provider = json.provider.aws[0];
    expect(provider.region).toBe('eu-west-1');
    expect(provider.default_tags).toEqual([{ tags: { owner: 'iot-platform', project: 'iot-streaming', stage: 'dev', 'managed-by': 'cdktf' } }]);
  });

  it('keeps state in a local file per stack', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.iot-aws-dev.tfstate' } });
  });
});

describe('AWS stack (prod config)', () => {
  let json: Json;
  beforeAll(() => ({ json } = synthAws('prod')));

  it('is an on-demand stream without a shard count, 7-day retention', () => {
    const stream = only(json, 'aws_kinesis_stream')[1];
    expect(stream.stream_mode_details).toEqual({ stream_mode: 'ON_DEMAND' });
    expect(stream).not.toHaveProperty('shard_count');
    expect(stream.retention_period).toBe(168);
  });

  it('never force-destroys the lake', () => {
    expect(only(json, 'aws_s3_bucket')[1].force_destroy).toBe(false);
  });

  it('creates no cluster role, instance profile or pass-role output: its standard cluster reads through the service credential', () => {
    expect(json.resource.aws_iam_role).toBeUndefined();
    expect(json.resource.aws_iam_instance_profile).toBeUndefined();
    expect(Object.keys(json.output)).not.toEqual(expect.arrayContaining(['instance-profile-arn']));
    expect(json.output['workspace-pass-role-policy']).toBeUndefined();
  });
});

describe('AWS stack config variants', () => {
  it('stores state in S3, encrypted, with S3-native locking, when backend.type is s3', () => {
    const { json } = synthAws('dev', (c) => {
      c.backend = { type: 's3', bucket: 'my-tf-state', keyPrefix: 'iot' };
    });
    expect(json.terraform.backend).toEqual({
      s3: { bucket: 'my-tf-state', key: 'iot/iot-aws-dev.tfstate', region: 'eu-west-1', encrypt: true, kms_key_id: 'alias/iot-tfstate', use_lockfile: true },
    });
    // Terraform's own message at init, rather than "Unsupported argument" from an older release.
    expect(json.terraform.required_version).toBe('>= 1.11.0');
  });

  it('refuses writesToS3 for a standard cluster, which cannot use the instance profile', () => {
    expect(() =>
      synthAws('dev', (c) => {
        c.cluster.writesToS3 = true;
        c.databricks.cluster.accessMode = 'standard';
      }),
    ).toThrow('cluster.writesToS3 must be false unless databricks.cluster.accessMode is dedicated (a standard cluster cannot use the instance profile), got true');
  });

  it('gives the cluster role read-write on the configured lake prefixes only when it writes to S3 directly', () => {
    const { json } = synthAws('dev', (c) => {
      c.cluster = { writesToS3: true, lakePrefixes: ['delta/', 'checkpoints/'] };
    });
    const [roleAddr] = named(json, 'aws_iam_role', 'iot-dev-databricks-cluster');
    const statements = extractIamStatements(json).filter((s) => s.documentRole === 'inline' && s.usedBy.some((u) => json.resource.aws_iam_role_policy[u.split('.')[1]]?.role === ref(roleAddr, 'id')));
    const bucketArn = ref(only(json, 'aws_s3_bucket')[0]);
    expect(statements.filter((s) => s.sid?.startsWith('BucketObjects')).flatMap((s) => s.resources)).toEqual([`${bucketArn}/delta/*`, `${bucketArn}/checkpoints/*`]);
    expect(statements.filter((s) => s.sid?.startsWith('BucketList')).map((s) => s.conditions[0].values)).toEqual([
      ['delta/', 'delta/*'],
      ['checkpoints/', 'checkpoints/*'],
    ]);
  });

  it('adds enhanced fan-out permissions scoped to the stream and its consumers when the processor uses efo', () => {
    const { json } = synthAws('dev', (c) => {
      c.databricks.processor = { consumerMode: 'efo' };
    });
    const streamArn = ref(only(json, 'aws_kinesis_stream')[0]);
    const efo = extractIamStatements(json).filter((s) => s.sid === 'StreamConsumerRead');
    expect(efo).toHaveLength(1); // the cluster role (the service-credential role is the Databricks stack's)
    for (const s of efo) expect(s.resources).toEqual([`${streamArn}/consumer/*`]);
    const lag = (Object.values(json.resource.aws_cloudwatch_metric_alarm) as Json[]).find((a) => a.alarm_name === 'iot-dev-kinesis-consumer-lagging')!;
    expect(lag.metric_query[0].expression).toContain('SubscribeToShardEvent.MillisBehindLatest');
  });

  it('uses an explicit bucket name and alarm topic from config', () => {
    const { json } = synthAws('dev', (c) => {
      c.lake.bucketName = 'acme-iot-lake-dev';
      c.alarms.snsTopicArn = 'arn:aws:sns:eu-west-1:123456789012:ops';
    });
    expect(only(json, 'aws_s3_bucket')[1].bucket).toBe('acme-iot-lake-dev');
    for (const alarm of Object.values(json.resource.aws_cloudwatch_metric_alarm) as Json[]) {
      expect(alarm.alarm_actions).toEqual(['arn:aws:sns:eu-west-1:123456789012:ops']);
    }
  });

  it('creates an encrypted alarm topic CloudWatch may publish to and use the key for, when alarms.email is set', () => {
    const { json } = synthAws('dev', (c) => {
      c.alarms.email = 'ops@example.com';
    });
    const [topicAddr, topic] = only(json, 'aws_sns_topic');
    const keyAddr = only(json, 'aws_kms_key')[0];
    expect(topic).toMatchObject({ name: 'iot-dev-alarms', kms_master_key_id: ref(keyAddr) });
    expect(only(json, 'aws_sns_topic_subscription')[1]).toMatchObject({ protocol: 'email', endpoint: 'ops@example.com', topic_arn: ref(topicAddr) });
    for (const alarm of Object.values(json.resource.aws_cloudwatch_metric_alarm) as Json[]) expect(alarm.alarm_actions).toEqual([ref(topicAddr)]);
    const statements = extractIamStatements(json);
    expect(statements.filter((s) => s.documentRole === 'key').map((s) => [s.sid, s.principals, s.actions])).toEqual([
      ['AccountAdministersKeyThroughIam', [{ type: 'AWS', identifiers: [expect.stringMatching(/:root$/)] }], ['kms:*']],
      ['CloudWatchAlarmsPublishEncrypted', [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }], ['kms:Decrypt', 'kms:GenerateDataKey']],
    ]);
    const publish = statements.find((s) => s.sid === 'CloudWatchAlarmsPublish')!;
    expect(publish).toMatchObject({ actions: ['sns:Publish'], resources: [ref(topicAddr)], principals: [{ type: 'Service', identifiers: ['cloudwatch.amazonaws.com'] }] });
    expect(publish.conditions).toEqual([{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [expect.stringMatching(/aws_caller_identity/)] }]);
  });

  it('declares the AWS provider with the configured region', () => {
    const { json } = synthAws('dev', (c) => {
      c.region = 'us-east-2';
    });
    expect(JSON.stringify(json)).toContain('"region":"us-east-2"');
    expect(AwsProvider.tfResourceType).toBe('aws');
  });
});
