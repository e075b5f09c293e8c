/**
 * The end of a run, the same for one process and for its workers' merged report: thresholds evaluated on the final
 * report, the exit code, the report written (and a fleet child's report put to S3), the summary, then the one line
 * that says why the run failed, if it did.
 */
import { InvalidRecordError } from '../engine/record';
import { createS3Client, putReport } from '../fleet/report-store';
import { errorCode } from '../kinesis/request-errors';
import { exitCodeOf } from '../report/exit-code';
import { withOutcome, type RunReport } from '../report/report';
import { formatSummary } from '../report/summary';
import { writeReports } from '../report/write';
import { firstLine } from '../shared/errors';
import { int } from '../shared/format';
import { terminalCaps } from '../shared/terminal';
import { evaluateThresholds, type ThresholdResult } from '../thresholds/evaluate';
import { EXIT_FAILED, EXIT_OK, EXIT_THRESHOLDS, EXIT_USAGE, type CommandIo } from './io';
import type { RunOptions } from './options';
import type { AbortedBy } from './run-monitor';
import { asGeneratorUsageError } from './generator-setup';

export interface RunOutcome {
  readonly exitCode: number;
  readonly report: RunReport;
}

export interface RunEnd {
  /** The report of what was measured (its exit code is set here). */
  readonly measured: RunReport;
  /** The abortOnFail threshold that stopped the run, if one did. */
  readonly aborted: AbortedBy | null;
  /** An error that ended the run (a generator's fault is a usage error). */
  readonly error: Error | null;
  readonly unreachable: { readonly code: string; readonly forMs: number } | null;
  /** Where requests went, for the unreachable line. */
  readonly endpointLabel: string;
}

/** The last line of a run whose thresholds failed, so a CI log names them even with --quiet. */
function thresholdFailureLine(thresholds: readonly ThresholdResult[], reportPath: string | undefined): string {
  const failed = thresholds.filter((t) => !t.ok);
  const named = failed.map((t) => `${t.expression} (${t.value === null ? 'no value' : `value ${t.value}`})`).join(', ');
  return `loadgen: ${failed.length} of ${thresholds.length} thresholds failed: ${named}${reportPath ? `; report in ${reportPath}` : ''}\n`;
}

/** A fleet child's report to its segment's key; a failure is one line and exit 1 (the run itself is done). */
async function upload(report: RunReport, options: RunOptions, io: CommandIo, log: (line: string) => void): Promise<boolean> {
  const target = options.reportUpload;
  if (!target) return true;
  const url = `s3://${target.bucket}/${target.key}`;
  const client = createS3Client(target.region);
  try {
    await putReport(client, target.bucket, target.key, report);
    log(`[loadgen] report put to ${url}`);
    return true;
  } catch (error) {
    io.stderr.write(`loadgen: could not put the report to ${url}: ${errorCode(error)}: ${firstLine(error)}\n`);
    return false;
  } finally {
    client.destroy();
  }
}

export async function finishRun(end: RunEnd, options: RunOptions, io: CommandIo): Promise<RunOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const { measured, error, unreachable } = end;
  const thresholds = evaluateThresholds(options.thresholds, measured, end.aborted ?? undefined);
  const judged = { ...measured, ...(thresholds.length ? { thresholds } : {}) };
  let exitCode = error instanceof InvalidRecordError ? EXIT_USAGE : exitCodeOf(judged);
  const report = withOutcome(measured, thresholds, exitCode);
  writeReports(options, report);
  if (!(await upload(report, options, io, log)) && exitCode === EXIT_OK) exitCode = EXIT_FAILED;
  // Asked to carry data (records or the metrics stream), stdout carries nothing else.
  const summaryOut = options.sink.kind === 'stdout' || options.out?.path === '-' ? io.stderr : io.stdout;
  if (!options.quiet) summaryOut.write(`${formatSummary(report, { color: terminalCaps(summaryOut as { isTTY?: boolean }).color })}\n`);
  // The run's error (a generator's fault is a usage error) is the last line, after the report is written.
  if (error) throw asGeneratorUsageError(error, options.generator);
  if (unreachable) {
    io.stderr.write(
      `loadgen: ${end.endpointLabel} unreachable for ${(unreachable.forMs / 1000).toFixed(1)} s (${unreachable.code}): stopped; ` +
        `${int(report.recordsAcked)} records acked, ${int(report.recordsUnsent)} unsent${options.report ? `; report in ${options.report}` : ''}\n`,
    );
  }
  if (exitCode === EXIT_THRESHOLDS) io.stderr.write(thresholdFailureLine(thresholds, options.report));
  return { exitCode, report };
}
