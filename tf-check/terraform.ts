import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TerraformRun {
  readonly ok: boolean;
  readonly stdout: string;
  /** stdout and stderr together, as a person would read them. */
  readonly output: string;
}

/** `terraform version` of the binary on PATH, or undefined when there is none. */
export function terraformVersion(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const run = spawnSync('terraform', ['version', '-json'], { encoding: 'utf8', env: { ...env, CHECKPOINT_DISABLE: '1' } });
  if (run.status !== 0) return undefined;
  try {
    return String((JSON.parse(run.stdout) as { terraform_version: string }).terraform_version);
  } catch {
    return undefined;
  }
}

/**
 * The environment every tf-check terraform call runs in: providers only from the filesystem mirror (a CLI
 * config file written into `workDir`, never the machine's), no version-check call, fake AWS credentials,
 * no shared AWS config or instance metadata, every AWS endpoint on the loopback stub, no proxy for it.
 */
export function sandboxEnv(workDir: string, mirrorDir: string, stubUrl: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const cliConfig = join(workDir, 'terraformrc');
  writeFileSync(
    cliConfig,
    ['disable_checkpoint = true', 'provider_installation {', '  filesystem_mirror {', `    path = ${JSON.stringify(mirrorDir)}`, '  }', '}', ''].join('\n'),
  );
  const keep = Object.fromEntries(Object.entries(base).filter(([k]) => !/^(AWS_|TF_|HTTPS?_PROXY$|https?_proxy$|ALL_PROXY$|all_proxy$)/.test(k)));
  return {
    ...keep,
    TF_CLI_CONFIG_FILE: cliConfig,
    TF_IN_AUTOMATION: '1',
    TF_INPUT: '0',
    CHECKPOINT_DISABLE: '1',
    AWS_ACCESS_KEY_ID: 'AKIATFCHECKFAKE00000',
    AWS_SECRET_ACCESS_KEY: 'tf-check-fake-secret-not-a-credential',
    AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // Belt and braces: any service a provider block does not list still goes to the stub.
    AWS_ENDPOINT_URL: stubUrl,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

/** Runs terraform asynchronously (the AWS stub answers on this process's event loop meanwhile). */
export function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<TerraformRun> {
  return new Promise((resolvePromise) => {
    const child = spawn('terraform', args, { cwd, env });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      output += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error) => resolvePromise({ ok: false, stdout, output: `${output}${error.message}` }));
    child.on('close', (code) => resolvePromise({ ok: code === 0, stdout, output }));
  });
}
