import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { evaluateStack } from '../../policy';
import { rawConfig } from './synth-aws';

const ROOT = resolve(__dirname, '../..');

/** Runs the app as `cdktf synth` does (`npx tsx main.ts`), with no AWS_* variable in the environment. */
function runApp(env: Record<string, string>) {
  const outdir = mkdtempSync(join(tmpdir(), 'aws-app-'));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'STAGE' && k !== 'CONFIG_DIR')) as Record<string, string>;
  const result = spawnSync('npx', ['tsx', 'main.ts'], { cwd: ROOT, env: { ...clean, CDKTF_OUTDIR: outdir, ...env }, encoding: 'utf8', timeout: 60000 });
  return { ...result, outdir };
}

describe('main.ts without cloud credentials', () => {
  it.each(['dev', 'prod'])('synthesizes the %s stacks, and the policy module finds nothing in any of them', (stage) => {
    const run = runApp({ STAGE: stage });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.status).toBe(0);
    const stack = JSON.parse(readFileSync(join(run.outdir, 'stacks', `iot-aws-${stage}`, 'cdk.tf.json'), 'utf8'));
    expect(Object.keys(stack.resource)).toContain('aws_kinesis_stream');
    expect(JSON.stringify(stack)).not.toMatch(/AKIA[0-9A-Z]{16}/);
    // Every stack the app writes (the Databricks stack too, once main.ts wires it).
    const manifest = JSON.parse(readFileSync(join(run.outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.values(manifest.stacks) as Array<{ name: string; synthesizedStackPath: string }>;
    expect(stacks.map((s) => s.name)).toContain(`iot-aws-${stage}`);
    for (const s of stacks) {
      const json = JSON.parse(readFileSync(join(run.outdir, s.synthesizedStackPath), 'utf8'));
      expect({ stack: s.name, findings: evaluateStack(json) }).toEqual({ stack: s.name, findings: [] });
    }
  });

  it('stops on a bad value with one line naming the key, exit code 2 and no output', () => {
    const configDir = mkdtempSync(join(tmpdir(), 'aws-config-'));
    const config = rawConfig('dev');
    config.stream.shardCount = 0;
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(config));
    const run = runApp({ STAGE: 'dev', CONFIG_DIR: configDir });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('config: stream.shardCount must be >= 1, got 0\n');
    expect(existsSync(join(run.outdir, 'stacks'))).toBe(false);
  });

  it('names STAGE when no config file exists for it', () => {
    const run = runApp({ STAGE: 'qa' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^config: STAGE "qa" has no config file .*qa\.json \(stages: .*dev.*prod/)]);
  });
});
