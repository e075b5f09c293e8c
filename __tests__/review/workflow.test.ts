import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseOptions } from '../../review/options';

const ROOT = join(__dirname, '..', '..');
const WORKFLOWS = join(ROOT, '.github', 'workflows');
const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Job {
  steps: Step[];
  permissions?: Record<string, string>;
  environment?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  permissions: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflowFiles = readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f));
const load = (file: string): Workflow => parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as Workflow;
const steps = (wf: Workflow): Step[] => Object.values(wf.jobs).flatMap((job) => job.steps);

describe('GitHub workflows', () => {
  it('has the PR review and the deploy workflow, each valid YAML with jobs and steps', () => {
    expect([...workflowFiles].sort()).toEqual(['deploy.yml', 'plan-review.yml']);
    for (const file of workflowFiles) expect(steps(load(file)).length).toBeGreaterThan(3);
  });

  it.each(workflowFiles)('%s pins every action to a full version tag or a commit', (file) => {
    const uses = steps(load(file)).flatMap((s) => (s.uses ? [s.uses] : []));
    expect(uses.length).toBeGreaterThan(0);
    for (const action of uses) expect(action).toMatch(/^[\w.-]+\/[\w.-]+@(v\d+\.\d+\.\d+|[0-9a-f]{40})$/);
  });

  it.each(workflowFiles)('%s references only npm scripts and files that exist', (file) => {
    const text = steps(load(file))
      .flatMap((s) => [s.run ?? '', String(s.with?.script ?? '')])
      .join('\n');
    const npmScripts = [...text.matchAll(/npm run ([\w:-]+)/g)].map((m) => m[1]);
    for (const name of npmScripts) expect(scripts).toHaveProperty(name);
    const paths = [
      ...[...text.matchAll(/npx tsx (\S+)/g)].map((m) => m[1]),
      ...[...text.matchAll(/require\('\.\/([^']+)'\)/g)].map((m) => m[1]),
    ];
    for (const path of paths) expect(existsSync(join(ROOT, path))).toBe(true);
  });

  it('runs the review on pull requests with least privilege and history for the base branch', () => {
    const wf = load('plan-review.yml');
    expect(Object.keys(wf.on)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read' });
    const [job] = Object.values(wf.jobs);
    expect(job.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', 'id-token': 'write' });
    const all = steps(wf);
    expect(all.find((s) => s.uses?.startsWith('actions/checkout@'))?.with).toMatchObject({ 'fetch-depth': 0 });
    const runs = all.map((s) => s.run ?? '').join('\n');
    for (const command of ['npm ci', 'npm test', 'npm run synth', 'checkov==', '--framework terraform_json', 'plan-stacks.ts', 'compose-comment.ts']) {
      expect(runs).toContain(command);
    }
    expect(all.filter((s) => s.uses?.startsWith('actions/github-script@'))).toHaveLength(1);
    // The credential steps are conditional, so a repository without them still gets the offline review.
    for (const s of all.filter((s) => /configure-aws-credentials|setup-terraform/.test(s.uses ?? ''))) expect(s.if).toMatch(/AWS_ROLE_ARN/);
  });

  it('passes the review command options the CLI accepts', () => {
    const run = steps(load('plan-review.yml')).find((s) => s.run?.includes('npm run review'))?.run ?? '';
    const args = run.split(' -- ')[1].split(/\s+/).map((a) => a.replace(/^"|"$/g, ''));
    expect(parseOptions(args)).toMatchObject({ base: 'origin/${BASE_REF}', head: 'cdktf.out', format: 'md', out: 'review.md', failOn: 'high' });
  });

  it('deploys from main only behind the protected production environment, both stacks in one dependency-ordered command', () => {
    const wf = load('deploy.yml');
    expect(wf.on).toHaveProperty('push', { branches: ['main'] });
    const [job] = Object.values(wf.jobs);
    expect(job.environment).toBe('production');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const runs = job.steps.map((s) => s.run ?? '');
    const deploys = runs.filter((r) => r.includes('cdktf deploy'));
    expect(deploys).toEqual([
      'npx cdktf deploy "iot-aws-${STAGE}" "iot-databricks-${STAGE}" --auto-approve --skip-synth',
      'npx cdktf deploy "iot-aws-${STAGE}" "iot-loadgen-${STAGE}" --auto-approve --skip-synth',
    ]);
    // The deploy applies exactly what was synthesized and checked for remote state, after the check.
    const synth = runs.indexOf('npm run synth');
    const guard = runs.findIndex((r) => r.includes('review/ci/require-remote-state.ts --synth-dir cdktf.out'));
    expect(synth).toBeGreaterThanOrEqual(0);
    expect(guard).toBeGreaterThan(synth);
    expect(runs.indexOf(deploys[0])).toBeGreaterThan(guard);
  });

  it('deploys the load fleet only when config enables it, running the image of the deployed commit', () => {
    const wf = load('deploy.yml');
    const deploy = wf.jobs.deploy as Job & { outputs: Record<string, string> };
    const fleetStep = deploy.steps.find((s) => (s as Step & { id?: string }).id === 'fleet')!;
    expect(fleetStep.run).toBe('npx tsx review/ci/load-fleet.ts >> "$GITHUB_OUTPUT"');
    const fleetDeploy = deploy.steps.find((s) => s.run?.includes('iot-loadgen-'))! as Step & { env: Record<string, string> };
    expect(fleetDeploy.if).toBe("steps.fleet.outputs.enabled == 'true'");
    expect(fleetDeploy.env).toEqual({ TF_VAR_loadgen_image_tag: '${{ github.sha }}' });
    expect(deploy.steps.indexOf(fleetDeploy)).toBeGreaterThan(deploy.steps.findIndex((s) => s.run?.includes('iot-databricks-')));
    expect(deploy.outputs).toEqual({ 'fleet-enabled': '${{ steps.fleet.outputs.enabled }}', 'fleet-repository': '${{ steps.fleet.outputs.repository }}' });
  });

  it('builds and pushes the loadgen image after the deploy, by OIDC, tagged with the commit SHA, once per commit', () => {
    const wf = load('deploy.yml');
    const job = wf.jobs['loadgen-image'] as Job & { needs: string; if: string; env: Record<string, string> };
    expect(job.needs).toBe('deploy');
    expect(job.if).toBe("needs.deploy.outputs.fleet-enabled == 'true'");
    expect(job.environment).toBe('production');
    expect(job.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    expect(job.env.REPOSITORY).toBe('${{ needs.deploy.outputs.fleet-repository }}');
    const uses = job.steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0]] : []));
    expect(uses).toEqual(['actions/checkout', 'aws-actions/configure-aws-credentials', 'aws-actions/amazon-ecr-login']);
    expect(job.steps.find((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))?.with).toMatchObject({ 'role-to-assume': '${{ vars.AWS_ROLE_ARN }}' });
    const runs = job.steps.map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('docker build --pull --tag "${REGISTRY}/${REPOSITORY}:${GITHUB_SHA}" .');
    expect(runs).toContain('docker push "${REGISTRY}/${REPOSITORY}:${GITHUB_SHA}"');
    // Immutable tags: pushing a tag twice fails, so a re-run checks first.
    expect(runs).toMatch(/if aws ecr describe-images --repository-name "\$REPOSITORY" --image-ids imageTag="\$GITHUB_SHA"[\s\S]*else\s+docker push/);
    expect(runs).not.toMatch(/:latest|--tag [^ ]*:[a-z]+"/);
  });

  it('plans the load fleet in pull requests with the image tag the deploy would use', () => {
    const wf = load('plan-review.yml');
    const [job] = Object.values(wf.jobs) as Array<Job & { env: Record<string, string> }>;
    expect(job.env.TF_VAR_loadgen_image_tag).toBe('${{ github.event.pull_request.head.sha }}');
  });

  it.each(workflowFiles)('%s installs the Terraform version pinned in .terraform-version, never a literal', (file) => {
    const all = steps(load(file));
    const setup = all.filter((s) => s.uses?.startsWith('hashicorp/setup-terraform@'));
    expect(setup).toHaveLength(1);
    const match = /^\$\{\{ steps\.([\w-]+)\.outputs\.version \}\}$/.exec(String(setup[0].with?.terraform_version));
    expect(match).not.toBeNull();
    const reader = all.find((s) => (s as Step & { id?: string }).id === match![1]);
    expect(reader?.run).toBe('echo "version=$(cat .terraform-version)" >> "$GITHUB_OUTPUT"');
    expect(reader?.if).toBe(setup[0].if);
  });
});
