/**
 * `loadgen run`: set up the target, generator and schedule (this process's segment of the run), drive the engine,
 * verify, check thresholds, report. With --workers the same happens in worker threads, one segment each, and their
 * reports are merged (workers/run-workers.ts).
 */
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { Engine, EngineOptions } from '../engine/engine';
import type { KinesisSender } from '../kinesis/shards';
import type { MetricsStream } from '../report/metrics-stream';
import { buildReport } from '../report/report';
import { terminalCaps } from '../shared/terminal';
import type { VerifyResult } from '../verify/types';
import { startConsumerWatch, type RunningWatch } from './consumer-watch-setup';
import { driveEngine } from './drive';
import { EXIT_OK, type CommandIo } from './io';
import type { RunOptions } from './options';
import { finishRun, type RunOutcome } from './run-finish';
import { RunMonitor } from './run-monitor';
import { clientCostFromNow, engineTimeOf, peakRssMB, prepareSegment, rateLine, reportContextFor, segmentEngine } from './run-setup';
import { openMetricsStream, startOfSchedule, verifyRun } from './run-steps';
import { runWithWorkers } from './workers/run-workers';

export type { RunOutcome } from './run-finish';

/** Test hooks. With --workers only `engine` reaches the worker threads; `wrapClient` wraps the parent's client (listing, read-back). */
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

async function runInProcess(options: RunOptions, io: CommandIo, hooks: RunHooks): Promise<RunOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const prepared = await prepareSegment(options, options.segment, log, hooks.wrapClient, hooks.clock);
  let stream: MetricsStream | undefined;
  let watch: RunningWatch | undefined;
  try {
    log(rateLine(prepared.plan, options.segment));
    const startedAt = await startOfSchedule(options, log);
    const engine = segmentEngine(prepared, options, engineTimeOf(startedAt.getTime(), hooks.clock), hooks.engine, hooks.clock);
    hooks.onEngine?.(engine);
    const reader = prepared.target.reader;
    watch = options.watchConsumer && reader ? startConsumerWatch(options, reader.streamName, startedAt) : undefined;
    const clientCost = clientCostFromNow();
    if (options.out) stream = openMetricsStream(options.out.path, io, () => engine.stop('output-closed'));
    const monitor = new RunMonitor(engine, {
      startedAtMs: startedAt.getTime(),
      stream,
      abortThresholds: options.thresholds.filter((t) => t.abortOnFail),
      liveReport: () => buildReport(reportContextFor(prepared, options, startedAt, clientCost(), null), engine.snapshot(), undefined, EXIT_OK),
      log,
    });
    const terminal = terminalCaps(io.stderr);
    const result = await driveEngine(engine, io, { quiet: options.quiet, terminal, onTick: () => monitor.tick() });
    monitor.finish();
    const runCost = clientCost();

    // CloudWatch publishes the last minutes late: wait for them while verification reads.
    const consumerReport = watch?.finish(new Date(), log);
    let verify: VerifyResult | undefined;
    if (options.verify && result.acks && result.snapshot.stopReason !== 'unreachable' && !result.error) {
      verify = await verifyRun(prepared, options, io, result.acks, startedAt, result.snapshot.acked);
    }
    const consumer = await consumerReport;
    // CPU of the run itself; memory at its peak, the read-back included.
    const client = { ...runCost, maxRssMB: peakRssMB() };
    const measured = buildReport(reportContextFor(prepared, options, startedAt, client, result.unreachable), result.snapshot, verify, EXIT_OK, consumer);
    return await finishRun(
      { measured, aborted: monitor.aborted, error: result.error, unreachable: result.unreachable, endpointLabel: prepared.target.endpointLabel },
      options,
      io,
    );
  } finally {
    stream?.close();
    watch?.close();
    await prepared.target.close();
  }
}

export async function runLoad(options: RunOptions, io: CommandIo, hooks: RunHooks = {}): Promise<RunOutcome> {
  return options.workers > 1 ? runWithWorkers(options, io, hooks) : runInProcess(options, io, hooks);
}
