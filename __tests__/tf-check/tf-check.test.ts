import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import { composeComment } from '../../review/ci/compose-comment';
import { planHeadline, summarizePlan } from '../../review/ci/plan-summary';
import { AwsIngestStack } from '../../stacks/aws-stack';
import { DatabricksStack } from '../../stacks/databricks-stack';
import { StateBucketStack } from '../../stacks/state-bucket-stack';
import { AwsStub } from '../../tf-check/aws-stub';
import { checkStacks, type TfCheckReport } from '../../tf-check/check-stacks';
import { asStackPlans, formatReport } from '../../tf-check/cli';
import { providerAddress, ProviderMirror, terraformPlatform } from '../../tf-check/mirror';
import { endpointsFor, offlineCopy } from '../../tf-check/offline-copy';
import { terraformVersion } from '../../tf-check/terraform';
import { rawConfig, type Json } from '../aws/synth-aws';

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
    const config = parseConfig(rawConfig('dev'));
    const app = new App({ outdir: join(dir, 'app') });
    const aws = new AwsIngestStack(app, 'iot-aws-dev', { config });
    new DatabricksStack(app, 'iot-databricks-dev', { config, aws: aws.exports });
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
      ]);
      expect(formatReport(report)[0]).toMatch(/^tf-check: nothing checked: /);
      return;
    }
    const [awsCheck, dbx] = report.stacks;
    expect(awsCheck).toMatchObject({ stack: 'iot-aws-dev', status: 'planned', headline: expect.stringMatching(/^Plan: \d+ to add, 0 to change, 0 to destroy\.$/) });
    expect(awsCheck.endpoints).toEqual(['cloudwatch', 'iam', 'kinesis', 'kms', 's3', 'sts']);
    expect(dbx.status).toBe('skipped');
    expect(dbx.reason).toMatch(/databricks\/databricks .* not in the mirror/);
    expect(dbx.reason).toMatch(/terraform_remote_state/);
    console.log(`tf-check test: ${formatReport(report).join('\n')}`);
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
