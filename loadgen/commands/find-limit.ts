/**
 * `loadgen find-limit`: the throttle-point search. Raises the rate step by step (search/throttle-search.ts),
 * runs each step against the stream with its burst allowance used up (search/probe-step.ts), and reports the
 * highest sustained rate, per shard and in total, the rate at which throttling began, and every step.
 */
import type { Engine } from '../engine/engine';
import { streamCapacity } from '../engine/rate-plan';
import { recordSource } from '../engine/record';
import { NO_LIMITS } from '../kinesis/shard-throughput';
import { buildFindLimitReport, formatFindLimitSummary, formatStep, type FindLimitReport, type FindLimitStep } from '../report/find-limit-report';
import { writeReports } from '../report/write';
import { StepProbe, judgeStep, type ProbeStop } from '../search/probe-step';
import { ThrottleSearch } from '../search/throttle-search';
import { formatDuration } from '../shared/duration';
import { RunError } from '../shared/errors';
import { int } from '../shared/format';
import { mulberry32 } from '../shared/random';
import { terminalCaps } from '../shared/terminal';
import { driveEngine } from './drive';
import { JITTER_SEED_SALT, asGeneratorUsageError, setUpGenerator } from './generator-setup';
import type { CommandIo } from './io';
import { planKeys } from './key-plan';
import { cpuSecondsSince, peakRssMB } from './run-setup';
import type { FindLimitOptions } from './options';
import type { RunHooks } from './run';
import { openTarget } from './run-target';

/** A guard against a search that never closes its bracket. */
const MAX_STEPS = 40;
const DRAIN_TIMEOUT_MS = 10_000;

export interface FindLimitOutcome {
  readonly exitCode: number;
  readonly report: FindLimitReport;
}

function findLimitSettings(o: FindLimitOptions, startRate: number, maxRate: number): FindLimitReport['settings'] {
  return {
    'start-rate': startRate,
    'max-rate': maxRate,
    growth: o.growth,
    resolution: o.resolution,
    'step-duration': formatDuration(o.stepDurationMs),
    settle: formatDuration(o.settleMs),
    burst: formatDuration(o.burstMaxMs),
    'max-throttled': o.maxThrottled,
    tolerance: o.tolerance,
    ...(o.stream === undefined ? { shards: o.shards, limits: true } : {}),
    devices: o.devices,
    'batch-size': o.batchSize,
    concurrency: o.concurrency,
    generator: o.generator,
    'anomaly-rate': o.anomalyRate,
    seed: o.seed,
  };
}

export async function findLimit(options: FindLimitOptions, io: CommandIo, hooks: RunHooks = {}): Promise<FindLimitOutcome> {
  const log = (line: string): void => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const { runId, ctx, plugin, avgRecordBytes, keys } = await setUpGenerator(options);
  // The embedded stream is only worth searching with the service's write limits on.
  const embedded = options.stream === undefined;
  const target = await openTarget(
    { ...options, sink: { kind: 'kinesis' }, limits: embedded ? { writes: true, reads: false } : NO_LIMITS },
    log,
    hooks.wrapClient,
    hooks.clock,
  );
  const startedAt = new Date();
  const cpuStart = process.cpuUsage();
  let interrupted = false;
  let current: Engine | undefined;
  const onSigint = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('\n[loadgen] Ctrl-C: finishing the current step and stopping the search (Ctrl-C again to quit now)');
    current?.stop();
  };
  if (io.handleSignals) process.on('SIGINT', onSigint);
  try {
    const openShards = target.shards!.length;
    const nominal = streamCapacity(openShards, 1, avgRecordBytes);
    // The built-in generator's devices are spread evenly over the shards, as `run` spreads them: the search then
    // measures the stream, not how MD5 happened to place 1,000 device ids.
    const keyPlan = planKeys(plugin, options.devices, target.shards!, keys);
    const startRate = Math.round(options.startRate ?? Math.max(1, nominal / 2));
    const maxRate = Math.round(options.maxRate ?? 2 * nominal);
    const search = new ThrottleSearch({ startRate, maxRate, growth: options.growth, resolution: options.resolution, maxSteps: MAX_STEPS });
    const quietIo = { ...io, handleSignals: false };
    const probe = new StepProbe({
      sink: target.sink,
      shards: target.shards!,
      nextRecord: recordSource(plugin.create(ctx), options.generator),
      random: mulberry32(options.seed ^ JITTER_SEED_SALT),
      clock: hooks.clock,
      drive: (engine) => {
        current = engine;
        hooks.onEngine?.(engine);
        const running = driveEngine(engine, quietIo, { quiet: true, terminal: terminalCaps(io.stderr) });
        if (interrupted) engine.stop();
        return running;
      },
      engine: {
        batchSize: options.batchSize,
        concurrency: options.concurrency,
        spreadKeys: keyPlan.spread,
        drainTimeoutMs: DRAIN_TIMEOUT_MS,
        unreachableAfterMs: options.unreachableAfterMs,
        ...hooks.engine,
      },
    });
    log(
      `find-limit: nominal ${int(nominal)} records/s (${openShards} open shards x 1,000 records/s, 1 MiB/s at ${Math.round(avgRecordBytes)} B/record); ` +
        `steps of ${formatDuration(options.stepDurationMs)} after ${formatDuration(options.settleMs)} at the step's rate` +
        (options.burstMaxMs > 0 ? `, each after a burst (at most ${formatDuration(options.burstMaxMs)}) that uses up the shards' burst allowance` : '') +
        `; from ${int(startRate)}/s x${options.growth} until a step is not sustained, then halving to ${options.resolution * 100}%`,
    );
    log(`find-limit: keys: ${keyPlan.report.why}`);

    const steps: FindLimitStep[] = [];
    let stop: ProbeStop | undefined;
    const retried = new Set<number>();
    for (let next = search.next(); next && !interrupted; next = search.next()) {
      const startedAtSeconds = Math.round((Date.now() - startedAt.getTime()) / 100) / 10;
      const outcome = await probe.probe(next.rate, { settleMs: options.settleMs, measureMs: options.stepDurationMs, burstMaxMs: options.burstMaxMs });
      if ('stop' in outcome) {
        stop = outcome.stop;
        break;
      }
      const step: FindLimitStep = { step: steps.length + 1, phase: next.phase, startedAtSeconds, ...outcome.step, ...judgeStep(outcome.step, options) };
      steps.push(step);
      log(formatStep(step));
      if (step.burst && !step.burst.saturated) {
        log(`  (the ${step.burst.durationSeconds} s burst at ${int(step.burst.achievedRate)}/s did not make every shard throttle: loadgen may not send fast enough to find this stream's limit)`);
      }
      // Falling short is loadgen's doing, and a busy moment of this machine can cause it: such a step gets one more try.
      if (step.limitedBy === 'producer' && !retried.has(next.rate)) {
        retried.add(next.rate);
        log(`  (loadgen fell short of ${int(next.rate)}/s without the stream throttling: trying the step once more)`);
        continue;
      }
      search.record(next.rate, step.sustained);
    }
    const report = buildFindLimitReport(
      {
        startedAt,
        runId,
        seed: options.seed,
        generator: plugin.name,
        target: target.description,
        durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
        recordsSent: probe.recordsSent,
        settings: findLimitSettings(options, startRate, maxRate),
        client: { cpuSeconds: cpuSecondsSince(cpuStart), maxRssMB: peakRssMB() },
      },
      {
        steps,
        end: search.end,
        stopped: interrupted ? 'interrupted' : stop === undefined ? undefined : stop.reason === 'interrupted' || stop.reason === 'unreachable' ? stop.reason : 'failed',
        concurrency: options.concurrency,
        nominal: { openShards, recordsPerSecond: nominal, avgRecordBytes: Math.round(avgRecordBytes) },
      },
    );
    writeReports(options, report);
    if (!options.quiet) io.stdout.write(`${formatFindLimitSummary(report)}\n`);
    if (stop?.result.error) throw asGeneratorUsageError(stop.result.error, options.generator);
    if (stop?.result.unreachable) {
      const { code, forMs } = stop.result.unreachable;
      throw new RunError(`${target.endpointLabel} unreachable for ${(forMs / 1000).toFixed(1)} s (${code}): search stopped after ${steps.length} steps`);
    }
    return { exitCode: report.exitCode, report };
  } finally {
    if (io.handleSignals) process.off('SIGINT', onSigint);
    await target.close();
  }
}
