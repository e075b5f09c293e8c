import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');

// What `cdktf synth` runs (cdktf.json: `npx tsx main.ts`), from an environment without cloud credentials.
describe('main.ts with no DATABRICKS_* or AWS_* variable set', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'iot-main-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('writes both stacks, the Databricks one reading the AWS one through remote state', () => {
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(AWS_|DATABRICKS_)/.test(k) && k !== 'STAGE' && k !== 'CONFIG_DIR'),
    ) as Record<string, string>;
    const run = spawnSync('npx', ['tsx', 'main.ts'], {
      cwd: ROOT,
      env: { ...env, STAGE: 'prod', CDKTF_OUTDIR: outdir },
      encoding: 'utf8',
      timeout: 60000,
    });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const read = (stack: string) => JSON.parse(readFileSync(join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'));
    const aws = read('iot-aws-prod');
    const dbx = read('iot-databricks-prod');
    const [remote] = Object.values(dbx.data.terraform_remote_state) as { backend: string; config: { path: string } }[];
    expect(remote).toMatchObject({ backend: 'local', config: { path: aws.terraform.backend.local.path } });
    const job = Object.values(dbx.resource.databricks_job)[0] as { task: { notebook_task: { base_parameters: Record<string, string> } }[] };
    const streamOutput = job.task[0].notebook_task.base_parameters.stream_name.match(/outputs\.([^}]+)\}/)![1];
    expect(Object.keys(aws.output)).toContain(streamOutput);
  });
});
