import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { FLEET_ENV, segmentReportKey } from '../../contract/load-fleet';
import { evaluateStack, extractIamStatements, type IamStatement } from '../../policy';
import { addStacks } from '../../stacks/app-stacks';
import { IMAGE_TAG_VARIABLE, LoadFleetStack } from '../../stacks/load-fleet-stack';
import { loadFleetOutputs } from '../../review/ci/load-fleet';
import { actionsBySid, named, rawConfig, type Json } from '../aws/synth-aws';
import { fleetConfig, synthApp, type SynthesizedApp } from './fleet-fixtures';

const ROOT = resolve(__dirname, '../..');
const REMOTE = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}$/;

/** The one resource of a type in a stack. */
function one(stack: Json, type: string): [string, Json] {
  const entries = Object.entries(stack.resource?.[type] ?? {}) as Array<[string, Json]>;
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return [`${type}.${entries[0][0]}`, entries[0][1]];
}

/** Inline permission statements of the role named `roleName`. */
function roleStatements(stack: Json, roleName: string): IamStatement[] {
  const [roleAddress] = named(stack, 'aws_iam_role', roleName);
  const policies = (Object.entries(stack.resource.aws_iam_role_policy) as Array<[string, Json]>)
    .filter(([, p]) => p.role === `\${${roleAddress}.id}`)
    .map(([name]) => `aws_iam_role_policy.${name}`);
  return extractIamStatements(stack).filter((s) => s.documentRole === 'inline' && s.usedBy.some((u) => policies.includes(u)));
}

const container = (stack: Json): Json => JSON.parse(one(stack, 'aws_batch_job_definition')[1].container_properties);

describe('load fleet stack (dev config with loadFleet enabled)', () => {
  let app: SynthesizedApp;
  let fleet: Json;
  let aws: Json;
  beforeAll(() => {
    app = synthApp(fleetConfig('dev'));
    fleet = app.stacks['iot-loadgen-dev'];
    aws = app.stacks['iot-aws-dev'];
  });
  afterAll(() => rmSync(app.outdir, { recursive: true, force: true }));

  it('is a third stack next to the AWS and Databricks stacks, and every rule passes on all three', () => {
    expect(Object.keys(app.stacks).sort()).toEqual(['iot-aws-dev', 'iot-databricks-dev', 'iot-loadgen-dev']);
    for (const [name, json] of Object.entries(app.stacks)) expect({ name, findings: evaluateStack(json) }).toEqual({ name, findings: [] });
  });

  it('creates exactly the fleet: key, repository, logs, reports bucket, compute, queue, job definition and two roles', () => {
    const counts = Object.fromEntries(Object.entries(fleet.resource as Record<string, Json>).map(([type, byName]) => [type, Object.keys(byName).length]));
    expect(counts).toEqual({
      aws_batch_compute_environment: 1,
      aws_batch_job_definition: 1,
      aws_batch_job_queue: 1,
      aws_cloudwatch_log_group: 1,
      aws_ecr_lifecycle_policy: 1,
      aws_ecr_repository: 1,
      aws_iam_role: 2,
      aws_iam_role_policy: 2,
      aws_kms_alias: 1,
      aws_kms_key: 1,
      aws_s3_bucket: 1,
      aws_s3_bucket_lifecycle_configuration: 1,
      aws_s3_bucket_ownership_controls: 1,
      aws_s3_bucket_policy: 1,
      aws_s3_bucket_public_access_block: 1,
      aws_s3_bucket_server_side_encryption_configuration: 1,
      aws_s3_bucket_versioning: 1,
    });
    expect(fleet.provider.aws).toEqual(aws.provider.aws);
  });

  it('reads the AWS stack through one terraform_remote_state, and only outputs the AWS stack declares', () => {
    const remotes = Object.values(fleet.data.terraform_remote_state as Record<string, Json>);
    expect(remotes).toEqual([expect.objectContaining({ backend: 'local', config: { path: aws.terraform.backend.local.path } })]);
    const text = JSON.stringify(fleet);
    const referenced = [...new Set([...text.matchAll(/terraform_remote_state\.[^.]+\.outputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]))];
    expect(referenced).toHaveLength(3); // stream name, stream ARN, key ARN
    expect(Object.keys(aws.output)).toEqual(expect.arrayContaining(referenced));
    expect(fleet.terraform.backend.local.path).toBe('../../../terraform.iot-loadgen-dev.tfstate');
  });

  it("gives the job role exactly the producer policy's rights on the stream and key, and PutObject under the reports prefix", () => {
    const job = roleStatements(fleet, 'iot-dev-loadgen-job');
    const producerDoc = named(aws, 'aws_iam_policy', 'iot-dev-kinesis-producer')[1].policy;
    const producer = extractIamStatements(aws).filter((s) => producerDoc.includes(s.address));
    expect(actionsBySid(job)).toEqual({
      ...actionsBySid(producer),
      BucketObjectsWrite: ['s3:PutObject'],
    });
    const bySid = Object.fromEntries(job.map((s) => [s.sid, s.resources]));
    const [bucketAddress] = one(fleet, 'aws_s3_bucket');
    const [keyAddress] = one(fleet, 'aws_kms_key');
    expect(bySid.StreamWrite).toEqual([expect.stringMatching(REMOTE)]);
    expect(bySid.StreamWrite[0]).toMatch(/kinesis_stream.*arn\}$/);
    // The stream's key (remote) for PutRecords, the fleet's own key for the reports.
    expect(bySid.KeyGenerateDataKey).toEqual([expect.stringMatching(/kms_key.*arn\}$/), `\${${keyAddress}.arn}`]);
    expect(bySid.KeyGenerateDataKey[0]).toMatch(REMOTE);
    expect(bySid.BucketObjectsWrite).toEqual([`\${${bucketAddress}.arn}/reports/*`]);
  });

  it('gives the execution role exactly: pull from this repository, registry login, write this log group', () => {
    const execution = roleStatements(fleet, 'iot-dev-loadgen-execution');
    expect(actionsBySid(execution)).toEqual({
      RepositoryPull: ['ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
      RegistryLogin: ['ecr:GetAuthorizationToken'],
      LogGroupWrite: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    });
    const bySid = Object.fromEntries(execution.map((s) => [s.sid, s.resources]));
    expect(bySid.RepositoryPull).toEqual([`\${${one(fleet, 'aws_ecr_repository')[0]}.arn}`]);
    expect(bySid.RegistryLogin).toEqual(['*']);
    expect(bySid.LogGroupWrite).toEqual([`\${${one(fleet, 'aws_cloudwatch_log_group')[0]}.arn}:*`]);
  });

  it('encrypts repository, log group and reports bucket with its own rotating CMK', () => {
    const keyArn = `\${${one(fleet, 'aws_kms_key')[0]}.arn}`;
    expect(one(fleet, 'aws_kms_key')[1].enable_key_rotation).toBe(true);
    expect(one(fleet, 'aws_kms_alias')[1].name).toBe('alias/iot-dev-loadgen');
    expect(one(fleet, 'aws_ecr_repository')[1].encryption_configuration).toEqual([{ encryption_type: 'KMS', kms_key: keyArn }]);
    expect(one(fleet, 'aws_cloudwatch_log_group')[1]).toMatchObject({ name: '/iot/dev/loadgen', kms_key_id: keyArn, retention_in_days: 30 });
    const sse = one(fleet, 'aws_s3_bucket_server_side_encryption_configuration')[1].rule[0].apply_server_side_encryption_by_default;
    expect(sse).toEqual({ sse_algorithm: 'aws:kms', kms_master_key_id: keyArn });
    expect(one(fleet, 'aws_s3_bucket')[1].bucket).toMatch(/^iot-loadgen-reports-dev-\$\{data\.aws_caller_identity\..+\.account_id\}-eu-west-1$/);
  });

  it('passes the stream, region and reports location to every child, and runs the image tag variable', () => {
    const props = container(fleet);
    expect(Object.fromEntries(props.environment.map((e: Json) => [e.name, e.value]))).toEqual({
      [FLEET_ENV.region]: 'eu-west-1',
      [FLEET_ENV.stream]: expect.stringMatching(REMOTE),
      [FLEET_ENV.reportsBucket]: `\${${one(fleet, 'aws_s3_bucket')[0]}.bucket}`,
      [FLEET_ENV.reportsPrefix]: 'reports/',
    });
    expect(props.environment.find((e: Json) => e.name === FLEET_ENV.stream).value).toMatch(/kinesis_stream.*name\}$/);
    expect(props.image).toBe(`\${${one(fleet, 'aws_ecr_repository')[0]}.repository_url}:\${var.${IMAGE_TAG_VARIABLE}}`);
    expect(props.resourceRequirements).toEqual([
      { type: 'VCPU', value: '1' },
      { type: 'MEMORY', value: '2048' },
    ]);
    // No default in config: whoever deploys says which image (the deploy workflow: the commit it pushed).
    expect(fleet.variable[IMAGE_TAG_VARIABLE]).toEqual(expect.objectContaining({ type: 'string' }));
    expect(fleet.variable[IMAGE_TAG_VARIABLE]).not.toHaveProperty('default');
    expect(fleet.variable[IMAGE_TAG_VARIABLE].validation[0].condition).toBe('${can(regex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", var.loadgen_image_tag))}');
  });

  it('runs Fargate on-demand in the configured subnets and groups, no public IP, one attempt of at most 2 h', () => {
    expect(one(fleet, 'aws_batch_compute_environment')[1].compute_resources).toEqual({
      type: 'FARGATE',
      max_vcpus: 16,
      subnets: ['subnet-0123456789abcdef0', 'subnet-0fedcba9876543210'],
      security_group_ids: ['sg-0123456789abcdef0'],
    });
    expect(container(fleet).networkConfiguration).toEqual({ assignPublicIp: 'DISABLED' });
    expect(one(fleet, 'aws_batch_job_definition')[1]).toMatchObject({ retry_strategy: { attempts: 1 }, timeout: { attempt_duration_seconds: 7200 } });
  });

  it('outputs what loadgen fleet needs to submit a run and find its reports', () => {
    expect(Object.keys(fleet.output).sort()).toEqual([
      'child-memory-mib',
      'child-vcpu',
      'execution-role-arn',
      'job-definition-arn',
      'job-definition-name',
      'job-queue-arn',
      'job-queue-name',
      'job-role-arn',
      'log-group-name',
      'max-vcpus',
      'reports-bucket-name',
      'reports-prefix',
      'reports-url',
      'repository-name',
      'repository-url',
    ]);
    expect(fleet.output['reports-url'].value).toBe(`s3://\${${one(fleet, 'aws_s3_bucket')[0]}.bucket}/reports/`);
    for (const output of Object.values(fleet.output as Record<string, Json>)) expect(output.description.length).toBeGreaterThan(10);
  });

  it('tears down with dev: the repository and the reports bucket follow lake.forceDestroy', () => {
    expect(one(fleet, 'aws_ecr_repository')[1].force_delete).toBe(true);
    expect(one(fleet, 'aws_s3_bucket')[1].force_destroy).toBe(true);
  });
});

describe('load fleet stack variants', () => {
  const synthFleet = (...args: Parameters<typeof fleetConfig>): Json => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'iot-fleet-variant-')) });
    const { loadFleet } = addStacks(app, fleetConfig(...args));
    app.synth();
    const json = JSON.parse(readFileSync(join(app.outdir, 'stacks', loadFleet!.node.id, 'cdk.tf.json'), 'utf8'));
    rmSync(app.outdir, { recursive: true, force: true });
    return json;
  };

  it('sizes children and the queue from config; memory defaults to the least Fargate allows for the vCPU', () => {
    const json = synthFleet('dev', { vcpu: 4, maxVcpus: 64, assignPublicIp: true, jobTimeoutMinutes: 30, logRetentionDays: 7, reportsPrefix: 'loadgen/runs/', imageTag: 'v1.2.3' });
    expect(container(json).resourceRequirements).toEqual([
      { type: 'VCPU', value: '4' },
      { type: 'MEMORY', value: '8192' },
    ]);
    expect(container(json).networkConfiguration).toEqual({ assignPublicIp: 'ENABLED' });
    expect(one(json, 'aws_batch_compute_environment')[1].compute_resources.max_vcpus).toBe(64);
    expect(one(json, 'aws_batch_job_definition')[1].timeout).toEqual({ attempt_duration_seconds: 1800 });
    expect(one(json, 'aws_cloudwatch_log_group')[1].retention_in_days).toBe(7);
    expect(json.variable[IMAGE_TAG_VARIABLE].default).toBe('v1.2.3');
    const put = extractIamStatements(json).find((s) => s.sid === 'BucketObjectsWrite')!;
    expect(put.resources).toEqual([expect.stringMatching(/\.arn\}\/loadgen\/runs\/\*$/)]);
    expect(json.output['max-vcpus'].value).toBe(64);
    expect(json.output['child-memory-mib'].value).toBe(8192);
  });

  it('keeps images and reports on a prod destroy, and keeps state in S3 next to the AWS stack', () => {
    const json = synthFleet('prod', {}, { backend: { type: 's3', bucket: 'acme-iot-tfstate' } });
    expect(one(json, 'aws_ecr_repository')[1].force_delete).toBe(false);
    expect(one(json, 'aws_s3_bucket')[1].force_destroy).toBe(false);
    expect(json.terraform.backend.s3).toMatchObject({ bucket: 'acme-iot-tfstate', key: 'iot-streaming/iot-loadgen-prod.tfstate', kms_key_id: 'alias/iot-tfstate', use_lockfile: true });
    const [remote] = Object.values(json.data.terraform_remote_state as Record<string, Json>);
    expect(remote).toMatchObject({ backend: 's3', config: { bucket: 'acme-iot-tfstate', key: 'iot-streaming/iot-aws-prod.tfstate' } });
    expect(evaluateStack(json)).toEqual([]);
  });

  it('is not created unless loadFleet.enabled, and refuses to be built without its network', () => {
    const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'iot-fleet-off-')) });
    const config = fleetConfig('dev', { enabled: false });
    expect(addStacks(app, config).loadFleet).toBeUndefined();
    expect(() => new LoadFleetStack(app, 'iot-loadgen-dev', { config, aws: { region: 'eu-west-1', streamName: 's', streamArn: 'a', kmsKeyArn: 'k' } })).toThrow(
      /^the load fleet needs loadFleet\.enabled, subnetIds and securityGroupIds in the dev config\. Received \{"enabled":false,/,
    );
    rmSync(app.outdir, { recursive: true, force: true });
  });
});

describe('the report layout children and `loadgen merge` share', () => {
  it('puts each segment of a run in one folder under the reports prefix, segments counted from 1', () => {
    expect(segmentReportKey('reports/', 'run-2024-01-01T00-00-00Z', 3, 8)).toBe('reports/run-2024-01-01T00-00-00Z/segment-3-of-8.json');
    expect(() => segmentReportKey('reports', 'r', 1, 1)).toThrow('prefix must be a key prefix ending in /. Received "reports"');
    expect(() => segmentReportKey('reports/', 'a/b', 1, 1)).toThrow('runId must be 1-128 of letters, digits, _ . and -. Received "a/b"');
    expect(() => segmentReportKey('reports/', 'r', 0, 4)).toThrow('segment must be an integer from 1 to segments (4). Received 0');
    expect(() => segmentReportKey('reports/', 'r', 5, 4)).toThrow('segment must be an integer from 1 to segments (4). Received 5');
  });
});

describe('main.ts with loadFleet enabled and no cloud credentials', () => {
  it('writes the three stacks, and the policy module finds nothing in any of them', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'iot-fleet-config-'));
    const outdir = mkdtempSync(join(tmpdir(), 'iot-fleet-main-'));
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify({ ...rawConfig('dev'), loadFleet: { enabled: true, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|DATABRICKS_|TF_)/.test(k) && k !== 'STAGE')) as Record<string, string>;
    const run = spawnSync('npx', ['tsx', 'main.ts'], { cwd: ROOT, env: { ...env, STAGE: 'dev', CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir }, encoding: 'utf8', timeout: 60000 });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const stacks = readdirSync(join(outdir, 'stacks')).sort();
    expect(stacks).toEqual(['iot-aws-dev', 'iot-databricks-dev', 'iot-loadgen-dev']);
    for (const stack of stacks) {
      const json = JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
      expect({ stack, findings: evaluateStack(json) }).toEqual({ stack, findings: [] });
      expect(JSON.stringify(json)).not.toMatch(/AKIA[0-9A-Z]{16}/);
    }
    const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks['iot-loadgen-dev'].dependencies).toEqual(['iot-aws-dev']);
    [configDir, outdir].forEach((d) => rmSync(d, { recursive: true, force: true }));
  });
});

describe('the deploy workflow asks the config whether to deploy the fleet (review/ci/load-fleet.ts)', () => {
  it('says enabled=false for the shipped configs, and the stack and repository when enabled', () => {
    expect(loadFleetOutputs(fleetConfig('dev', { enabled: false }))).toEqual(['enabled=false']);
    expect(loadFleetOutputs(fleetConfig('prod'))).toEqual(['enabled=true', 'stack=iot-loadgen-prod', 'repository=iot-prod-loadgen']);
  });

  it('prints GitHub outputs for STAGE, and stops on a bad config with one line and exit 2', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'iot-fleet-ci-'));
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify({ ...rawConfig('dev'), loadFleet: { enabled: true, subnetIds: ['subnet-0123456789abcdef0'], securityGroupIds: ['sg-0123456789abcdef0'] } }));
    writeFileSync(join(configDir, 'qa.json'), JSON.stringify({ ...rawConfig('dev'), stage: 'qa', loadFleet: { enabled: true } }));
    const run = (stage: string) => spawnSync('npx', ['tsx', 'review/ci/load-fleet.ts'], { cwd: ROOT, env: { ...process.env, STAGE: stage, CONFIG_DIR: configDir }, encoding: 'utf8', timeout: 60000 });
    const ok = run('dev');
    expect([ok.status, ok.stdout, ok.stderr]).toEqual([0, 'enabled=true\nstack=iot-loadgen-dev\nrepository=iot-dev-loadgen\n', '']);
    const bad = run('qa');
    expect([bad.status, bad.stdout]).toEqual([2, '']);
    expect(bad.stderr).toBe('config: loadFleet.subnetIds is required when loadFleet.enabled is true (subnet ids such as subnet-0123456789abcdef0), got nothing\n');
    rmSync(configDir, { recursive: true, force: true });
  });
});
