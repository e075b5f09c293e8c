import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import { composeComment } from '../../review/ci/compose-comment';
import { planHeadline, summarizePlan } from '../../review/ci/plan-summary';
import { addStacks } from '../../stacks/app-stacks';
import { StateBucketStack } from '../../stacks/state-bucket-stack';
import { AwsStub } from '../../tf-check/aws-stub';
import { checkStacks, type TfCheckReport } from '../../tf-check/check-stacks';
import { asStackPlans, formatReport } from '../../tf-check/cli';
import { providerAddress, ProviderMirror, terraformPlatform } from '../../tf-check/mirror';
import { endpointsFor, offlineCopy } from '../../tf-check/offline-copy';
import { toAws5Arguments } from '../../tf-check/provider-compat';
import { placeholderValue, producerOf } from '../../tf-check/remote-state';
import { terraformVersion } from '../../tf-check/terraform';
import { rawConfig, type Json } from '../aws/synth-aws';
import { FLEET_ON } from '../load-fleet/fleet-fixtures';

const ROOT = resolve(__dirname, '../..');

describe('tf-check parts (no terraform needed)', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tf-check-parts-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a filesystem mirror in Terraform layout and resolves short provider sources', () => {
    mkdirSync(join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.100.0', terraformPlatform()), { recursive: true });
    mkdirSync(join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', 'aws', '5.9.0', terraformPlatform()), { recursive: true });
    mkdirSync(join(dir, 'mirror', 'registry.terraform.io', 'hashicorp', 'time', '0.13.1', 'other_platform'), { recursive: true });
    const mirror = new ProviderMirror(join(dir, 'mirror'));
    expect(mirror.versionOf('aws')).toBe('5.100.0');
    expect(mirror.versionOf('hashicorp/time')).toBeUndefined(); // not for this platform
    expect(providerAddress('databricks/databricks')).toBe('registry.terraform.io/databricks/databricks');
    expect(ProviderMirror.find(join(dir, 'nothing-here'))).toBeUndefined();
  });

  it('points every AWS endpoint a stack needs at the stub, relaxes versions, and replaces the backend with empty local state', () => {
    const stackDir = join(dir, 'stack');
    mkdirSync(stackDir);
    const stack = {
      terraform: { backend: { s3: { bucket: 'real-state' } }, required_version: '>= 1.11.0', required_providers: { aws: { source: 'aws', version: '6.25.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
      data: { aws_caller_identity: { me: {} }, aws_iam_policy_document: { d: {} } },
      resource: { aws_kinesis_stream: { s: {} }, aws_s3_bucket: { b: {} } },
    };
    writeFileSync(join(stackDir, 'cdk.tf.json'), JSON.stringify(stack));
    const copy = offlineCopy(stackDir, join(dir, 'copy'), new ProviderMirror(join(dir, 'mirror')), 'http://127.0.0.1:9');
    const written = JSON.parse(readFileSync(join(dir, 'copy', 'cdk.tf.json'), 'utf8'));
    expect(copy.relaxed).toEqual(['aws 6.25.0 -> 5.100.0']);
    expect(written.terraform).toEqual({ backend: { local: { path: 'terraform.tfstate' } }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } });
    expect(written.provider.aws[0]).toEqual({
      region: 'eu-west-1',
      endpoints: [{ kinesis: 'http://127.0.0.1:9', s3: 'http://127.0.0.1:9', sts: 'http://127.0.0.1:9' }],
      skip_metadata_api_check: 'true',
      skip_region_validation: true,
      s3_use_path_style: true,
    });
    // The original synth is untouched.
    expect(JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'))).toEqual(stack);
  });

  it("stands in for another stack's state with placeholders shaped like its outputs, and gives required variables a value", () => {
    const producer = {
      provider: { aws: [{ region: 'eu-west-1' }] },
      output: {
        'stream-arn': { value: '${aws_kinesis_stream.stream_1.arn}' },
        'bucket-url': { value: 's3://${aws_s3_bucket.lake_bucket_2.bucket}' },
        region: { value: 'eu-west-1' },
        'unread-output': { value: '${aws_kms_key.key_3.arn}' },
      },
    };
    const consumerDir = join(dir, 'consumer');
    mkdirSync(consumerDir);
    const consumer = {
      terraform: { backend: { local: { path: '../x.tfstate' } }, required_providers: { aws: { source: 'aws', version: '5.100.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
      variable: { image_tag: { type: 'string' }, with_default: { type: 'string', default: 'v1' } },
      data: { terraform_remote_state: { aws: { backend: 's3', config: { bucket: 'state', key: 'iot-streaming/iot-aws-dev.tfstate' } } } },
      output: {
        a: { value: '${data.terraform_remote_state.aws.outputs.stream-arn}' },
        b: { value: '${data.terraform_remote_state.aws.outputs.bucket-url}/x' },
        c: { value: '${data.terraform_remote_state.aws.outputs.region}' },
      },
    };
    writeFileSync(join(consumerDir, 'cdk.tf.json'), JSON.stringify(consumer));
    const copy = offlineCopy(consumerDir, join(dir, 'consumer-copy'), new ProviderMirror(join(dir, 'mirror')), 'http://127.0.0.1:9', new Map([['iot-aws-dev', producer]]));
    const written = JSON.parse(readFileSync(join(dir, 'consumer-copy', 'cdk.tf.json'), 'utf8'));
    expect(copy.standIns).toEqual(['iot-aws-dev: 3 outputs (placeholders)']);
    expect(written.data.terraform_remote_state.aws).toEqual({ backend: 'local', config: { path: 'remote-state-iot-aws-dev.tfstate' } });
    const state = JSON.parse(readFileSync(join(dir, 'consumer-copy', 'remote-state-iot-aws-dev.tfstate'), 'utf8'));
    expect(state.outputs).toEqual({
      'bucket-url': { value: 's3://tf-check-bucket-bucket', type: 'string' },
      region: { value: 'eu-west-1', type: 'string' },
      'stream-arn': { value: 'arn:aws:kinesis:eu-west-1:123456789012:stream/tf-check', type: 'string' },
    });
    expect(copy.variables).toEqual(['image_tag = "tf-check"']);
    expect(written.variable).toEqual({ image_tag: { type: 'string', default: 'tf-check' }, with_default: { type: 'string', default: 'v1' } });
    expect(producerOf({ backend: 'local', config: { path: '../../../terraform.iot-aws-prod.tfstate' } })).toBe('iot-aws-prod');
    expect(placeholderValue('${aws_iam_role.r_1.arn}', 'eu-west-1')).toBe('arn:aws:iam::123456789012:role/tf-check');
    expect(placeholderValue('${aws_s3_bucket.b_1.arn}', 'eu-west-1')).toBe('arn:aws:s3:::tf-check-bucket');
  });

  it('writes arguments AWS provider 6 renamed back under their 5.x names only when planning on a 5.x mirror', () => {
    const stack = () => ({ resource: { aws_batch_compute_environment: { c: { name: 'iot-dev-loadgen', type: 'MANAGED' } } } });
    const older = stack();
    expect(toAws5Arguments(older, '6.25.0', '5.100.0')).toEqual(['aws_batch_compute_environment.name -> compute_environment_name']);
    expect(older.resource.aws_batch_compute_environment.c).toEqual({ compute_environment_name: 'iot-dev-loadgen', type: 'MANAGED' });
    const same = stack();
    expect(toAws5Arguments(same, '6.25.0', '6.30.0')).toEqual([]);
    expect(same).toEqual(stack());
  });

  it('points the load fleet\'s services (Batch, ECR, CloudWatch Logs) at the stub too', () => {
    expect(endpointsFor({ resource: { aws_batch_job_queue: {}, aws_ecr_repository: {}, aws_cloudwatch_log_group: {}, aws_cloudwatch_metric_alarm: {} } })).toEqual([
      'batch',
      'cloudwatch',
      'ecr',
      'logs',
      'sts',
    ]);
  });

  it('refuses a resource type whose AWS endpoint it does not know, so a plan can never reach AWS', () => {
    expect(() => endpointsFor({ resource: { aws_dynamodb_table: { t: {} } } })).toThrow(
      'no AWS endpoint known for aws_dynamodb_table: add its service to SERVICE_ENDPOINTS so the plan cannot reach AWS',
    );
  });

  it('runs its AWS stub on loopback only: STS identity, Kinesis limits, a small S3, and 501 for the rest', async () => {
    const stub = new AwsStub();
    const url = await stub.start();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const sts = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=GetCallerIdentity&Version=2011-06-15' });
      expect(await sts.text()).toContain('<Account>123456789012</Account>');
      const limits = await fetch(url, { method: 'POST', headers: { 'x-amz-target': 'Kinesis_20131202.DescribeLimits' }, body: '{}' });
      expect(await limits.json()).toMatchObject({ ShardLimit: 500 });
      await fetch(`${url}/b/state/k.tflock`, { method: 'PUT', body: 'lock', headers: { 'if-none-match': '*' } });
      expect((await fetch(`${url}/b/state/k.tflock`, { method: 'PUT', body: 'again', headers: { 'if-none-match': '*' } })).status).toBe(412);
      const ranged = await fetch(`${url}/b/state/k.tflock`, { headers: { range: 'bytes=1-2' } });
      expect([ranged.status, await ranged.text(), ranged.headers.get('content-range')]).toEqual([206, 'oc', 'bytes 1-2/4']);
      expect(await (await fetch(`${url}/b?list-type=2&prefix=state/`)).text()).toContain('<Key>state/k.tflock</Key>');
      expect((await fetch(`${url}/b/state/k.tflock`, { method: 'DELETE' })).status).toBe(204);
      expect((await fetch(`${url}/b/state/k.tflock`, { method: 'HEAD' })).status).toBe(404);
      expect((await fetch(`${url}/?Action=DescribeInstances`, { method: 'POST' })).status).toBe(501);
      expect(stub.requests.map((r) => r.operation)).toEqual([
        'sts:GetCallerIdentity',
        'kinesis:DescribeLimits',
        's3:PutObject',
        's3:PutObject',
        's3:GetObject',
        's3:ListObjectsV2',
        's3:DeleteObject',
        's3:HeadObject',
        'unknown',
      ]);
    } finally {
      await stub.stop();
    }
  });

  it('tf-check rejects an unknown option with one line and exit 2', () => {
    const run = spawnSync('npx', ['tsx', 'tf-check/cli.ts', '--stack', 'x'], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('tf-check: invalid option "--stack"; usage: tf-check [--synth-dir <dir>] [--plans <dir>] [--keep]\n');
  });
});

/**
 * The real thing: terraform validate and plan of the synthesized AWS stack, offline, and the real plan through
 * the review's plan summary and PR comment. Where terraform or a provider mirror is absent (CI), the same call
 * must say so and skip every stack; the test checks that instead and prints why.
 */
describe('tf-check with real terraform', () => {
  let dir: string;
  let report: TfCheckReport;
  let bootstrap: TfCheckReport;
  const available = terraformVersion() !== undefined && ProviderMirror.find()?.versionOf('aws') !== undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tf-check-real-'));
    // The dev config with the load fleet on: all three stacks, the fleet reading the AWS stack's outputs.
    const config = parseConfig({ ...rawConfig('dev'), loadFleet: FLEET_ON });
    const app = new App({ outdir: join(dir, 'app') });
    addStacks(app, config);
    app.synth();
    const stateApp = new App({ outdir: join(dir, 'bootstrap') });
    new StateBucketStack(stateApp, 'iot-tfstate-dev', { config: { ...config, backend: { ...config.backend, type: 's3', bucket: 'acme-iot-tfstate' } } });
    stateApp.synth();
    // Mostly waiting on terraform processes: both at once.
    [report, bootstrap] = await Promise.all([checkStacks(join(dir, 'app')), checkStacks(join(dir, 'bootstrap'), { backend: false })]);
  }, 300_000); // a guard, not a speed target: terraform loads the AWS provider schema several times
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('validates and plans the AWS stack and says why the Databricks stack is skipped', () => {
    if (!available) {
      console.log(`tf-check test: real terraform part skipped here: ${report.unavailable}`);
      expect(report.unavailable).toMatch(/terraform is not installed|no filesystem provider mirror/);
      expect(report.stacks.map((s) => [s.stack, s.status])).toEqual([
        ['iot-aws-dev', 'skipped'],
        ['iot-databricks-dev', 'skipped'],
        ['iot-loadgen-dev', 'skipped'],
      ]);
      expect(formatReport(report)[0]).toMatch(/^tf-check: nothing checked: /);
      return;
    }
    const [awsCheck, dbx] = report.stacks;
    expect(awsCheck).toMatchObject({ stack: 'iot-aws-dev', status: 'planned', headline: expect.stringMatching(/^Plan: \d+ to add, 0 to change, 0 to destroy\.$/) });
    expect(awsCheck.endpoints).toEqual(['cloudwatch', 'iam', 'kinesis', 'kms', 's3', 'sts']);
    expect(dbx.status).toBe('skipped');
    expect(dbx.reason).toMatch(/databricks\/databricks .* not in the mirror/);
    // Its remote-state read alone would not stop it: the AWS stack is in the same synth.
    expect(dbx.reason).not.toMatch(/terraform_remote_state/);
    console.log(`tf-check test: ${formatReport(report).join('\n')}`);
  });

  it("validates and plans the load fleet stack against placeholder outputs of the AWS stack's state", () => {
    if (!available) return expect(report.stacks[2]).toMatchObject({ stack: 'iot-loadgen-dev', status: 'skipped' });
    const fleet = report.stacks[2];
    expect(fleet).toMatchObject({
      stack: 'iot-loadgen-dev',
      status: 'planned',
      headline: 'Plan: 19 to add, 0 to change, 0 to destroy.',
      endpoints: ['batch', 'ecr', 'iam', 'kms', 'logs', 's3', 'sts'],
      standIns: ['iot-aws-dev: 3 outputs (placeholders)'],
      variables: ['loadgen_image_tag = "tf-check"'],
    });
    if (fleet.relaxed?.some((r) => r.startsWith('aws 6.') && r.includes('-> 5.'))) {
      expect(fleet.renamed).toEqual(['aws_batch_compute_environment.name -> compute_environment_name']);
    }
    const planned = (fleet.plan as Json).resource_changes.filter((rc: Json) => rc.mode === 'managed').map((rc: Json) => rc.type);
    expect(planned).toEqual(expect.arrayContaining(['aws_batch_compute_environment', 'aws_batch_job_queue', 'aws_batch_job_definition', 'aws_ecr_repository', 'aws_cloudwatch_log_group']));
    // The job role's policy document read the stand-in stream ARN: the remote-state read really resolved.
    const jobDocument = (fleet.plan as Json).resource_changes.find((rc: Json) => rc.type === 'aws_iam_policy_document' && rc.address.includes('job-role_permissions'));
    expect(JSON.stringify(jobDocument.change.after.statement)).toContain('arn:aws:kinesis:eu-west-1:123456789012:stream/tf-check');
    expect(asStackPlans(report)[2].warning).toMatch(/placeholder outputs for iot-aws-dev$/);
  });

  it('talks to nothing but its loopback stub, and nothing unexpected', () => {
    if (!available) return expect(report.stubRequests).toEqual([]);
    expect(report.stubUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(report.stubRequests.filter((r) => r.operation === 'unknown')).toEqual([]);
    expect(report.stubRequests.map((r) => r.operation)).toContain('sts:GetCallerIdentity');
  });

  it('renders the real plan through the review: the summary counts what terraform printed, the comment lists each resource', () => {
    if (!available) return expect(asStackPlans(report).every((p) => p.status === 'skipped')).toBe(true);
    const awsCheck = report.stacks[0];
    const summary = summarizePlan(awsCheck.plan);
    expect(planHeadline(summary)).toBe(awsCheck.headline);
    const resources = (awsCheck.plan as Json).resource_changes.filter((rc: Json) => rc.mode === 'managed');
    expect(summary.add).toBe(resources.length);
    expect(summary.changes.map((c) => c.address)).toContain(resources.find((rc: Json) => rc.type === 'aws_kinesis_stream').address);
    const comment = composeComment({ review: '### Infrastructure review', plans: asStackPlans(report), checkov: { ok: false, reason: 'not run' } });
    expect(comment).toContain(`<code>iot-aws-dev</code>: ${awsCheck.headline}</summary>`);
    expect(comment).toMatch(/^\+ {3}aws_kinesis_stream\.stream_[A-F0-9]+$/m);
    expect(comment).toMatch(/^\+ {3}aws_s3_bucket\.lake_bucket_[A-F0-9]+$/m);
    expect(comment).toContain('- `iot-databricks-dev`: **plan skipped** because providers databricks/databricks');
  });

  it('runs init and apply with the S3 backend block the stacks write: every argument accepted, S3 locking, KMS-encrypted state', () => {
    if (!available) return expect(report.backend).toBeUndefined();
    expect(report.backend).toMatchObject({
      status: 'passed',
      arguments: ['bucket', 'encrypt', 'key', 'kms_key_id', 'region', 'use_lockfile'],
      requiredVersion: '>= 1.11.0',
      lockWrittenAndRemoved: true,
      stateEncryption: 'aws:kms alias/iot-tfstate',
    });
    if (report.terraform !== report.pinned) console.log(`tf-check test: terraform here is ${report.terraform}, CI pins ${report.pinned}`);
  });

  it('checks nothing and says why where terraform is absent, as on CI', async () => {
    const none = await checkStacks(join(dir, 'app'), { env: { ...process.env, PATH: join(dir, 'no-bin') } });
    expect(none.unavailable).toBe('terraform is not installed (none on PATH)');
    expect(none.stacks.map((s) => [s.stack, s.status, s.reason])).toEqual([
      ['iot-aws-dev', 'skipped', 'terraform is not installed (none on PATH)'],
      ['iot-databricks-dev', 'skipped', 'terraform is not installed (none on PATH)'],
      ['iot-loadgen-dev', 'skipped', 'terraform is not installed (none on PATH)'],
    ]);
    expect(formatReport(none)[0]).toBe('tf-check: nothing checked: terraform is not installed (none on PATH). CI pins terraform 1.11.4.');
  });

  it('plans the remote-state bootstrap too', () => {
    if (!available) return expect(bootstrap.stacks[0].status).toBe('skipped');
    expect(bootstrap.stacks).toEqual([
      expect.objectContaining({ stack: 'iot-tfstate-dev', status: 'planned', headline: expect.stringMatching(/^Plan: \d+ to add, 0 to change, 0 to destroy\.$/) }),
    ]);
  });
});
