/**
 * The `loadgen` command line: options are declared here as plain strings, checked by parse-options.ts,
 * and each command returns its exit code: 0 success, 1 records failed or missing, 2 bad usage, 99 a
 * threshold failed.
 */
import { Command, CommanderError } from 'commander';
import { analyticsCommand } from '../commands/analytics';
import { describeCommand } from '../commands/describe';
import { findLimit } from '../commands/find-limit';
import { fleetRunCommand, fleetStatusCommand } from '../commands/fleet';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CommandIo } from '../commands/io';
import { localCommand } from '../commands/local';
import { mergeCommand } from '../commands/merge';
import { runLoad, type RunHooks } from '../commands/run';
import { verifyCommand } from '../commands/verify';
import { RunError, UsageError, firstLine } from '../shared/errors';
import {
  parseAnalyticsOptions,
  parseDescribeOptions,
  parseFindLimitOptions,
  parseLocalOptions,
  parseMergeOptions,
  parseRunOptions,
  parseVerifyOptions,
  type Parsed,
  type RawOptions,
} from './parse-options';
import type { Env } from './option-reader';
import { FLEET_OWN_OPTIONS, parseFleetRunOptions, parseFleetStatusOptions } from './parse-fleet-options';
import { addRunOptions, asArguments, collect } from './run-options';

const defaultIo: CommandIo = { stdout: process.stdout, stderr: process.stderr, handleSignals: true };

function unwrap<T>(parsed: Parsed<T>): T {
  // All problems, on one line.
  if (!parsed.ok) throw new UsageError(parsed.problems.join('; '));
  return parsed.options;
}


/** A first word that names no command: commander would read it as an argument of the default command. */
function unknownCommand(program: Command, argv: readonly string[]): string | undefined {
  const first = argv[0];
  if (first === undefined || first.startsWith('-')) return undefined;
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  if (names.includes(first) || first === 'help') return undefined;
  const listed = program.commands.map((c) => (c.name() === 'run' ? 'run (default)' : c.name())).join(', ');
  return `unknown command ${JSON.stringify(first)}: expected one of ${listed} (loadgen --help describes them)`;
}

function targetOptions(cmd: Command): Command {
  return cmd
    .option('--stream <name>', 'Kinesis stream name')
    .option('--region <region>', 'AWS region (default: AWS_REGION, else us-east-1)')
    .option('--endpoint <url>', 'Kinesis-compatible endpoint, e.g. http://127.0.0.1:4567 from `loadgen local`');
}

/** `env`: the environment options are read from (AWS_REGION, a fleet child's AWS_BATCH_* and LOADGEN_*). */
export async function main(argv: readonly string[], io: CommandIo = defaultIo, hooks: RunHooks = {}, env: Env = process.env): Promise<number> {
  let exitCode = EXIT_OK;
  const program = new Command('loadgen')
    .description('Shard-aware, rate-controlled Kinesis load generator (runs on an embedded Kinesis by default)')
    .exitOverride()
    .showSuggestionAfterError(false)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => write(`loadgen: ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')}\n`),
    });

  addRunOptions(targetOptions(program.command('run', { isDefault: true }).description('generate load (default command)')))
    .action(async (raw: RawOptions) => {
      exitCode = (await runLoad(unwrap(parseRunOptions(raw, env)), io, hooks)).exitCode;
    });

  targetOptions(program.command('find-limit').description('find the highest rate the stream sustains and where throttling begins'))
    .option('--shards <n>', 'shards of the embedded stream, which enforces the Kinesis write limits (default 4)')
    .option('--start-rate <n>', 'records/s of the first step (default: half the nominal capacity)')
    .option('--max-rate <n>', 'highest rate to try (default: twice the nominal capacity)')
    .option('--growth <factor>', 'rate factor between steps until one is not sustained (default 1.5)')
    .option('--resolution <share>', 'then halve the bracket until it is this narrow (default 0.02)')
    .option('--step-duration <d>', 'measured time of each step (default 30s)')
    .option('--settle <d>', 'time at the step rate before measuring (default 5s)')
    .option('--burst <d>', 'longest burst at full speed before each step, to use up the shards\' burst allowance (default 10s; 0s: none)')
    .option('--max-throttled <share>', 'share of throttled entries a sustained step may have (default 0.001)')
    .option('--tolerance <share>', 'share of offered records a sustained step may leave unacknowledged (default 0.05)')
    .option('--devices <n>', 'simulated devices / partition keys (default 1000)')
    .option('--batch-size <n>', 'records per PutRecords, 1..500 (default 500)')
    .option('--concurrency <n|auto>', 'in-flight PutRecords requests, or auto (default 8)')
    .option('--generator <name|path>', 'built-in generator name or module path (default iot-sensor)')
    .option('--anomaly-rate <0..1>', 'share of anomalous readings (default 0.01)')
    .option('--seed <n>', 'seed for deterministic records (default random)')
    .option('--unreachable-after <d>', 'stop when no request has been answered for this long (default 5s)')
    .option('--report <file.json>', 'write the JSON report here')
    .option('--report-html <file.html>', 'write a self-contained HTML report with charts here')
    .option('--quiet', 'no step lines or summary')
    .action(async (raw: RawOptions) => {
      exitCode = (await findLimit(unwrap(parseFindLimitOptions(raw)), io, hooks)).exitCode;
    });

  targetOptions(program.command('verify').description('read every shard back and check for missing and duplicate records'))
    .option('--since <ISO time>', 'read from this time (default: the oldest record kept)')
    .option('--read-share <0..1>', 'share of each shard\'s read limits (5 calls/s, 2 MiB/s) to use (default 0.5)')
    .option('--report <file.json>', 'write the result as JSON')
    .action(async (raw: RawOptions) => {
      exitCode = await verifyCommand(unwrap(parseVerifyOptions(raw, env)), io);
    });

  targetOptions(program.command('describe').description('stream mode, encryption, shards and hash-key ranges, write capacity'))
    .option('--json', 'print JSON')
    .action(async (raw: RawOptions) => {
      exitCode = await describeCommand(unwrap(parseDescribeOptions(raw, env)), io);
    });

  program
    .command('analytics')
    .description("preview the dashboard's charts offline: the notebook's rules and chart queries on recorded records, in DuckDB")
    .argument('<records>', 'records written by run --sink file:<path>, or a folder of .jsonl files')
    .option('--now <ISO time>', 'end of the 24-hour and 60-minute windows (default: the newest reading)')
    .option('--widgets <name=value,...>', 'notebook flag widgets to override, e.g. critical_rule=temperature_or_status')
    .option('--report <file.json>', 'write the result as JSON')
    .option('--json', 'print JSON instead of tables')
    .action(async (records: string, raw: RawOptions) => {
      exitCode = await analyticsCommand(unwrap(parseAnalyticsOptions(records, raw)), io);
    });

  const fleet = program.command('fleet').description('run one load test as many children on AWS Batch (the iot-loadgen-<stage> stack), one merged report');
  const fleetRun = addRunOptions(targetOptions(fleet.command('run').description('submit the run as an array job, follow it, merge the children\'s reports')), ['--report', '--report-html', '--quiet', '--threshold'])
    .option('--size <n>', 'children: segments of the run, each on its own Fargate task')
    .option('--outputs <file.json>', 'the fleet stack\'s outputs: npx cdktf output iot-loadgen-<stage> --outputs-file <file.json>')
    .option('--stack <name>', 'which stack of the outputs file (when it holds several)')
    .option('--job-queue <name>', 'AWS Batch job queue (default: the outputs\' job-queue-name)')
    .option('--job-definition <name>', 'AWS Batch job definition (default: the outputs\' job-definition-name)')
    .option('--reports-bucket <name>', 'bucket the children put their reports in (default: the outputs\' reports-bucket-name)')
    .option('--reports-prefix <prefix>', 'key prefix of the reports (default: the outputs\' reports-prefix)')
    .option('--start-delay <d>', 'from submission to the children\'s common start: time for Fargate to start them (default 2m)')
    .option('--poll <d>', 'how often to look at the job (default 15s)')
    .option('--report <file.json>', 'write the merged report here (default loadgen-fleet-<run id>.json)')
    .option('--report-html <file.html>', 'write the merged report as a self-contained HTML report with charts')
    .option('--threshold <expr>', 'pass/fail condition on the merged report, repeatable (abortOnFail ones also stop each child on its own segment)', collect)
    .option('--quiet', 'no progress or summary');
  fleetRun.action(async (raw: RawOptions) => {
    exitCode = await fleetRunCommand(unwrap(parseFleetRunOptions(raw, asArguments(fleetRun, raw, FLEET_OWN_OPTIONS), env)), io);
  });
  fleet
    .command('status')
    .description('an AWS Batch fleet job: its state, its children, why any failed')
    .argument('<job-id>', 'the job id fleet run printed')
    .option('--region <region>', 'AWS region (default: from --outputs, else AWS_REGION, else us-east-1)')
    .option('--outputs <file.json>', 'the fleet stack\'s outputs, for the region')
    .option('--stack <name>', 'which stack of the outputs file')
    .action(async (jobId: string, raw: RawOptions) => {
      exitCode = await fleetStatusCommand(unwrap(parseFleetStatusOptions(jobId, raw, env)), io);
    });

  program
    .command('merge')
    .description("one report from the reports of one run's segments: counts added, latency histograms merged, series aligned on wall-clock time")
    .argument('<reports...>', 'report files, folders of .json reports, or s3://bucket/prefix/ (a fleet run\'s folder)')
    .option('--report <file.json>', 'write the merged report here')
    .option('--report-html <file.html>', 'write the merged report as a self-contained HTML report with charts')
    .option('--threshold <expr>', 'pass/fail condition on the merged report, repeatable (the parts\' own thresholds are evaluated again too)', collect)
    .option('--region <region>', 'region of the S3 bucket (default: AWS_REGION, else us-east-1)')
    .option('--quiet', 'no summary')
    .action(async (inputs: string[], raw: RawOptions) => {
      exitCode = await mergeCommand(unwrap(parseMergeOptions(inputs, raw, env)), io);
    });

  program
    .command('local')
    .description('run the embedded Kinesis as a standalone server until Ctrl-C')
    .option('--port <port>', 'port on 127.0.0.1 (default 4567)')
    .option('--shards <n>', 'shards of the stream it creates (default 4)')
    .option('--stream <name>', 'name of the stream it creates (default loadgen)')
    .option('--limits', 'enforce the per-shard write limits (1,000 records/s, 1 MiB/s) as Kinesis does')
    .option('--read-limits', 'enforce the per-shard read limits (5 GetRecords/s, 2 MiB/s; 5 GetShardIterator/s)')
    .action(async (raw: RawOptions) => {
      exitCode = await localCommand(unwrap(parseLocalOptions(raw)), io);
    });

  const unknown = unknownCommand(program, argv);
  if (unknown) {
    io.stderr.write(`loadgen: ${unknown}\n`);
    return EXIT_USAGE;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(error.code);
      return ok ? EXIT_OK : EXIT_USAGE;
    }
    const message = firstLine(error);
    if (error instanceof UsageError) {
      io.stderr.write(`loadgen: ${message}\n`);
      return EXIT_USAGE;
    }
    io.stderr.write(`loadgen: ${error instanceof RunError ? '' : 'unexpected error: '}${message}\n`);
    if (process.env.LOADGEN_DEBUG) io.stderr.write(`${(error as Error).stack}\n`);
    return EXIT_FAILED;
  }
}
