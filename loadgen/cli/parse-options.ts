/**
 * Turns raw command-line strings into each command's typed options. Every check runs and every problem is returned at
 * once (k6's validate()), each naming the option, the value received and what is allowed.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { AWS_REGION, AWS_REGION_RULE, KINESIS_STREAM_NAME, KINESIS_STREAM_NAME_RULE } from '../../contract/aws-names';
import { BATCH_ENV, FLEET_ENV, RUN_ID, RUN_ID_RULE, REPORTS_PREFIX, segmentReportKey } from '../../contract/load-fleet';
import {
  DEFAULT_REGION,
  FIND_LIMIT_DEFAULTS,
  LOCAL_DEFAULTS,
  MAX_CONCURRENCY,
  MAX_DEVICES,
  MAX_EMBEDDED_SHARDS,
  MAX_RETRIES_LIMIT,
  MAX_WORKERS,
  RUN_DEFAULTS,
  type AnalyticsOptions,
  type DescribeOptions,
  type FindLimitOptions,
  type LocalOptions,
  type ProducerOptions,
  type MergeOptions,
  type MetricsOut,
  type RateSpec,
  type ReportUpload,
  type RunOptions,
  type SinkSpec,
  type Stage,
  type StreamLimits,
  type TargetOptions,
  type Threshold,
  type VerifyOptions,
} from '../commands/options';
import { MAX_RECORDS_PER_REQUEST } from '../kinesis/limits';
import { reportTemplate, type RunReport } from '../report/report';
import { SEGMENT_SYNTAX, WHOLE_RUN, parseSegment, type Segment } from '../segments/segment';
import { parseDuration } from '../shared/duration';
import { parseThreshold } from '../thresholds/expression';
import { keyProblem } from '../thresholds/keys';
import { NUMBER, Reader, type Env, type Parsed, type RawOptions } from './option-reader';

export type { Parsed, RawOptions } from './option-reader';

function readStream(r: Reader, env: Env = {}): string | undefined {
  // A fleet child is told its stream by the job definition.
  const stream = r.string('stream') ?? env[FLEET_ENV.stream];
  if (stream !== undefined && !KINESIS_STREAM_NAME.test(stream)) r.problem('--stream', stream, KINESIS_STREAM_NAME_RULE);
  return stream;
}

/** --region, else `fallback` (from a stack's outputs), else the AWS environment's, else us-east-1; checked. */
export function readRegion(r: Reader, env: Env, fallback?: string): string {
  const region = r.string('region') ?? fallback ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? DEFAULT_REGION;
  if (!AWS_REGION.test(region)) r.problem('--region', region, AWS_REGION_RULE);
  return region;
}

function readTarget(r: Reader, env: Env): TargetOptions {
  const stream = readStream(r, env);
  const region = readRegion(r, env);
  const endpoint = r.string('endpoint');
  if (endpoint !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      r.problem('--endpoint', endpoint, 'an http:// or https:// URL such as http://127.0.0.1:4567');
    }
  }
  return { stream, region, endpoint };
}

function readRate(r: Reader): RateSpec | undefined {
  const text = r.string('rate');
  if (text === undefined) return undefined;
  if (text === 'auto') return { kind: 'auto' };
  if (text === 'max') return { kind: 'max' };
  const value = NUMBER.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isFinite(value) || value <= 0 || value > 10_000_000) {
    return r.problem('--rate', text, 'records per second > 0 (at most 10000000), auto or max');
  }
  return { kind: 'fixed', perSecond: value };
}

function readConcurrency(r: Reader): number | 'auto' | undefined {
  const text = r.string('concurrency');
  if (text === undefined || text === 'auto') return text;
  const value = NUMBER.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < 1 || value > MAX_CONCURRENCY) {
    return r.problem('--concurrency', text, `an integer from 1 to ${MAX_CONCURRENCY}, or auto`);
  }
  return value;
}

function readStages(r: Reader): Stage[] | undefined {
  const text = r.string('stages');
  if (text === undefined) return undefined;
  const allowed = 'comma-separated duration:rate stages such as 30s:1000,1m:5000,30s:0';
  const stages: Stage[] = [];
  for (const part of text.split(',')) {
    const [durationText, targetText, ...rest] = part.split(':');
    const durationMs = durationText === undefined ? undefined : parseDuration(durationText);
    const target = targetText !== undefined && NUMBER.test(targetText.trim()) ? Number(targetText) : NaN;
    if (rest.length || durationMs === undefined || !Number.isFinite(target) || target < 0) {
      return r.problem('--stages', text, allowed);
    }
    stages.push({ durationMs, target });
  }
  if (!stages.some((s) => s.durationMs > 0)) return r.problem('--stages', text, `${allowed}, with some time in them`);
  return stages;
}

function readSink(r: Reader): SinkSpec | undefined {
  const text = r.string('sink');
  if (text === undefined) return undefined;
  if (text === 'kinesis' || text === 'null' || text === 'stdout') return { kind: text };
  if (text.startsWith('file:') && text.length > 'file:'.length) {
    const path = resolve(text.slice('file:'.length));
    if (!existsSync(dirname(path))) return r.problem('--sink', text, 'file:<path> in an existing directory');
    return { kind: 'file', path };
  }
  return r.problem('--sink', text, 'kinesis, null, stdout or file:<path>');
}

/** `--limits` (writes) and `--read-limits`: the service limits a local stream enforces. */
function readLimits(r: Reader): StreamLimits {
  return { writes: r.flag('limits'), reads: r.flag('readLimits') };
}

function readReadShare(r: Reader): number | undefined {
  return r.number('readShare', '--read-share', (n) => n > 0 && n <= 1, 'a share of the read limits > 0 and <= 1');
}

function inExistingDirectory(text: string): string | undefined {
  const path = resolve(text);
  const dir = dirname(path);
  return existsSync(dir) && statSync(dir).isDirectory() ? path : undefined;
}

export function readReport(r: Reader, key = 'report', option = '--report'): string | undefined {
  const text = r.string(key);
  if (text === undefined) return undefined;
  return inExistingDirectory(text) ?? r.problem(option, text, 'a file path in an existing directory');
}

/** Each --threshold: its grammar, then its key against the report a run like this one writes. */
export function readThresholds(r: Reader, verify: boolean, watchConsumer = false): Threshold[] {
  const thresholds: Threshold[] = [];
  // Built on the first threshold only: a template report costs a ledger and its encoded histograms.
  let template: RunReport | undefined;
  for (const text of r.list('threshold')) {
    const parsed = parseThreshold(text);
    if (!parsed.ok) {
      r.problem('--threshold', text, parsed.expected);
      continue;
    }
    template ??= reportTemplate();
    const problem = keyProblem(parsed.threshold, { template, verify, watchConsumer });
    if (problem) r.problem('--threshold', text, problem);
    else thresholds.push(parsed.threshold);
  }
  return thresholds;
}

function readOut(r: Reader): MetricsOut | undefined {
  const text = r.string('out');
  if (text === undefined) return undefined;
  const allowed = 'json=<file> or json=- (stdout)';
  if (!text.startsWith('json=') || text.length === 'json='.length) return r.problem('--out', text, allowed);
  const target = text.slice('json='.length);
  if (target === '-') return { format: 'json', path: '-' };
  const path = inExistingDirectory(target);
  if (!path || (existsSync(path) && statSync(path).isDirectory())) return r.problem('--out', text, `${allowed}, the file in an existing directory`);
  return { format: 'json', path };
}

/** The options that shape the records and requests, shared by run and find-limit, with their defaults. */
function readProducer(r: Reader, defaultConcurrency: number | 'auto'): ProducerOptions {
  const devices = r.integer('devices', '--devices', 1, MAX_DEVICES);
  const batchSize = r.integer('batchSize', '--batch-size', 1, MAX_RECORDS_PER_REQUEST);
  const concurrency = readConcurrency(r);
  const generator = r.string('generator');
  if (generator !== undefined && generator.trim() === '') r.problem('--generator', generator, 'a built-in name or a module path');
  const anomalyRate = r.number('anomalyRate', '--anomaly-rate', (n) => n >= 0 && n <= 1, 'a number from 0 to 1');
  const seed = r.integer('seed', '--seed', 0, 2 ** 32 - 1);
  return {
    devices: devices ?? RUN_DEFAULTS.devices,
    batchSize: batchSize ?? RUN_DEFAULTS.batchSize,
    concurrency: concurrency ?? defaultConcurrency,
    generator: generator ?? RUN_DEFAULTS.generator,
    anomalyRate: anomalyRate ?? RUN_DEFAULTS.anomalyRate,
    seed: seed ?? Math.floor(Math.random() * 2 ** 32),
  };
}

/** Combinations every command with a target and an embedded stream checks. */
function checkTargetCombination(r: Reader, target: TargetOptions, shards: number | undefined): void {
  if (target.endpoint !== undefined && target.stream === undefined) {
    r.problem('--stream', undefined, 'a stream name whenever --endpoint is given');
  }
  if (shards !== undefined && target.stream !== undefined) {
    r.problem('--shards', r.string('shards'), 'only with the embedded Kinesis (no --stream)');
  }
}

/** `--segment i/n`; in a child of an AWS Batch array job, its index + 1 of the array's size. */
function readSegment(r: Reader, env: Env): Segment {
  const text = r.string('segment');
  if (text !== undefined) return parseSegment(text) ?? r.problem('--segment', text, SEGMENT_SYNTAX) ?? WHOLE_RUN;
  const index = env[BATCH_ENV.arrayIndex];
  if (index === undefined) return WHOLE_RUN;
  const size = env[BATCH_ENV.arraySize];
  const segment = /^\d+$/.test(index) && size !== undefined && /^\d+$/.test(size) ? parseSegment(`${Number(index) + 1}/${size}`) : undefined;
  if (!segment) r.problem(BATCH_ENV.arrayIndex, `${index} of ${BATCH_ENV.arraySize} ${size}`, 'an index from 0 to the array size - 1 (set by AWS Batch)');
  return segment ?? WHOLE_RUN;
}

/** `--run-id`; else, in a child of an array job, the array job's id (every child has it); else a new UUID. */
function readRunId(r: Reader, env: Env): string {
  const text = r.string('runId');
  if (text !== undefined) return RUN_ID.test(text) ? text : (r.problem('--run-id', text, RUN_ID_RULE) ?? '');
  const jobId = env[BATCH_ENV.jobId];
  if (env[BATCH_ENV.arrayIndex] !== undefined && jobId) {
    const arrayJobId = jobId.split(':')[0];
    if (RUN_ID.test(arrayJobId)) return arrayJobId;
  }
  return randomUUID();
}

/** `--workers <n|auto>`: auto is the cores this process may use. */
function readWorkers(r: Reader): number | undefined {
  if (r.string('workers') === 'auto') return Math.min(MAX_WORKERS, availableParallelism());
  const text = r.string('workers');
  if (text !== undefined && !/^\s*\d+\s*$/.test(text)) return r.problem('--workers', text, `an integer from 1 to ${MAX_WORKERS}, or auto (the available cores)`);
  return r.integer('workers', '--workers', 1, MAX_WORKERS);
}

/** A fleet child (the fleet's environment names a reports bucket) puts its report under the run's folder. */
function readReportUpload(env: Env, region: string, runId: string, segment: Segment): ReportUpload | undefined {
  const bucket = env[FLEET_ENV.reportsBucket];
  const prefix = env[FLEET_ENV.reportsPrefix];
  if (!bucket || !prefix || !REPORTS_PREFIX.test(prefix) || !RUN_ID.test(runId)) return undefined;
  return { bucket, key: segmentReportKey(prefix, runId, segment.index, segment.count), region };
}

/** Problems with --workers that need the other options. */
function checkWorkers(r: Reader, workers: number, sink: SinkSpec): void {
  if (workers > 1 && (sink.kind === 'stdout' || sink.kind === 'file')) {
    r.problem('--workers', r.string('workers'), `1 with --sink ${sink.kind} (threads would interleave their lines), or --sink kinesis or null`);
  }
}

export function parseRunOptions(raw: RawOptions, env: Env = process.env): Parsed<RunOptions> {
  const r = new Reader(raw);
  const target = readTarget(r, env);
  const shards = r.integer('shards', '--shards', 1, MAX_EMBEDDED_SHARDS);
  const rate = readRate(r);
  const stages = readStages(r);
  const durationMs = r.duration('duration', '--duration');
  const records = r.integer('records', '--records', 1, Number.MAX_SAFE_INTEGER);
  const producer = readProducer(r, RUN_DEFAULTS.concurrency);
  let shardLimit: number | null | undefined;
  if (r.string('shardLimit') === 'off') shardLimit = null;
  else shardLimit = r.number('shardLimit', '--shard-limit', (n) => n > 0 && n <= 100, 'a factor > 0 (1 = the Kinesis limit) or off');
  const maxRetries = r.integer('maxRetries', '--max-retries', 0, MAX_RETRIES_LIMIT);
  const utilization = r.number('utilization', '--utilization', (n) => n > 0 && n <= 1, 'a number > 0 and <= 1');
  const sink = readSink(r) ?? RUN_DEFAULTS.sink;
  const report = readReport(r);
  const reportHtml = readReport(r, 'reportHtml', '--report-html');
  const drainTimeoutMs = r.duration('drainTimeout', '--drain-timeout');
  const unreachableAfterMs = r.duration('unreachableAfter', '--unreachable-after');
  const readShare = readReadShare(r);
  const thresholds = readThresholds(r, r.flag('verify'), r.flag('watchConsumer'));
  const out = readOut(r);
  const limits = readLimits(r);
  const watchConsumer = r.flag('watchConsumer');
  const watchIntervalMs = r.duration('watchInterval', '--watch-interval');
  const watchGraceMs = r.duration('watchGrace', '--watch-grace', true);
  const maxIteratorAgeMs = r.duration('maxIteratorAge', '--max-iterator-age');
  const segment = readSegment(r, env);
  const runId = readRunId(r, env);
  const startAt = readIsoTime(r, 'startAt', '--start-at');
  const workers = readWorkers(r) ?? 1;
  checkWorkers(r, workers, sink);
  // The segments of a run must send one run's records: one seed, one run id (a Batch array child has its array's).
  if (segment.count > 1 && r.has('segment')) {
    if (!r.has('seed')) r.problem('--seed', undefined, `a seed with --segment ${r.string('segment')}, the same in every segment of the run`);
    if (!r.has('runId')) r.problem('--run-id', undefined, `a run id with --segment ${r.string('segment')}, the same in every segment of the run`);
  } else if (segment.count > 1 && !r.has('seed')) {
    r.problem('--seed', undefined, `a seed in a child of an array job (${BATCH_ENV.arrayIndex} is set), the same in every child`);
  }

  // Combinations.
  checkTargetCombination(r, target, shards);
  for (const [key, option] of [['limits', '--limits'], ['readLimits', '--read-limits']] as const) {
    if (r.flag(key) && (target.stream !== undefined || sink.kind !== 'kinesis')) {
      r.problem(option, true, 'only with the embedded Kinesis (no --stream, --sink kinesis); for another tool use `loadgen local --limits`');
    }
  }
  if (watchConsumer && (target.stream === undefined || sink.kind !== 'kinesis')) {
    r.problem('--watch-consumer', true, "--stream (a real stream's CloudWatch metrics; with --endpoint, CloudWatch is asked there too)");
  }
  for (const [key, option] of [['watchInterval', '--watch-interval'], ['watchGrace', '--watch-grace'], ['maxIteratorAge', '--max-iterator-age']] as const) {
    if (r.has(key) && !watchConsumer) r.problem(option, r.string(key), 'only with --watch-consumer');
  }
  if (stages && r.has('rate')) r.problem('--rate', r.string('rate'), 'no --rate together with --stages');
  if (stages && r.has('duration')) r.problem('--duration', r.string('duration'), 'no --duration together with --stages');
  if (r.flag('verify') && sink.kind !== 'kinesis') r.problem('--verify', true, '--sink kinesis (the records must be readable back)');
  if (sink.kind !== 'kinesis' && !stages && (rate ?? RUN_DEFAULTS.rate).kind === 'auto') {
    r.problem('--rate', r.string('rate') ?? 'auto', `a number or max with --sink ${sink.kind} (auto is computed from a stream's shards)`);
  }
  if (r.has('utilization') && rate?.kind !== undefined && rate.kind !== 'auto') {
    r.problem('--utilization', r.string('utilization'), 'only with --rate auto');
  }
  if (out?.path === '-' && sink.kind === 'stdout') r.problem('--out', r.string('out'), 'a file when --sink stdout owns stdout');

  if (r.problems.length) return { ok: false, problems: r.problems };
  return {
    ok: true,
    options: {
      ...target,
      shards: shards ?? RUN_DEFAULTS.shards,
      limits,
      rate: rate ?? RUN_DEFAULTS.rate,
      stages,
      durationMs: stages ? undefined : durationMs ?? (records !== undefined ? undefined : RUN_DEFAULTS.durationMs),
      records,
      ...producer,
      shardLimit: shardLimit === undefined ? RUN_DEFAULTS.shardLimit : shardLimit,
      maxRetries: maxRetries ?? RUN_DEFAULTS.maxRetries,
      utilization: utilization ?? RUN_DEFAULTS.utilization,
      verify: r.flag('verify'),
      report,
      reportHtml,
      quiet: r.flag('quiet'),
      sink,
      drainTimeoutMs: drainTimeoutMs ?? RUN_DEFAULTS.drainTimeoutMs,
      unreachableAfterMs: unreachableAfterMs ?? RUN_DEFAULTS.unreachableAfterMs,
      readShare: readShare ?? RUN_DEFAULTS.readShare,
      thresholds,
      out,
      watchConsumer,
      watchIntervalMs: watchIntervalMs ?? RUN_DEFAULTS.watchIntervalMs,
      watchGraceMs: watchGraceMs ?? RUN_DEFAULTS.watchGraceMs,
      maxIteratorAgeMs: maxIteratorAgeMs ?? RUN_DEFAULTS.maxIteratorAgeMs,
      segment,
      runId,
      startAt,
      workers,
      reportUpload: readReportUpload(env, target.region, runId, segment),
    },
  };
}

function requireStream(r: Reader, target: TargetOptions): string {
  if (target.stream === undefined) r.problem('--stream', undefined, 'a stream name');
  return target.stream ?? '';
}

export function readIsoTime(r: Reader, key: string, option: string): Date | undefined {
  const text = r.string(key);
  if (text === undefined) return undefined;
  const time = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(time.getTime())) {
    return r.problem(option, text, 'an ISO time such as 2026-01-31T12:00:00Z');
  }
  return time;
}

export function parseVerifyOptions(raw: RawOptions, env: Env = process.env): Parsed<VerifyOptions> {
  const r = new Reader(raw);
  const target = readTarget(r, env);
  const stream = requireStream(r, target);
  const since = readIsoTime(r, 'since', '--since');
  if (since !== undefined && since.getTime() > Date.now()) r.problem('--since', r.string('since'), 'a time in the past');
  const report = readReport(r);
  const readShare = readReadShare(r);
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, options: { ...target, stream, since, report, readShare: readShare ?? RUN_DEFAULTS.readShare } };
}

export function parseDescribeOptions(raw: RawOptions, env: Env = process.env): Parsed<DescribeOptions> {
  const r = new Reader(raw);
  const target = readTarget(r, env);
  const stream = requireStream(r, target);
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, options: { ...target, stream, json: r.flag('json') } };
}

/** `name=value,name=value`: the notebook checks the names and values themselves. */
function readWidgets(r: Reader): Record<string, string> {
  const text = r.string('widgets');
  if (text === undefined) return {};
  const widgets: Record<string, string> = {};
  for (const pair of text.split(',')) {
    const match = /^\s*([a-z_]+)=([^=]*)$/.exec(pair);
    if (!match || match[1] in widgets) {
      r.problem('--widgets', text, 'comma-separated name=value pairs, each widget once, e.g. critical_rule=temperature_or_status,critical_temperature_c=30');
      return {};
    }
    widgets[match[1]] = match[2].trim();
  }
  return widgets;
}

export function parseAnalyticsOptions(input: string, raw: RawOptions): Parsed<AnalyticsOptions> {
  const r = new Reader(raw);
  const path = resolve(input);
  if (!existsSync(path)) r.problem('<records>', input, 'a records file written by run --sink file:<path>, or a folder of .jsonl files');
  const widgets = readWidgets(r);
  const now = readIsoTime(r, 'now', '--now');
  const report = readReport(r);
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, options: { input: path, widgets, now, report, json: r.flag('json') } };
}

export function parseFindLimitOptions(raw: RawOptions, env: Env = process.env): Parsed<FindLimitOptions> {
  const r = new Reader(raw);
  const target = readTarget(r, env);
  const shards = r.integer('shards', '--shards', 1, MAX_EMBEDDED_SHARDS);
  const rate = (key: string, option: string) => r.number(key, option, (n) => n >= 1 && n <= 10_000_000, 'records per second from 1 to 10000000');
  const startRate = rate('startRate', '--start-rate');
  const maxRate = rate('maxRate', '--max-rate');
  const growth = r.number('growth', '--growth', (n) => n > 1 && n <= 10, 'a factor > 1 and <= 10');
  const resolution = r.number('resolution', '--resolution', (n) => n > 0 && n < 1, 'a share > 0 and < 1, e.g. 0.02');
  const stepDurationMs = r.duration('stepDuration', '--step-duration');
  const settleMs = r.duration('settle', '--settle', true);
  const burstMaxMs = r.duration('burst', '--burst', true);
  const maxThrottled = r.number('maxThrottled', '--max-throttled', (n) => n >= 0 && n < 1, 'a share >= 0 and < 1, e.g. 0.001');
  const tolerance = r.number('tolerance', '--tolerance', (n) => n >= 0 && n < 1, 'a share >= 0 and < 1, e.g. 0.05');
  const producer = readProducer(r, FIND_LIMIT_DEFAULTS.concurrency);
  const unreachableAfterMs = r.duration('unreachableAfter', '--unreachable-after');
  const report = readReport(r);
  const reportHtml = readReport(r, 'reportHtml', '--report-html');
  checkTargetCombination(r, target, shards);
  if (startRate !== undefined && maxRate !== undefined && startRate > maxRate) {
    r.problem('--start-rate', r.string('startRate'), `at most --max-rate (${r.string('maxRate')})`);
  }
  if (r.problems.length) return { ok: false, problems: r.problems };
  return {
    ok: true,
    options: {
      ...target,
      shards: shards ?? RUN_DEFAULTS.shards,
      startRate,
      maxRate,
      growth: growth ?? FIND_LIMIT_DEFAULTS.growth,
      resolution: resolution ?? FIND_LIMIT_DEFAULTS.resolution,
      stepDurationMs: stepDurationMs ?? FIND_LIMIT_DEFAULTS.stepDurationMs,
      settleMs: settleMs ?? FIND_LIMIT_DEFAULTS.settleMs,
      burstMaxMs: burstMaxMs ?? FIND_LIMIT_DEFAULTS.burstMaxMs,
      maxThrottled: maxThrottled ?? FIND_LIMIT_DEFAULTS.maxThrottled,
      tolerance: tolerance ?? FIND_LIMIT_DEFAULTS.tolerance,
      ...producer,
      unreachableAfterMs: unreachableAfterMs ?? RUN_DEFAULTS.unreachableAfterMs,
      report,
      reportHtml,
      quiet: r.flag('quiet'),
    },
  };
}

export function parseMergeOptions(inputs: readonly string[], raw: RawOptions, env: Env = process.env): Parsed<MergeOptions> {
  const r = new Reader(raw);
  const report = readReport(r);
  const reportHtml = readReport(r, 'reportHtml', '--report-html');
  // The keys of a merged report are a run's: those of a run that verified and watched the consumer.
  const thresholds = readThresholds(r, true, true);
  const region = readRegion(r, env);
  if (inputs.length === 0) r.problem('<reports>', '', 'report files, folders of them, or s3://bucket/prefix/');
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, options: { inputs, report, reportHtml, thresholds, region, quiet: r.flag('quiet') } };
}

export function parseLocalOptions(raw: RawOptions): Parsed<LocalOptions> {
  const r = new Reader(raw);
  const port = r.integer('port', '--port', 0, 65535);
  const shards = r.integer('shards', '--shards', 1, MAX_EMBEDDED_SHARDS);
  const stream = readStream(r);
  if (r.problems.length) return { ok: false, problems: r.problems };
  return {
    ok: true,
    options: {
      port: port ?? LOCAL_DEFAULTS.port,
      shards: shards ?? LOCAL_DEFAULTS.shards,
      stream: stream ?? LOCAL_DEFAULTS.stream,
      limits: readLimits(r),
    },
  };
}
