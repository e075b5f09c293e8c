import { Construct } from 'constructs';
import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { BatchJobQueue } from '@cdktf/provider-aws/lib/batch-job-queue';
import { BATCH_NAME, BATCH_NAME_RULE, MAX_SECURITY_GROUPS, SECURITY_GROUP_ID, SUBNET_ID } from '../../contract/aws-values';

export interface FargateJobQueueProps {
  /** Name of the compute environment and of the queue, 1-128 of letters, digits, `_` and `-`. */
  readonly name: string;
  /** Subnets the jobs' tasks run in (they need a route to ECR, S3, CloudWatch Logs and the services jobs call). */
  readonly subnetIds: string[];
  /** Security groups of the tasks (outbound HTTPS is all a job that only calls AWS APIs needs). */
  readonly securityGroupIds: string[];
  /**
   * vCPUs all running jobs together may use; jobs beyond it wait in the queue.
   * @default 16
   */
  readonly maxVcpus?: number;
}

/**
 * A managed AWS Batch compute environment on Fargate (on-demand: a Spot reclaim would cut a job short) and
 * the job queue in front of it. Batch uses its service-linked role (AWSServiceRoleForBatch), so no service
 * role is created or passed.
 */
export class FargateJobQueue extends Construct {
  readonly jobQueueArn: string;
  readonly jobQueueName: string;
  readonly maxVcpus: number;

  constructor(scope: Construct, id: string, props: FargateJobQueueProps) {
    super(scope, id);
    const maxVcpus = props.maxVcpus ?? 16;
    if (!BATCH_NAME.test(props.name)) {
      throw new Error(`name must be ${BATCH_NAME_RULE}. Received ${JSON.stringify(props.name)}`);
    }
    if (!props.subnetIds.length || props.subnetIds.some((s) => !SUBNET_ID.test(s))) {
      throw new Error(`subnetIds must list subnet ids such as subnet-0123456789abcdef0. Received ${JSON.stringify(props.subnetIds)}`);
    }
    if (!props.securityGroupIds.length || props.securityGroupIds.length > MAX_SECURITY_GROUPS || props.securityGroupIds.some((s) => !SECURITY_GROUP_ID.test(s))) {
      throw new Error(`securityGroupIds must list 1-${MAX_SECURITY_GROUPS} security group ids such as sg-0123456789abcdef0. Received ${JSON.stringify(props.securityGroupIds)}`);
    }
    if (!Number.isInteger(maxVcpus) || maxVcpus < 1) {
      throw new Error(`maxVcpus must be an integer >= 1. Received ${maxVcpus}`);
    }
    const compute = new BatchComputeEnvironment(this, 'compute', {
      name: props.name,
      type: 'MANAGED',
      computeResources: {
        type: 'FARGATE',
        maxVcpus,
        subnets: [...props.subnetIds],
        securityGroupIds: [...props.securityGroupIds],
      },
    });
    const queue = new BatchJobQueue(this, 'queue', {
      name: props.name,
      state: 'ENABLED',
      priority: 1,
      computeEnvironmentOrder: [{ order: 1, computeEnvironment: compute.arn }],
    });
    this.jobQueueArn = queue.arn;
    this.jobQueueName = queue.name;
    this.maxVcpus = maxVcpus;
  }
}
