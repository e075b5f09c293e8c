/** The bench's processes: endpoints in their own process, loadgen as users run it, and the plain loop. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunReport } from '../report/report';
import type { PlainLoopMode, PlainLoopResult } from './plain-loop';

const ROOT = resolve(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'loadgen.js');
const TSX = ['-r', 'tsx/cjs'];
export const STREAM = 'bench';
export const reportsDir = mkdtempSync(join(tmpdir(), 'loadgen-bench-'));

const env = { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' };

/** Runs `args` (node arguments) until it prints "listening", calls `body` with its endpoint, then stops it. */
async function withProcess<T>(args: string[], port: number, body: (endpoint: string) => Promise<T>): Promise<T> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ready, fail) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('listening')) ready();
    });
    child.once('exit', (code) => fail(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  try {
    return await body(`http://127.0.0.1:${port}`);
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGINT');
    await exited;
  }
}

/** A fresh kinesalite (`loadgen local`) with one stream, so stored data never favours one measurement. */
export function withKinesalite<T>(shards: number, body: (endpoint: string) => Promise<T>): Promise<T> {
  const port = 45670;
  return withProcess([BIN, 'local', '--port', String(port), '--shards', String(shards), '--stream', STREAM], port, body);
}

/**
 * The stub endpoint (stub-endpoint.ts): accepts every PutRecords after `delayMs` (0: at once, so what remains
 * is the client's cost), with `shards` shards.
 */
export function withStubEndpoint<T>(shards: number, delayMs: number, body: (endpoint: string) => Promise<T>): Promise<T> {
  const port = 45680;
  return withProcess([...TSX, join(__dirname, 'stub-endpoint.ts'), String(port), String(shards), String(delayMs)], port, body);
}

/** `loadgen run <args> --quiet --report <file>` as a user runs it; resolves with its report. */
export function runLoadgen(name: string, args: string[]): Promise<RunReport> {
  const report = join(reportsDir, `${name}.json`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'run', ...args, '--quiet', '--report', report], { env, stdio: 'inherit' });
    child.once('exit', (code) => {
      if (code !== 0) return fail(new Error(`loadgen ${args.join(' ')} exited with ${code}`));
      done(JSON.parse(readFileSync(report, 'utf8')) as RunReport);
    });
  });
}

/** The plain PutRecords loop in its own process. */
export function runPlainLoop(endpoint: string, seconds: number, concurrency: number, mode: PlainLoopMode): Promise<PlainLoopResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [...TSX, join(__dirname, 'plain-loop.ts'), endpoint, STREAM, String(seconds), String(concurrency), mode], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => (code === 0 ? done(JSON.parse(out) as PlainLoopResult) : fail(new Error(`plain loop exited with ${code}`))));
  });
}
