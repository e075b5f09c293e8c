/** Steps a run takes the same way in one process and with worker threads: the start, the metrics stream, the read-back. */
import type { AckedRecords } from '../metrics/acked-records';
import { MetricsStream } from '../report/metrics-stream';
import { isClosedPipe } from '../shared/closed-pipe';
import { UsageError, badOption, firstLine } from '../shared/errors';
import { mulberry32 } from '../shared/random';
import { terminalCaps } from '../shared/terminal';
import { verifyAcked } from '../verify/acked';
import type { VerifyResult } from '../verify/types';
import type { CommandIo } from './io';
import type { RunOptions } from './options';
import { withReadBackProgress } from './read-back-progress';
import { JITTER_SEED_SALT } from './generator-setup';
import { waitUntil, type PreparedSegment } from './run-setup';

/** The --out stream; a reader that goes away (`| head`) ends the run as if asked to, quietly. */
export function openMetricsStream(path: string, io: CommandIo, stop: () => void): MetricsStream {
  try {
    return MetricsStream.open(path, io.stdout, (error) => {
      if (isClosedPipe(error)) return stop();
      io.stderr.write(`loadgen: --out json=${path} stopped: ${firstLine(error)}\n`);
    });
  } catch (error) {
    throw new UsageError(badOption('--out', `json=${path}`, `a file loadgen can write (${firstLine(error)})`));
  }
}

/** Waits for --start-at; the wall-clock start of the schedule (now when none was given). */
export async function startOfSchedule(options: RunOptions, log: (line: string) => void): Promise<Date> {
  if (!options.startAt) return new Date();
  const at = options.startAt.getTime();
  if (at > Date.now()) log(`[loadgen] waiting until ${options.startAt.toISOString()} (--start-at)`);
  await waitUntil(at);
  const lateMs = Date.now() - at;
  if (lateMs > 1000) log(`[loadgen] started ${(lateMs / 1000).toFixed(1)} s after --start-at: records due before now are overdue (dropped unless there is room)`);
  return options.startAt;
}

/** Reads the stream back for what this process acknowledged (its segment's records only, when it is one). */
export async function verifyRun(
  prepared: PreparedSegment,
  options: RunOptions,
  io: CommandIo,
  acks: AckedRecords,
  startedAt: Date,
  expectedRecords: number,
): Promise<VerifyResult | undefined> {
  const reader = prepared.target.reader;
  if (!reader) return undefined;
  if (!options.quiet) io.stderr.write('verifying: reading every shard back from the run start\n');
  const seqOf = prepared.plugin.seqOf && ((data: Uint8Array) => prepared.plugin.seqOf!(data, prepared.ctx));
  // The embedded stream is new: read it all. Elsewhere start a second early (arrival-time precision).
  const since = prepared.target.embedded ? undefined : new Date(startedAt.getTime() - 1000);
  const random = mulberry32(options.seed ^ JITTER_SEED_SALT);
  const terminal = terminalCaps(io.stderr);
  return withReadBackProgress(io, { quiet: options.quiet, terminal, expectedRecords }, (progress) =>
    verifyAcked(reader.client, reader.streamName, acks, seqOf, {
      since,
      readShare: options.readShare,
      random,
      progress,
      ownRecordsOnly: options.segment.count > 1,
    }),
  );
}
