/**
 * `npm run bench`: measures loadgen against baselines measured in the same run, and prints the ratios:
 *   1. throughput: loadgen --rate max vs a plain batched PutRecords loop, both against a standalone
 *      kinesalite (a fresh one per measurement), alternating over two rounds;
 *   2. client cost: records per CPU-second of loadgen and of a plain loop that generates and sends the same
 *      records without an engine, against an endpoint that accepts instantly (so the client, not the
 *      server, is the bottleneck), alternating over three rounds (the median counts);
 *   3. rate accuracy at 1,000 / 5,000 / 10,000 records/s (per-shard limit on, 16 shards);
 *   4. generator + engine alone with --sink null.
 * Exits 1 if a target is missed. Takes about 2 minutes.
 */
import { reportsDir, runLoadgen, runPlainLoop, STREAM, withInstantEndpoint, withKinesalite } from './processes';
import type { RunReport } from '../report/report';

const CONCURRENCY = 4;
const MAX_SECONDS = 8;
const COST_SECONDS = 6;
const ROUNDS = 2;
const COST_ROUNDS = 3;
const RATE_SECONDS = 10;
const RATES = [1000, 5000, 10000];
const TARGETS = { maxRatio: 0.95, costRatio: 0.9, rateError: 0.01 };

const fmt = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(8);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const list = (xs: number[]): string => xs.map((x) => fmt(x).trim()).join(', ');
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
  await withInstantEndpoint(async (endpoint) => {
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

async function rateAccuracy(): Promise<boolean> {
  const results: { rate: number; report: RunReport }[] = [];
  await withKinesalite(16, async (endpoint) => {
    for (const rate of RATES) {
      const args = ['--endpoint', endpoint, '--stream', STREAM, '--rate', String(rate), '--duration', `${RATE_SECONDS}s`, '--concurrency', String(CONCURRENCY)];
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
        `(${(error * 100).toFixed(2)}%, ${within ? 'within' : 'OUTSIDE'} 1%)  acked ${report.recordsAcked}/${report.recordsScheduled}  dropped ${report.droppedRecords}  p99 ${report.latencyMs.p99} ms`,
    );
  }
  return allWithin;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  say(`loadgen bench (Node ${process.version}, concurrency ${CONCURRENCY}, batches of 500; endpoints run in their own processes)`);
  const maxOk = await throughput();
  const costOk = await clientCost();
  const ratesOk = await rateAccuracy();
  const nullSink = await runLoadgen('null', ['--sink', 'null', '--rate', 'max', '--duration', '5s', '--concurrency', String(CONCURRENCY)]);
  say(`generator + engine, null  ${fmt(nullSink.achievedRate)} records/s`);
  say(`reports in ${reportsDir}; bench took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  if (!maxOk || !costOk || !ratesOk) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
