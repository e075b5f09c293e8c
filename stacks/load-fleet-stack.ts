import { Fn, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import type { AppConfig } from '../config/schema';
import { ECR_IMAGE_TAG, smallestFargateMemoryMiB } from '../contract/aws-values';
import { FLEET_ENV } from '../contract/load-fleet';
import { AccountContext } from '../constructs/aws/arns';
import { ContainerRepository } from '../constructs/aws/container-repository';
import { FargateJobDefinition } from '../constructs/aws/fargate-job-definition';
import { FargateJobQueue } from '../constructs/aws/fargate-job-queue';
import { grantStreamWrite } from '../constructs/aws/kinesis-stream';
import { CustomerManagedKey } from '../constructs/aws/kms-key';
import { EncryptedLogGroup } from '../constructs/aws/log-group';
import { SecureBucket } from '../constructs/aws/secure-bucket';
import { addAwsProvider } from './aws-provider';
import type { AwsStackExports } from './aws-stack';
import { configureBackend } from './backend';
import { writeOutputs } from './outputs';

/** The stack's name for a stage (deploy and destroy commands name it). */
export const loadFleetStackName = (stage: string): string => `iot-loadgen-${stage}`;
/** Name of the ECR repository, the job queue, the job definition and the prefix of the roles. */
export const loadFleetResourceName = (stage: string): string => `iot-${stage}-loadgen`;
/** The Terraform variable naming the image tag the job definition runs (`TF_VAR_loadgen_image_tag`). */
export const IMAGE_TAG_VARIABLE = 'loadgen_image_tag';

/** The parts of the app config this stack reads. */
export type LoadFleetStackConfig = Pick<AppConfig, 'stage' | 'region' | 'tags' | 'backend' | 'lake' | 'loadFleet'>;

/** The AWS stack's public resources this stack consumes (read through its remote state). */
export type LoadFleetAwsInputs = Pick<AwsStackExports, 'region' | 'streamName' | 'streamArn' | 'kmsKeyArn'>;

export interface LoadFleetStackProps {
  readonly config: LoadFleetStackConfig;
  /** The AWS stack's resource attributes: passing them here makes CDKTF read them through remote state. */
  readonly aws: LoadFleetAwsInputs;
}

/** What `loadgen fleet` needs to submit a run and collect its reports (outputs of the stack). */
export interface LoadFleetExports {
  readonly jobQueueName: string;
  readonly jobQueueArn: string;
  readonly jobDefinitionName: string;
  readonly jobDefinitionArn: string;
  readonly maxVcpus: number;
  readonly childVcpu: number;
  readonly childMemoryMib: number;
  readonly repositoryName: string;
  readonly repositoryUrl: string;
  readonly reportsBucketName: string;
  readonly reportsPrefix: string;
  /** `s3://<bucket>/<prefix>` */
  readonly reportsUrl: string;
  readonly logGroupName: string;
  readonly jobRoleArn: string;
  readonly executionRoleArn: string;
}

const DESCRIBED: Record<keyof LoadFleetExports, string> = {
  jobQueueName: 'AWS Batch job queue the fleet runs are submitted to',
  jobQueueArn: 'AWS Batch job queue ARN',
  jobDefinitionName: 'AWS Batch job definition of a loadgen child (its latest revision is the current image)',
  jobDefinitionArn: 'AWS Batch job definition ARN (this revision)',
  maxVcpus: 'vCPUs all children together may use: a run of n children needs n x child-vcpu <= this, or children wait',
  childVcpu: 'vCPU of each child',
  childMemoryMib: 'memory of each child, MiB',
  repositoryName: 'ECR repository of the loadgen image',
  repositoryUrl: 'ECR repository URL: docker push <url>:<git sha>',
  reportsBucketName: 'bucket the children write their reports to',
  reportsPrefix: 'the one key prefix the children may write under',
  reportsUrl: 'where the reports of a run land: <url><run id>/segment-<i>-of-<n>.json',
  logGroupName: 'CloudWatch Logs group of the children (stream prefix: the job definition name)',
  jobRoleArn: "children's role: the producer's rights on the stream and key, and PutObject under the reports prefix",
  executionRoleArn: 'Fargate agent role: pull the image, write the logs',
};

/**
 * The load fleet: loadgen children as an AWS Batch array job on Fargate. Its own CMK encrypts the image
 * repository, the container logs and the reports bucket; the children's job role gets exactly the producer's
 * rights on the AWS stack's stream and key, plus PutObject under one prefix of the reports bucket.
 */
export class LoadFleetStack extends TerraformStack {
  readonly exports: LoadFleetExports;

  constructor(scope: Construct, id: string, props: LoadFleetStackProps) {
    super(scope, id);
    const { config, aws } = props;
    const fleet = config.loadFleet;
    if (!fleet.enabled || !fleet.subnetIds || !fleet.securityGroupIds) {
      throw new Error(`the load fleet needs loadFleet.enabled, subnetIds and securityGroupIds in the ${config.stage} config. Received ${JSON.stringify(fleet)}`);
    }
    const name = loadFleetResourceName(config.stage);
    const memoryMiB = fleet.memoryMiB ?? smallestFargateMemoryMiB(fleet.vcpu);

    addAwsProvider(this, config);
    configureBackend(this, id, config);

    const account = new AccountContext(this, 'account');
    const key = new CustomerManagedKey(this, 'key', { account, aliasName: name, description: `IoT load fleet (${config.stage}): image repository, container logs, run reports` });
    const repository = new ContainerRepository(this, 'repository', { repositoryName: name, encryptionKey: key, forceDelete: config.lake.forceDestroy });
    const logGroup = new EncryptedLogGroup(this, 'logs', {
      account,
      logGroupName: `/iot/${config.stage}/loadgen`,
      region: config.region,
      encryptionKey: key,
      retentionDays: fleet.logRetentionDays,
    });
    // A bucket of its own, not the lake: Unity Catalog governs the lake's location, and test output has no
    // place among governed tables; the fleet's teardown takes its reports with it (lake.forceDestroy).
    const reports = new SecureBucket(this, 'reports', {
      bucketName: `iot-loadgen-reports-${config.stage}-${account.accountId}-${config.region}`,
      encryptionKey: key,
      forceDestroy: config.lake.forceDestroy,
    });
    const queue = new FargateJobQueue(this, 'queue', {
      name,
      subnetIds: fleet.subnetIds,
      securityGroupIds: fleet.securityGroupIds,
      maxVcpus: fleet.maxVcpus,
    });

    // The deploy workflow sets it to the commit whose image it pushes; config gives a default for by-hand deploys.
    const imageTag = new TerraformVariable(this, IMAGE_TAG_VARIABLE, {
      type: 'string',
      description: 'Tag of the loadgen image (in the ECR repository) the job definition runs',
      ...(fleet.imageTag ? { default: fleet.imageTag } : {}),
    });
    imageTag.addValidation({
      condition: Fn.can(Fn.regex(ECR_IMAGE_TAG.source, imageTag.stringValue)),
      errorMessage: `${IMAGE_TAG_VARIABLE} must be an image tag: up to 128 of letters, digits, _ . -, not starting with . or -.`,
    });
    const job = new FargateJobDefinition(this, 'job', {
      account,
      name,
      repository,
      imageTag: imageTag.stringValue,
      vcpu: fleet.vcpu,
      memoryMiB,
      logGroup,
      assignPublicIp: fleet.assignPublicIp,
      timeoutMinutes: fleet.jobTimeoutMinutes,
      environment: {
        [FLEET_ENV.region]: aws.region,
        [FLEET_ENV.stream]: aws.streamName,
        [FLEET_ENV.reportsBucket]: reports.bucketName,
        [FLEET_ENV.reportsPrefix]: fleet.reportsPrefix,
      },
    });
    grantStreamWrite(job.jobRole, { streamArn: aws.streamArn, keyArn: aws.kmsKeyArn });
    reports.grantWrite(job.jobRole, fleet.reportsPrefix);

    this.exports = {
      jobQueueName: queue.jobQueueName,
      jobQueueArn: queue.jobQueueArn,
      jobDefinitionName: job.jobDefinitionName,
      jobDefinitionArn: job.jobDefinitionArn,
      maxVcpus: queue.maxVcpus,
      childVcpu: fleet.vcpu,
      childMemoryMib: memoryMiB,
      repositoryName: repository.repositoryName,
      repositoryUrl: repository.repositoryUrl,
      reportsBucketName: reports.bucketName,
      reportsPrefix: fleet.reportsPrefix,
      reportsUrl: `${reports.bucketUrl}/${fleet.reportsPrefix}`,
      logGroupName: logGroup.logGroupName,
      jobRoleArn: job.jobRole.roleArn,
      executionRoleArn: job.executionRole.roleArn,
    };
    writeOutputs(this, this.exports, DESCRIBED);
  }
}
