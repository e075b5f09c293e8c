/** `loadgen run`: set up the target, generator and schedule, drive the engine, verify, check thresholds, report. */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine, type EngineOptions, type EngineResult } from '../engine/engine';
import { planRate } from '../engine/rate-plan';
import { InvalidRecordError, recordSource } from '../engine/record';
import type { KinesisSender } from '../kinesis/shards';
import { MetricsStream } from '../report/metrics-stream';
import { buildReport, withOutcome, type ReportContext, type RunReport } from '../report/report';
import { formatSummary } from '../report/summary';
import { writeHtmlReport } from '../report/html/write-html';
import { writeReport } from '../report/write';
import { isClosedPipe } from '../shared/closed-pipe';
import { UsageError, badOption, firstLine } from '../shared/errors';
import { int } from '../shared/format';
import { mulberry32 } from '../shared/random';
import { terminalCaps } from '../shared/terminal';
import { evaluateThresholds, type ThresholdResult } from '../thresholds/evaluate';
import { verifyAcked } from '../verify/acked';
import type { VerifyResult } from '../verify/types';
import { driveEngine } from './drive';
import { JITTER_SEED_SALT, asGeneratorUsageError, setUpGenerator } from './generator-setup';
import { withReadBackProgress } from './read-back-progress';
import { EXIT_FAILED, EXIT_OK, EXIT_THRESHOLDS, EXIT_USAGE, type CommandIo } from './io';
import { planKeys, type KeyPlan } from './key-plan';
import type { RunOptions } from './options';
import { startConsumerWatch, type RunningWatch } from './consumer-watch-setup';
import { openTarget } from './run-target';
import { RunMonitor } from './run-monitor';
import { runSettings } from './run-settings';

export interface RunHooks {
  /** Wraps the Kinesis client, e.g. to inject faults in tests. */
  readonly wrapClient?: (client: KinesisClient) => KinesisSender;
  readonly onEngine?: (engine: Engine) => void;
  /** Overrides engine tuning (tests shorten backoffs and intervals). */
  readonly engine?: Partial<EngineOptions>;
  /**
   * Milliseconds, monotonic: the clock of the engine and of the embedded stream's limits. Tests run rates on a
   * slowed clock, so what they measure does not depend on how busy the machine is. @default performance.now
   */
  readonly clock?: () => number;
}

export interface RunOutcome {
  readonly exitCode: number;
  readonly report: RunReport;
}

/**
 * 2 for a generator's fault; 1 when the run could not be done (an error, the endpoint gone); 99 when a threshold
 * failed; 1 when any record failed for good, was left unconfirmed (unless the output's reader closed it) or
 * verification found some missing; else 0.
 */
function exitCodeFor(result: EngineResult, verify: VerifyResult | undefined, thresholds: readonly ThresholdResult[]): number {
  const m = result.snapshot;
  if (result.error) return result.error instanceof InvalidRecordError ? EXIT_USAGE : EXIT_FAILED;
  if (result.unreachable) return EXIT_FAILED;
  if (thresholds.some((t) => !t.ok)) return EXIT_THRESHOLDS;
  // `| head` asked for no more: what was still queued is not a failure.
  const abandoned = m.unsent > 0 && m.stopReason !== 'output-closed';
  return m.failed > 0 || abandoned || (verify?.missing ?? 0) > 0 ? EXIT_FAILED : EXIT_OK;
}

/** The last line of a run whose thresholds failed, so a CI log names them even with --quiet. */
function thresholdFailureLine(thresholds: readonly ThresholdResult[], reportPath: string | undefined): string {
  const failed = thresholds.filter((t) => !t.ok);
  const named = failed.map((t) => `${t.expression} (${t.value === null ? 'no value' : `value ${t.value}`})`).join(', ');
  return `loadgen: ${failed.length} of ${thresholds.length} thresholds failed: ${named}${reportPath ? `; report in ${reportPath}` : ''}\n`;
}

/** The process's peak resident memory so far, in MB. */
function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The share of the time since `start` that this process's event loop was busy, 0..1, to 2 decimals. */
function eventLoopBusySince(start: EventLoopUtilization): number {
  return Math.round(performance.eventLoopUtilization(start).utilization * 100) / 100;
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000) / 1000;
}

/** The --out stream; a reader that goes away (`| head`) ends the run as if asked to, quietly. */
function openMetricsStream(path: string, io: CommandIo, engine: Engine): MetricsStream {
  try {
    return MetricsStream.open(path, io.stdout, (error) => {
      if (isClosedPipe(error)) return engine.stop('output-closed');
      io.stderr.write(`loadgen: --out json=${path} stopped: ${firstLine(error)}\n`);
    });
  } catch (error) {
    throw new UsageError(badOption('--out', `json=${path}`, `a file loadgen can write (${firstLine(error)})`));
  }
}

export async function runLoad(options: RunOptions, io: CommandIo, hooks: RunHooks = {}): Promise<RunOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const { runId, ctx, plugin, avgRecordBytes, keys } = await setUpGenerator(options);
  const target = await openTarget(options, log, hooks.wrapClient, hooks.clock);
  // Asked to carry data (records or the metrics stream), stdout carries nothing else.
  const summaryOut = options.sink.kind === 'stdout' || options.out?.path === '-' ? io.stderr : io.stdout;
  let stream: MetricsStream | undefined;
  let watch: RunningWatch | undefined;
  try {
    const keyPlan: KeyPlan | null = target.shards ? planKeys(plugin, options.devices, target.shards, keys) : null;
    const plan = planRate(options, keyPlan?.layout ?? null, avgRecordBytes);
    log(`rate ${plan.targetRate === null ? 'max' : `${Math.round(plan.targetRate)}/s`}: ${plan.explanation}`);
    const startedAt = new Date();
    const engine = new Engine(
      {
        sink: target.sink,
        nextRecord: recordSource(plugin.create(ctx), options.generator),
        schedule: plan.schedule,
        shards: target.shards,
        random: mulberry32(options.seed ^ JITTER_SEED_SALT),
        clock: hooks.clock,
      },
      {
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        spreadKeys: keyPlan?.spread ?? false,
        maxRetries: options.maxRetries,
        shardLimit: options.shardLimit,
        drainTimeoutMs: options.drainTimeoutMs,
        unreachableAfterMs: options.unreachableAfterMs,
        recordAcks: options.verify,
        ...hooks.engine,
      },
    );
    hooks.onEngine?.(engine);
    watch = options.watchConsumer && target.reader ? startConsumerWatch(options, target.reader.streamName, startedAt) : undefined;
    const cpuStart = process.cpuUsage();
    const loopStart = performance.eventLoopUtilization();
    const clientCost = (): RunReport['client'] => ({ cpuSeconds: cpuSecondsSince(cpuStart), maxRssMB: peakRssMB(), eventLoopBusy: eventLoopBusySince(loopStart) });
    const reportContext = (client: RunReport['client'], unreachable: ReportContext['unreachable']): ReportContext => ({
      startedAt,
      target: target.description,
      generator: plugin.name,
      seed: options.seed,
      runId,
      rateMode: plan.mode,
      targetRate: plan.targetRate,
      rateExplanation: plan.explanation,
      keys: keyPlan?.report,
      client,
      settings: runSettings(options),
      unreachable,
    });
    if (options.out) stream = openMetricsStream(options.out.path, io, engine);
    const monitor = new RunMonitor(engine, {
      startedAtMs: startedAt.getTime(),
      stream,
      abortThresholds: options.thresholds.filter((t) => t.abortOnFail),
      liveReport: () => buildReport(reportContext(clientCost(), null), engine.snapshot(), undefined, 0),
      log,
    });
    const terminal = terminalCaps(io.stderr);
    const result = await driveEngine(engine, io, { quiet: options.quiet, terminal, onTick: () => monitor.tick() });
    monitor.finish();
    const runCpuSeconds = cpuSecondsSince(cpuStart);
    const runLoopBusy = eventLoopBusySince(loopStart);

    // CloudWatch publishes the last minutes late: wait for them while verification reads.
    const consumerReport = watch?.finish(new Date(), log);
    let verify: VerifyResult | undefined;
    if (options.verify && target.reader && result.acks && result.snapshot.stopReason !== 'unreachable' && !result.error) {
      log('verifying: reading every shard back from the run start');
      const { client: reader, streamName } = target.reader;
      const acks = result.acks;
      const seqOf = plugin.seqOf && ((data: Uint8Array) => plugin.seqOf!(data, ctx));
      // The embedded stream is new: read it all. Elsewhere start a second early (arrival-time precision).
      const since = target.embedded ? undefined : new Date(startedAt.getTime() - 1000);
      const random = mulberry32(options.seed ^ JITTER_SEED_SALT);
      verify = await withReadBackProgress(io, { quiet: options.quiet, terminal, expectedRecords: result.snapshot.acked }, (progress) =>
        verifyAcked(reader, streamName, acks, seqOf, { since, readShare: options.readShare, random, progress }),
      );
    }
    const consumer = await consumerReport;
    const snapshot = result.snapshot;
    // CPU of the run itself; memory at its peak, the read-back included.
    const client = { cpuSeconds: runCpuSeconds, maxRssMB: peakRssMB(), eventLoopBusy: runLoopBusy };
    const measured = buildReport(reportContext(client, result.unreachable), snapshot, verify, EXIT_OK, consumer);
    const thresholds = evaluateThresholds(options.thresholds, measured, monitor.aborted ?? undefined);
    const exitCode = exitCodeFor(result, verify, thresholds);
    const report = withOutcome(measured, thresholds, exitCode);
    if (options.report) writeReport(options.report, report);
    if (options.reportHtml) writeHtmlReport(options.reportHtml, report);
    if (!options.quiet) summaryOut.write(`${formatSummary(report, { color: terminalCaps(summaryOut as { isTTY?: boolean }).color })}\n`);
    // The run's error (a generator's fault is a usage error) is the last line, after the report is written.
    if (result.error) throw asGeneratorUsageError(result.error, options.generator);
    if (result.unreachable) {
      const { code, forMs } = result.unreachable;
      io.stderr.write(
        `loadgen: ${target.endpointLabel} unreachable for ${(forMs / 1000).toFixed(1)} s (${code}): stopped; ` +
          `${int(snapshot.acked)} records acked, ${int(snapshot.unsent)} unsent${options.report ? `; report in ${options.report}` : ''}\n`,
      );
    }
    if (exitCode === EXIT_THRESHOLDS) io.stderr.write(thresholdFailureLine(thresholds, options.report));
    return { exitCode, report };
  } finally {
    stream?.close();
    watch?.close();
    await target.close();
  }
}
