import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema';
import { AlarmTopic } from '../constructs/aws/alarm-topic';
import { AccountContext } from '../constructs/aws/arns';
import { DatabricksClusterAccess } from '../constructs/aws/cluster-access';
import { IngestStream } from '../constructs/aws/kinesis-stream';
import { CustomerManagedKey } from '../constructs/aws/kms-key';
import { ManagedPolicy } from '../constructs/aws/managed-policy';
import { SecureBucket } from '../constructs/aws/secure-bucket';
import { StreamAlarms } from '../constructs/aws/stream-alarms';
import { addAwsProvider } from './aws-provider';
import { configureBackend } from './backend';
import { writeOutputs } from './outputs';

/**
 * What the AWS stack gives the Databricks stack and the load generator (resource attribute tokens). The
 * instance profile and cluster role exist only for a dedicated cluster, the one compute that uses them.
 */
export interface AwsStackExports {
  readonly region: string;
  readonly streamName: string;
  readonly streamArn: string;
  readonly kmsKeyArn: string;
  readonly bucketName: string;
  readonly bucketArn: string;
  /** `s3://<bucket>` */
  readonly bucketUrl: string;
  readonly instanceProfileArn?: string;
  readonly clusterRoleArn?: string;
  readonly producerPolicyArn: string;
  readonly verifierPolicyArn: string;
  readonly metricsReaderPolicyArn: string;
}

export interface AwsIngestStackProps {
  readonly config: AppConfig;
}

const DESCRIBED: Record<keyof AwsStackExports, string> = {
  region: 'AWS region of the stream and bucket',
  streamName: 'Kinesis stream name (loadgen --stream)',
  streamArn: 'Kinesis stream ARN',
  kmsKeyArn: 'CMK encrypting the stream and the bucket',
  bucketName: 'Delta Lake bucket',
  bucketArn: 'Delta Lake bucket ARN',
  bucketUrl: 'Delta Lake bucket as an s3:// URL',
  instanceProfileArn: 'instance profile for the dedicated Databricks job cluster (registered by the Databricks stack)',
  clusterRoleArn: 'role of the Databricks cluster nodes',
  producerPolicyArn: 'managed policy to attach to the load generator',
  verifierPolicyArn: 'managed policy to attach to the load generator for --verify and verify (read the stream back)',
  metricsReaderPolicyArn: "managed policy to attach to the load generator for run --watch-consumer (read the stream's CloudWatch metrics)",
};

/**
 * The AWS side of the pipeline: a CMK, the encrypted Kinesis stream with alarms, the Delta Lake bucket, the
 * dedicated cluster's instance profile and the load generator's policy. The roles Unity Catalog assumes live
 * in the Databricks stack, next to the credentials whose external ids their trust policies name.
 */
export class AwsIngestStack extends TerraformStack {
  readonly exports: AwsStackExports;

  constructor(scope: Construct, id: string, props: AwsIngestStackProps) {
    super(scope, id);
    const { config } = props;
    const prefix = `iot-${config.stage}`;

    addAwsProvider(this, config);
    configureBackend(this, id, config);

    const account = new AccountContext(this, 'account');
    const key = new CustomerManagedKey(this, 'key', { account, aliasName: prefix, description: `IoT pipeline (${config.stage}): Kinesis stream and Delta Lake bucket` });
    const consumerMode = config.databricks.processor.consumerMode;
    const enhancedFanOut = consumerMode === 'efo';

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
      consumerMode,
      actions: alarmActions.length ? alarmActions : undefined,
    });

    const lake = new SecureBucket(this, 'lake', {
      // Account id and region make the default name globally unique and stable across plans.
      bucketName: config.lake.bucketName ?? `iot-lake-${config.stage}-${account.accountId}-${config.region}`,
      encryptionKey: key,
      forceDestroy: config.lake.forceDestroy,
      noncurrentVersionDays: config.lake.noncurrentVersionDays,
    });

    // Only a dedicated cluster reads Kinesis through an instance profile; a standard one uses the UC service
    // credential, so prod gets no unused role, profile or PassRole to maintain.
    const cluster =
      config.databricks.cluster.accessMode === 'dedicated'
        ? new DatabricksClusterAccess(this, 'cluster', { roleName: `${prefix}-databricks-cluster` })
        : undefined;
    if (cluster) {
      stream.grantRead(cluster.role, { enhancedFanOut });
      if (config.cluster.writesToS3) config.cluster.lakePrefixes.forEach((p) => lake.grantReadWrite(cluster.role, p));
    }

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

    const metricsReader = new ManagedPolicy(this, 'metrics-reader', {
      policyName: `${prefix}-stream-metrics-reader`,
      description: "Attach to the load generator for run --watch-consumer: read the stream's CloudWatch metrics (GetMetricData takes no resource ARN)",
    });
    stream.grantMetricsRead(metricsReader);

    this.exports = {
      region: config.region,
      streamName: stream.streamName,
      streamArn: stream.streamArn,
      kmsKeyArn: key.keyArn,
      bucketName: lake.bucketName,
      bucketArn: lake.bucketArn,
      bucketUrl: lake.bucketUrl,
      ...(cluster ? { instanceProfileArn: cluster.instanceProfileArn, clusterRoleArn: cluster.role.roleArn } : {}),
      producerPolicyArn: producer.policyArn,
      verifierPolicyArn: verifier.policyArn,
      metricsReaderPolicyArn: metricsReader.policyArn,
    };
    writeOutputs(this, this.exports, DESCRIBED);
    if (cluster) {
      new TerraformOutput(this, 'workspace-pass-role-policy', {
        value: cluster.passRolePolicyJson,
        description: "Add to the Databricks workspace's cross-account role so it can launch clusters with the instance profile",
      });
    }
  }
}
