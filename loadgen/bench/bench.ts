/**
 * `npm run bench`: measures loadgen against a standalone embedded Kinesis (`loadgen local` in its own
 * process, a fresh one per measurement so stored data never favours one side), all in one run:
 *   1. ceiling: a plain batched PutRecords loop (pre-built batches, same concurrency and HTTP handler);
 *   2. loadgen --rate max --shard-limit off, as a user runs it (a `node bin/loadgen.js` subprocess);
 *      1 and 2 alternate over two rounds and are averaged;
 *   3. loadgen at 1,000 / 5,000 / 10,000 records/s (per-shard limit on, 16 shards);
 *   4. generator + engine alone with --sink null.
 * Prints the ratios; exits 1 if a target is missed. Takes about 1.5 minutes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { createKinesisClient } from '../client';
import { createIotSensor } from '../generators/iot-sensor';
import { MAX_RECORDS_PER_REQUEST } from '../limits';
import { encodeRecord, type PutEntry } from '../record';
import type { RunReport } from '../report';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'loadgen.js');
const CONCURRENCY = 4;
const MAX_SECONDS = 8;
/** Ceiling and max are measured alternately, twice each, so neither always runs first. */
const ROUNDS = 2;
const RATE_SECONDS = 10;
const RATES = [1000, 5000, 10000];
const PORT = 45670;
const STREAM = 'bench';
const out = mkdtempSync(join(tmpdir(), 'loadgen-bench-'));

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

async function withServer<T>(shards: number, body: (endpoint: string) => Promise<T>): Promise<T> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'local', '--port', String(PORT), '--shards', String(shards), '--stream', STREAM], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ready, fail) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('listening')) ready();
    });
    child.once('exit', (code) => fail(new Error(`loadgen local exited with ${code}`)));
  });
  try {
    return await body(`http://127.0.0.1:${PORT}`);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGINT');
    await exited;
  }
}

/** The endpoint's ceiling: pre-encoded 500-record batches, CONCURRENCY loops, no accounting. */
async function plainLoop(endpoint: string, seconds: number): Promise<number> {
  const client = createKinesisClient({ region: 'us-east-1', endpoint, maxSockets: CONCURRENCY + 4 });
  const generator = createIotSensor({ seed: 1, devices: 1000, anomalyRate: 0.01, workerIndex: 0, workerCount: 1, runId: 'bench' });
  const batches: PutEntry[][] = [];
  for (let b = 0; b < 64; b++) {
    const batch: PutEntry[] = [];
    for (let i = 0; i < MAX_RECORDS_PER_REQUEST; i++) batch.push(encodeRecord(generator.next(), 'iot-sensor').entry);
    batches.push(batch);
  }
  let acked = 0;
  let next = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      const records = batches[next++ % batches.length];
      const response = await client.send(new PutRecordsCommand({ StreamName: STREAM, Records: records }));
      acked += records.length - (response.FailedRecordCount ?? 0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - start) / 1000;
  client.destroy();
  return acked / elapsed;
}

function loadgen(name: string, args: string[]): Promise<RunReport> {
  const report = join(out, `${name}.json`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet', '--report', report], { env, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`loadgen ${args.join(' ')} exited with ${code}`));
      done(JSON.parse(readFileSync(report, 'utf8')) as RunReport);
    });
  });
}

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(8);

async function main(): Promise<void> {
  const t0 = Date.now();
  const lines: string[] = [];
  const say = (line: string): void => {
    lines.push(line);
    process.stdout.write(`${line}\n`);
  };
  say(`loadgen bench (Node ${process.version}, concurrency ${CONCURRENCY}, batches of ${MAX_RECORDS_PER_REQUEST}; endpoint: kinesalite in its own process)`);

  const ceilings: number[] = [];
  const maxes: RunReport[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ceilings.push(await withServer(4, (endpoint) => plainLoop(endpoint, MAX_SECONDS)));
    maxes.push(
      await withServer(4, (endpoint) =>
        loadgen(`max-${round}`, ['--endpoint', endpoint, '--stream', STREAM, '--rate', 'max', '--shard-limit', 'off', '--duration', `${MAX_SECONDS}s`, '--concurrency', String(CONCURRENCY)]),
      ),
    );
  }
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const ceiling = mean(ceilings);
  const maxRate = mean(maxes.map((r) => r.achievedRate));
  const ratio = maxRate / ceiling;
  say(`plain PutRecords loop     ${fmt(ceiling)} records/s  (rounds: ${ceilings.map(fmt).map((s) => s.trim()).join(', ')})`);
  say(
    `loadgen --rate max        ${fmt(maxRate)} records/s  (rounds: ${maxes.map((r) => fmt(r.achievedRate).trim()).join(', ')})  ` +
      `ratio ${ratio.toFixed(3)}x (target >= 0.95)  p99 ${maxes[maxes.length - 1].latencyMs.p99} ms  dropped ${maxes.reduce((n, r) => n + r.droppedRecords, 0)}`,
  );

  const rateResults: { rate: number; report: RunReport }[] = [];
  await withServer(16, async (endpoint) => {
    for (const rate of RATES) {
      const report = await loadgen(`rate-${rate}`, ['--endpoint', endpoint, '--stream', STREAM, '--rate', String(rate), '--duration', `${RATE_SECONDS}s`, '--concurrency', String(CONCURRENCY)]);
      rateResults.push({ rate, report });
    }
  });
  let allWithin = true;
  for (const { rate, report } of rateResults) {
    const error = (report.achievedRate - rate) / rate;
    const within = Math.abs(error) <= 0.01;
    allWithin &&= within;
    say(
      `--rate ${String(rate).padEnd(6)}            ${fmt(report.achievedRate)} records/s  ratio ${(report.achievedRate / rate).toFixed(4)}x ` +
        `(${(error * 100).toFixed(2)}%, ${within ? 'within' : 'OUTSIDE'} 1%)  acked ${report.recordsAcked}/${report.recordsScheduled}  dropped ${report.droppedRecords}  p99 ${report.latencyMs.p99} ms`,
    );
  }

  const nullSink = await loadgen('null', ['--sink', 'null', '--rate', 'max', '--duration', '5s', '--concurrency', String(CONCURRENCY)]);
  say(`generator + engine, null  ${fmt(nullSink.achievedRate)} records/s  (${(nullSink.achievedRate / ceiling).toFixed(1)}x the endpoint's ceiling)`);
  say(`reports in ${out}; bench took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (ratio < 0.95 || !allWithin) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
