import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Testing } from 'cdktf';
import { parseConfig } from '../../config/load';
import { evaluateStack, extractIamStatements } from '../../policy';
import { StateBucketStack } from '../../stacks/state-bucket-stack';
import { only, rawConfig, synthAws, type Json } from './synth-aws';

const ROOT = resolve(__dirname, '../..');
const S3_BACKEND = { type: 's3', bucket: 'acme-iot-tfstate', keyPrefix: 'iot' };

function synthState(backend: Record<string, unknown> = S3_BACKEND): Json {
  const raw = rawConfig('dev');
  raw.backend = backend;
  const stack = new StateBucketStack(Testing.app(), 'iot-tfstate-dev', { config: parseConfig(raw) });
  return JSON.parse(Testing.synth(stack));
}

describe('remote-state bootstrap (StateBucketStack)', () => {
  let json: Json;
  beforeAll(() => (json = synthState()));

  it('is a versioned, KMS-encrypted, TLS-only, private bucket no plan can destroy', () => {
    const [bucketAddr, bucket] = only(json, 'aws_s3_bucket');
    expect(bucket).toMatchObject({ bucket: 'acme-iot-tfstate', force_destroy: false, lifecycle: { prevent_destroy: true } });
    const [keyAddr, key] = only(json, 'aws_kms_key');
    expect(key.enable_key_rotation).toBe(true);
    expect(only(json, 'aws_kms_alias')[1].name).toBe('alias/iot-tfstate');
    expect(only(json, 'aws_s3_bucket_versioning')[1].versioning_configuration).toEqual({ status: 'Enabled' });
    expect(only(json, 'aws_s3_bucket_server_side_encryption_configuration')[1].rule[0]).toEqual({
      apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms', kms_master_key_id: `\${${keyAddr}.arn}` },
      bucket_key_enabled: true,
    });
    expect(only(json, 'aws_s3_bucket_public_access_block')[1]).toMatchObject({
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    const tls = extractIamStatements(json).find((s) => s.documentRole === 'bucket')!;
    expect(tls).toMatchObject({ effect: 'Deny', actions: ['s3:*'], resources: [`\${${bucketAddr}.arn}`, `\${${bucketAddr}.arn}/*`] });
    expect(tls.conditions).toEqual([{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }]);
  });

  it('keeps its own state local (it exists before any bucket does)', () => {
    expect(json.terraform.backend).toEqual({ local: { path: '../../../terraform.iot-tfstate-dev.tfstate' } });
    expect(json.provider.aws[0].region).toBe('eu-west-1');
  });

  it('passes every policy rule, and the S3 rules catch a weakened copy', () => {
    expect(evaluateStack(json)).toEqual([]);
    const copy = structuredClone(json);
    only(copy, 'aws_s3_bucket_versioning')[1].versioning_configuration.status = 'Suspended';
    delete copy.resource.aws_s3_bucket_policy;
    expect(evaluateStack(copy).map((f) => f.ruleId).sort()).toEqual(['IOT-AWS-005', 'IOT-AWS-007']);
  });

  it('gives CI a read policy (plans) and a read/write policy (deploys, lock files) scoped to the state keys', () => {
    const byPolicy = (name: string) => {
      const [address] = Object.entries(json.resource.aws_iam_policy as Record<string, Json>).find(([, p]) => p.name === name)!;
      return extractIamStatements(json).filter((s) => s.usedBy.includes(`aws_iam_policy.${address}`));
    };
    const bucketArn = `\${${only(json, 'aws_s3_bucket')[0]}.arn}`;
    expect(byPolicy('iot-tfstate-dev-read').map((s) => [s.sid, s.actions, s.resources])).toEqual([
      ['BucketLocation', ['s3:GetBucketLocation'], [bucketArn]],
      ['BucketList', ['s3:ListBucket'], [bucketArn]],
      ['BucketObjectsRead', ['s3:GetObject'], [`${bucketArn}/iot/*`]],
      ['KeyDecrypt', ['kms:Decrypt'], [expect.stringMatching(/^\$\{aws_kms_key\./)]],
    ]);
    const write = byPolicy('iot-tfstate-dev-write');
    expect(write.find((s) => s.sid === 'BucketObjects')).toMatchObject({ resources: [`${bucketArn}/iot/*`], actions: expect.arrayContaining(['s3:PutObject', 's3:DeleteObject']) });
    expect(write.find((s) => s.sid === 'BucketList')?.conditions).toEqual([{ test: 'StringLike', variable: 's3:prefix', values: ['iot/', 'iot/*'] }]);
  });

  it("creates the key alias the stacks' backend encrypts state with", () => {
    const { json: aws } = synthAws('dev', (c) => (c.backend = S3_BACKEND));
    expect(aws.terraform.backend.s3.kms_key_id).toBe(only(json, 'aws_kms_alias')[1].name);
    const custom = synthState({ ...S3_BACKEND, kmsKeyAlias: 'team/state' });
    expect(only(custom, 'aws_kms_alias')[1].name).toBe('alias/team/state');
  });

  it('refuses a config without an S3 backend, naming what is missing', () => {
    expect(() => synthState({ type: 'local' })).toThrow('the state bucket needs backend.type "s3" and backend.bucket in the dev config.');
  });
});

describe('bootstrap/main.ts (the app `cd bootstrap && npx cdktf ...` runs)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  function runBootstrap(backend: Record<string, unknown>) {
    const configDir = mkdtempSync(join(tmpdir(), 'bootstrap-config-'));
    const outdir = mkdtempSync(join(tmpdir(), 'bootstrap-out-'));
    dirs.push(configDir, outdir);
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify({ ...rawConfig('dev'), backend }));
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'STAGE')) as Record<string, string>;
    const run = spawnSync('npx', ['tsx', 'main.ts'], { cwd: join(ROOT, 'bootstrap'), env: { ...env, CONFIG_DIR: configDir, CDKTF_OUTDIR: outdir }, encoding: 'utf8', timeout: 60000 });
    return { ...run, outdir };
  }

  it('synthesizes iot-tfstate-<stage> for a config with an S3 backend', () => {
    const run = runBootstrap(S3_BACKEND);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const stack = JSON.parse(readFileSync(join(run.outdir, 'stacks', 'iot-tfstate-dev', 'cdk.tf.json'), 'utf8'));
    expect(only(stack, 'aws_s3_bucket')[1].bucket).toBe('acme-iot-tfstate');
  });

  it('stops with one line and exit 2 when the config still has local state', () => {
    const run = runBootstrap({ type: 'local' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('config: backend.type is "local" in config/dev.json; set backend.type "s3" and backend.bucket first, then bootstrap that bucket\n');
    expect(existsSync(join(run.outdir, 'stacks'))).toBe(false);
  });
});
