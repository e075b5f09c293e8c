/**
 * `loadgen fleet run` and `fleet status`: the fleet's own options, the stack's outputs, and the run options every
 * child gets, checked here (as `run` would check them in a child) before anything is submitted.
 */
import { randomUUID } from 'node:crypto';
import { REPORTS_PREFIX, RUN_ID, RUN_ID_RULE } from '../../contract/load-fleet';
import { FLEET_DEFAULTS, MAX_FLEET_SIZE, type FleetRunOptions, type FleetStatusOptions } from '../commands/options';
import { FLEET_OUTPUTS, outputNumber, outputString, readFleetOutputs, regionOfArn, type FleetTarget } from '../fleet/fleet-target';
import { BUILT_IN_GENERATORS } from '../generators/loader';
import { Reader, type Env, type Parsed, type RawOptions } from './option-reader';
import { parseRunOptions, readRegion, readReport, readThresholds } from './parse-options';

/** Run options a child cannot use, and why. */
const NOT_IN_A_FLEET: Readonly<Record<string, [option: string, why: string]>> = {
  endpoint: ['--endpoint', 'no --endpoint: the children write to the fleet stack\'s stream in AWS'],
  shards: ['--shards', 'no --shards: there is no embedded Kinesis in a fleet'],
  limits: ['--limits', 'no --limits: there is no embedded Kinesis in a fleet (Kinesis enforces its own)'],
  readLimits: ['--read-limits', 'no --read-limits: there is no embedded Kinesis in a fleet'],
  watchConsumer: ['--watch-consumer', 'no --watch-consumer: the children\'s role has no CloudWatch rights; watch the stream from your machine (`loadgen run --watch-consumer --rate 1 ...` alongside, or the CloudWatch console)'],
  verify: ['--verify', 'no --verify: the children\'s role has the producer\'s rights only; after the run, `loadgen verify --stream S --since <start>` with the verifier policy checks every device\'s seq across all children'],
  segment: ['--segment', 'no --segment: each child runs its array index + 1 of --size'],
  startAt: ['--start-at', 'no --start-at: the fleet sets it (--start-delay)'],
  out: ['--out', 'no --out: the children\'s output goes to CloudWatch Logs; the merged report has the per-second series'],
};

/** Options of `fleet run` that are the fleet's own, not forwarded to the children. */
export const FLEET_OWN_OPTIONS = ['size', 'outputs', 'stack', 'jobQueue', 'jobDefinition', 'reportsBucket', 'reportsPrefix', 'region', 'startDelay', 'poll', 'report', 'reportHtml', 'quiet', 'threshold', 'runId', 'seed'];

function readTarget(r: Reader, env: Env): FleetTarget | undefined {
  const file = r.string('outputs');
  let outputs: Record<string, unknown> = {};
  if (file !== undefined) {
    const read = readFleetOutputs(file, r.string('stack'));
    if (typeof read === 'string') r.problem('--outputs', file, read);
    else outputs = read;
  }
  const lacking: string[] = [];
  const pick = (key: string, output: string, option: string): string | undefined => {
    const value = r.string(key) ?? outputString(outputs, output);
    if (value === undefined) lacking.push(`${option} (output ${output})`);
    return value;
  };
  const jobQueue = pick('jobQueue', FLEET_OUTPUTS.jobQueue, '--job-queue');
  const jobDefinition = pick('jobDefinition', FLEET_OUTPUTS.jobDefinition, '--job-definition');
  const reportsBucket = pick('reportsBucket', FLEET_OUTPUTS.reportsBucket, '--reports-bucket');
  const reportsPrefix = pick('reportsPrefix', FLEET_OUTPUTS.reportsPrefix, '--reports-prefix');
  if (lacking.length && (file === undefined || r.problems.length === 0)) {
    r.problem('--outputs', file, `the iot-loadgen-<stage> stack's outputs (npx cdktf output iot-loadgen-<stage> --outputs-file <file>), or ${lacking.join(', ')}`);
  }
  if (reportsPrefix !== undefined && !REPORTS_PREFIX.test(reportsPrefix)) r.problem('--reports-prefix', reportsPrefix, 'a key prefix such as reports/ (ends with /)');
  const region = readRegion(r, env, regionOfArn(outputString(outputs, FLEET_OUTPUTS.jobQueueArn)));
  if (!jobQueue || !jobDefinition || !reportsBucket || !reportsPrefix) return undefined;
  return {
    region,
    jobQueue,
    jobDefinition,
    reportsBucket,
    reportsPrefix,
    maxVcpus: outputNumber(outputs, FLEET_OUTPUTS.maxVcpus),
    childVcpu: outputNumber(outputs, FLEET_OUTPUTS.childVcpu),
  };
}

/** The children's run options, checked as a child will check them (its stream comes from the job definition). */
function checkChildOptions(r: Reader, runRaw: RawOptions): void {
  for (const [key, [option, why]] of Object.entries(NOT_IN_A_FLEET)) if (runRaw[key] !== undefined) r.problem(option, runRaw[key], why);
  const sink = runRaw.sink;
  if (typeof sink === 'string' && sink !== 'kinesis' && sink !== 'null') r.problem('--sink', sink, 'kinesis or null in a fleet (a child\'s files and stdout are not kept)');
  const generator = runRaw.generator;
  if (typeof generator === 'string' && !(generator in BUILT_IN_GENERATORS)) {
    r.problem('--generator', generator, `a built-in generator (${Object.keys(BUILT_IN_GENERATORS).join(', ')}): the image holds no other modules`);
  }
  const child = parseRunOptions({ ...runRaw, seed: '1', runId: 'fleet-check', stream: typeof runRaw.stream === 'string' ? runRaw.stream : 'fleet-stream' }, {});
  if (!child.ok) r.problems.push(...child.problems);
}

/**
 * `raw`: every option given to `fleet run`; `childArgs`: the run options among them as command-line arguments
 * (the CLI rebuilds them from what commander parsed).
 */
export function parseFleetRunOptions(raw: RawOptions, childArgs: readonly string[], env: Env = process.env): Parsed<FleetRunOptions> {
  const r = new Reader(raw);
  const size = r.integer('size', '--size', 1, MAX_FLEET_SIZE);
  if (!r.has('size')) r.problem('--size', undefined, `the number of children, 1 to ${MAX_FLEET_SIZE}`);
  const target = readTarget(r, env);
  const runIdText = r.string('runId');
  if (runIdText !== undefined && !RUN_ID.test(runIdText)) r.problem('--run-id', runIdText, RUN_ID_RULE);
  const seed = r.integer('seed', '--seed', 0, 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 32);
  const startDelayMs = r.duration('startDelay', '--start-delay', true) ?? FLEET_DEFAULTS.startDelayMs;
  const pollMs = r.duration('poll', '--poll') ?? FLEET_DEFAULTS.pollMs;
  const report = readReport(r);
  const reportHtml = readReport(r, 'reportHtml', '--report-html');
  const thresholds = readThresholds(r, false);
  const runRaw = Object.fromEntries(Object.entries(raw).filter(([key]) => !FLEET_OWN_OPTIONS.includes(key)));
  checkChildOptions(r, runRaw);
  if (size !== undefined && target?.maxVcpus !== undefined && target.childVcpu !== undefined && size * target.childVcpu > target.maxVcpus) {
    const most = Math.floor(target.maxVcpus / target.childVcpu);
    r.problem('--size', r.string('size'), `at most ${most} (max-vcpus ${target.maxVcpus} / child-vcpu ${target.childVcpu}): more children would wait in the queue and start late`);
  }
  if (r.problems.length || size === undefined || !target) return { ok: false, problems: r.problems };
  const runId = runIdText ?? randomUUID();
  return {
    ok: true,
    options: {
      size,
      target,
      runId,
      seed,
      startDelayMs,
      pollMs,
      report: report ?? `loadgen-fleet-${runId}.json`,
      reportHtml,
      quiet: r.flag('quiet'),
      childArgs,
      thresholds,
    },
  };
}

export function parseFleetStatusOptions(jobId: string, raw: RawOptions, env: Env = process.env): Parsed<FleetStatusOptions> {
  const r = new Reader(raw);
  let fromOutputs: string | undefined;
  const file = r.string('outputs');
  if (r.string('region') === undefined && file !== undefined) {
    const read = readFleetOutputs(file, r.string('stack'));
    if (typeof read === 'string') r.problem('--outputs', file, read);
    else fromOutputs = regionOfArn(outputString(read, FLEET_OUTPUTS.jobQueueArn));
  }
  const region = readRegion(r, env, fromOutputs);
  if (!/^[a-zA-Z0-9:_-]{1,128}$/.test(jobId)) r.problem('<job-id>', jobId, 'an AWS Batch job id, as fleet run prints it');
  if (r.problems.length) return { ok: false, problems: r.problems };
  return { ok: true, options: { jobId, region } };
}
