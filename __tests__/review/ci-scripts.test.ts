import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { DatabricksProvider } from '@cdktf/provider-databricks/lib/provider';
import { Notebook } from '@cdktf/provider-databricks/lib/notebook';
import { parseCheckov } from '../../review/ci/checkov-summary';
import { COMMENT_MARKER, composeComment, MAX_COMMENT_CHARS } from '../../review/ci/compose-comment';
import { localStateWarning, planStacks, skipReason } from '../../review/ci/plan-stacks';
import { planHeadline, summarizePlan } from '../../review/ci/plan-summary';
import { orderStacks } from '../../review/ci/stack-order';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { upsertComment, MARKER } = require('../../.github/scripts/upsert-comment.js');

const plan = {
  resource_changes: [
    { address: 'aws_kinesis_stream.s', change: { actions: ['update'] } },
    { address: 'aws_s3_bucket.b', change: { actions: ['delete', 'create'] } },
    { address: 'aws_kms_key.k', change: { actions: ['create'] } },
    { address: 'aws_iam_role.old', change: { actions: ['delete'] } },
    { address: 'data.aws_caller_identity.me', change: { actions: ['read'] } },
    { address: 'aws_iam_role.same', change: { actions: ['no-op'] } },
  ],
  output_changes: { arn: { actions: ['update'] }, name: { actions: ['no-op'] } },
};

describe('plan summary', () => {
  it('counts like terraform: a replacement is one add and one destroy; reads and no-ops are not changes', () => {
    const s = summarizePlan(plan);
    expect([s.add, s.change, s.destroy, s.replace, s.outputChanges]).toEqual([2, 1, 2, 1, 1]);
    expect(planHeadline(s)).toBe('Plan: 2 to add, 1 to change, 2 to destroy (1 replaced).');
    expect(s.changes.map((c) => c.address)).not.toContain('data.aws_caller_identity.me');
  });
});

describe('checkov report parsing', () => {
  const report = (failed: string[]) => ({
    check_type: 'terraform_json',
    results: {
      passed_checks: [{ check_id: 'CKV_AWS_7' }],
      failed_checks: failed.map((id) => ({ check_id: id, check_name: 'n', resource: 'aws_kms_key.k', file_path: '/x/cdk.tf.json' })),
      parsing_errors: [],
    },
  });

  it('reads one report, a list of reports and the bare summary of an empty scan', () => {
    const one = parseCheckov(JSON.stringify(report(['CKV_AWS_185'])));
    expect(one).toMatchObject({ ok: true, passed: 1, failed: [{ checkId: 'CKV_AWS_185', resource: 'aws_kms_key.k' }] });
    const list = parseCheckov(JSON.stringify([report(['A']), report(['B'])]));
    expect(list.ok && list.failed.map((f) => f.checkId)).toEqual(['A', 'B']);
    expect(parseCheckov(JSON.stringify({ passed: 0, failed: 0, resource_count: 0 }))).toMatchObject({ ok: true, failed: [] });
  });

  it('reports a crash or an empty file as no report rather than throwing', () => {
    expect(parseCheckov('Traceback (most recent call last):')).toMatchObject({ ok: false });
    expect(parseCheckov('')).toMatchObject({ ok: false });
    expect(parseCheckov(undefined)).toMatchObject({ ok: false });
  });
});

describe('composeComment', () => {
  it('carries the marker, the review and each stack plan, and says plainly why a plan was skipped', () => {
    const body = composeComment({
      review: '### Infrastructure review: `a` → `b`',
      plans: [
        { stack: 'iot-aws-dev', status: 'planned', summary: summarizePlan(plan), text: 'Plan: 2 to add', warning: 'state is local' },
        { stack: 'iot-databricks-dev', status: 'skipped', reason: 'the secrets DATABRICKS_HOST and DATABRICKS_TOKEN are not both set' },
      ],
      checkov: { ok: false, reason: 'no report file' },
      commit: '0123456789abcdef',
    });
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain('### Infrastructure review');
    expect(body).toContain('<code>iot-aws-dev</code>: Plan: 2 to add, 1 to change, 2 to destroy (1 replaced).');
    expect(body).toContain('-/+ aws_s3_bucket.b');
    expect(body).toContain('> **Warning:** state is local.');
    expect(body).toContain('`iot-databricks-dev`: **plan skipped** because the secrets DATABRICKS_HOST');
    expect(body).toContain('checkov did not produce a report');
    expect(body).toContain('commit `0123456`');
  });

  it('says the review did not run when its file is missing, and stays under the comment size limit', () => {
    const body = composeComment({ review: undefined, plans: undefined, checkov: { ok: true, passed: 0, failed: [], parsingErrors: [] } });
    expect(body).toContain('The offline review did not run');
    expect(body).toContain('**Plan skipped:**');
    const huge = composeComment({ review: 'x'.repeat(100_000), checkov: { ok: false, reason: 'none' } });
    expect(huge.length).toBeLessThan(MAX_COMMENT_CHARS + 200);
    expect(huge).toContain('comment cut at');
  });

  it('uses the same marker as the github-script helper', () => {
    expect(MARKER).toBe(COMMENT_MARKER);
  });
});

describe('upsertComment (github-script helper)', () => {
  function fakeGithub(existing: { id: number; body: string; user: { type: string } }[]) {
    const calls: { op: string; args: Record<string, unknown> }[] = [];
    const rest = {
      issues: {
        listComments: async () => undefined,
        updateComment: async (args: Record<string, unknown>) => calls.push({ op: 'update', args }),
        createComment: async (args: Record<string, unknown>) => {
          calls.push({ op: 'create', args });
          return { data: { id: 99 } };
        },
      },
    };
    const github = { rest, paginate: async (fn: unknown, args: Record<string, unknown>) => (fn === rest.issues.listComments && args.issue_number === 7 ? existing : []) };
    return { github, calls, context: { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } } };
  }

  it('creates the comment on the first run', async () => {
    const { github, calls, context } = fakeGithub([{ id: 1, body: 'unrelated', user: { type: 'User' } }]);
    await expect(upsertComment({ github, context, body: 'review' })).resolves.toEqual({ action: 'created', id: 99 });
    expect(calls).toEqual([{ op: 'create', args: { owner: 'o', repo: 'r', issue_number: 7, body: `${MARKER}\nreview` } }]);
  });

  it("updates the bot's marked comment in place, never a person's comment quoting the marker", async () => {
    const { github, calls, context } = fakeGithub([
      { id: 1, body: `quoted ${MARKER}`, user: { type: 'User' } },
      { id: 2, body: `${MARKER}\nold`, user: { type: 'Bot' } },
    ]);
    await expect(upsertComment({ github, context, body: `${MARKER}\nnew` })).resolves.toEqual({ action: 'updated', id: 2 });
    expect(calls).toEqual([{ op: 'update', args: { owner: 'o', repo: 'r', comment_id: 2, body: `${MARKER}\nnew` } }]);
  });
});

describe('plan-stacks', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'plan-stacks-'));
    // Two stacks where the consumer sorts first by name but depends on the producer (a cross-stack reference).
    const app = new App({ outdir: join(dir, 'cdktf.out') });
    const producer = new TerraformStack(app, 'z-producer');
    new AwsProvider(producer, 'aws', { region: 'eu-west-1' });
    // Remote state for the producer, so the consumer's terraform_remote_state can be read on a runner.
    new S3Backend(producer, { bucket: 'state', key: 'z-producer.tfstate', region: 'eu-west-1' });
    const stream = new KinesisStream(producer, 'stream', { name: 's', shardCount: 1 });
    const consumer = new TerraformStack(app, 'a-consumer');
    new DatabricksProvider(consumer, 'databricks', {});
    new Notebook(consumer, 'nb', { path: '/x', language: 'PYTHON', contentBase64: stream.name });
    app.synth();
    // A stand-in terraform that logs each call and answers `show -json` with a one-change plan.
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(
      join(bin, 'terraform'),
      `#!/bin/sh\necho "$(basename "$PWD") $1" >> "${join(dir, 'calls.log')}"\n` +
        `if [ "$1" = show ]; then echo '{"resource_changes":[{"address":"x.y","change":{"actions":["create"]}}]}'; fi\n` +
        `if [ "$1" = plan ]; then echo 'Plan: 1 to add, 0 to change, 0 to destroy.'; fi\n`,
    );
    chmodSync(join(bin, 'terraform'), 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('orders stacks by dependency, not by name', () => {
    const ordered = orderStacks([
      { name: 'a-consumer', workingDirectory: 'a', dependencies: ['z-producer'] },
      { name: 'z-producer', workingDirectory: 'z', dependencies: [] },
    ]);
    expect(ordered.map((s) => s.name)).toEqual(['z-producer', 'a-consumer']);
  });

  it('plans each stack in dependency order with init, plan and show', () => {
    const env = { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, AWS_ACCESS_KEY_ID: 'x', DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' };
    const plans = planStacks(join(dir, 'cdktf.out'), join(dir, 'plans'), env);
    expect(plans.map((p) => [p.stack, p.status, p.summary?.add])).toEqual([
      ['z-producer', 'planned', 1],
      ['a-consumer', 'planned', 1],
    ]);
    const calls = readFileSync(join(dir, 'calls.log'), 'utf8').trim().split('\n');
    expect(calls[0]).toMatch(/ version$/); // the availability check
    expect(calls.slice(1)).toEqual(['z-producer init', 'z-producer plan', 'z-producer show', 'a-consumer init', 'a-consumer plan', 'a-consumer show']);
    expect(JSON.parse(readFileSync(join(dir, 'plans', 'plans.json'), 'utf8'))).toHaveLength(2);
    // The consumer keeps cdktf's default local backend: its plan says it cannot see real state.
    expect(plans.map((p) => p.warning?.startsWith('state is local') ?? false)).toEqual([false, true]);
  });

  it('skips with a reason a reviewer can act on when credentials are missing', () => {
    const databricksStack = { provider: { databricks: [{}] } };
    expect(skipReason({}, { IS_FORK: 'true' }, true)).toMatch(/fork/);
    expect(skipReason({}, {}, true)).toMatch(/AWS_ROLE_ARN is not set/);
    expect(localStateWarning({ terraform: { backend: { s3: { bucket: 'b' } } } })).toBeUndefined();
    expect(skipReason(databricksStack, { AWS_ACCESS_KEY_ID: 'x' }, true)).toMatch(/DATABRICKS_HOST and DATABRICKS_TOKEN/);
    expect(skipReason(databricksStack, { AWS_ACCESS_KEY_ID: 'x', DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' }, false)).toMatch(/terraform is not installed/);
    expect(skipReason(databricksStack, { AWS_ACCESS_KEY_ID: 'x', DATABRICKS_HOST: 'h', DATABRICKS_TOKEN: 't' }, true)).toBeUndefined();
  });
});
