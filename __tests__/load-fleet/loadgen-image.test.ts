import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { copies, execForm, parseDockerfile } from './dockerfile';

const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const instructions = parseDockerfile();
const runs = instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
/** The one install command of the image, and what follows it in the same RUN. */
const [install, ...afterInstall] = (runs.find((r) => r.startsWith('npm ci')) ?? '').split(' && ');

describe('Dockerfile (static checks: there is no Docker engine here)', () => {
  it('builds on an exact Node 20 release of the official image, or a digest', () => {
    const from = instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args);
    expect(from).toHaveLength(1);
    expect(from[0]).toMatch(/^node:20\.\d+\.\d+-[a-z]+(-slim)?$|^node:[\w.-]+@sha256:[0-9a-f]{64}$/);
    expect(pkg.engines.node).toBe('>=20');
  });

  it('installs production dependencies only, from the lockfile, without install scripts, and nothing else', () => {
    expect(runs).toHaveLength(1);
    expect(install).toBe('npm ci --omit=dev --ignore-scripts --no-audit --no-fund');
    expect(afterInstall).toEqual(['npm cache clean --force']);
    expect(runs.join(' ')).not.toMatch(/npm (install|i) |yarn|pnpm|apt-get|curl|wget/);
    // The lockfile is copied before the install, the sources after it (a source change keeps the layer).
    const order = instructions.map((i) => `${i.keyword} ${i.args}`);
    expect(order.indexOf('COPY package.json package-lock.json ./')).toBeLessThan(order.findIndex((o) => o.startsWith('RUN npm ci')));
  });

  it('runs as a non-root user, set after every RUN and before the entry point', () => {
    const users = instructions.map((i, index) => ({ ...i, index })).filter((i) => i.keyword === 'USER');
    expect(users).toHaveLength(1);
    expect(users[0].args).not.toMatch(/^(root|0)(:|$)/);
    const lastRun = instructions.map((i) => i.keyword).lastIndexOf('RUN');
    const entry = instructions.findIndex((i) => i.keyword === 'ENTRYPOINT');
    expect(users[0].index).toBeGreaterThan(lastRun);
    expect(users[0].index).toBeLessThan(entry);
  });

  it("enters through the package's own bin, and copies only files that exist", () => {
    expect(execForm(instructions, 'ENTRYPOINT')).toEqual(['node', pkg.bin.loadgen]);
    expect(execForm(instructions, 'CMD')).toEqual(['--help']);
    for (const { sources } of copies(instructions)) for (const source of sources) expect({ source, exists: existsSync(join(ROOT, source)) }).toEqual({ source, exists: true });
  });

  it('keeps the infrastructure tooling out of the production dependencies (the image would carry it)', () => {
    for (const tool of ['cdktf', 'cdktf-cli', 'constructs', '@cdktf/provider-aws', '@cdktf/provider-databricks', '@cdktf/provider-time', 'jest', 'typescript']) {
      expect(pkg.dependencies).not.toHaveProperty(tool);
    }
    // tsx runs the TypeScript CLI at run time (bin/loadgen.js), so it must stay a production dependency.
    expect(pkg.dependencies).toHaveProperty('tsx');
    expect(readFileSync(join(ROOT, pkg.bin.loadgen), 'utf8')).toContain("require('tsx/cjs')");
  });
});

/** The size of a folder in MiB (files only). */
function sizeMiB(dir: string): number {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) bytes += statSync(join(entry.parentPath, entry.name)).size;
  }
  return Math.round(bytes / 1024 / 1024);
}

/**
 * The image's file layout built the way the Dockerfile builds it (its COPY lines, then its npm ci, from the
 * npm cache when it can), in a folder with no node_modules above it, and the entry command run from there:
 * what `docker run` would do, short of the base image.
 */
describe('the image layout, installed clean', () => {
  let app: string;
  let installed: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    app = join(mkdtempSync(join(tmpdir(), 'loadgen-image-')), 'app');
    mkdirSync(app);
    // Docker's rules: into a destination ending in /, a file keeps its name and a folder's contents are copied.
    for (const { sources, destination } of copies(instructions)) {
      for (const source of sources) {
        const isDir = statSync(join(ROOT, source)).isDirectory();
        const target = destination.endsWith('/') && !isDir ? join(app, destination, basename(source)) : join(app, destination);
        mkdirSync(dirname(target), { recursive: true });
        cpSync(join(ROOT, source), target, { recursive: true });
      }
    }
    const [npm, ...args] = install.split(' ');
    installed = spawnSync(npm, [...args, '--prefer-offline'], { cwd: app, encoding: 'utf8', timeout: 240_000, env: { ...process.env, NODE_ENV: 'production' } });
  }, 300_000); // a guard, not a speed target: npm unpacks a few hundred packages on a shared 2-core machine
  afterAll(() => rmSync(dirname(app), { recursive: true, force: true }));

  const cli = (args: string[], env: Record<string, string> = {}) =>
    spawnSync('node', [...execForm(instructions, 'ENTRYPOINT').slice(1), ...args], { cwd: app, encoding: 'utf8', timeout: 60_000, env: { ...process.env, NODE_ENV: 'production', ...env } });

  it('installs from the lockfile with no dev dependency in it', () => {
    expect({ status: installed.status, stderr: String(installed.stderr).split('\n').filter((l) => /ERR/.test(l)) }).toEqual({ status: 0, stderr: [] });
    const top = readdirSync(join(app, 'node_modules')).flatMap((name) => (name.startsWith('@') ? readdirSync(join(app, 'node_modules', name)).map((n) => `${name}/${n}`) : [name]));
    expect(top).toEqual(expect.arrayContaining(Object.keys(pkg.dependencies)));
    expect(top.filter((name) => name in pkg.devDependencies)).toEqual([]);
    console.log(`loadgen image test: node_modules of the image ${sizeMiB(join(app, 'node_modules'))} MiB, ${top.length} top-level packages`);
  });

  it('runs the entry command: --help lists run', () => {
    const help = cli(['--help']);
    expect(help.stderr).toBe('');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^\s+run\b/m);
  });

  it('runs a tiny load to the null sink and writes its report', () => {
    const report = join(app, '..', 'report.json');
    const run = cli(['run', '--sink', 'null', '--records', '100', '--rate', 'max', '--seed', '7', '--quiet', '--report', report]);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ tool: 'loadgen', seed: 7, recordsScheduled: 100, recordsAcked: 100, recordsFailed: 0 });
  });

  it("runs a child's segment in worker threads from the production install (tsx loads them) and merges them", () => {
    const report = join(app, '..', 'child.json');
    const env = { AWS_BATCH_JOB_ARRAY_INDEX: '1', AWS_BATCH_JOB_ARRAY_SIZE: '2', AWS_BATCH_JOB_ID: 'job-x:1' };
    const run = cli(['run', '--sink', 'null', '--records', '1000', '--rate', 'max', '--seed', '7', '--workers', '2', '--quiet', '--report', report], env);
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ runId: 'job-x', segment: { index: 2, count: 2 }, recordsAcked: 500 });
  });
});
