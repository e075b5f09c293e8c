import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import { AwsIngestStack } from '../../stacks/aws-stack';
import { DatabricksStack } from '../../stacks/databricks-stack';
import { compareVersions, minimumTerraformFor, pinnedTerraformVersion, S3_BACKEND_ARGUMENTS_SINCE } from '../../stacks/terraform-version';
import { rawConfig, type Json } from '../aws/synth-aws';

/**
 * The one Terraform pin (.terraform-version, which both workflows install) against every S3 backend
 * argument the stacks write. `npm run tf-check` (and its test) also runs terraform init and apply with the
 * written backend block, where terraform is installed.
 */
describe('Terraform version pin and the S3 backend', () => {
  let stacks: Json[];
  let outdir: string;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'terraform-pin-'));
    const config = parseConfig({ ...rawConfig('prod'), backend: { type: 's3', bucket: 'acme-iot-tfstate', region: 'eu-central-1' } });
    const app = new App({ outdir });
    const aws = new AwsIngestStack(app, 'iot-aws-prod', { config });
    new DatabricksStack(app, 'iot-databricks-prod', { config, aws: aws.exports });
    app.synth();
    stacks = ['iot-aws-prod', 'iot-databricks-prod'].map((s) => JSON.parse(readFileSync(join(outdir, 'stacks', s, 'cdk.tf.json'), 'utf8')));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Every S3 argument written: backend blocks and the remote-state data sources that read them. */
  const writtenArguments = () =>
    [
      ...new Set(
        stacks.flatMap((s) => [
          ...Object.keys(s.terraform.backend.s3),
          ...Object.values((s.data?.terraform_remote_state ?? {}) as Record<string, Json>).flatMap((r) => (r.backend === 's3' ? Object.keys(r.config) : [])),
        ]),
      ),
    ].sort();

  it('pins one exact version', () => {
    expect(pinnedTerraformVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('knows the first Terraform release of every S3 argument the stacks write', () => {
    const written = writtenArguments();
    expect(written).toEqual(expect.arrayContaining(['bucket', 'key', 'region', 'encrypt', 'kms_key_id', 'use_lockfile']));
    expect(written.filter((a) => !(a in S3_BACKEND_ARGUMENTS_SINCE))).toEqual([]);
  });

  it('pins a version that accepts every written argument (use_lockfile: 1.11, which 1.9.8 was not)', () => {
    const needed = minimumTerraformFor(writtenArguments());
    expect(needed).toBe('1.11.0');
    expect(compareVersions(pinnedTerraformVersion(), needed)).toBeGreaterThanOrEqual(0);
    expect(compareVersions('1.9.8', needed)).toBeLessThan(0);
  });

  it("declares that minimum in each stack's required_version, which the pin satisfies", () => {
    for (const stack of stacks) {
      expect(stack.terraform.required_version).toBe(`>= ${minimumTerraformFor(writtenArguments())}`);
      const [, min] = /^>= (\d+\.\d+\.\d+)$/.exec(stack.terraform.required_version)!;
      expect(compareVersions(pinnedTerraformVersion(), min)).toBeGreaterThanOrEqual(0);
    }
  });

  it('refuses to compute a minimum for an argument it has no version for', () => {
    expect(() => minimumTerraformFor(['dynamodb_table'])).toThrow('S3 backend argument dynamodb_table has no known minimum Terraform version: add it to S3_BACKEND_ARGUMENTS_SINCE');
  });
});
