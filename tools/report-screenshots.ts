/**
 * `npm run screenshots`: the README's pictures of the HTML report, taken from real runs on the embedded stream with
 * the Kinesis write limits: a ramp past the stream's capacity (run) and a throttle-point search (find-limit).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../loadgen/cli/main';
import { openViewer } from './headless-chromium';

const DOCS = join(__dirname, '..', 'docs');

async function loadgen(args: string[]): Promise<void> {
  const code = await main(args);
  if (code !== 0 && code !== 1) throw new Error(`loadgen ${args.join(' ')} exited ${code}`);
}

async function shoot(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'loadgen-screenshots-'));
  const run = join(dir, 'run.html');
  const limit = join(dir, 'find-limit.html');
  // 4 shards take 4,000 records/s; with loadgen's own per-shard limiter off the ramp runs into the stream's.
  await loadgen(['run', '--limits', '--shard-limit', 'off', '--shards', '4', '--stages', '5s:2000,10s:6000,5s:6000,5s:1000', '--seed', '7', '--quiet', '--report-html', run]);
  await loadgen(['find-limit', '--shards', '4', '--step-duration', '3s', '--settle', '1s', '--devices', '10000', '--seed', '7', '--quiet', '--report-html', limit]);
  const viewer = await openViewer({ width: 1280, height: 1000 });
  try {
    for (const [html, png] of [[run, 'report-run.png'], [limit, 'report-find-limit.png']]) {
      const look = await viewer.look(html, join(DOCS, png));
      if (look.consoleErrors.length) throw new Error(`${png}: ${look.consoleErrors.join('; ')}`);
      console.log(`docs/${png}: ${look.chartsDrawn} charts (${look.title})`);
    }
  } finally {
    await viewer.close();
  }
}

shoot().then(
  () => process.exit(0),
  (error: Error) => {
    console.error(`screenshots: ${error.message}`);
    process.exit(1);
  },
);
