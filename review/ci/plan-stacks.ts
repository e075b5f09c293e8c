import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isRecord } from '../terraform-json';
import { PlanSummary, summarizePlan } from './plan-summary';
import { orderStacks, readManifest } from './stack-order';
import { readsLocalRemoteState, usesLocalState } from './state-backend';

/**
 * CI step: `terraform init` + `terraform plan` for every synthesized stack, in dependency order (aws before
 * databricks), where credentials allow. Writes `<out>/plans.json` (one entry per stack, for the PR comment)
 * and each stack's plan text. Exit 1 when a plan failed, 0 otherwise (skipped plans are not failures:
 * the comment says why they were skipped).
 *
 *   npx tsx review/ci/plan-stacks.ts --synth-dir cdktf.out --out plans
 */

export interface StackPlan {
  readonly stack: string;
  readonly status: 'planned' | 'skipped' | 'failed';
  readonly reason?: string;
  readonly summary?: PlanSummary;
  /** Something the reader must know to trust the plan, e.g. that state is local to the runner. */
  readonly warning?: string;
  /** The human-readable plan (or the failing command's output), trimmed to the last lines that matter. */
  readonly text?: string;
}

/** Lines of plan text kept per stack; the PR comment has a size limit and the job log has the rest. */
const MAX_TEXT_LINES = 300;
const tail = (text: string): string => text.trim().split('\n').slice(-MAX_TEXT_LINES).join('\n');

/** Why a stack cannot be planned in this environment, or undefined when it can. */
export function skipReason(stack: Record<string, unknown>, env: NodeJS.ProcessEnv, hasTerraform: boolean): string | undefined {
  if (env.IS_FORK === 'true') {
    return 'this pull request comes from a fork, and GitHub gives forks neither an OIDC token nor secrets';
  }
  const hasAws = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_WEB_IDENTITY_TOKEN_FILE || env.AWS_PROFILE);
  if (!hasAws) {
    return env.AWS_ROLE_ARN
      ? 'AWS_ROLE_ARN is set but no AWS credentials reached this step (did configure-aws-credentials fail?)'
      : 'the repository variable AWS_ROLE_ARN is not set, so the job has no AWS credentials';
  }
  const providers = isRecord(stack.provider) ? Object.keys(stack.provider) : [];
  if (providers.includes('databricks') && !(env.DATABRICKS_HOST && env.DATABRICKS_TOKEN)) {
    return 'the secrets DATABRICKS_HOST and DATABRICKS_TOKEN are not both set';
  }
  if (!hasTerraform) return 'terraform is not installed on the runner';
  if (readsLocalRemoteState(stack)) {
    return "it reads another stack's outputs from a local state file, which this runner does not have; configure the S3 backend (README: Remote state)";
  }
  return undefined;
}

/** A plan against local state sees an empty state on the runner: every resource shows as new. */
export function localStateWarning(stack: Record<string, unknown>): string | undefined {
  return usesLocalState(stack)
    ? 'state is local (config `backend`), so this plan starts from empty state and shows every resource as new; configure the S3 backend'
    : undefined;
}

function terraform(args: string[], cwd: string, env: NodeJS.ProcessEnv): { ok: boolean; stdout: string; out: string } {
  const run = spawnSync('terraform', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...env, TF_IN_AUTOMATION: '1' } });
  const stdout = run.stdout ?? '';
  return { ok: run.status === 0, stdout, out: `${stdout}${run.stderr ?? ''}${run.error ? run.error.message : ''}` };
}

export function planStacks(synthDir: string, outDir: string, env: NodeJS.ProcessEnv = process.env): StackPlan[] {
  mkdirSync(outDir, { recursive: true });
  const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8', env }).status === 0;
  const plans: StackPlan[] = [];
  for (const stack of orderStacks(readManifest(synthDir))) {
    const cwd = join(synthDir, stack.workingDirectory);
    const json = JSON.parse(readFileSync(join(cwd, 'cdk.tf.json'), 'utf8')) as Record<string, unknown>;
    const reason = skipReason(json, env, hasTerraform);
    if (reason) {
      plans.push({ stack: stack.name, status: 'skipped', reason });
      continue;
    }
    const init = terraform(['init', '-input=false', '-no-color'], cwd, env);
    if (!init.ok) {
      plans.push({ stack: stack.name, status: 'failed', reason: 'terraform init failed', text: tail(init.out) });
      continue;
    }
    // -lock=false: a plan only reads state, and must not block a deploy holding the lock.
    const plan = terraform(['plan', '-input=false', '-no-color', '-lock=false', '-out=tfplan'], cwd, env);
    if (!plan.ok) {
      plans.push({ stack: stack.name, status: 'failed', reason: 'terraform plan failed', text: tail(plan.out) });
      continue;
    }
    const show = terraform(['show', '-json', 'tfplan'], cwd, env);
    const summary = show.ok ? summarizePlan(JSON.parse(show.stdout)) : undefined;
    writeFileSync(join(outDir, `${stack.name}.plan.txt`), plan.out);
    const warning = localStateWarning(json);
    plans.push({ stack: stack.name, status: 'planned', ...(summary ? { summary } : {}), ...(warning ? { warning } : {}), text: tail(plan.out) });
  }
  writeFileSync(join(outDir, 'plans.json'), `${JSON.stringify(plans, null, 2)}\n`);
  return plans;
}

function arg(name: string, fallback: string): string {
  const index = process.argv.indexOf(name);
  return index >= 0 && process.argv[index + 1] ? process.argv[index + 1] : fallback;
}

if (require.main === module) {
  try {
    const plans = planStacks(resolve(arg('--synth-dir', 'cdktf.out')), resolve(arg('--out', 'plans')));
    for (const p of plans) process.stderr.write(`plan ${p.stack}: ${p.status}${p.reason ? ` (${p.reason})` : ''}\n`);
    process.exitCode = plans.some((p) => p.status === 'failed') ? 1 : 0;
  } catch (error) {
    process.stderr.write(`plan-stacks: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
