import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App } from 'cdktf';
import { parseConfig } from '../../config/load';
import { addStacks } from '../../stacks/app-stacks';
import { StateBucketStack } from '../../stacks/state-bucket-stack';
import { rawConfig } from '../aws/synth-aws';
import { FLEET_ON } from '../load-fleet/fleet-fixtures';
import { parseCdktfCommand, readmeCommands, workflowCommands, type CdktfCommand } from './cdktf-commands';

const ROOT = resolve(__dirname, '../..');
/** A guard, not a speed target: each cdktf CLI start costs seconds of CPU, more on a busy machine. */
const CLI_TIMEOUT_MS = 300_000;

/**
 * Every cdktf command the README and the workflows tell a user to run is run here with the real cdktf CLI
 * on a real synth of this app, with a stand-in terraform on PATH: cdktf's stack-dependency check runs
 * before it calls terraform, so a command either stops with cdktf's "Usage Error" or reaches terraform.
 */
describe('cdktf commands in the README and the workflows', () => {
  let dir: string;
  const outdirs: Record<string, string> = {};

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cdktf-commands-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'terraform'),
      [
        '#!/bin/sh',
        'case "$1" in',
        '  version) echo \'{"terraform_version":"1.11.4"}\'; exit 0 ;;',
        '  -v|--version) echo "Terraform v1.11.4"; exit 0 ;;',
        'esac',
        'echo "STAND-IN TERRAFORM $1"',
        'exit 1',
        '',
      ].join('\n'),
    );
    chmodSync(join(bin, 'terraform'), 0o755);
    for (const stage of ['dev', 'prod'] as const) {
      const config = parseConfig(rawConfig(stage));
      const app = new App({ outdir: (outdirs[stage] = join(dir, `out-${stage}`)) });
      addStacks(app, config);
      app.synth();
      // The same stage with the load fleet on (`loadFleet.enabled`), for the commands that name its stack.
      const withFleet = new App({ outdir: (outdirs[`${stage}+fleet`] = join(dir, `out-${stage}-fleet`)) });
      addStacks(withFleet, parseConfig({ ...rawConfig(stage), loadFleet: FLEET_ON }));
      withFleet.synth();
      // The state-bucket bootstrap app, for a config with an S3 backend.
      const bootstrap = new App({ outdir: (outdirs[`bootstrap/${stage}`] = join(dir, `bootstrap-${stage}`)) });
      new StateBucketStack(bootstrap, `iot-tfstate-${stage}`, { config: { ...config, backend: { ...config.backend, type: 's3', bucket: 'acme-iot-tfstate' } } });
      bootstrap.synth();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * Runs the command with --skip-synth on the prepared synth (with the load fleet on when it names the fleet
   * stack); says whether cdktf let it reach terraform.
   */
  function run(command: CdktfCommand): Promise<{ verdict: 'rejected' | 'reached terraform' | 'other'; output: string }> {
    const stage = command.env.STAGE ?? 'dev';
    const fleet = command.args.some((a) => a.startsWith('iot-loadgen-')) ? '+fleet' : '';
    const outdir = outdirs[command.cwd === '.' ? `${stage}${fleet}` : `${command.cwd}/${stage}`];
    const env = { ...process.env, ...command.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, CHECKPOINT_DISABLE: '1', CI: '1' };
    return new Promise((resolvePromise) => {
      const child = spawn('npx', ['cdktf', command.verb, ...command.args, '--skip-synth', '--output', outdir], { cwd: join(ROOT, command.cwd), env });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('close', () => {
        const verdict = /Usage Error/.test(output) ? 'rejected' : /STAND-IN TERRAFORM (init|output|plan)/.test(output) ? 'reached terraform' : 'other';
        resolvePromise({ verdict, output });
      });
    });
  }

  const workflows = readdirSync(join(ROOT, '.github', 'workflows')).filter((f) => /\.ya?ml$/.test(f));
  const commands = [...readmeCommands(), ...workflowCommands(workflows)].filter((c) => c.verb !== 'synth');

  it('finds the deploy, teardown and plan journeys in the README and the deploy workflow', () => {
    const named = (verb: string, source?: string) => commands.filter((c) => c.verb === verb && (!source || c.source === source)).map((c) => c.args.filter((a) => !a.startsWith('-')).join(' '));
    expect(named('deploy', 'README.md')).toEqual(expect.arrayContaining(['iot-aws-dev iot-databricks-dev', 'iot-tfstate-dev']));
    expect(named('destroy', 'README.md')).toEqual(expect.arrayContaining(['iot-databricks-dev iot-aws-dev']));
    expect(named('diff', 'README.md').length).toBeGreaterThan(0);
    expect(named('deploy', 'deploy.yml')).toEqual(['iot-aws-dev iot-databricks-dev', 'iot-aws-dev iot-loadgen-dev']);
    // The load fleet: deployed with the AWS stack, torn down alone or with everything.
    expect(named('deploy', 'README.md')).toEqual(expect.arrayContaining(['iot-aws-dev iot-loadgen-dev']));
    expect(named('destroy', 'README.md')).toEqual(expect.arrayContaining(['iot-loadgen-dev', 'iot-loadgen-dev iot-databricks-dev iot-aws-dev']));
  });

  it('the stand-in terraform tells a rejected command from an accepted one (the command the issue measured is rejected)', async () => {
    const old = parseCdktfCommand('npx cdktf deploy iot-databricks-<stage>', 'issue 8')!;
    const oldDestroy = parseCdktfCommand('npx cdktf destroy iot-aws-<stage>', 'issue 8')!;
    const fleetAlone = parseCdktfCommand('npx cdktf deploy iot-loadgen-<stage>', 'issue 10')!;
    const [deploy, destroy, fleet] = await Promise.all([run(old), run(oldDestroy), run(fleetAlone)]);
    expect(fleet.output).toContain('The following dependencies are not included in the stacks to run: iot-aws-dev');
    expect(fleet.verdict).toBe('rejected');
    expect(deploy.output).toContain('The following dependencies are not included in the stacks to run: iot-aws-dev');
    expect(deploy.verdict).toBe('rejected');
    expect(destroy.output).toContain('The following dependant stacks are not included in the stacks to run: iot-databricks-dev');
    expect(destroy.verdict).toBe('rejected');
  }, CLI_TIMEOUT_MS);

  it('every command passes cdktf\'s stack-dependency check and reaches terraform', async () => {
    // The same command written twice runs once; two at a time suits a 2-core machine.
    const distinct = [...new Map(commands.map((c) => [JSON.stringify([c.cwd, c.env, c.verb, c.args]), c])).values()];
    expect(distinct.length).toBeGreaterThanOrEqual(6);
    const results: Array<{ command: string; verdict: string; output: string }> = [];
    const queue = [...distinct];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) results.push({ command: `${c.source}: ${c.text}`, ...(await run(c)) });
    };
    await Promise.all([worker(), worker()]);
    const failed = results.filter((r) => r.verdict !== 'reached terraform').map((r) => ({ command: r.command, verdict: r.verdict, output: r.output.split('\n').filter((l) => /Error|STAND-IN/.test(l)).slice(0, 3) }));
    expect(failed).toEqual([]);
  }, CLI_TIMEOUT_MS);
});
