import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { BatchComputeEnvironment } from '@cdktf/provider-aws/lib/batch-compute-environment';
import { BatchJobQueue } from '@cdktf/provider-aws/lib/batch-job-queue';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { AccountContext } from '../../constructs/aws/arns';
import { ContainerRepository, PULL_OPERATIONS } from '../../constructs/aws/container-repository';
import { FargateJobDefinition } from '../../constructs/aws/fargate-job-definition';
import { FargateJobQueue } from '../../constructs/aws/fargate-job-queue';
import { grantStreamWrite, IngestStream, WRITE_OPERATIONS } from '../../constructs/aws/kinesis-stream';
import { CustomerManagedKey } from '../../constructs/aws/kms-key';
import { CLOUDWATCH_LOGS_KMS_ACTIONS, EncryptedLogGroup, LOG_WRITE_OPERATIONS } from '../../constructs/aws/log-group';
import { ManagedPolicy } from '../../constructs/aws/managed-policy';
import { grantBucketWrite, SecureBucket } from '../../constructs/aws/secure-bucket';
import { ServiceRole } from '../../constructs/aws/service-role';
import { FARGATE_MEMORY_MIB, fargateMemoryProblem } from '../../contract/aws-values';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function parts(scope: Construct) {
  const account = new AccountContext(scope, 'account');
  const key = new CustomerManagedKey(scope, 'key', { account, aliasName: 'fleet' });
  const repository = new ContainerRepository(scope, 'repo', { repositoryName: 'iot-test-loadgen', encryptionKey: key });
  const logGroup = new EncryptedLogGroup(scope, 'logs', { account, logGroupName: '/iot/test/loadgen', region: 'eu-west-1', encryptionKey: key });
  return { account, key, repository, logGroup };
}

/** Statements of the one policy document under a construct path fragment. */
function statementsOf(synthesized: string, pathFragment: string): Json[] {
  const docs = JSON.parse(synthesized).data.aws_iam_policy_document as Record<string, Json>;
  const match = Object.entries(docs).filter(([name]) => name.startsWith(pathFragment));
  if (match.length !== 1) throw new Error(`expected one document ${pathFragment}*, found ${match.map(([n]) => n).join(', ') || 'none'}`);
  return match[0][1].statement;
}

const sidActions = (statements: Json[]) => Object.fromEntries(statements.map((s) => [s.sid, [...s.actions].sort()]));

describe('ContainerRepository', () => {
  const synthesized = Testing.synthScope((scope) => parts(scope));

  it('has immutable tags, scans on push, is encrypted with the CMK and keeps the newest 30 images', () => {
    expect(synthesized).toHaveResourceWithProperties(EcrRepository, {
      name: 'iot-test-loadgen',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: 'KMS', kms_key: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/) }],
      force_delete: false,
    });
    const lifecycle = Object.values(JSON.parse(synthesized).resource.aws_ecr_lifecycle_policy as Record<string, Json>)[0];
    expect(JSON.parse(lifecycle.policy).rules).toEqual([
      expect.objectContaining({ selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 30 }, action: { type: 'expire' } }),
    ]);
    expect(synthesized).toHaveResource(EcrLifecyclePolicy);
  });

  it('grants pulls on its own ARN and the registry login, which AWS cannot scope, alone on *', () => {
    const pulled = Testing.synthScope((scope) => {
      const { repository } = parts(scope);
      repository.grantPull(new ManagedPolicy(scope, 'puller', { policyName: 'puller', description: 'test' }));
    });
    expect(statementsOf(pulled, 'puller')).toEqual([
      { sid: 'RepositoryPull', effect: 'Allow', actions: PULL_OPERATIONS, resources: [expect.stringMatching(/^\$\{aws_ecr_repository\.repo_repository_.+\.arn\}$/)] },
      { sid: 'RegistryLogin', effect: 'Allow', actions: ['ecr:GetAuthorizationToken'], resources: ['*'] },
    ]);
  });

  it('rejects a bad name or image count with the value received', () => {
    const build = (props: Json) => () => Testing.synthScope((scope) => new ContainerRepository(scope, 'r', { encryptionKey: parts(scope).key, repositoryName: 'ok', ...props }));
    expect(build({ repositoryName: 'Loadgen' })).toThrow('repositoryName must be 2-256 of lowercase letters, digits and ._-/ (no separator first, last or twice). Received "Loadgen"');
    expect(build({ keepImages: 0 })).toThrow('keepImages must be an integer >= 1. Received 0');
  });
});

describe('EncryptedLogGroup', () => {
  const synthesized = Testing.synthScope((scope) => parts(scope));

  it('is encrypted with the CMK and keeps events 30 days by default', () => {
    expect(synthesized).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/iot/test/loadgen',
      retention_in_days: 30,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/),
    });
  });

  it('lets CloudWatch Logs of its region use the key for this log group only, in the key policy', () => {
    const logs = statementsOf(synthesized, 'key_key-policy').find((s) => s.sid === 'CloudWatchLogsEncryptLogGroup');
    expect(logs).toEqual({
      sid: 'CloudWatchLogsEncryptLogGroup',
      effect: 'Allow',
      actions: CLOUDWATCH_LOGS_KMS_ACTIONS,
      resources: ['*'],
      principals: [{ type: 'Service', identifiers: ['logs.eu-west-1.amazonaws.com'] }],
      condition: [
        {
          test: 'ArnEquals',
          variable: 'kms:EncryptionContext:aws:logs:arn',
          values: [expect.stringMatching(/^arn:\$\{data\.aws_partition\..+\}:logs:eu-west-1:\$\{data\.aws_caller_identity\..+\.account_id\}:log-group:\/iot\/test\/loadgen$/)],
        },
      ],
    });
    expect(CLOUDWATCH_LOGS_KMS_ACTIONS.some((a) => a.includes('*'))).toBe(false);
  });

  it("grants log writes on its own streams only (`<group arn>:*`)", () => {
    const written = Testing.synthScope((scope) => parts(scope).logGroup.grantWrite(new ManagedPolicy(scope, 'writer', { policyName: 'writer', description: 'test' })));
    expect(statementsOf(written, 'writer')).toEqual([
      { sid: 'LogGroupWrite', effect: 'Allow', actions: LOG_WRITE_OPERATIONS, resources: [expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.logs_log-group_.+\.arn\}:\*$/)] },
    ]);
  });

  it('rejects a retention CloudWatch does not offer, a bad name or region, with the value received', () => {
    const build = (props: Json) => () =>
      Testing.synthScope((scope) => {
        const { account, key } = parts(scope);
        new EncryptedLogGroup(scope, 'g', { account, encryptionKey: key, logGroupName: 'g', region: 'eu-west-1', ...props });
      });
    expect(build({ retentionDays: 0 })).toThrow(/^retentionDays must be one of 1, 3, 5, .*, 3653\. Received 0$/);
    expect(build({ logGroupName: 'has space' })).toThrow('logGroupName must be 1-512 of letters, digits and _-/.#. Received "has space"');
    expect(build({ region: 'europe' })).toThrow('region must be an AWS region such as eu-west-1. Received "europe"');
  });
});

describe('FargateJobQueue', () => {
  const props = { name: 'iot-test-loadgen', subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] };

  it('is a managed on-demand Fargate compute environment in the given network behind one enabled queue', () => {
    const synthesized = Testing.synthScope((scope) => new FargateJobQueue(scope, 'q', props));
    expect(synthesized).toHaveResourceWithProperties(BatchComputeEnvironment, {
      name: 'iot-test-loadgen',
      type: 'MANAGED',
      compute_resources: { type: 'FARGATE', max_vcpus: 16, subnets: props.subnetIds, security_group_ids: props.securityGroupIds },
    });
    const compute = JSON.parse(synthesized).resource.aws_batch_compute_environment;
    expect(Object.values(compute as Record<string, Json>)[0].service_role).toBeUndefined(); // Batch's service-linked role
    expect(synthesized).toHaveResourceWithProperties(BatchJobQueue, {
      name: 'iot-test-loadgen',
      state: 'ENABLED',
      compute_environment_order: [{ order: 1, compute_environment: expect.stringMatching(/^\$\{aws_batch_compute_environment\.q_compute_.+\.arn\}$/) }],
    });
  });

  it('rejects ids that are not subnets or security groups, and more than 5 groups, with the value received', () => {
    const build = (extra: Json) => () => Testing.synthScope((scope) => new FargateJobQueue(scope, 'q', { ...props, ...extra }));
    expect(build({ subnetIds: [] })).toThrow('subnetIds must list subnet ids such as subnet-0123456789abcdef0. Received []');
    expect(build({ securityGroupIds: ['sg-1'] })).toThrow('securityGroupIds must list 1-5 security group ids such as sg-0123456789abcdef0. Received ["sg-1"]');
    expect(build({ securityGroupIds: Array(6).fill('sg-0123456789abcdef0') })).toThrow(/^securityGroupIds must list 1-5/);
    expect(build({ maxVcpus: 0 })).toThrow('maxVcpus must be an integer >= 1. Received 0');
  });
});

describe('FargateJobDefinition', () => {
  function synthJob(extra: Json = {}) {
    return Testing.synthScope((scope) => {
      const { account, repository, logGroup } = parts(scope);
      const job = new FargateJobDefinition(scope, 'job', {
        account,
        name: 'iot-test-loadgen',
        repository,
        imageTag: 'abc123',
        vcpu: 1,
        memoryMiB: 2048,
        logGroup,
        environment: { B_VAR: 'b', A_VAR: 'a' },
        ...extra,
      });
      job.jobRole.addToPolicy({ sid: 'Something', actions: ['kinesis:ListShards'], resources: ['arn:aws:kinesis:eu-west-1:123456789012:stream/s'] });
    });
  }
  const definitionOf = (synthesized: string): Json => Object.values(JSON.parse(synthesized).resource.aws_batch_job_definition as Record<string, Json>)[0];

  it('runs one attempt on Fargate with the image tag, size, sorted environment, awslogs to the log group and no public IP', () => {
    const definition = definitionOf(synthJob());
    expect(definition).toMatchObject({
      name: 'iot-test-loadgen',
      type: 'container',
      platform_capabilities: ['FARGATE'],
      propagate_tags: true,
      retry_strategy: { attempts: 1 },
      timeout: { attempt_duration_seconds: 3600 },
    });
    expect(JSON.parse(definition.container_properties)).toEqual({
      image: expect.stringMatching(/^\$\{aws_ecr_repository\.repo_repository_.+\.repository_url\}:abc123$/),
      executionRoleArn: expect.stringMatching(/^\$\{aws_iam_role\.job_execution-role_.+\.arn\}$/),
      jobRoleArn: expect.stringMatching(/^\$\{aws_iam_role\.job_job-role_.+\.arn\}$/),
      resourceRequirements: [
        { type: 'VCPU', value: '1' },
        { type: 'MEMORY', value: '2048' },
      ],
      environment: [
        { name: 'A_VAR', value: 'a' },
        { name: 'B_VAR', value: 'b' },
      ],
      logConfiguration: {
        logDriver: 'awslogs',
        options: { 'awslogs-group': expect.stringMatching(/^\$\{aws_cloudwatch_log_group\.logs_log-group_.+\.name\}$/), 'awslogs-region': 'eu-west-1', 'awslogs-stream-prefix': 'iot-test-loadgen' },
      },
      networkConfiguration: { assignPublicIp: 'DISABLED' },
      fargatePlatformConfiguration: { platformVersion: 'LATEST' },
      runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    });
    // Registered only once both roles and their policies exist.
    expect(definition.depends_on).toHaveLength(4);
  });

  it('gives the execution role exactly: pull from the repository, registry login, write the log group', () => {
    const synthesized = synthJob({ assignPublicIp: true, timeoutMinutes: 5 });
    expect(JSON.parse(definitionOf(synthesized).container_properties).networkConfiguration).toEqual({ assignPublicIp: 'ENABLED' });
    expect(definitionOf(synthesized).timeout).toEqual({ attempt_duration_seconds: 300 });
    expect(sidActions(statementsOf(synthesized, 'job_execution-role_permissions'))).toEqual({
      RepositoryPull: [...PULL_OPERATIONS].sort(),
      RegistryLogin: ['ecr:GetAuthorizationToken'],
      LogGroupWrite: [...LOG_WRITE_OPERATIONS].sort(),
    });
  });

  it('lets only ECS tasks of this account assume either role', () => {
    const synthesized = synthJob();
    for (const role of ['job_execution-role_trust', 'job_job-role_trust']) {
      expect(statementsOf(synthesized, role)).toEqual([
        {
          sid: 'EcsTasksAssumeRole',
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }],
          condition: [{ test: 'StringEquals', variable: 'aws:SourceAccount', values: [expect.stringMatching(/^\$\{data\.aws_caller_identity\..+\.account_id\}$/)] }],
        },
      ]);
    }
  });

  it('leaves the job role empty until granted: synth fails rather than create a role with no policy', () => {
    const stack = new TerraformStack(Testing.app(), 'ungranted');
    const { account, repository, logGroup } = parts(stack);
    new FargateJobDefinition(stack, 'job', { account, name: 'n', repository, imageTag: 't', vcpu: 1, memoryMiB: 2048, logGroup });
    expect(() => Testing.fullSynth(stack)).toThrow(/policy document ungranted\/job\/job-role\/permissions has no statements/);
  });

  it('rejects a size Fargate does not offer, a reserved environment name and a bad timeout, with the value received', () => {
    expect(() => synthJob({ vcpu: 2, memoryMiB: 2048 })).toThrow('memoryMiB must be a Fargate memory size for 2 vCPU: 4096 to 16384 in steps of 1024. Received 2048');
    expect(() => synthJob({ vcpu: 3 })).toThrow('memoryMiB needs a Fargate vCPU (one of 0.25, 0.5, 1, 2, 4, 8, 16), not 3. Received 2048');
    expect(() => synthJob({ environment: { AWS_BATCH_JOB_ID: 'x' } })).toThrow(
      'environment names must be letters, digits and _ and not start with AWS_BATCH_ (reserved by Batch). Received ["AWS_BATCH_JOB_ID"]',
    );
    expect(() => synthJob({ timeoutMinutes: 0.5 })).toThrow('timeoutMinutes must be an integer >= 1. Received 0.5');
  });
});

describe('Fargate sizes', () => {
  it("match AWS's table: 7 vCPU sizes, each memory range in its steps", () => {
    expect(Object.fromEntries(Object.entries(FARGATE_MEMORY_MIB).map(([v, m]) => [v, [m[0], m[m.length - 1], m.length]]))).toEqual({
      '0.25': [512, 2048, 3],
      '0.5': [1024, 4096, 4],
      '1': [2048, 8192, 7],
      '2': [4096, 16384, 13],
      '4': [8192, 30720, 23],
      '8': [16384, 61440, 12],
      '16': [32768, 122880, 12],
    });
    expect(fargateMemoryProblem(8, 18432)).toBe('must be a Fargate memory size for 8 vCPU: 16384 to 61440 in steps of 4096');
    expect(fargateMemoryProblem(8, 20480)).toBeUndefined();
    expect(fargateMemoryProblem(16, 40960)).toBeUndefined();
  });
});

describe('grants a stack holding only ARNs can make', () => {
  it('grantStreamWrite gives exactly what IngestStream.grantWrite gives (the producer policy)', () => {
    const statements = (grant: (scope: Construct, policy: ManagedPolicy) => void) =>
      statementsOf(
        Testing.synthScope((scope) => grant(scope, new ManagedPolicy(scope, 'producer', { policyName: 'p', description: 'test' }))),
        'producer',
      ).map((s) => ({ ...s, resources: s.resources.map((r: string) => (r.includes('kinesis') ? 'STREAM' : 'KEY')) }));
    const fromStream = statements((scope, policy) => {
      const { key } = parts(scope);
      new IngestStream(scope, 's', { name: 's', encryptionKey: key }).grantWrite(policy);
    });
    const fromArns = statements((_scope, policy) =>
      grantStreamWrite(policy, { streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s', keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/k' }),
    );
    expect(fromArns).toEqual(fromStream);
    expect(fromArns[0]).toMatchObject({ sid: 'StreamWrite', actions: WRITE_OPERATIONS });
  });

  it('grantBucketWrite gives PutObject under one prefix and GenerateDataKey: no read, list or delete', () => {
    const synthesized = Testing.synthScope((scope) => {
      const { key } = parts(scope);
      const bucket = new SecureBucket(scope, 'b', { bucketName: 'reports', encryptionKey: key });
      const role = new ServiceRole(scope, 'writer', { roleName: 'writer', description: 'test', trust: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['ecs-tasks.amazonaws.com'] }] }] });
      bucket.grantWrite(role, 'reports/');
    });
    expect(statementsOf(synthesized, 'writer_permissions')).toEqual([
      { sid: 'BucketObjectsWrite', effect: 'Allow', actions: ['s3:PutObject'], resources: [expect.stringMatching(/^\$\{aws_s3_bucket\.b_bucket_.+\.arn\}\/reports\/\*$/)] },
      { sid: 'KeyGenerateDataKey', effect: 'Allow', actions: ['kms:GenerateDataKey'], resources: [expect.stringMatching(/^\$\{aws_kms_key\.key_.+\.arn\}$/)] },
    ]);
    expect(() => grantBucketWrite({ addToPolicy: () => undefined }, { bucketArn: 'arn:aws:s3:::b', keyArn: 'k' }, 'reports/*')).toThrow(
      'prefix must be a key prefix such as delta/ (no wildcards, ends with /). Received "reports/*"',
    );
  });
});
