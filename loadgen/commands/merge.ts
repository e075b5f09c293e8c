/** `loadgen merge`: one report from the reports of one run's segments (files, folders, or a fleet run's S3 folder). */
import { createS3Client, type S3Sender } from '../fleet/report-store';
import { errorCode } from '../kinesis/request-errors';
import { MergeError, mergeReports } from '../merge/merge';
import { readParts } from '../merge/sources';
import { formatSummary } from '../report/summary';
import { writeReports } from '../report/write';
import { RunError, UsageError, firstLine } from '../shared/errors';
import { terminalCaps } from '../shared/terminal';
import type { CommandIo } from './io';
import type { MergeOptions } from './options';

export async function mergeCommand(options: MergeOptions, io: CommandIo): Promise<number> {
  let client: (S3Sender & { destroy(): void }) | undefined;
  const s3 = (): S3Sender => (client ??= createS3Client(options.region));
  try {
    const parts = await readParts(options.inputs, s3).catch((error: unknown) => {
      if (error instanceof UsageError) throw error;
      throw new RunError(`reading the reports failed: ${errorCode(error)}: ${firstLine(error)}`);
    });
    let merged;
    try {
      merged = mergeReports(parts, { thresholds: options.thresholds });
    } catch (error) {
      if (error instanceof MergeError) throw new UsageError(error.message);
      throw error;
    }
    writeReports(options, merged);
    if (!options.quiet) {
      io.stdout.write(`merged ${parts.length} reports of run ${merged.runId}\n`);
      io.stdout.write(`${formatSummary(merged, { color: terminalCaps(io.stdout as { isTTY?: boolean }).color })}\n`);
    }
    return merged.exitCode;
  } finally {
    client?.destroy();
  }
}
