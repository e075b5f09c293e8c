import { join } from 'node:path';
import { parseRunOptions } from '../../../loadgen/cli/parse-options';
import { RUN_DEFAULTS } from '../../../loadgen/commands/options';
import { formatDuration, parseDuration } from '../../../loadgen/shared/duration';

function ok(raw: Record<string, string | string[] | boolean>, env: Record<string, string> = {}) {
  const parsed = parseRunOptions(raw, env);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return parsed.options;
}

describe('run options', () => {
  it('defaults to the embedded stream at --rate auto for 30 s', () => {
    const o = ok({});
    expect(o).toMatchObject({
      stream: undefined,
      endpoint: undefined,
      region: 'us-east-1',
      shards: 4,
      rate: { kind: 'auto' },
      durationMs: 30_000,
      devices: 1000,
      batchSize: 500,
      concurrency: 'auto',
      generator: 'iot-sensor',
      shardLimit: 1,
      utilization: 0.8,
      verify: false,
      sink: { kind: 'kinesis' },
      unreachableAfterMs: 5000,
      readShare: 0.5,
    });
    expect(Number.isInteger(o.seed)).toBe(true);
  });

  it('reads values, the region from the environment, and --shard-limit off', () => {
    expect(ok({}, { AWS_REGION: 'eu-west-1' }).region).toBe('eu-west-1');
    expect(ok({ region: 'ap-southeast-2' }, { AWS_REGION: 'eu-west-1' }).region).toBe('ap-southeast-2');
    expect(ok({ shardLimit: 'off' }).shardLimit).toBeNull();
    expect(ok({ shardLimit: '1.5' }).shardLimit).toBe(1.5);
    expect(ok({ rate: '2500.5' }).rate).toEqual({ kind: 'fixed', perSecond: 2500.5 });
    expect(ok({ rate: 'max' }).rate).toEqual({ kind: 'max' });
    expect(ok({ sink: 'null', rate: 'max' }).sink).toEqual({ kind: 'null' });
    expect(ok({ concurrency: '32' }).concurrency).toBe(32);
    expect(ok({ concurrency: 'auto' }).concurrency).toBe('auto');
    expect(RUN_DEFAULTS.concurrency).toBe('auto');
  });

  it('bounds a run by --records alone when no --duration is given', () => {
    const o = ok({ records: '5000', rate: '100' });
    expect(o.records).toBe(5000);
    expect(o.durationMs).toBeUndefined();
  });

  it('parses k6-style stages and lets them replace --duration', () => {
    const o = ok({ stages: '30s:1000,1m:5000,0s:200,30s:0' });
    expect(o.stages).toEqual([
      { durationMs: 30_000, target: 1000 },
      { durationMs: 60_000, target: 5000 },
      { durationMs: 0, target: 200 },
      { durationMs: 30_000, target: 0 },
    ]);
    expect(o.durationMs).toBeUndefined();
  });

  it('reads repeated --threshold expressions in order, and --out json to a file or stdout', () => {
    const o = ok({ threshold: ['throttledPct<0.5', 'latencyMs.p99<50,abortOnFail,delayAbortEval=10s'], out: 'json=-' });
    expect(o.thresholds).toEqual([
      { expression: 'throttledPct<0.5', key: 'throttledPct', op: '<', limit: 0.5, abortOnFail: false, delayAbortEvalMs: 0 },
      { expression: 'latencyMs.p99<50,abortOnFail,delayAbortEval=10s', key: 'latencyMs.p99', op: '<', limit: 50, abortOnFail: true, delayAbortEvalMs: 10_000 },
    ]);
    expect(o.out).toEqual({ format: 'json', path: '-' });
    expect(ok({ out: 'json=metrics.jsonl' }).out).toEqual({ format: 'json', path: join(process.cwd(), 'metrics.jsonl') });
    expect(ok({}).thresholds).toEqual([]);
    expect(ok({ threshold: 'verify.missing==0', verify: true }).thresholds).toHaveLength(1);
  });
});

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['1.5s', 1500],
  ])('%s = %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '10', 's', '10x', '-5s', '1m 30s', 'soon'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats like users type them', () => {
    expect(formatDuration(90_000)).toBe('1m30s');
    expect(formatDuration(3_600_000)).toBe('1h');
    expect(formatDuration(250)).toBe('250ms');
  });
});

describe('segment, run id, start and workers', () => {
  it('reads --segment, --run-id, --start-at and --workers; a whole run and one thread by default, a new run id each time', () => {
    expect(ok({})).toMatchObject({ segment: { index: 1, count: 1 }, workers: 1, startAt: undefined, reportUpload: undefined });
    expect(ok({}).runId).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok({}).runId).not.toBe(ok({}).runId);
    const o = ok({ segment: '2/3', seed: '4', runId: 'nightly-7', startAt: '2030-01-31T12:00:00Z', workers: '2' });
    expect(o).toMatchObject({ segment: { index: 2, count: 3 }, runId: 'nightly-7', workers: 2, seed: 4 });
    expect(o.startAt?.toISOString()).toBe('2030-01-31T12:00:00.000Z');
    expect(ok({ workers: 'auto' }).workers).toBeGreaterThanOrEqual(1);
  });

  it('in a child of an AWS Batch array job: its segment, the array job as run id, the fleet\'s stream and report key', () => {
    const env = {
      AWS_BATCH_JOB_ARRAY_INDEX: '4',
      AWS_BATCH_JOB_ARRAY_SIZE: '8',
      AWS_BATCH_JOB_ID: '0a1b2c3d-aaaa-bbbb-cccc-000000000000:4',
      AWS_REGION: 'eu-west-1',
      LOADGEN_STREAM: 'iot-sensor-stream-dev',
      LOADGEN_REPORTS_BUCKET: 'reports-bucket',
      LOADGEN_REPORTS_PREFIX: 'reports/',
    };
    expect(ok({ seed: '9' }, env)).toMatchObject({
      segment: { index: 5, count: 8 },
      runId: '0a1b2c3d-aaaa-bbbb-cccc-000000000000',
      stream: 'iot-sensor-stream-dev',
      region: 'eu-west-1',
      reportUpload: { bucket: 'reports-bucket', key: 'reports/0a1b2c3d-aaaa-bbbb-cccc-000000000000/segment-5-of-8.json', region: 'eu-west-1' },
    });
    // What the fleet passes wins over what Batch implies.
    expect(ok({ seed: '9', runId: 'r1', stream: 'other' }, env)).toMatchObject({ runId: 'r1', stream: 'other', reportUpload: { key: 'reports/r1/segment-5-of-8.json' } });
    // Children of one run must share the seed.
    const parsed = parseRunOptions({}, env);
    expect(parsed.ok || parsed.problems).toEqual(['invalid --seed undefined: expected a seed in a child of an array job (AWS_BATCH_JOB_ARRAY_INDEX is set), the same in every child']);
  });
});
