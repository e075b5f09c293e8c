import { spawn } from 'node:child_process';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'loadgen.js');
const ARGS = 'run --rate 3000 --duration 1s --shards 1 --shard-limit off --verify --read-share 0.1';

/** Runs loadgen on a pseudo-terminal (`script`), as from a user's shell; resolves with what the terminal showed. */
function onTerminal(args: string): Promise<string> {
  const { CI: _ci, NO_COLOR: _noColor, ...rest } = process.env;
  const child = spawn('script', ['-qec', `"${process.execPath}" "${BIN}" ${args}`, '/dev/null'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...rest, TERM: 'xterm' },
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', () => resolve(out)));
}

describe('the read-back shows its progress and the time left on a terminal', () => {
  it('run --verify: a bar with the records read of those acknowledged, shards done and an estimate', async () => {
    // One shard read in pages at a small share of its read limits: the read-back lasts a few seconds.
    const shown = await onTerminal(ARGS);
    expect(shown).toMatch(/verifying =*-* \d+% \| [\d,]+ of 3,000 records read, 0\/1 shards done, about \d+m?s left/);
    expect(shown).toContain('verify     received 3,000  missing 0  duplicates 0');
  });
});
