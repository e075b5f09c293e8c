import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import type { AppConfig } from '../../config/schema';
import { ALL_RULES, evaluateStack, extractIamStatements } from '../../policy';
import { databricksRules } from '../../policy/rules/databricks';
import { AwsIngestStack } from '../../stacks/aws-stack';
import { DatabricksStack } from '../../stacks/databricks-stack';
import { only, testConfig, type Json } from './stack-fixtures';

interface AppOutput {
  outdir: string;
  aws: Json;
  dbx: Json;
  dbxText: string;
}

/** Both stacks in one app, wired as main.ts wires them, synthesized into a temp dir. */
function synthApp(config: AppConfig): AppOutput {
  const outdir = mkdtempSync(join(tmpdir(), 'iot-app-'));
  const app = new App({ outdir });
  const aws = new AwsIngestStack(app, 'iot-aws-dev', { config });
  new DatabricksStack(app, 'iot-databricks-dev', { config, aws: aws.exports });
  app.synth();
  const read = (stack: string) => readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
  const dbxText = read('iot-databricks-dev');
  return { outdir, aws: JSON.parse(read('iot-aws-dev')), dbx: JSON.parse(dbxText), dbxText };
}

const REMOTE = /^\$\{data\.terraform_remote_state\.[^.]+\.outputs\.[^}]+\}/;
const referencedOutputs = (text: string) =>
  [...new Set([...text.matchAll(/data\.terraform_remote_state\.[^.]+\.outputs\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]))];

describe('Databricks stack wired to the AWS stack', () => {
  let local: AppOutput;
  let s3: AppOutput;
  beforeAll(() => {
    local = synthApp(testConfig({ cluster: { accessMode: 'standard' } }));
    s3 = synthApp({ ...testConfig(), backend: { type: 's3', bucket: 'iot-terraform-state', keyPrefix: 'iot-streaming', kmsKeyAlias: 'iot-tfstate' } });
  });
  afterAll(() => [local, s3].forEach((o) => rmSync(o.outdir, { recursive: true, force: true })));

  it('reads the AWS stack through one terraform_remote_state on the AWS stack backend', () => {
    const remote = only(local.dbx, 'terraform_remote_state', 'data');
    expect(remote.backend).toBe('local');
    expect(remote.config).toEqual({ path: local.aws.terraform.backend.local.path });
    expect(remote.config.path).toBe('../../../terraform.iot-aws-dev.tfstate');
    expect(local.dbx.terraform.backend.local.path).toBe('../../../terraform.iot-databricks-dev.tfstate');
  });

  it('reads the S3 state of the AWS stack when the backend is S3', () => {
    const remote = only(s3.dbx, 'terraform_remote_state', 'data');
    expect(remote.backend).toBe('s3');
    expect(remote.config).toMatchObject({ bucket: 'iot-terraform-state', key: 'iot-streaming/iot-aws-dev.tfstate' });
    expect(s3.dbx.terraform.backend.s3).toMatchObject({
      bucket: 'iot-terraform-state',
      key: 'iot-streaming/iot-databricks-dev.tfstate',
      encrypt: true,
      kms_key_id: 'alias/iot-tfstate',
      use_lockfile: true,
    });
  });

  it('references only outputs the AWS stack declares; its own AWS resources are the UC roles and nothing else', () => {
    const referenced = referencedOutputs(local.dbxText);
    expect(referenced.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(local.aws.output)).toEqual(expect.arrayContaining(referenced));
    expect(Object.keys(local.dbx.resource).filter((type) => !type.startsWith('databricks_')).sort()).toEqual(['aws_iam_role', 'aws_iam_role_policy', 'time_sleep']);
    expect((Object.values(local.dbx.resource.aws_iam_role) as Json[]).map((r) => r.name).sort()).toEqual(['iot-dev-uc-kinesis', 'iot-dev-uc-storage']);
    // Same region and tags as the AWS stack: the roles belong with the resources they reach.
    expect(local.dbx.provider.aws).toEqual(local.aws.provider.aws);
  });

  it('takes the stream, bucket, key and roles from the AWS stack state', () => {
    const params = only(local.dbx, 'databricks_job').task[0].notebook_task.base_parameters;
    expect(params.stream_name).toMatch(REMOTE);
    const location = only(local.dbx, 'databricks_external_location');
    expect(location.url).toMatch(/^s3:\/\/\$\{data\.terraform_remote_state\./);
    expect(location.encryption_details.sse_encryption_details.aws_kms_key_arn).toMatch(REMOTE);
    const roleResources = extractIamStatements(local.dbx)
      .filter((st) => st.documentRole === 'inline')
      .flatMap((st) => st.resources)
      .filter((r) => !r.includes(':role/'));
    expect(roleResources.length).toBeGreaterThanOrEqual(5);
    for (const r of roleResources) expect(r).toMatch(REMOTE);
    // Standard mode: no instance profile to register, so none is read.
    expect(local.dbx.resource.databricks_instance_profile).toBeUndefined();
    const dedicated = only(s3.dbx, 'databricks_instance_profile').instance_profile_arn;
    expect(dedicated).toMatch(REMOTE);
  });

  it('registers the Databricks rules with the policy engine, and both stacks pass every rule', () => {
    expect(ALL_RULES).toEqual(expect.arrayContaining(databricksRules));
    expect(evaluateStack(local.dbx)).toEqual([]);
    expect(evaluateStack(s3.dbx)).toEqual([]);
    expect(evaluateStack(local.aws).filter((f) => f.ruleId.startsWith('IOT-DBX-'))).toEqual([]);
  });
});
