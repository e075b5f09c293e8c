import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { main } from '../../../loadgen/cli/main';
import { localCommand } from '../../../loadgen/commands/local';
import type { Engine } from '../../../loadgen/engine/engine';
import { captureIo, interceptPutRecords } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-e2e-'));
const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');

const REPORT_KEYS = [
  'targetRate', 'achievedRate', 'durationSeconds', 'recordsGenerated', 'recordsAcked', 'recordsFailed',
  'droppedRecords', 'retries', 'throttled', 'latencyMs', 'recordLatencyMs', 'shards', 'series', 'verify', 'settings',
];

describe('end to end on the embedded Kinesis', () => {
  it('sends every scheduled record, spreads devices over the shards, reads every record back, writes the report', async () => {
    const reportPath = join(dir, 'run.json');
    const io = captureIo();
    const code = await main(['run', '--rate', '1000', '--duration', '2s', '--shards', '4', '--verify', '--report', reportPath, '--seed', '3'], io);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    for (const key of REPORT_KEYS) expect(report).toHaveProperty(key);
    expect(Object.keys(report.latencyMs)).toEqual(expect.arrayContaining(['p50', 'p90', 'p99', 'p999', 'max']));
    expect(Object.keys(report.recordLatencyMs)).toEqual(Object.keys(report.latencyMs));
    // Queueing and batching come on top of the request: a record's median wait is never below the request's.
    expect(report.recordLatencyMs.p50).toBeGreaterThanOrEqual(report.latencyMs.p50 * 0.5);
    expect(report.series.map((p: { scheduled: number }) => p.scheduled).slice(0, 2)).toEqual([1000, 1000]);
    expect(report.settings).toMatchObject({ rate: '1000', duration: '2s', shards: 4, seed: 3, 'batch-size': 500, verify: true, limits: false });
    expect(report).toMatchObject({
      targetRate: 1000,
      recordsScheduled: 2000,
      recordsGenerated: 2000,
      recordsAcked: 2000,
      recordsFailed: 0,
      droppedRecords: 0,
      routingMismatches: 0,
      verify: { received: 2000, missing: 0, duplicates: 0 },
    });
    // Record 1,999 is due at 1.999 s: no run can ack them all faster than scheduled.
    expect(report.achievedRate).toBeLessThanOrEqual(1001);
    expect(report).toMatchObject({ stopReason: 'completed', interrupted: false, recordsUnsent: 0 });
    expect(report.shards).toHaveLength(4);
    // 1,000 devices spread 250 to a shard, taking turns: exactly a quarter of the records each.
    expect(report.keys).toMatchObject({ mode: 'spread', keysSampled: 1000, openShards: 4, idleShards: 0, maxShare: 0.25 });
    for (const shard of report.shards) {
      expect(shard.shardId).toMatch(/^shardId-\d{12}$/);
      expect(shard).toMatchObject({ records: 500, share: 0.25, expectedShare: 0.25 });
      expect(shard.bytes).toBeGreaterThan(shard.records * 150);
      // Of the shard's 1,000 records/s over the run: 500 records in a little over 2 s, so at most 25 %.
      expect(shard.recordsUtilization).toBeCloseTo(shard.records / report.durationSeconds / 1000, 2);
      expect(shard.recordsUtilization).toBeLessThanOrEqual(0.25);
    }
    expect(report.concurrency).toMatchObject({ mode: 'adaptive', min: 4 });
    expect(report.shards.reduce((sum: number, s: { records: number }) => sum + s.records, 0)).toBe(2000);
    expect(report.series.reduce((sum: number, p: { acked: number }) => sum + p.acked, 0)).toBe(2000);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(io.out()).toMatch(/verify\s+received 2,000\s+missing 0\s+duplicates 0/);
  });

  it('with 4 devices on 8 shards, auto says 4 shards will idle, targets what 4 shards can take, and names the hot shards', async () => {
    const reportPath = join(dir, 'hot.json');
    const io = captureIo();
    const code = await main(['run', '--rate', 'auto', '--duration', '1s', '--shards', '8', '--devices', '4', '--report', reportPath, '--seed', '3'], io);
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report.targetRate).toBe(3200);
    expect(report.rateExplanation).toContain('keys reach 4 of 8 open shards, so 4 will idle');
    expect(report.rateExplanation).toContain('= 3,200/s, what 4 shards can take');
    expect(report.keys).toMatchObject({ mode: 'own', keysSampled: 4, openShards: 8, idleShards: 4, maxShare: 0.25 });
    expect(report.keys.why).toContain('--devices 4 is fewer than the 8 open shards');
    const hot = report.keys.hotShards.map((s: { shardId: string }) => s.shardId).sort();
    expect(hot).toEqual(['shardId-000000000001', 'shardId-000000000003', 'shardId-000000000004', 'shardId-000000000007']);
    for (const shard of report.shards) expect(shard.records).toBe(hot.includes(shard.shardId) ? 800 : 0);
    expect(io.out()).toMatch(/keys\s+4 keys sampled; --devices 4 is fewer than the 8 open shards.*hot shards 000000000001 25\.0%.*4 of 8 shards get no keys and idle/);
  });

  it('accounts for every record when answers come back at once (the null sink): none left unconfirmed', async () => {
    const reportPath = join(dir, 'null.json');
    const code = await main(['run', '--sink', 'null', '--rate', 'max', '--records', '50000', '--quiet', '--report', reportPath], captureIo());
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ recordsScheduled: 50000, recordsAcked: 50000, recordsUnsent: 0, droppedRecords: 0, stopReason: 'completed' });
  });

  it('stop() (Ctrl-C) stops scheduling, drains, still reports, and loses nothing', async () => {
    const reportPath = join(dir, 'stopped.json');
    let engine: Engine | undefined;
    let answered = 0;
    // Ctrl-C once the stream has answered 10 requests, while more are queued and in flight.
    const code = await main(['run', '--rate', '800', '--duration', '60s', '--verify', '--quiet', '--report', reportPath], captureIo(), {
      onEngine: (e) => (engine = e),
      wrapClient: (client: KinesisClient) =>
        interceptPutRecords(client, async (records, forward) => {
          const results = await forward(records);
          if (++answered === 10) engine!.stop();
          return results;
        }),
    });
    expect(code).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ interrupted: true, stopReason: 'interrupted' });
    expect(report.recordsAcked).toBeGreaterThanOrEqual(10);
    expect(report.recordsScheduled).toBeLessThan(800 * 60);
    expect(report.recordsAcked).toBe(report.recordsScheduled);
    expect(report.recordsUnsent).toBe(0);
    expect(report.verify).toMatchObject({ missing: 0, received: report.recordsAcked });
  });

  it('a real SIGINT to the process drains and writes the report', async () => {
    const reportPath = join(dir, 'sigint.json');
    const child = spawn(process.execPath, [BIN, 'run', '--rate', '500', '--duration', '60s', '--report', reportPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      // The engine is running and Ctrl-C is handled once this line is out.
      if (stderr.includes('Ctrl-C stops') && !child.killed) child.kill('SIGINT');
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(0);
    expect(stderr).toContain('Ctrl-C: stopping');
    const report = JSON.parse(readFileSync(reportPath, 'utf8'));
    expect(report).toMatchObject({ interrupted: true, recordsUnsent: 0, recordsFailed: 0 });
    expect(report.recordsAcked).toBeGreaterThan(0);
  });

  it('loadgen local serves other tools: run --endpoint, describe, verify', async () => {
    const localIo = captureIo();
    let stop!: () => void;
    const serving = localCommand({ port: 0, shards: 3, stream: 'shared' }, localIo, new Promise<void>((resolve) => (stop = resolve)));
    await localIo.outIncludes('listening on');
    const endpoint = /listening on (\S+),/.exec(localIo.out())![1];

    const runIo = captureIo();
    expect(await main(['run', '--endpoint', endpoint, '--stream', 'shared', '--rate', '600', '--duration', '1s', '--verify', '--quiet'], runIo)).toBe(0);

    const describeIo = captureIo();
    expect(await main(['describe', '--endpoint', endpoint, '--stream', 'shared', '--json'], describeIo)).toBe(0);
    const description = JSON.parse(describeIo.out());
    expect(description).toMatchObject({ openShards: 3, closedShards: 0, encryption: 'NONE', writeCapacity: { recordsPerSecond: 3000 } });
    // The hash-key ranges tile the whole 128-bit key space.
    const ranges = description.shards.map((s: { startingHashKey: string; endingHashKey: string }) => [BigInt(s.startingHashKey), BigInt(s.endingHashKey)]);
    expect(ranges[0][0]).toBe(0n);
    for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBe(ranges[i - 1][1] + 1n);
    expect(ranges[ranges.length - 1][1]).toBe(2n ** 128n - 1n);

    const verifyIo = captureIo();
    expect(await main(['verify', '--endpoint', endpoint, '--stream', 'shared'], verifyIo)).toBe(0);
    expect(verifyIo.out()).toContain('received 600 from 3 shards, 1 runs; missing 0');

    stop();
    expect(await serving).toBe(0);
  });
});
