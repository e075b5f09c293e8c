import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBlock, resourcesOf } from '../policy/terraform-json';
import { orderStacks, readManifest } from '../review/ci/stack-order';
import { pinnedTerraformVersion } from '../stacks/terraform-version';
import { AwsStub, type StubRequest } from './aws-stub';
import { providerAddress, ProviderMirror } from './mirror';
import { offlineCopy } from './offline-copy';
import { producerOf } from './remote-state';
import { sandboxEnv, terraform, terraformVersion } from './terraform';
import { checkS3Backend, type BackendCheck } from './s3-backend-check';

export interface StackCheck {
  readonly stack: string;
  readonly status: 'planned' | 'skipped' | 'failed';
  /** Why it was skipped or failed, in words a reader can act on. */
  readonly reason?: string;
  /** Terraform's own summary line, e.g. `Plan: 20 to add, 0 to change, 0 to destroy.` */
  readonly headline?: string;
  /** `terraform show -json` of the saved plan. */
  readonly plan?: unknown;
  readonly planText?: string;
  /** Provider constraints relaxed to the mirror's versions, e.g. `aws 6.25.0 -> 5.100.0`. */
  readonly relaxed?: string[];
  /** Arguments written back under an older provider's names, e.g. `aws_batch_compute_environment.name -> compute_environment_name`. */
  readonly renamed?: string[];
  /** Other stacks' states stood in for by placeholder outputs, e.g. `iot-aws-dev: 3 outputs (placeholders)`. */
  readonly standIns?: string[];
  /** Required input variables given a placeholder value, e.g. `loadgen_image_tag = "tf-check"`. */
  readonly variables?: string[];
  /** AWS endpoints pointed at the stub. */
  readonly endpoints?: string[];
}

export interface TfCheckReport {
  /** Version of the terraform on PATH; undefined when there is none. */
  readonly terraform?: string;
  /** The version CI pins (.terraform-version). */
  readonly pinned: string;
  readonly mirror?: { readonly dir: string; readonly providers: string[] };
  /** Set when nothing could be checked at all (no terraform, no mirror). */
  readonly unavailable?: string;
  readonly stacks: StackCheck[];
  readonly backend?: BackendCheck;
  readonly stubUrl?: string;
  /** Every request the loopback stub answered. */
  readonly stubRequests: StubRequest[];
  /** The kept working directory (copies, plans, .terraform), with keepWorkDir. */
  readonly workDir?: string;
}

export interface TfCheckOptions {
  readonly mirror?: ProviderMirror;
  readonly env?: NodeJS.ProcessEnv;
  /** Keep the working directory (copies, plans, .terraform) instead of removing it. */
  readonly keepWorkDir?: boolean;
  /** Also check the S3 backend block our stacks write (init and apply of an empty configuration on the stub). */
  readonly backend?: boolean;
}

const tail = (text: string, lines = 40): string => text.trim().split('\n').slice(-lines).join('\n');

/**
 * Why a stack cannot be planned offline here, or undefined. A stack reading another stack's outputs is
 * planned when that stack is in the same synth (its outputs are stood in for by placeholders).
 */
function skipReason(stack: Record<string, unknown>, mirror: ProviderMirror, synthesized: ReadonlyMap<string, unknown>): string | undefined {
  const terraformBlock = isBlock(stack.terraform) ? stack.terraform : {};
  const required = isBlock(terraformBlock.required_providers) ? Object.values(terraformBlock.required_providers) : [];
  const missing = required
    .filter(isBlock)
    .filter((p) => !mirror.versionOf(String(p.source)))
    .map((p) => `${providerAddress(String(p.source)).replace('registry.terraform.io/', '')} ${String(p.version ?? '')}`.trim());
  const reasons: string[] = [];
  if (missing.length) reasons.push(`provider${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not in the mirror ${mirror.dir}`);
  const remotes = resourcesOf(stack, 'terraform_remote_state', 'data').map(([, remote]) => remote);
  const unknown = remotes.filter((r) => !synthesized.has(producerOf(r) ?? ''));
  if (unknown.length) reasons.push("it reads the outputs of a stack that is not in this synth through terraform_remote_state, which exist only once that stack is applied");
  return reasons.length ? reasons.join('; ') : undefined;
}

async function planStack(
  name: string,
  stackDir: string,
  workDir: string,
  mirror: ProviderMirror,
  stub: AwsStub,
  env: NodeJS.ProcessEnv,
  producers: ReadonlyMap<string, Record<string, unknown>>,
): Promise<StackCheck> {
  let copy;
  try {
    copy = offlineCopy(stackDir, join(workDir, name), mirror, stub.url, producers);
  } catch (error) {
    return { stack: name, status: 'failed', reason: (error as Error).message };
  }
  const base = { stack: name, relaxed: copy.relaxed, renamed: copy.renamed, endpoints: copy.endpoints, standIns: copy.standIns, variables: copy.variables };
  const steps: Array<[string, string[]]> = [
    ['init', ['init', '-input=false', '-no-color']],
    ['validate', ['validate', '-no-color']],
    ['plan', ['plan', '-input=false', '-no-color', '-out=tfplan']],
  ];
  let planText = '';
  for (const [step, args] of steps) {
    const run = await terraform(args, copy.dir, env);
    if (!run.ok) return { ...base, status: 'failed', reason: `terraform ${step} failed:\n${tail(run.output)}` };
    if (step === 'plan') planText = run.output;
  }
  const show = await terraform(['show', '-json', 'tfplan'], copy.dir, env);
  if (!show.ok) return { ...base, status: 'failed', reason: `terraform show -json failed:\n${tail(show.output)}` };
  const headline = /^(Plan: .*|No changes\..*)$/m.exec(planText)?.[1];
  return { ...base, status: 'planned', headline, plan: JSON.parse(show.stdout), planText };
}

/**
 * Validates and plans, with real terraform and offline, every synthesized stack whose providers the local
 * filesystem mirror has, in dependency order; says for every other stack why it was skipped. AWS calls go to
 * a loopback stub with fake credentials; state is an empty local file in a temporary directory.
 */
export async function checkStacks(synthDir: string, options: TfCheckOptions = {}): Promise<TfCheckReport> {
  const pinned = pinnedTerraformVersion();
  const stacks = orderStacks(readManifest(synthDir));
  const version = terraformVersion(options.env);
  const mirror = options.mirror ?? ProviderMirror.find();
  const unavailable = !version
    ? 'terraform is not installed (none on PATH)'
    : !mirror
      ? 'no filesystem provider mirror found (set TF_PLUGIN_MIRROR to one in <host>/<namespace>/<type>/<version>/<platform> layout)'
      : undefined;
  if (unavailable || !mirror) {
    return { terraform: version, pinned, unavailable, stubRequests: [], stacks: stacks.map((s) => ({ stack: s.name, status: 'skipped', reason: unavailable })) };
  }

  const stub = new AwsStub();
  await stub.start();
  const workDir = mkdtempSync(join(tmpdir(), 'tf-check-'));
  try {
    const env = sandboxEnv(workDir, mirror.dir, stub.url, options.env);
    const results: StackCheck[] = [];
    const synthesized = new Map(stacks.map((stack) => [stack.name, JSON.parse(readFileSync(join(synthDir, stack.workingDirectory, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>]));
    for (const stack of stacks) {
      const stackDir = join(synthDir, stack.workingDirectory);
      const reason = skipReason(synthesized.get(stack.name)!, mirror, synthesized);
      results.push(reason ? { stack: stack.name, status: 'skipped', reason } : await planStack(stack.name, stackDir, workDir, mirror, stub, env, synthesized));
    }
    const backendDir = join(workDir, 's3-backend');
    mkdirSync(backendDir);
    const backend = options.backend === false ? undefined : await checkS3Backend(backendDir, stub, env);
    return {
      terraform: version,
      pinned,
      mirror: { dir: mirror.dir, providers: mirror.providers().map((p) => `${p.address} ${p.version}`) },
      stacks: results,
      backend,
      stubUrl: stub.url,
      stubRequests: [...stub.requests],
      ...(options.keepWorkDir ? { workDir } : {}),
    };
  } finally {
    await stub.stop();
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}
