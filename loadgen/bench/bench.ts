/**
 * `npm run bench`: measures loadgen against baselines measured in the same run, and prints the ratios:
 *   1. throughput: loadgen --rate max vs a plain batched PutRecords loop, both against a standalone
 *      kinesalite (a fresh one per measurement), alternating over two rounds;
 *   2. client cost: records per CPU-second of loadgen and of a plain loop that generates and sends the same
 *      records without an engine, against an endpoint that accepts instantly (so the client, not the
 *      server, is the bottleneck), alternating over three rounds (the median counts);
 *   3. worker threads: --workers 2 against --workers 1 on the endpoint that accepts instantly, alternating over three
 *      rounds: throughput (the endpoint shares the 2 cores; two plain loops in two processes against one, measured
 *      in the same rounds, are what the machine allows) and records per CPU-second (the process's CPU, threads
 *      included), which must not fall by more than 10 % with workers;
 *   4. rate accuracy at 1,000 / 5,000 / 10,000 records/s (per-shard limit on, 16 shards), with the
 *      concurrency the controller chose;
 *   5. a slow endpoint (100 shards answering after 60 ms): default --rate auto against its 80,000/s target,
 *      and stages stepping from 1,000/s to 60,000/s, with the concurrency chosen at each rate;
 *   6. generator + engine alone with --sink null.
 * Exits 1 if a target is missed. Takes about 4 minutes; `npm run bench -- slow rates` runs only the sections named
 * (throughput, cost, workers, rates, slow, null).
 */
import { loadavg } from 'node:os';
import { reportsDir, runLoadgen, runPlainLoop, STREAM, withKinesalite, withStubEndpoint } from './processes';
import type { RunReport } from '../report/report';
import { int } from '../shared/format';
import type { SeriesPoint } from '../metrics/series';

/** Pinned where a measurement compares with a plain loop of the same concurrency. */
const CONCURRENCY = 4;
const MAX_SECONDS = 8;
const COST_SECONDS = 6;
const ROUNDS = 2;
const COST_ROUNDS = 3;
const RATE_SECONDS = 10;
const RATES = [1000, 5000, 10000];
const SLOW = { shards: 100, delayMs: 60, autoSeconds: 10, baselineSeconds: 6, stepSeconds: 5 };
const STEPS = [1000, 5000, 10000, 20000, 40000, 60000];
const TARGETS = { maxRatio: 0.95, costRatio: 0.9, rateError: 0.01, workersCostRatio: 0.9, autoShare: 0.95, autoLoss: 0.005, stepError: 0.05 };

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(8);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs: number[]): string => xs.map(int).join(', ');
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

async function throughput(): Promise<boolean> {
  const ceilings: number[] = [];
  const maxes: RunReport[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    ceilings.push((await withKinesalite(4, (endpoint) => runPlainLoop(endpoint, MAX_SECONDS, CONCURRENCY, 'prebuilt'))).rate);
    const args = ['--endpoint', '', '--stream', STREAM, '--rate', 'max', '--shard-limit', 'off', '--duration', `${MAX_SECONDS}s`, '--concurrency', String(CONCURRENCY)];
    maxes.push(await withKinesalite(4, (endpoint) => runLoadgen(`max-${round}`, args.map((a, i) => (i === 1 ? endpoint : a)))));
  }
  const ceiling = mean(ceilings);
  const maxRate = mean(maxes.map((r) => r.achievedRate));
  const ratio = maxRate / ceiling;
  say(`plain PutRecords loop     ${fmt(ceiling)} records/s  (rounds: ${list(ceilings)})`);
  say(
    `loadgen --rate max        ${fmt(maxRate)} records/s  (rounds: ${list(maxes.map((r) => r.achievedRate))})  ` +
      `ratio ${ratio.toFixed(3)}x (target >= ${TARGETS.maxRatio})  p99 ${maxes[maxes.length - 1].latencyMs.p99} ms  dropped ${maxes.reduce((n, r) => n + r.droppedRecords, 0)}`,
  );
  return ratio >= TARGETS.maxRatio;
}

async function clientCost(): Promise<boolean> {
  const plain: number[] = [];
  const plainRates: number[] = [];
  const ours: number[] = [];
  const ourRates: number[] = [];
  await withStubEndpoint(1, 0, async (endpoint) => {
    for (let round = 0; round < COST_ROUNDS; round++) {
      const loop = await runPlainLoop(endpoint, COST_SECONDS, CONCURRENCY, 'fresh');
      plain.push(loop.acked / loop.cpuSeconds);
      plainRates.push(loop.rate);
      const args = ['--endpoint', endpoint, '--stream', STREAM, '--rate', 'max', '--shard-limit', 'off', '--duration', `${COST_SECONDS}s`, '--concurrency', String(CONCURRENCY)];
      const report = await runLoadgen(`cost-${round}`, args);
      ours.push(report.recordsAcked / report.client.cpuSeconds);
      ourRates.push(report.achievedRate);
    }
  });
  // Round by round, so a busy moment of the machine weighs on both sides of a ratio.
  const ratio = median(ours.map((x, i) => x / plain[i]));
  say(`instant endpoint: plain loop ${fmt(mean(plainRates))} records/s, ${fmt(median(plain))} records/CPU-s  (rounds: ${list(plain)})`);
  say(
    `instant endpoint: loadgen    ${fmt(mean(ourRates))} records/s, ${fmt(median(ours))} records/CPU-s  (rounds: ${list(ours)})  ` +
      `client-cost ratio ${ratio.toFixed(3)}x (target >= ${TARGETS.costRatio})`,
  );
  return ratio >= TARGETS.costRatio;
}

async function workerThreads(): Promise<boolean> {
  const one: RunReport[] = [];
  const two: RunReport[] = [];
  const loopSpeedups: number[] = [];
  await withStubEndpoint(1, 0, async (endpoint) => {
    const args = (workers: number) =>
      ['--endpoint', endpoint, '--stream', STREAM, '--rate', 'max', '--shard-limit', 'off', '--duration', `${COST_SECONDS}s`, '--concurrency', String(CONCURRENCY), '--workers', String(workers)];
    for (let round = 0; round < COST_ROUNDS; round++) {
      const single = await runPlainLoop(endpoint, COST_SECONDS, CONCURRENCY, 'fresh');
      const pair = await Promise.all([0, 1].map(() => runPlainLoop(endpoint, COST_SECONDS, CONCURRENCY, 'fresh')));
      loopSpeedups.push((pair[0].rate + pair[1].rate) / single.rate);
      one.push(await runLoadgen(`workers-1-${round}`, args(1)));
      two.push(await runLoadgen(`workers-2-${round}`, args(2)));
    }
  });
  const perCpu = (r: RunReport): number => r.recordsAcked / r.client.cpuSeconds;
  // Round by round, like the client cost.
  const speedup = median(two.map((r, i) => r.achievedRate / one[i].achievedRate));
  const costRatio = median(two.map((r, i) => perCpu(r) / perCpu(one[i])));
  say(`--workers 1               ${fmt(mean(one.map((r) => r.achievedRate)))} records/s, ${fmt(median(one.map(perCpu)))} records/CPU-s  (rounds: ${list(one.map(perCpu))})`);
  say(
    `--workers 2               ${fmt(mean(two.map((r) => r.achievedRate)))} records/s, ${fmt(median(two.map(perCpu)))} records/CPU-s  (rounds: ${list(two.map(perCpu))})  ` +
      `throughput ${speedup.toFixed(3)}x one worker (two plain loops in two processes: ${median(loopSpeedups).toFixed(3)}x one), ` +
      `records per CPU-second ${costRatio.toFixed(3)}x (target >= ${TARGETS.workersCostRatio})`,
  );
  return costRatio >= TARGETS.workersCostRatio;
}

async function rateAccuracy(): Promise<boolean> {
  const results: { rate: number; report: RunReport }[] = [];
  await withKinesalite(16, async (endpoint) => {
    for (const rate of RATES) {
      const args = ['--endpoint', endpoint, '--stream', STREAM, '--rate', String(rate), '--duration', `${RATE_SECONDS}s`];
      results.push({ rate, report: await runLoadgen(`rate-${rate}`, args) });
    }
  });
  let allWithin = true;
  for (const { rate, report } of results) {
    const error = (report.achievedRate - rate) / rate;
    const within = Math.abs(error) <= TARGETS.rateError;
    allWithin &&= within;
    say(
      `--rate ${String(rate).padEnd(6)}            ${fmt(report.achievedRate)} records/s  ratio ${(report.achievedRate / rate).toFixed(4)}x ` +
        `(${(error * 100).toFixed(2)}%, ${within ? 'within' : 'OUTSIDE'} 1%)  acked ${report.recordsAcked}/${report.recordsScheduled}  dropped ${report.droppedRecords}  ` +
        `p99 ${report.latencyMs.p99} ms  concurrency ${report.concurrency?.settled}`,
    );
  }
  return allWithin;
}

const pct = (x: number): string => `${(100 * x).toFixed(2)}%`;
/** The machine's 1-minute load average: other work on the 2 cores shows in every figure. */
const loadAverage = (): string => loadavg()[0].toFixed(1);

/** Default --rate auto against 100 shards that answer after 60 ms; the old fixed concurrency of 4 for comparison. */
async function slowEndpointAuto(): Promise<boolean> {
  const { shards, delayMs, autoSeconds, baselineSeconds } = SLOW;
  return withStubEndpoint(shards, delayMs, async (endpoint) => {
    const target = ['--endpoint', endpoint, '--stream', STREAM];
    const pinned = await runLoadgen('slow-pinned-4', [...target, '--rate', 'auto', '--duration', `${baselineSeconds}s`, '--concurrency', '4']);
    say(`slow endpoint (${shards} shards, ${delayMs} ms): --rate auto --concurrency 4 (the old default): ${int(pinned.achievedRate)} records/s of ${int(pinned.targetRate ?? 0)}`);
    const r = await runLoadgen('slow-auto', [...target, '--rate', 'auto', '--duration', `${autoSeconds}s`]);
    const share = r.achievedRate / (r.targetRate ?? 1);
    const loss = (r.droppedRecords + r.throttled) / Math.max(1, r.recordsScheduled);
    const ok = share >= TARGETS.autoShare && loss <= TARGETS.autoLoss;
    say(
      `slow endpoint: --rate auto (defaults)  ${fmt(r.achievedRate)} records/s of ${int(r.targetRate ?? 0)} = ${pct(share)} (target >= ${pct(TARGETS.autoShare)})  ` +
        `dropped ${r.droppedRecords} + throttled ${r.throttled} = ${pct(loss)} (target <= ${pct(TARGETS.autoLoss)})  p50 ${r.latencyMs.p50} ms  ` +
        `client ${r.client.cpuSeconds} CPU-s, event loop ${Math.round(100 * (r.client.eventLoopBusy ?? 0))}% busy, machine load ${loadAverage()}  ${ok ? 'ok' : 'MISSED'}`,
    );
    say(`  concurrency settled at ${r.concurrency?.settled} (range ${r.concurrency?.min}..${r.concurrency?.max}): ${r.concurrency?.why}`);
    return ok;
  });
}

/** Stages stepping from 1,000/s to 60,000/s: acked per second within 5% of each step's target after its first second. */
async function slowEndpointSteps(): Promise<boolean> {
  const { shards, delayMs, stepSeconds } = SLOW;
  const stages = STEPS.flatMap((rate) => [`0s:${rate}`, `${stepSeconds}s:${rate}`]).join(',');
  const r = await withStubEndpoint(shards, delayMs, (endpoint) => runLoadgen('slow-steps', ['--endpoint', endpoint, '--stream', STREAM, '--stages', stages]));
  say(
    `slow endpoint: --stages ${STEPS.map((x) => `${x / 1000}k`).join(' -> ')} (${stepSeconds} s each), no --concurrency; dropped ${r.droppedRecords}, ` +
      `throttled ${r.throttled}, event loop ${Math.round(100 * (r.client.eventLoopBusy ?? 0))}% busy, machine load ${loadAverage()}`,
  );
  let ok = true;
  STEPS.forEach((rate, i) => {
    // The step's seconds after its first: the controller has had a second to follow.
    const steady: SeriesPoint[] = r.series.slice(i * stepSeconds + 1, (i + 1) * stepSeconds);
    const acked = steady.length ? mean(steady.map((p) => p.acked)) : 0;
    const error = (acked - rate) / rate;
    const within = Math.abs(error) <= TARGETS.stepError;
    ok &&= within;
    const concurrency = [...new Set(steady.map((p) => p.concurrency))].join('/');
    say(
      `  step ${String(rate).padStart(6)}/s  acked ${fmt(acked)}/s (${(error * 100).toFixed(2)}%, ${within ? 'within' : 'OUTSIDE'} 5%)  ` +
        `seconds ${steady.map((p) => int(p.acked)).join(', ')}  concurrency ${concurrency}`,
    );
  });
  return ok;
}

async function nullSink(): Promise<boolean> {
  const report = await runLoadgen('null', ['--sink', 'null', '--rate', 'max', '--duration', '5s', '--concurrency', String(CONCURRENCY)]);
  say(`generator + engine, null  ${fmt(report.achievedRate)} records/s`);
  return true;
}

/** The measurements by name: `npm run bench -- slow` runs one of them (a re-measurement when the machine is quiet). */
const SECTIONS: Record<string, () => Promise<boolean>> = {
  throughput,
  cost: clientCost,
  workers: workerThreads,
  rates: rateAccuracy,
  slow: async () => {
    const auto = await slowEndpointAuto();
    return (await slowEndpointSteps()) && auto;
  },
  null: nullSink,
};

async function main(): Promise<void> {
  const t0 = Date.now();
  const asked = process.argv.slice(2);
  const unknown = asked.filter((name) => !(name in SECTIONS));
  if (unknown.length) throw new Error(`unknown section ${unknown.join(', ')}; expected some of ${Object.keys(SECTIONS).join(', ')}`);
  say(`loadgen bench (Node ${process.version}, batches of 500; endpoints run in their own processes; machine load ${loadAverage()})`);
  let ok = true;
  for (const name of asked.length ? asked : Object.keys(SECTIONS)) ok = (await SECTIONS[name]()) && ok;
  say(`reports in ${reportsDir}; bench took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (!ok) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
