import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Plugins load through a real dynamic import(), which jest's VM cannot run: test them as users run them.
const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');
const FIXTURES = join(__dirname, '..', 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'loadgen-plugins-'));

function loadgen(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd: FIXTURES }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code as number) : 0, stdout, stderr }),
    );
  });
}

describe('generator plugins', () => {
  it('loads a CommonJS plugin by relative path and JSON-encodes its object data', async () => {
    const out = join(dir, 'cjs.ndjson');
    const report = join(dir, 'cjs.json');
    const result = await loadgen(['run', '--generator', './counter-plugin.cjs', '--sink', `file:${out}`, '--rate', 'max', '--records', '120', '--devices', '7', '--seed', '5', '--quiet', '--report', report]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(120);
    expect(lines.map((l) => l.n)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(lines[0]).toEqual({ n: 0, seed: 5, worker: 0, of: 1 });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ generator: 'counter-cjs', recordsAcked: 120, target: { sink: 'file' } });
  });

  it('loads an ESM plugin by absolute path and sends its bytes and explicit hash keys to Kinesis', async () => {
    const report = join(dir, 'esm.json');
    const result = await loadgen(['run', '--generator', join(FIXTURES, 'pinned-plugin.mjs'), '--rate', '1000', '--records', '300', '--shards', '3', '--verify', '--quiet', '--report', report]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    const r = JSON.parse(readFileSync(report, 'utf8'));
    // No seq from this plugin: verified by the fallback (sequence numbers).
    expect(r).toMatchObject({ generator: 'pinned-esm', recordsAcked: 300, routingMismatches: 0, verify: { received: 300, matched: 300, missing: 0, duplicates: 0, method: 'sequence-number' } });
    // Hash key 0 belongs to the first shard only: a plugin keeps its keys, and the report names the hot shard.
    expect(r.shards.map((s: { records: number }) => s.records)).toEqual([300, 0, 0]);
    expect(r.keys).toMatchObject({ mode: 'own', idleShards: 2, maxShare: 1, hotShards: [{ shardId: 'shardId-000000000000', share: 1 }] });
  });

  it('verifies a plugin that numbers its records per key (seq, seqOf) by runs of numbers per key', async () => {
    const report = join(dir, 'numbered.json');
    const result = await loadgen(['run', '--generator', './numbered-plugin.cjs', '--rate', '1000', '--records', '600', '--devices', '7', '--shards', '2', '--verify', '--quiet', '--report', report]);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      generator: 'numbered-cjs',
      recordsAcked: 600,
      verify: { received: 600, matched: 600, missing: 0, duplicates: 0, method: 'seq-per-key' },
    });
  });

  it('loads a TypeScript plugin (through tsx) and writes its string data to stdout', async () => {
    const result = await loadgen(['run', '--generator', './typed-plugin.ts', '--sink', 'stdout', '--rate', 'max', '--records', '3', '--quiet']);
    expect(result).toMatchObject({ code: 0, stdout: 'typed-0\ntyped-1\ntyped-2\n', stderr: '' });
  });

  it('rejects a plugin whose record is over 1 MiB: exit 2, one line naming --generator', async () => {
    const result = await loadgen(['run', '--generator', './oversize-plugin.cjs', '--rate', '10', '--duration', '1s']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^loadgen: invalid --generator "\.\/oversize-plugin\.cjs": .*2097153 bytes.*at most 1048576 bytes/)]);
  });

  it('rejects a module that is not a plugin: exit 2, one line', async () => {
    const result = await loadgen(['run', '--generator', './not-a-plugin.cjs', '--rate', '10', '--duration', '1s']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toEqual([expect.stringContaining('{ name, create(ctx) }')]);
  });
});
