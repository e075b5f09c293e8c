import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { only, readStack, ROOT, runReview, stackNames, synthProject, variant } from './project-synth';

/**
 * The review CLI on real synth outputs of this project: one synth of the app as it is, one with a config
 * change (CONFIG_DIR), and variants made by editing copies of the synthesized JSON.
 */
const AWS = 'iot-aws-dev';

interface StackReviewJson {
  name: string;
  status: string;
  changed: { address: string; attributes: { path: string; old?: unknown; new?: unknown }[] }[];
  removed: { address: string }[];
  iam: { added: { source: string; role: string; actions: string[]; newActions: string[] }[]; removed: unknown[] };
  findings: { new: { ruleId: string; severity: string; address: string }[]; resolved: { ruleId: string; address: string }[] };
}

describe('npm run review (CLI) on this project', () => {
  let tmp: string;
  let base: string;
  const stackOf = (stdout: string, name = AWS): StackReviewJson =>
    (JSON.parse(stdout) as { stacks: StackReviewJson[] }).stacks.find((s) => s.name === name) as StackReviewJson;

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'review-cli-'));
    base = join(tmp, 'base', 'cdktf.out');
    synthProject(base, ROOT, { STAGE: 'dev' });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('reports no changes for identical inputs', () => {
    const json = runReview(['--base', base, '--head', base, '--format', 'json', '--fail-on', 'low']);
    expect(json.status).toBe(0);
    const stacks = (JSON.parse(json.stdout) as { stacks: StackReviewJson[] }).stacks;
    expect(stacks.map((s) => s.name)).toEqual(stackNames(base));
    for (const s of stacks) expect(s).toMatchObject({ status: 'unchanged', added: [], removed: [], changed: [], iam: { added: [], removed: [] } });
    expect(runReview(['--base', base, '--head', base]).stdout).toContain('No changes to resources, IAM or security findings.');
  });

  it('shows a shard-count change in config as aws_kinesis_stream shard_count old -> new', () => {
    const configDir = join(tmp, 'config');
    cpSync(join(ROOT, 'config'), configDir, { recursive: true });
    const dev = JSON.parse(readFileSync(join(configDir, 'dev.json'), 'utf8'));
    const before = dev.stream.shardCount as number;
    dev.stream.shardCount = before + 2;
    writeFileSync(join(configDir, 'dev.json'), JSON.stringify(dev));
    const head = join(tmp, 'shards', 'cdktf.out');
    synthProject(head, ROOT, { STAGE: 'dev', CONFIG_DIR: configDir });

    const run = runReview(['--base', base, '--head', head, '--format', 'json']);
    expect(run.status).toBe(0);
    const [streamName] = only(readStack(base, AWS), 'resource', 'aws_kinesis_stream');
    const stream = stackOf(run.stdout).changed.find((c) => c.address === `aws_kinesis_stream.${streamName}`);
    expect(stream?.attributes).toEqual([{ path: 'shard_count', old: before, new: before + 2 }]);
  });

  it('lists an added IAM action as an added statement, naming the new action', () => {
    const head = variant(base, join(tmp, 'iam', 'cdktf.out'), AWS, (json) => {
      const docs = Object.values(json.data.aws_iam_policy_document) as { statement: { actions: string[] }[] }[];
      const write = docs.flatMap((d) => d.statement).find((s) => s.actions.includes('kinesis:PutRecords'));
      write?.actions.push('kinesis:DeleteStream');
    });
    const run = runReview(['--base', base, '--head', head, '--format', 'json']);
    const { iam } = stackOf(run.stdout);
    expect(iam.added).toHaveLength(1);
    expect(iam.added[0].newActions).toEqual(['kinesis:DeleteStream']);
    expect(iam.added[0].source).toMatch(/^data\.aws_iam_policy_document\./);
    expect(iam.removed).toHaveLength(1);
    expect(runReview(['--base', base, '--head', head]).stdout).toContain('**`kinesis:DeleteStream`** (new)');
  });

  it('raises a new finding when key rotation is disabled, and --fail-on high exits 1', () => {
    let keyName = '';
    const head = variant(base, join(tmp, 'rotation', 'cdktf.out'), AWS, (json) => {
      const [name, key] = only(json, 'resource', 'aws_kms_key');
      keyName = name;
      key.enable_key_rotation = false;
    });
    const run = runReview(['--base', base, '--head', head, '--format', 'json', '--fail-on', 'high']);
    const fresh = stackOf(run.stdout).findings.new.filter((f) => f.address === `aws_kms_key.${keyName}`);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.some((f) => f.severity === 'HIGH' || f.severity === 'CRITICAL')).toBe(true);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/at or above --fail-on high/);
    expect(runReview(['--base', base, '--head', head]).status).toBe(0); // no --fail-on: report only

    // The same pair reversed: the finding is resolved, nothing new, so the gate passes.
    const back = runReview(['--base', head, '--head', base, '--format', 'json', '--fail-on', 'low']);
    expect(back.status).toBe(0);
    expect(stackOf(back.stdout).findings.resolved.map((f) => f.address)).toContain(`aws_kms_key.${keyName}`);
  });

  it('raises a new finding on the bucket when its encryption configuration is removed', () => {
    let bucketName = '';
    const head = variant(base, join(tmp, 'sse', 'cdktf.out'), AWS, (json) => {
      const [sseName] = only(json, 'resource', 'aws_s3_bucket_server_side_encryption_configuration');
      [bucketName] = only(json, 'resource', 'aws_s3_bucket');
      delete json.resource.aws_s3_bucket_server_side_encryption_configuration[sseName];
    });
    const out = join(tmp, 'sse-review.md');
    const run = runReview(['--base', base, '--head', head, '--out', out, '--fail-on', 'high']);
    expect(run.status).toBe(1);
    const md = readFileSync(out, 'utf8');
    expect(md).toContain('**New security findings');
    expect(md).toContain(`on \`aws_s3_bucket.${bucketName}\``);
    expect(md).toMatch(/\| − \| `aws_s3_bucket_server_side_encryption_configuration\.\w+` \| _removed_/);
  });

  it.each([
    [['--base', 'x', '--format', 'yaml'], /^review: --format must be one of md, json, got "yaml"\n$/],
    [['--base', '/no/such/folder-or-ref'], /^review: --base "\/no\/such\/folder-or-ref" is neither a folder nor a git ref/],
    [['--base', 'x', '--fail-on'], /^review: option '--fail-on <severity>' argument missing/],
  ])('rejects %j with one line and exit 2', (args, message) => {
    const run = runReview(args);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('takes a git ref as base: HEAD of a clone against its edited working tree', () => {
    const clone = join(tmp, 'clone');
    execFileSync('git', ['clone', '--quiet', '--local', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    const devFile = join(clone, 'config', 'dev.json');
    const dev = JSON.parse(readFileSync(devFile, 'utf8'));
    dev.stream.shardCount += 1;
    writeFileSync(devFile, JSON.stringify(dev));

    const run = runReview(['--base', 'HEAD', '--format', 'json'], clone);
    expect(run.status).toBe(0);
    const review = JSON.parse(run.stdout) as { base: string; head: string; stacks: StackReviewJson[] };
    expect(review.base).toMatch(/^HEAD \([0-9a-f]{7}\)$/);
    expect(review.head).toBe('working tree');
    const changed = review.stacks.find((s) => s.name === AWS)?.changed.flatMap((c) => c.attributes.map((a) => [a.path, a.old, a.new]));
    expect(changed).toContainEqual(['shard_count', dev.stream.shardCount - 1, dev.stream.shardCount]);
    expect(execFileSync('git', ['worktree', 'list'], { cwd: clone, encoding: 'utf8' }).trim().split('\n')).toHaveLength(1);
  });

  it('removes the temporary worktree when interrupted during synthesis, and exits 130', async () => {
    const clone = join(tmp, 'interrupt');
    execFileSync('git', ['clone', '--quiet', '--local', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'), 'dir');
    writeFileSync(join(clone, 'main.ts'), 'setTimeout(() => undefined, 60_000); // a synthesis that hangs\n');
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qam', 'slow app'], { cwd: clone });
    const worktrees = (): number => execFileSync('git', ['worktree', 'list'], { cwd: clone, encoding: 'utf8' }).trim().split('\n').length;

    // node with tsx's loader, not the tsx wrapper: the wrapper relays a signal and SIGKILLs its child when the
    // child has not confirmed its own handler within 30 ms, which a loaded 2-core machine sometimes misses.
    const child = spawn(process.execPath, ['--import', 'tsx', join(clone, 'review', 'cli.ts'), '--base', 'HEAD'], { cwd: clone, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    for (let i = 0; i < 100 && worktrees() < 2; i++) await new Promise((r) => setTimeout(r, 100));
    expect(worktrees()).toBe(2); // the base is being synthesized in its worktree
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toBe('review: interrupted\n');
    expect(worktrees()).toBe(1);
  });
});
