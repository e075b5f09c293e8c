/**
 * The contract between the load-fleet stack and the loadgen children it runs on AWS Batch: the environment
 * the job definition gives every container, and where each child writes its report. The stack writes these
 * names; `loadgen fleet` and the children read them, so both import them from here.
 */

/** Environment variables of every fleet container (AWS Batch adds `AWS_BATCH_JOB_ARRAY_INDEX` and `_SIZE`). */
export const FLEET_ENV = {
  /** Region of the stream and the reports bucket. */
  region: 'AWS_REGION',
  /** Name of the Kinesis stream to load. */
  stream: 'LOADGEN_STREAM',
  /** Bucket the children write their reports to. */
  reportsBucket: 'LOADGEN_REPORTS_BUCKET',
  /** Key prefix (ending in `/`) the job role may write under; nothing outside it. */
  reportsPrefix: 'LOADGEN_REPORTS_PREFIX',
} as const;

/** Set by AWS Batch in each child of an array job (the child's index from 0, the array's size, its job id). */
export const BATCH_ENV = {
  arrayIndex: 'AWS_BATCH_JOB_ARRAY_INDEX',
  arraySize: 'AWS_BATCH_JOB_ARRAY_SIZE',
  /** `<array job id>:<index>` in an array child: the part before `:` is the same in every child. */
  jobId: 'AWS_BATCH_JOB_ID',
} as const;

/** A run id (`--run-id`): one folder name of the reports bucket. */
export const RUN_ID = /^[a-zA-Z0-9_.-]{1,128}$/;
export const RUN_ID_RULE = '1-128 of letters, digits, _ . and -';
/** A key prefix the reports go under: folders, ending in `/`, no wildcards. */
export const REPORTS_PREFIX = /^([a-zA-Z0-9_.-]+\/)+$/;

/**
 * Key of one child's report: `<prefix><run id>/segment-<i>-of-<n>.json`, with `i` 1-based as in
 * `--segment i/n` (child `AWS_BATCH_JOB_ARRAY_INDEX` k runs segment k+1). One folder per run, so
 * `loadgen merge s3://<bucket>/<prefix><run id>/` finds exactly that run's parts.
 */
export function segmentReportKey(prefix: string, runId: string, segment: number, segments: number): string {
  if (!REPORTS_PREFIX.test(prefix)) throw new Error(`prefix must be a key prefix ending in /. Received ${JSON.stringify(prefix)}`);
  if (!RUN_ID.test(runId)) throw new Error(`runId must be ${RUN_ID_RULE}. Received ${JSON.stringify(runId)}`);
  if (!Number.isInteger(segments) || segments < 1 || !Number.isInteger(segment) || segment < 1 || segment > segments) {
    throw new Error(`segment must be an integer from 1 to segments (${segments}). Received ${segment}`);
  }
  return `${prefix}${runId}/segment-${segment}-of-${segments}.json`;
}
