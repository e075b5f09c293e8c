/**
 * The AWS Batch calls of `loadgen fleet`: submit a run as an array job (one child per segment, the run's arguments
 * as the command override: the job definition's own command is `--help`), look at it, and name its failed children.
 */
import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, type JobDetail } from '@aws-sdk/client-batch';

/** The subset of BatchClient used here, so tests can hand in a mocked client. */
export type BatchSender = Pick<BatchClient, 'send'>;

export function createBatchClient(region: string): BatchClient {
  return new BatchClient({ region });
}

/** Batch's job states, in the order a job moves through them. */
export const JOB_STATES = ['SUBMITTED', 'PENDING', 'RUNNABLE', 'STARTING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export const FINISHED_STATES: readonly string[] = ['SUCCEEDED', 'FAILED'];

export interface FleetJobRequest {
  readonly jobName: string;
  readonly jobQueue: string;
  readonly jobDefinition: string;
  /** Children; 1 submits a plain job (an array job has at least 2). */
  readonly size: number;
  /** Arguments after the image's entry point (`node bin/loadgen.js`). */
  readonly command: readonly string[];
}

/** A job name Batch accepts: up to 128 letters, digits, hyphens and underscores. */
export function jobNameFor(runId: string): string {
  return `loadgen-${runId}`.replace(/[^a-zA-Z0-9_-]/g, '-').slice(0, 128);
}

export async function submitFleetJob(client: BatchSender, request: FleetJobRequest): Promise<string> {
  const answer = await client.send(
    new SubmitJobCommand({
      jobName: request.jobName,
      jobQueue: request.jobQueue,
      jobDefinition: request.jobDefinition,
      ...(request.size > 1 ? { arrayProperties: { size: request.size } } : {}),
      containerOverrides: { command: [...request.command] },
      propagateTags: true,
    }),
  );
  if (!answer.jobId) throw new Error('SubmitJob answered without a job id');
  return answer.jobId;
}

export async function describeJob(client: BatchSender, jobId: string): Promise<JobDetail | undefined> {
  const answer = await client.send(new DescribeJobsCommand({ jobs: [jobId] }));
  return answer.jobs?.[0];
}

/** Children of an array job that failed, with why (index, status reason, the container's exit code). */
export async function failedChildren(client: BatchSender, arrayJobId: string): Promise<{ index: number; reason: string }[]> {
  const failed: { index: number; reason: string }[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new ListJobsCommand({ arrayJobId, jobStatus: 'FAILED', nextToken }));
    for (const job of page.jobSummaryList ?? []) {
      const exit = job.container?.exitCode;
      const reason = [job.statusReason, exit !== undefined ? `exit code ${exit}` : undefined].filter(Boolean).join(', ');
      failed.push({ index: job.arrayProperties?.index ?? 0, reason: reason || 'no reason given' });
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return failed.sort((a, b) => a.index - b.index);
}

/** `3 RUNNING, 5 SUCCEEDED of 8` (an array job) or the job's own status. */
export function describeProgress(job: JobDetail): string {
  const summary = job.arrayProperties?.statusSummary;
  const size = job.arrayProperties?.size;
  if (!summary || !size) return `${job.status ?? 'UNKNOWN'}`;
  const parts = JOB_STATES.filter((s) => (summary[s] ?? 0) > 0).map((s) => `${summary[s]} ${s}`);
  return `${parts.join(', ') || 'none started'} of ${size}`;
}
