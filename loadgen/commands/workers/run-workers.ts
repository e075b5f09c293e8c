/**
 * `run --workers n`: this process's segment of the run (the whole run unless --segment) cut into n segments, one per
 * worker thread, started together. The parent keeps what is one per run: the target (it starts the embedded Kinesis
 * the workers write to), the rate line, one progress line, the metrics stream and abortOnFail thresholds over all
 * workers, one merged report (the same merge as `loadgen merge`), one read-back for --verify over every worker's
 * acknowledged records, and the machine's cost (CPU of the whole process, workers included).
 */
import { InvalidRecordError } from '../../engine/record';
import { AckedRecords } from '../../metrics/acked-records';
import { mergeReports } from '../../merge/merge';
import type { MetricsStream } from '../../report/metrics-stream';
import { withCloudWatch, type RunReport } from '../../report/report';
import { subSegment } from '../../segments/segment';
import { RunError, UsageError } from '../../shared/errors';
import { terminalCaps } from '../../shared/terminal';
import type { VerifyResult } from '../../verify/types';
import { startConsumerWatch, type RunningWatch } from '../consumer-watch-setup';
import { driveEngine } from '../drive';
import type { CommandIo } from '../io';
import type { RunOptions } from '../options';
import type { RunHooks } from '../run';
import { openMetricsStream, verifyRun } from '../run-steps';
import { finishRun, type RunOutcome } from '../run-finish';
import { RunMonitor } from '../run-monitor';
import { cpuSecondsSince, peakRssMB, prepareSegment, rateLine } from '../run-setup';
import { runSettings } from '../run-settings';
import type { PlainError, WorkerInput } from './messages';
import { WorkerPool } from './pool';

/** Time for the start message to reach every worker, so they all begin on the same millisecond. */
const START_LEAD_MS = 50;

/** A worker's error as the parent reports it: usage errors stay usage errors (exit 2). */
function fromPlainError(plain: PlainError, worker?: string): Error {
  const message = worker ? `${worker}: ${plain.message}` : plain.message;
  if (plain.name === 'UsageError') return new UsageError(plain.message);
  if (plain.name === 'InvalidRecordError') return new InvalidRecordError(plain.message);
  return new RunError(message);
}

export async function runWithWorkers(options: RunOptions, io: CommandIo, hooks: RunHooks): Promise<RunOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const workers = options.workers;
  // The parent's own set-up: the generator checked once, the target opened (the embedded Kinesis started here).
  const prepared = await prepareSegment(options, options.segment, log, hooks.wrapClient);
  let stream: MetricsStream | undefined;
  let pool: WorkerPool | undefined;
  let watch: RunningWatch | undefined;
  try {
    log(`${rateLine(prepared.plan, options.segment)}; ${workers} worker threads`);
    const workerOptions: RunOptions = {
      ...options,
      stream: prepared.target.description.stream,
      endpoint: prepared.target.embedded?.endpoint ?? options.endpoint,
      workers: 1,
      quiet: true,
      report: undefined,
      out: undefined,
      thresholds: [],
      startAt: undefined,
      reportUpload: undefined,
      // The parent watches the stream's CloudWatch metrics, once for all.
      watchConsumer: false,
    };
    const abortThresholds = options.thresholds.filter((t) => t.abortOnFail);
    const inputs: WorkerInput[] = Array.from({ length: workers }, (_, j) => ({
      options: workerOptions,
      segment: subSegment(options.segment, j, workers),
      engineTuning: hooks.engine,
      liveReports: abortThresholds.length > 0,
    }));
    pool = new WorkerPool(inputs, options.segment);
    try {
      await pool.ready();
    } catch (error) {
      throw fromPlainError(error as PlainError);
    }
    if (options.startAt && options.startAt.getTime() > Date.now()) log(`[loadgen] waiting until ${options.startAt.toISOString()} (--start-at)`);
    const startedAt = options.startAt ?? new Date(Date.now() + START_LEAD_MS);
    pool.start(startedAt.getTime());
    const reader = prepared.target.reader;
    watch = options.watchConsumer && reader ? startConsumerWatch(options, reader.streamName, startedAt) : undefined;
    const cpuStart = process.cpuUsage();
    const running = pool;
    if (options.out) stream = openMetricsStream(options.out.path, io, () => running.stop('output-closed'));
    const monitor = new RunMonitor(running, { startedAtMs: startedAt.getTime(), stream, abortThresholds, liveReport: () => running.liveReport(), log });
    const terminal = terminalCaps(io.stderr);
    const { ends } = await driveEngine(running, io, { quiet: options.quiet, terminal, onTick: () => monitor.tick(), label: `${workers} workers: ` });
    monitor.finish();
    const runCpuSeconds = cpuSecondsSince(cpuStart);

    const failed = ends.findIndex((end) => end.type === 'failed');
    if (failed >= 0) throw fromPlainError((ends[failed] as Extract<(typeof ends)[number], { type: 'failed' }>).error, `worker ${failed + 1} of ${workers}`);
    const done = ends.map((end) => end as Extract<(typeof ends)[number], { type: 'done' }>);
    const merged = mergeReports(
      done.map((end, j) => ({ name: `worker ${j + 1}`, report: end.report })),
      { whole: options.segment },
    );
    const error = done.find((end) => end.error)?.error ?? null;
    const unreachable = done.find((end) => end.unreachable)?.unreachable ?? null;

    const consumerReport = watch?.finish(new Date(), log);
    let verify: VerifyResult | undefined;
    if (options.verify && !error && !unreachable) {
      const acks = new AckedRecords();
      for (const end of done) if (end.acks) acks.addPlain(end.acks);
      verify = await verifyRun(prepared, options, io, acks, startedAt, merged.recordsAcked);
    }
    // The machine's cost: CPU of the whole process (threads share it), the peak memory of the process, read-back included.
    const consumer = await consumerReport;
    const { exitCode: _merged, ...rest } = merged;
    const measured: RunReport = {
      ...rest,
      // The workers wrote to the parent's target (the embedded Kinesis is the parent's), with the parent's options.
      target: prepared.target.description,
      settings: runSettings(options),
      // Each thread has its own event loop: the busiest worker's says whether loadgen set the pace.
      client: { cpuSeconds: runCpuSeconds, maxRssMB: peakRssMB(), ...(merged.client.eventLoopBusy !== undefined ? { eventLoopBusy: merged.client.eventLoopBusy } : {}) },
      ...(consumer ? { series: withCloudWatch(merged.series, consumer) } : {}),
      ...(verify ? { verify } : {}),
      ...(consumer ? { consumer } : {}),
      exitCode: 0,
    };
    return await finishRun(
      { measured, aborted: monitor.aborted, error: error && fromPlainError(error), unreachable, endpointLabel: prepared.target.endpointLabel },
      options,
      io,
    );
  } finally {
    stream?.close();
    watch?.close();
    await pool?.terminate();
    await prepared.target.close();
  }
}
