import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import { skipReason } from '../../review/ci/plan-stacks';
import { localStateStacks } from '../../review/ci/require-remote-state';
import { AwsIngestStack } from '../../stacks/aws-stack';
import { DatabricksStack } from '../../stacks/databricks-stack';
import { rawConfig, type Json } from '../aws/synth-aws';

const ROOT = resolve(__dirname, '../..');

/** The app as main.ts wires it, for prod with the given backend, synthesized into a temp dir. */
function synthProd(backend: Json): string {
  const outdir = mkdtempSync(join(tmpdir(), 'deploy-guard-'));
  const config = parseConfig({ ...rawConfig('prod'), backend });
  const app = new App({ outdir });
  const aws = new AwsIngestStack(app, 'iot-aws-prod', { config });
  new DatabricksStack(app, 'iot-databricks-prod', { config, aws: aws.exports });
  app.synth();
  return outdir;
}

const guard = (synthDir: string) =>
  spawnSync('npx', ['tsx', 'review/ci/require-remote-state.ts', '--synth-dir', synthDir], { cwd: ROOT, env: { ...process.env, STAGE: 'prod' }, encoding: 'utf8', timeout: 60000 });

describe('deploy guard (review/ci/require-remote-state.ts, run by deploy.yml before any apply)', () => {
  let local: string;
  let s3: string;
  beforeAll(() => {
    local = synthProd({ type: 'local' });
    s3 = synthProd({ type: 's3', bucket: 'acme-iot-tfstate' });
  });
  afterAll(() => [local, s3].forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses local state with one line saying why and what to set, exit 1', () => {
    expect(localStateStacks(local)).toEqual(['iot-aws-prod', 'iot-databricks-prod']);
    const run = guard(local);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'deploy: refusing to deploy iot-aws-prod, iot-databricks-prod with local state (backend.type "local" in config/prod.json): ' +
        'this runner discards it after the job, so the next deploy would recreate every resource; ' +
        'set backend.type "s3" and backend.bucket, after bootstrapping the state bucket (README: Remote state)\n',
    );
  });

  it('lets remote state through silently', () => {
    expect(localStateStacks(s3)).toEqual([]);
    const run = guard(s3);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
  });

  it('says plainly when there is nothing synthesized to check (exit 2)', () => {
    const run = guard(join(local, 'missing'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^require-remote-state: no manifest\.json in .*missing: synthesize first$/)]);
  });
});

describe('plan-stacks with local state', () => {
  it("skips a stack that reads another stack's local state file, which a runner does not have", () => {
    const reads = { provider: { databricks: [{}] }, data: { terraform_remote_state: { aws: { backend: 'local', config: { path: '../x.tfstate' } } } } };
    const creds = { AWS_ACCESS_KEY_ID: 'x', DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' };
    expect(skipReason(reads, creds, true)).toMatch(/reads another stack's outputs from a local state file, which this runner does not have; configure the S3 backend/);
    const remote = { ...reads, data: { terraform_remote_state: { aws: { backend: 's3', config: { bucket: 'b' } } } } };
    expect(skipReason(remote, creds, true)).toBeUndefined();
  });
});
