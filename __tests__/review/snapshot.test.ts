import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OptionError } from '../../review/options';
import { errorLine, loadSnapshot, SynthError } from '../../review/snapshot';
import { ROOT } from './project-synth';

/**
 * loadSnapshot on a throwaway git repository holding a one-stack CDKTF app (shard count from cfg.json),
 * so git-ref handling is tested apart from this project's own stacks.
 */
const APP = `import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { KinesisStream } from '@cdktf/provider-aws/lib/kinesis-stream';
import { readFileSync } from 'node:fs';
const cfg = JSON.parse(readFileSync(__dirname + '/cfg.json', 'utf8'));
const app = new App();
const stack = new TerraformStack(app, 'app');
new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
new KinesisStream(stack, 'stream', { name: 's', shardCount: cfg.shards });
app.synth();
`;

describe('loadSnapshot', () => {
  let repo: string;
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
  const shards = (snapshot: Awaited<ReturnType<typeof loadSnapshot>>): unknown =>
    (snapshot.stacks.get('app') as { resource: { aws_kinesis_stream: { stream: { shard_count: number } } } }).resource.aws_kinesis_stream.stream.shard_count;

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'review-repo-'));
    git('init', '-q');
    writeFileSync(join(repo, '.gitignore'), 'node_modules\ncdktf.out\n');
    writeFileSync(join(repo, 'README'), 'no app yet\n');
    git('add', '.');
    git('commit', '-qm', 'no app');
    git('tag', 'empty');
    symlinkSync(join(ROOT, 'node_modules'), join(repo, 'node_modules'), 'dir');
    writeFileSync(join(repo, 'main.ts'), APP);
    writeFileSync(join(repo, 'cfg.json'), '{"shards": 2}');
    git('add', '.');
    git('commit', '-qm', 'app');
    writeFileSync(join(repo, 'cfg.json'), '{"shards": 6}'); // uncommitted: the working tree differs from HEAD
  });
  afterAll(() => rmSync(repo, { recursive: true, force: true }));

  it('synthesizes a git ref in a temporary worktree and removes the worktree afterwards', async () => {
    const base = await loadSnapshot('--base', 'HEAD', repo);
    expect(base.label).toMatch(/^HEAD \([0-9a-f]{7}\)$/);
    expect(shards(base)).toBe(2);
    expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
  });

  it('synthesizes the working tree, uncommitted edits included, when no value is given', async () => {
    const head = await loadSnapshot('--head', undefined, repo);
    expect(head.label).toBe('working tree');
    expect(shards(head)).toBe(6);
  });

  it('reads a synthesized output folder as is', async () => {
    const out = join(repo, 'cdktf.out');
    execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['main.ts'], { cwd: repo, env: { ...process.env, CDKTF_OUTDIR: out } });
    expect(shards(await loadSnapshot('--base', out, repo))).toBe(6);
    expect(shards(await loadSnapshot('--base', repo, repo))).toBe(6); // a folder holding cdktf.out
  });

  it('treats a ref without an app as having no stacks, and says so', async () => {
    const empty = await loadSnapshot('--base', 'empty', repo);
    expect(empty.stacks.size).toBe(0);
    expect(empty.note).toMatch(/has no main.ts/);
  });

  it('rejects what is neither a folder nor a ref, and a folder without stacks, naming the option', async () => {
    await expect(loadSnapshot('--base', 'no-such-branch', repo)).rejects.toThrow(OptionError);
    await expect(loadSnapshot('--base', 'no-such-branch', repo)).rejects.toThrow(/^--base "no-such-branch" is neither a folder nor a git ref/);
    const bare = join(repo, 'plain-folder');
    mkdirSync(bare, { recursive: true });
    await expect(loadSnapshot('--head', bare, repo)).rejects.toThrow(/^--head folder ".*plain-folder" has no stacks/);
  });

  it('reports a failing synthesis in one line and still removes the worktree', async () => {
    writeFileSync(join(repo, 'main.ts'), "throw new Error('config.stream.shardCount must be >= 1, got 0');\n");
    git('commit', '-qam', 'broken');
    try {
      await expect(loadSnapshot('--base', 'HEAD', repo)).rejects.toThrow(SynthError);
      await expect(loadSnapshot('--base', 'HEAD', repo)).rejects.toThrow(/^synthesizing HEAD \([0-9a-f]{7}\) failed \(exit 1\): .*shardCount must be >= 1, got 0/);
      expect(git('worktree', 'list').trim().split('\n')).toHaveLength(1);
    } finally {
      git('reset', '-q', '--hard', 'HEAD~1');
      writeFileSync(join(repo, 'cfg.json'), '{"shards": 6}');
    }
  });
});

describe('errorLine', () => {
  it('picks the error message out of a Node crash, with the detail line a trailing colon announces', () => {
    const crash = [
      '/x/node_modules/cdktf/lib/errors.ts:216',
      '  new Error(`Validation failed`)',
      '',
      'Error: Validation failed with the following errors:',
      "  [app] Found resources without a matching provider construct.",
      '    at validate (/x/app.ts:1:1)',
      '',
      'Node.js v20.20.2',
    ].join('\n');
    expect(errorLine(crash)).toBe('Error: Validation failed with the following errors: [app] Found resources without a matching provider construct.');
    expect(errorLine('config: stream.shardCount must be >= 1, got 0\n')).toBe('config: stream.shardCount must be >= 1, got 0');
  });
});
