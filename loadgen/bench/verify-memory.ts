/**
 * `npm run bench:verify-memory`: loadgen's own peak memory for `run --verify` at 200,000 and 800,000 records,
 * against a standalone emulator (`loadgen local` in its own process, fresh for each run), so the stored
 * records weigh on the emulator, not on loadgen. The figure is the report's client.maxRssMB: the process's
 * peak resident memory, read-back included. Exits 1 if the peak grows by more than 20 MB between the two.
 * Takes a few minutes (the read-back paces itself to half of each shard's read limits).
 */
import { runLoadgen, STREAM, withKinesalite } from './processes';

const SIZES = [200_000, 800_000];
const SHARDS = 8;
const MAX_GROWTH_MB = 20;
const args = (endpoint: string, records: number, generator: string): string[] =>
  ['--endpoint', endpoint, '--stream', STREAM, '--rate', 'max', '--shard-limit', 'off', '--records', String(records), '--generator', generator, '--seed', '1', '--verify'];

async function main(): Promise<void> {
  const generator = process.argv[2] ?? 'iot-sensor';
  const peaks: number[] = [];
  for (const records of SIZES) {
    const report = await withKinesalite(SHARDS, (endpoint) => runLoadgen(`verify-${records}`, args(endpoint, records, generator)));
    peaks.push(report.client.maxRssMB);
    process.stdout.write(
      `${records.toLocaleString('en-US').padStart(9)} records (${generator}): peak ${report.client.maxRssMB} MB, ` +
        `verify ${JSON.stringify({ received: report.verify?.received, matched: report.verify?.matched, missing: report.verify?.missing, duplicates: report.verify?.duplicates, method: report.verify?.method })}\n`,
    );
  }
  const growth = peaks[1] - peaks[0];
  process.stdout.write(`growth ${growth} MB from ${SIZES[0].toLocaleString('en-US')} to ${SIZES[1].toLocaleString('en-US')} records (target <= ${MAX_GROWTH_MB} MB)\n`);
  if (growth > MAX_GROWTH_MB) process.exitCode = 1;
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
