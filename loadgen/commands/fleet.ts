/**
 * `loadgen fleet run`: a run as an AWS Batch array job, one child per segment (`--segment index+1/size` from the
 * array index), all starting together at `--start-at`; progress as the children move through Batch's states; then
 * every child's report fetched from the run's S3 folder and merged into one local report. `fleet status <job-id>`
 * looks at a job, e.g. after Ctrl-C left one running.
 */
import type { JobDetail } from '@aws-sdk/client-batch';
import { createBatchClient, describeJob, describeProgress, failedChildren, FINISHED_STATES, jobNameFor, submitFleetJob, type BatchSender } from '../fleet/batch';
import { createS3Client, listReportKeys, type S3Sender } from '../fleet/report-store';
import { errorCode } from '../kinesis/request-errors';
import { MergeError, mergeReports } from '../merge/merge';
import { readS3Parts } from '../merge/sources';
import { formatSummary } from '../report/summary';
import { writeReports } from '../report/write';
import { RunError, firstLine } from '../shared/errors';
import { formatDuration } from '../shared/duration';
import { terminalCaps } from '../shared/terminal';
import { EXIT_FAILED, EXIT_OK, type CommandIo } from './io';
import type { FleetRunOptions, FleetStatusOptions } from './options';

/** Exit code of a fleet run left running by Ctrl-C (the shell's for SIGINT). */
const EXIT_INTERRUPTED = 130;

/** The reports folder of a run: `s3://<bucket>/<prefix><run id>/`. */
export function runFolder(options: FleetRunOptions): string {
  return `s3://${options.target.reportsBucket}/${options.target.reportsPrefix}${options.runId}/`;
}

/** The command every child runs (after the image's entry point): the run's options, its id, seed and start. */
export function childCommand(options: FleetRunOptions, startAt: Date): string[] {
  const abortOnFail = options.thresholds.filter((t) => t.abortOnFail).flatMap((t) => ['--threshold', t.expression]);
  return ['run', ...options.childArgs, ...abortOnFail, '--run-id', options.runId, '--seed', String(options.seed), '--start-at', startAt.toISOString()];
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls to AWS fail as one line naming the call. */
async function aws<T>(doing: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw new RunError(`${doing} failed: ${errorCode(error)}: ${firstLine(error)}`);
  }
}

/** Polls the job until it is finished, printing each change; resolves undefined when Ctrl-C stopped the wait. */
async function awaitJob(batch: BatchSender, jobId: string, options: FleetRunOptions, io: CommandIo, interrupted: () => boolean): Promise<JobDetail | undefined> {
  let last = '';
  for (;;) {
    const job = await aws('DescribeJobs', () => describeJob(batch, jobId));
    if (!job) throw new RunError(`job ${jobId} is not known to AWS Batch in ${options.target.region}`);
    const line = describeProgress(job);
    if (line !== last && !options.quiet) io.stderr.write(`[loadgen] fleet ${jobId}: ${line}\n`);
    last = line;
    if (FINISHED_STATES.includes(job.status ?? '')) return job;
    if (interrupted()) return undefined;
    await sleep(options.pollMs);
    if (interrupted()) return undefined;
  }
}

export async function fleetRunCommand(options: FleetRunOptions, io: CommandIo): Promise<number> {
  const { target } = options;
  const batch = createBatchClient(target.region);
  const s3 = createS3Client(target.region);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
  };
  if (io.handleSignals) process.on('SIGINT', onSigint);
  try {
    const startAt = new Date(Date.now() + options.startDelayMs);
    const command = childCommand(options, startAt);
    const jobId = await aws('SubmitJob', () =>
      submitFleetJob(batch, { jobName: jobNameFor(options.runId), jobQueue: target.jobQueue, jobDefinition: target.jobDefinition, size: options.size, command }),
    );
    if (!options.quiet) {
      io.stderr.write(
        `[loadgen] fleet ${jobId}: ${options.size} children of ${target.jobQueue}, run ${options.runId}, seed ${options.seed}, ` +
          `starting together at ${startAt.toISOString()} (in ${formatDuration(options.startDelayMs)}); reports in ${runFolder(options)}\n`,
      );
      io.stderr.write(`[loadgen] children run: loadgen ${command.join(' ')}\n`);
    }
    const job = await awaitJob(batch, jobId, options, io, () => interrupts > 0);
    if (!job) {
      io.stderr.write(
        `loadgen: stopped waiting; job ${jobId} keeps running: follow it with \`loadgen fleet status ${jobId} --region ${target.region}\`, ` +
          `then \`loadgen merge ${runFolder(options)} --region ${target.region} --report ${options.report}\`\n`,
      );
      return EXIT_INTERRUPTED;
    }
    return await collect(options, batch, s3, jobId, job, io);
  } finally {
    if (io.handleSignals) process.off('SIGINT', onSigint);
    batch.destroy();
    s3.destroy();
  }
}

/** Fetches and merges the children's reports; a child without one is named with Batch's reason. */
async function collect(options: FleetRunOptions, batch: BatchSender, s3: S3Sender, jobId: string, job: JobDetail, io: CommandIo): Promise<number> {
  const folder = runFolder(options);
  const failed = job.status === 'FAILED' && options.size > 1 ? await aws('ListJobs', () => failedChildren(batch, jobId)) : [];
  if (job.status === 'FAILED' && options.size === 1) failed.push({ index: 0, reason: job.statusReason ?? 'no reason given' });
  for (const child of failed) io.stderr.write(`[loadgen] child ${child.index} (segment ${child.index + 1}/${options.size}) FAILED: ${child.reason}\n`);
  const prefix = `${options.target.reportsPrefix}${options.runId}/`;
  const keys = await aws('ListObjectsV2', () => listReportKeys(s3, options.target.reportsBucket, prefix));
  if (keys.length === 0) throw new RunError(`no child put a report in ${folder}${failed.length ? ` (${failed.length} children failed)` : ''}`);
  const parts = await aws(`reading the reports in ${folder}`, () => readS3Parts(s3, options.target.reportsBucket, keys));
  let merged;
  try {
    merged = mergeReports(parts, { thresholds: options.thresholds });
  } catch (error) {
    if (error instanceof MergeError) throw new RunError(`${error.message}; the reports that arrived stay in ${folder}`);
    throw error;
  }
  writeReports(options, merged);
  if (!options.quiet) {
    io.stdout.write(`merged ${parts.length} reports of run ${merged.runId} (job ${jobId}) into ${options.report}\n`);
    io.stdout.write(`${formatSummary(merged, { color: terminalCaps(io.stdout as { isTTY?: boolean }).color })}\n`);
  }
  if (failed.length && merged.exitCode === EXIT_OK) return EXIT_FAILED;
  return merged.exitCode;
}

function time(ms: number | undefined): string {
  return ms === undefined ? '-' : new Date(ms).toISOString();
}

export async function fleetStatusCommand(options: FleetStatusOptions, io: CommandIo): Promise<number> {
  const batch = createBatchClient(options.region);
  try {
    const job = await aws('DescribeJobs', () => describeJob(batch, options.jobId));
    if (!job) throw new RunError(`job ${options.jobId} is not known to AWS Batch in ${options.region} (Batch keeps finished jobs for about a week)`);
    const command = job.container?.command ?? [];
    const runIdAt = command.indexOf('--run-id');
    const lines = [
      `job        ${job.jobId} ${job.jobName ?? ''}`.trimEnd(),
      `status     ${job.status}${job.statusReason ? ` (${job.statusReason})` : ''}`,
      `children   ${describeProgress(job)}`,
      `times      created ${time(job.createdAt)}  started ${time(job.startedAt)}  stopped ${time(job.stoppedAt)}`,
      ...(runIdAt >= 0 ? [`run        ${command[runIdAt + 1]}`] : []),
      ...(command.length ? [`command    loadgen ${command.join(' ')}`] : []),
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    if (job.status === 'FAILED' && job.arrayProperties?.size) {
      for (const child of await aws('ListJobs', () => failedChildren(batch, options.jobId))) io.stdout.write(`failed     child ${child.index}: ${child.reason}\n`);
    }
    return job.status === 'FAILED' ? EXIT_FAILED : EXIT_OK;
  } finally {
    batch.destroy();
  }
}
