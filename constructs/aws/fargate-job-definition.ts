import { Construct } from 'constructs';
import { BatchJobDefinition } from '@cdktf/provider-aws/lib/batch-job-definition';
import { BATCH_NAME, BATCH_NAME_RULE, fargateMemoryProblem } from '../../contract/aws-values';
import type { AccountContext } from './arns';
import type { ContainerRepository } from './container-repository';
import type { EncryptedLogGroup } from './log-group';
import type { PolicyStatement } from './policy-document';
import { ServiceRole } from './service-role';

/** Who runs Fargate tasks (and so assumes both roles): ECS tasks of this account only. */
function ecsTasksTrust(account: AccountContext): PolicyStatement[] {
  return [
    {
      sid: 'EcsTasksAssumeRole',
      actions: ['sts:AssumeRole'],
      principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
      condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [account.accountId] }],
    },
  ];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export interface FargateJobDefinitionProps {
  readonly account: AccountContext;
  /** Job definition name, also the prefix of its two roles' names (`<name>-execution`, `<name>-job`). */
  readonly name: string;
  /** The repository the image comes from; the execution role may pull from it and from nothing else. */
  readonly repository: ContainerRepository;
  /** Image tag (may be a token, e.g. a Terraform variable). */
  readonly imageTag: string;
  /** vCPU of each job's task: 0.25, 0.5, 1, 2, 4, 8 or 16. */
  readonly vcpu: number;
  /** Memory of each job's task in MiB, a Fargate size for `vcpu`. */
  readonly memoryMiB: number;
  /** Where the containers' stdout and stderr go (the awslogs driver); the execution role may write there only. */
  readonly logGroup: EncryptedLogGroup;
  /** Environment of every container; names must not start with `AWS_BATCH_` (Batch reserves them). */
  readonly environment?: Record<string, string>;
  /**
   * Give each task a public IP: needed in a public subnet without NAT, never in a private one.
   * @default false
   */
  readonly assignPublicIp?: boolean;
  /**
   * Longest run of one job attempt; Batch stops it after this (a runaway job costs at most this much).
   * @default 60
   */
  readonly timeoutMinutes?: number;
}

/**
 * An AWS Batch job definition on Fargate with its two roles: the execution role (Fargate's agent: pull the
 * image from `repository`, write to `logGroup`, nothing else) and the job role (the container's own AWS
 * identity: no permissions until granted, e.g. `stream.grantWrite(definition.jobRole)`). One attempt per job:
 * a retried job would repeat work that already happened (for a load generator, records sent twice).
 */
export class FargateJobDefinition extends Construct {
  readonly jobDefinitionArn: string;
  readonly jobDefinitionName: string;
  readonly executionRole: ServiceRole;
  readonly jobRole: ServiceRole;

  constructor(scope: Construct, id: string, props: FargateJobDefinitionProps) {
    super(scope, id);
    const timeoutMinutes = props.timeoutMinutes ?? 60;
    const environment = props.environment ?? {};
    if (!BATCH_NAME.test(props.name)) {
      throw new Error(`name must be ${BATCH_NAME_RULE}. Received ${JSON.stringify(props.name)}`);
    }
    const memoryProblem = fargateMemoryProblem(props.vcpu, props.memoryMiB);
    if (memoryProblem) throw new Error(`memoryMiB ${memoryProblem}. Received ${props.memoryMiB}`);
    if (!Number.isInteger(timeoutMinutes) || timeoutMinutes < 1) {
      throw new Error(`timeoutMinutes must be an integer >= 1. Received ${timeoutMinutes}`);
    }
    const badNames = Object.keys(environment).filter((n) => !ENV_NAME.test(n) || n.startsWith('AWS_BATCH_'));
    if (badNames.length) {
      throw new Error(`environment names must be letters, digits and _ and not start with AWS_BATCH_ (reserved by Batch). Received ${JSON.stringify(badNames)}`);
    }

    const trust = ecsTasksTrust(props.account);
    this.executionRole = new ServiceRole(this, 'execution-role', {
      roleName: `${props.name}-execution`,
      description: `Fargate agent of ${props.name} jobs: pull the image, write the container logs`,
      trust,
    });
    props.repository.grantPull(this.executionRole);
    props.logGroup.grantWrite(this.executionRole);
    this.jobRole = new ServiceRole(this, 'job-role', {
      roleName: `${props.name}-job`,
      description: `Containers of ${props.name} jobs`,
      trust,
    });

    const containerProperties = {
      image: `${props.repository.repositoryUrl}:${props.imageTag}`,
      executionRoleArn: this.executionRole.roleArn,
      jobRoleArn: this.jobRole.roleArn,
      resourceRequirements: [
        { type: 'VCPU', value: String(props.vcpu) },
        { type: 'MEMORY', value: String(props.memoryMiB) },
      ],
      // Sorted: Batch returns them sorted, so the plan shows no change that is not one.
      environment: Object.keys(environment)
        .sort()
        .map((name) => ({ name, value: environment[name] })),
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': props.logGroup.logGroupName, 'awslogs-region': props.logGroup.region, 'awslogs-stream-prefix': props.name },
      },
      networkConfiguration: { assignPublicIp: props.assignPublicIp ? 'ENABLED' : 'DISABLED' },
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    };
    const definition = new BatchJobDefinition(this, 'definition', {
      name: props.name,
      type: 'container',
      platformCapabilities: ['FARGATE'],
      propagateTags: true,
      retryStrategy: { attempts: 1 },
      timeout: { attemptDurationSeconds: timeoutMinutes * 60 },
      containerProperties: JSON.stringify(containerProperties),
      // The roles must be able to do their jobs before the first job starts.
      dependsOn: [...this.executionRole.dependables, ...this.jobRole.dependables],
    });
    this.jobDefinitionArn = definition.arn;
    this.jobDefinitionName = definition.name;
  }
}
