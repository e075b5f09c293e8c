/** Shows a read-back's progress with an estimate of the time left (a bar on a terminal, lines in a log). */
import { ReadProgress } from '../kinesis/read-progress';
import { formatDuration } from '../shared/duration';
import { int } from '../shared/format';
import type { TerminalCaps } from '../shared/terminal';
import type { CommandIo } from './io';
import { createProgress } from './progress';

const TICK_MS = 200;

export function readBackStatus(p: ReadProgress, expectedRecords: number | undefined): string {
  const left = p.remainingMs();
  const estimate = left === undefined ? 'estimating the time left' : `about ${formatDuration(left)} left`;
  const of = expectedRecords === undefined ? '' : ` of ${int(expectedRecords)}`;
  return `${int(p.records)}${of} records read, ${p.shardsDone}/${p.shardCount} shards done, ${estimate}`;
}

/** Runs `read` with a ReadProgress shown on stderr until it settles. */
export async function withReadBackProgress<T>(
  io: CommandIo,
  options: { readonly quiet: boolean; readonly terminal: TerminalCaps; readonly expectedRecords?: number },
  read: (progress: ReadProgress) => Promise<T>,
): Promise<T> {
  const progress = new ReadProgress(options.expectedRecords);
  const view = createProgress(io.stderr, options.quiet, options.terminal.liveProgress, 'verifying ');
  const started = performance.now();
  const timer = setInterval(() => {
    view.update({ elapsedMs: performance.now() - started, fraction: progress.fraction(), status: readBackStatus(progress, options.expectedRecords) });
  }, TICK_MS);
  try {
    return await read(progress);
  } finally {
    clearInterval(timer);
    view.stop();
  }
}
