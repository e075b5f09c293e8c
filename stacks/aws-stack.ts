import { TerraformOutput, TerraformStack } from 'cdktf';
import { configureBackend } from './backend';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { AppConfig } from '../config/schema';
import { AlarmTopic } from '../constructs/aws/alarm-topic';
import { AccountContext } from '../constructs/aws/arns';
import { DatabricksClusterAccess } from '../constructs/aws/cluster-access';
import { IngestStream } from '../constructs/aws/kinesis-stream';
import { CustomerManagedKey } from '../constructs/aws/kms-key';
import { DeltaLakeBucket } from '../constructs/aws/lake-bucket';
import { ManagedPolicy } from '../constructs/aws/managed-policy';
import { StreamAlarms } from '../constructs/aws/stream-alarms';
import { UnityCatalogRole } from '../constructs/aws/unity-catalog-role';

/** What the AWS stack gives the Databricks stack and the load generator (resource attribute tokens). */
export interface AwsStackExports {
  readonly region: string;
  readonly streamName: string;
  readonly streamArn: string;
  readonly kmsKeyArn: string;
  readonly bucketName: string;
  /** `s3://<bucket>` */
  readonly bucketUrl: string;
  readonly instanceProfileArn: string;
  readonly clusterRoleArn: string;
  readonly unityCatalogRoleArn: string;
  readonly kinesisServiceRoleArn: string;
  readonly producerPolicyArn: string;
  readonly verifierPolicyArn: string;
}

export interface AwsIngestStackProps {
  readonly config: AppConfig;
}

/** Tag every AWS resource carries (provider default tags). */
export const PROJECT_TAG = 'iot-streaming';

/**
 * The AWS side of the pipeline: a CMK, the encrypted Kinesis stream with alarms, the Delta Lake bucket, and
 * least-privilege IAM for the Databricks cluster, Unity Catalog's credentials and the load generator.
 */
export class AwsIngestStack extends TerraformStack {
  readonly exports: AwsStackExports;

  constructor(scope: Construct, id: string, props: AwsIngestStackProps) {
    super(scope, id);
    const { config } = props;
    const prefix = `iot-${config.stage}`;

    new AwsProvider(this, 'aws', {
      region: config.region,
      defaultTags: [{ tags: { ...config.tags, project: PROJECT_TAG, stage: config.stage, 'managed-by': 'cdktf' } }],
    });
    configureBackend(this, id, config);

    const account = new AccountContext(this, 'account');
    const key = new CustomerManagedKey(this, 'key', { account, aliasName: prefix, description: `IoT pipeline (${config.stage}): Kinesis stream and Delta Lake bucket` });

    const stream = new IngestStream(this, 'stream', {
      name: config.stream.name,
      mode: config.stream.mode,
      shardCount: config.stream.shardCount,
      retentionHours: config.stream.retentionHours,
      shardLevelMetrics: config.stream.shardLevelMetrics,
      encryptionKey: key,
    });
    const alarmActions = config.alarms.snsTopicArn ? [config.alarms.snsTopicArn] : [];
    if (config.alarms.email) {
      alarmActions.unshift(
        new AlarmTopic(this, 'alarm-topic', { account, topicName: `${prefix}-alarms`, encryptionKey: key, email: config.alarms.email }).topicArn,
      );
    }
    new StreamAlarms(this, 'alarms', {
      stream,
      namePrefix: prefix,
      writeThrottleThreshold: config.alarms.writeThrottleThreshold,
      iteratorAgeMs: config.alarms.iteratorAgeMs,
      periodSeconds: config.alarms.periodSeconds,
      evaluationPeriods: config.alarms.evaluationPeriods,
      actions: alarmActions.length ? alarmActions : undefined,
    });

    const lake = new DeltaLakeBucket(this, 'lake', {
      // Account id and region make the default name globally unique and stable across plans.
      bucketName: config.lake.bucketName ?? `iot-lake-${config.stage}-${account.accountId}-${config.region}`,
      encryptionKey: key,
      forceDestroy: config.lake.forceDestroy,
      noncurrentVersionDays: config.lake.noncurrentVersionDays,
    });

    const enhancedFanOut = config.databricks.processor.consumerMode === 'efo';
    const cluster = new DatabricksClusterAccess(this, 'cluster', { roleName: `${prefix}-databricks-cluster` });
    stream.grantRead(cluster.role, { enhancedFanOut });
    if (config.cluster.writesToS3) {
      config.cluster.lakePrefixes.forEach((p) => lake.grantReadWrite(cluster.role, p));
    }

    const storageRole = new UnityCatalogRole(this, 'uc-storage', {
      account,
      roleName: `${prefix}-uc-storage`,
      externalId: config.databricks.accountId,
      description: 'Unity Catalog storage credential: the Delta Lake bucket',
    });
    lake.grantReadWrite(storageRole);

    const kinesisRole = new UnityCatalogRole(this, 'uc-kinesis', {
      account,
      roleName: `${prefix}-uc-kinesis`,
      externalId: config.databricks.accountId,
      description: 'Unity Catalog service credential: read the IoT Kinesis stream from standard or serverless compute',
    });
    stream.grantRead(kinesisRole, { enhancedFanOut });

    const producer = new ManagedPolicy(this, 'producer', {
      policyName: `${prefix}-kinesis-producer`,
      description: 'Attach to the load generator or device gateway: put records on the IoT stream',
    });
    stream.grantWrite(producer);

    const verifier = new ManagedPolicy(this, 'verifier', {
      policyName: `${prefix}-kinesis-verifier`,
      description: 'Attach to the load generator to read the IoT stream back (loadgen verify, run --verify)',
    });
    stream.grantRead(verifier);

    this.exports = {
      region: config.region,
      streamName: stream.streamName,
      streamArn: stream.streamArn,
      kmsKeyArn: key.keyArn,
      bucketName: lake.bucketName,
      bucketUrl: lake.bucketUrl,
      instanceProfileArn: cluster.instanceProfileArn,
      clusterRoleArn: cluster.role.roleArn,
      unityCatalogRoleArn: storageRole.roleArn,
      kinesisServiceRoleArn: kinesisRole.roleArn,
      producerPolicyArn: producer.policyArn,
      verifierPolicyArn: verifier.policyArn,
    };
    const described: Record<keyof AwsStackExports, string> = {
      region: 'AWS region of the stream and bucket',
      streamName: 'Kinesis stream name (loadgen --stream)',
      streamArn: 'Kinesis stream ARN',
      kmsKeyArn: 'CMK encrypting the stream and the bucket',
      bucketName: 'Delta Lake bucket',
      bucketUrl: 'Delta Lake bucket as an s3:// URL',
      instanceProfileArn: 'instance profile for Databricks clusters (register it in the workspace)',
      clusterRoleArn: 'role of the Databricks cluster nodes',
      unityCatalogRoleArn: 'role for the Unity Catalog storage credential',
      kinesisServiceRoleArn: 'role for the Unity Catalog service credential that reads Kinesis',
      producerPolicyArn: 'managed policy to attach to the load generator',
      verifierPolicyArn: 'managed policy to attach to the load generator for --verify and verify (read the stream back)',
    };
    for (const [name, value] of Object.entries(this.exports)) {
      new TerraformOutput(this, kebab(name), { value, description: described[name as keyof AwsStackExports] });
    }
    new TerraformOutput(this, 'workspace-pass-role-policy', {
      value: cluster.passRolePolicyJson,
      description: "Add to the Databricks workspace's cross-account role so it can launch clusters with the instance profile",
    });
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
