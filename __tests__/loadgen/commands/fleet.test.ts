/**
 * `loadgen fleet run` and `fleet status` against AWS SDK clients mocked with aws-sdk-client-mock (never real AWS).
 * The children are real: the command fleet run submits is run, as Batch would run it, in this process with each
 * child's environment (array index, the fleet's stream and reports bucket), and their PutObject calls are what
 * fleet run later lists and gets.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchClient, DescribeJobsCommand, ListJobsCommand, SubmitJobCommand, type JobDetail } from '@aws-sdk/client-batch';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { main } from '../../../loadgen/cli/main';
import type { RunReport } from '../../../loadgen/report/report';
import { captureIo } from '../helpers';

const dir = mkdtempSync(join(tmpdir(), 'loadgen-fleet-'));
const batch = mockClient(BatchClient);
const s3 = mockClient(S3Client);

const OUTPUTS = join(dir, 'fleet-outputs.json');
writeFileSync(
  OUTPUTS,
  JSON.stringify({
    'iot-loadgen-dev': {
      'job-queue-name': 'iot-dev-loadgen',
      'job-queue-arn': 'arn:aws:batch:eu-west-1:123456789012:job-queue/iot-dev-loadgen',
      'job-definition-name': 'iot-dev-loadgen',
      'reports-bucket-name': 'iot-loadgen-reports-dev-123456789012-eu-west-1',
      'reports-prefix': 'reports/',
      'max-vcpus': 16,
      'child-vcpu': 2,
    },
  }),
);
const BUCKET = 'iot-loadgen-reports-dev-123456789012-eu-west-1';

/** The reports bucket as the mocked S3 client sees it: what children put, fleet run lists and gets. */
let objects: Map<string, string>;

function useBucket(): void {
  s3.on(PutObjectCommand).callsFake(async (input: { Bucket: string; Key: string; Body: string }) => {
    expect(input.Bucket).toBe(BUCKET);
    objects.set(input.Key, input.Body);
    return {};
  });
  s3.on(ListObjectsV2Command).callsFake(async (input: { Prefix: string }) => ({
    Contents: [...objects.keys()].filter((key) => key.startsWith(input.Prefix)).map((Key) => ({ Key })),
    IsTruncated: false,
  }));
  s3.on(GetObjectCommand).callsFake(async (input: { Key: string }) => {
    const text = objects.get(input.Key);
    return { Body: { transformToString: async () => text } };
  });
}

/** Runs the submitted command as child `index` of an array of `size` would run: Batch's and the fleet's environment. */
function runChild(command: readonly string[], index: number, size: number, arrayJobId: string): Promise<number> {
  const env = {
    AWS_REGION: 'eu-west-1',
    LOADGEN_STREAM: 'iot-sensor-stream-dev',
    LOADGEN_REPORTS_BUCKET: BUCKET,
    LOADGEN_REPORTS_PREFIX: 'reports/',
    AWS_BATCH_JOB_ARRAY_INDEX: String(index),
    AWS_BATCH_JOB_ARRAY_SIZE: String(size),
    AWS_BATCH_JOB_ID: `${arrayJobId}:${index}`,
  };
  return main(command, captureIo(), {}, env);
}

/** An array job's description with its children's states. */
const job = (status: string, summary: Record<string, number>, size: number, extra: Partial<JobDetail> = {}): JobDetail =>
  ({ jobId: 'job-1', jobName: 'loadgen-run', status, arrayProperties: { size, statusSummary: summary }, ...extra }) as JobDetail;

beforeEach(() => {
  batch.reset();
  s3.reset();
  objects = new Map();
  useBucket();
});

describe('loadgen fleet run', () => {
  it('submits an array job with the run as its command, follows it, and merges the children\'s reports from S3', async () => {
    let children: Promise<number[]> | undefined;
    let submitted: string[] = [];
    batch.on(SubmitJobCommand).callsFake(async (input: { containerOverrides: { command: string[] } }) => {
      submitted = input.containerOverrides.command;
      // Batch starts the three children.
      children = Promise.all([0, 1, 2].map((i) => runChild(submitted, i, 3, 'job-1')));
      return { jobId: 'job-1', jobName: input.containerOverrides.command[0] };
    });
    let looks = 0;
    batch.on(DescribeJobsCommand).callsFake(async () => {
      looks++;
      if (looks === 1) return { jobs: [job('PENDING', { RUNNABLE: 3 }, 3)] };
      const codes = await children!;
      return { jobs: [job('SUCCEEDED', { SUCCEEDED: codes.filter((c) => c === 0).length }, 3)] };
    });

    const io = captureIo();
    const report = join(dir, 'fleet.json');
    const args = ['fleet', 'run', '--size', '3', '--outputs', OUTPUTS, '--sink', 'null', '--rate', '3000', '--duration', '2s', '--devices', '12', '--seed', '21'];
    const code = await main([...args, '--run-id', 'fleet-1', '--start-delay', '0s', '--poll', '1ms', '--threshold', 'recordsAcked==6000', '--report', report], io);
    expect(io.err()).not.toMatch(/loadgen: /);
    expect(code).toBe(0);

    // The job: the stack's queue and definition, an array of 3, the run's options as the command override.
    const [call] = batch.commandCalls(SubmitJobCommand);
    expect(call.args[0].input).toMatchObject({ jobName: 'loadgen-fleet-1', jobQueue: 'iot-dev-loadgen', jobDefinition: 'iot-dev-loadgen', arrayProperties: { size: 3 } });
    expect(submitted.slice(0, 11)).toEqual(['run', '--rate', '3000', '--duration', '2s', '--devices', '12', '--sink', 'null', '--run-id', 'fleet-1']);
    expect(submitted.slice(11, 13)).toEqual(['--seed', '21']);
    expect(submitted[13]).toBe('--start-at');
    expect(await children).toEqual([0, 0, 0]);

    // Each child put one report with one PutObject, at its segment's key.
    expect([...objects.keys()].sort()).toEqual([1, 2, 3].map((i) => `reports/fleet-1/segment-${i}-of-3.json`));
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(3);

    // One merged report, the thresholds evaluated on it.
    const merged: RunReport = JSON.parse(readFileSync(report, 'utf8'));
    expect(merged).toMatchObject({ runId: 'fleet-1', segment: { index: 1, count: 1 }, recordsScheduled: 6000, recordsAcked: 6000, targetRate: 3000, seed: 21, exitCode: 0 });
    expect(merged.thresholds).toMatchObject([{ expression: 'recordsAcked==6000', ok: true }]);
    expect(io.err()).toContain('[loadgen] fleet job-1: 3 RUNNABLE of 3');
    expect(io.err()).toContain('[loadgen] fleet job-1: 3 SUCCEEDED of 3');
    expect(io.err()).toContain('reports in s3://iot-loadgen-reports-dev-123456789012-eu-west-1/reports/fleet-1/');
    expect(io.out()).toContain(`merged 3 reports of run fleet-1 (job job-1) into ${report}`);
  });

  it('names children that failed and the segments without a report; the reports that arrived stay in S3 (exit 1)', async () => {
    batch.on(SubmitJobCommand).callsFake(async (input: { containerOverrides: { command: string[] } }) => {
      // Child 1 never ran far enough to put its report.
      await Promise.all([0, 2].map((i) => runChild(input.containerOverrides.command, i, 3, 'job-2')));
      return { jobId: 'job-2' };
    });
    batch.on(DescribeJobsCommand).resolves({ jobs: [job('FAILED', { SUCCEEDED: 2, FAILED: 1 }, 3, { jobId: 'job-2' })] });
    batch.on(ListJobsCommand).resolves({
      jobSummaryList: [{ jobId: 'job-2:1', jobName: 'x', arrayProperties: { index: 1 }, statusReason: 'Task failed to start', container: { exitCode: 137 } }],
    });
    const io = captureIo();
    const args = ['fleet', 'run', '--size', '3', '--outputs', OUTPUTS, '--sink', 'null', '--rate', '300', '--duration', '1s', '--run-id', 'fleet-2'];
    const code = await main([...args, '--start-delay', '0s', '--poll', '1ms', '--report', join(dir, 'partial.json')], io);
    expect(code).toBe(1);
    expect(batch.commandCalls(ListJobsCommand)[0].args[0].input).toMatchObject({ arrayJobId: 'job-2', jobStatus: 'FAILED' });
    expect(io.err()).toContain('[loadgen] child 1 (segment 2/3) FAILED: Task failed to start, exit code 137');
    expect(io.err()).toMatch(/loadgen: run fleet-2 is not complete: segment 2\/3 missing; the reports that arrived stay in s3:\/\/.*\/reports\/fleet-2\/\n$/);
  });

  it('refuses more children than the queue runs at once (max-vcpus / child-vcpu), before submitting anything', async () => {
    const io = captureIo();
    expect(await main(['fleet', 'run', '--size', '9', '--outputs', OUTPUTS, '--rate', '100'], io)).toBe(2);
    expect(io.err()).toBe('loadgen: invalid --size "9": expected at most 8 (max-vcpus 16 / child-vcpu 2): more children would wait in the queue and start late\n');
    expect(batch.commandCalls(SubmitJobCommand)).toHaveLength(0);
  });

  it('says so in one line when Batch refuses the job (exit 1)', async () => {
    batch.on(SubmitJobCommand).rejects(Object.assign(new Error('User is not authorized to perform: batch:SubmitJob'), { name: 'AccessDeniedException' }));
    const io = captureIo();
    expect(await main(['fleet', 'run', '--size', '2', '--outputs', OUTPUTS, '--rate', '100', '--start-delay', '0s'], io)).toBe(1);
    expect(io.err()).toBe('loadgen: SubmitJob failed: AccessDeniedException: User is not authorized to perform: batch:SubmitJob\n');
  });

  it('leaves the job running on Ctrl-C and says how to follow it and merge it later (exit 130)', async () => {
    batch.on(SubmitJobCommand).resolves({ jobId: 'job-3' });
    batch.on(DescribeJobsCommand).callsFake(async () => {
      process.emit('SIGINT');
      return { jobs: [job('RUNNING', { RUNNING: 2 }, 2, { jobId: 'job-3' })] };
    });
    const io = { ...captureIo(), handleSignals: true };
    const code = await main(['fleet', 'run', '--size', '2', '--outputs', OUTPUTS, '--rate', '100', '--run-id', 'fleet-3', '--poll', '1ms', '--report', join(dir, 'later.json')], io);
    expect(code).toBe(130);
    expect(io.err()).toContain(
      'loadgen: stopped waiting; job job-3 keeps running: follow it with `loadgen fleet status job-3 --region eu-west-1`, ' +
        `then \`loadgen merge s3://${BUCKET}/reports/fleet-3/ --region eu-west-1 --report ${join(dir, 'later.json')}\``,
    );
  });
});

describe('a fleet child', () => {
  it('puts its report with one PutObject; a refused put is one line and exit 1, the run itself done', async () => {
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    const io = captureIo();
    const code = await runChildWithIo(['run', '--sink', 'null', '--rate', '500', '--records', '200', '--seed', '1', '--run-id', 'r9'], io);
    expect(code).toBe(1);
    expect(io.err()).toContain(`loadgen: could not put the report to s3://${BUCKET}/reports/r9/segment-1-of-2.json: AccessDenied: Access Denied\n`);
  });
});

function runChildWithIo(command: string[], io: ReturnType<typeof captureIo>): Promise<number> {
  return main(command, io, {}, {
    AWS_REGION: 'eu-west-1',
    LOADGEN_REPORTS_BUCKET: BUCKET,
    LOADGEN_REPORTS_PREFIX: 'reports/',
    AWS_BATCH_JOB_ARRAY_INDEX: '0',
    AWS_BATCH_JOB_ARRAY_SIZE: '2',
    AWS_BATCH_JOB_ID: 'job-9:0',
  });
}

describe('loadgen merge s3://', () => {
  it('lists and gets a run\'s folder and merges it', async () => {
    await Promise.all([0, 1].map((i) => runChild(['run', '--sink', 'null', '--rate', 'max', '--records', '1001', '--seed', '2', '--run-id', 'r10', '--quiet'], i, 2, 'job-10')));
    const io = captureIo();
    const code = await main(['merge', `s3://${BUCKET}/reports/r10/`, '--region', 'eu-west-1', '--report', join(dir, 's3.json')], io);
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 's3.json'), 'utf8'))).toMatchObject({ runId: 'r10', recordsAcked: 1001 });
    expect(s3.commandCalls(ListObjectsV2Command)[0].args[0].input).toMatchObject({ Bucket: BUCKET, Prefix: 'reports/r10/', Delimiter: '/' });
  });
});

describe('loadgen fleet status', () => {
  it('shows the job, its children, its run and why children failed', async () => {
    batch.on(DescribeJobsCommand).resolves({
      jobs: [
        job('FAILED', { SUCCEEDED: 3, FAILED: 1 }, 4, {
          jobId: 'job-4',
          jobName: 'loadgen-r4',
          statusReason: 'Array Child Job failed',
          createdAt: Date.UTC(2026, 0, 31, 12),
          container: { command: ['run', '--rate', '1000', '--run-id', 'r4'] },
        }),
      ],
    });
    batch.on(ListJobsCommand).resolves({ jobSummaryList: [{ jobId: 'job-4:2', jobName: 'x', arrayProperties: { index: 2 }, statusReason: 'Essential container in task exited', container: { exitCode: 1 } }] });
    const io = captureIo();
    expect(await main(['fleet', 'status', 'job-4', '--outputs', OUTPUTS], io)).toBe(1);
    expect(io.out()).toBe(
      [
        'job        job-4 loadgen-r4',
        'status     FAILED (Array Child Job failed)',
        'children   3 SUCCEEDED, 1 FAILED of 4',
        'times      created 2026-01-31T12:00:00.000Z  started -  stopped -',
        'run        r4',
        'command    loadgen run --rate 1000 --run-id r4',
        'failed     child 2: Essential container in task exited, exit code 1',
        '',
      ].join('\n'),
    );
  });
});
