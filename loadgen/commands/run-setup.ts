/**
 * What a run (or one segment of it, in this process or a worker thread) sets up before the engine starts: the
 * generator (checked on a sample), the target, the whole run's rate plan and this segment's share of it, and the
 * engine itself, anchored at the run's start.
 */
// Named apart from the global `performance`, the clock engines use (which tests replace).
import { performance as nodePerformance, type EventLoopUtilization } from 'node:perf_hooks';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import { Engine, type EngineOptions } from '../engine/engine';
import { planRate, type RatePlan } from '../engine/rate-plan';
import { recordSource } from '../engine/record';
import type { Schedule } from '../engine/schedule';
import type { GeneratorContext, GeneratorPlugin } from '../generators/types';
import type { KinesisSender } from '../kinesis/shards';
import type { ReportContext, RunReport } from '../report/report';
import { segmentSchedule } from '../segments/segment-schedule';
import { WHOLE_RUN, formatSegment, type Segment } from '../segments/segment';
import { int } from '../shared/format';
import { mulberry32 } from '../shared/random';
import { JITTER_SEED_SALT, prepareGenerator } from './generator-setup';
import { planKeys, type KeyPlan } from './key-plan';
import type { RunOptions } from './options';
import { runSettings } from './run-settings';
import { openTarget, type RunTarget } from './run-target';

/** The generator context of a segment: its devices and numbers (segments/device-share.ts). */
export function generatorContext(options: RunOptions, segment: Segment): GeneratorContext {
  return {
    seed: options.seed,
    devices: options.devices,
    anomalyRate: options.anomalyRate,
    workerIndex: segment.index - 1,
    workerCount: segment.count,
    runId: options.runId,
  };
}

export interface PreparedSegment {
  readonly plugin: GeneratorPlugin;
  /** How the whole run's keys fall on the open shards, and whether devices are spread; null without shards. */
  readonly keyPlan: KeyPlan | null;
  readonly segment: Segment;
  /** This segment's generator context. */
  readonly ctx: GeneratorContext;
  readonly target: RunTarget;
  /** The whole run's rate (auto: the stream's capacity for the whole run). */
  readonly plan: RatePlan;
  /** This segment's share of the whole schedule. */
  readonly schedule: Schedule;
  /** This segment's share of the target rate; null for max. */
  readonly targetRate: number | null;
}

export async function prepareSegment(
  options: RunOptions,
  segment: Segment,
  log: (line: string) => void,
  wrapClient?: (client: KinesisClient) => KinesisSender,
  clock?: () => number,
): Promise<PreparedSegment> {
  // The whole run's records are sampled (the same in every segment, so they all plan the same keys and rate).
  const { plugin, avgRecordBytes, keys } = await prepareGenerator(options.generator, generatorContext(options, WHOLE_RUN));
  const target = await openTarget(options, log, wrapClient, clock);
  try {
    const keyPlan = target.shards ? planKeys(plugin, options.devices, target.shards, keys) : null;
    const plan = planRate(options, keyPlan?.layout ?? null, avgRecordBytes);
    const targetRate = plan.targetRate === null ? null : plan.targetRate / segment.count;
    return { plugin, keyPlan, segment, ctx: generatorContext(options, segment), target, plan, schedule: segmentSchedule(plan.schedule, segment), targetRate };
  } catch (error) {
    await target.close();
    throw error;
  }
}

/** `rate 3200/s: auto: ...`, and the share a segment runs. */
export function rateLine(plan: RatePlan, segment: Segment): string {
  const whole = `rate ${plan.targetRate === null ? 'max' : `${int(plan.targetRate)}/s`}: ${plan.explanation}`;
  if (segment.count === 1) return whole;
  const share = plan.targetRate === null ? 'its share of the records' : `${int(plan.targetRate / segment.count)}/s`;
  return `${whole}; segment ${formatSegment(segment)} runs 1/${segment.count} of it (${share})`;
}

/** The engine of a segment, its schedule starting at `startMs` on `clock` (default: the performance clock). */
export function segmentEngine(prepared: PreparedSegment, options: RunOptions, startMs: number, tuning: Partial<EngineOptions> = {}, clock?: () => number): Engine {
  return new Engine(
    {
      sink: prepared.target.sink,
      nextRecord: recordSource(prepared.plugin.create(prepared.ctx), options.generator),
      schedule: prepared.schedule,
      shards: prepared.target.shards,
      // Each segment its own jitter sequence, reproducible under the seed.
      random: mulberry32((options.seed ^ JITTER_SEED_SALT) + prepared.segment.index - 1),
      startMs,
      clock,
    },
    {
      batchSize: options.batchSize,
      concurrency: options.concurrency,
      spreadKeys: prepared.keyPlan?.spread ?? false,
      // This segment's k-th device is the run's device (index + k x count) mod devices (segments/device-share.ts),
      // so the segments together place the devices exactly as the whole run would.
      spreadOrder: { first: (prepared.segment.index - 1) % options.devices, step: prepared.segment.count },
      maxRetries: options.maxRetries,
      shardLimit: options.shardLimit,
      drainTimeoutMs: options.drainTimeoutMs,
      unreachableAfterMs: options.unreachableAfterMs,
      recordAcks: options.verify,
      ...tuning,
    },
  );
}

/** The report's context of a segment that started at `startedAt`. */
export function reportContextFor(
  prepared: PreparedSegment,
  options: RunOptions,
  startedAt: Date,
  client: RunReport['client'],
  unreachable: ReportContext['unreachable'],
): ReportContext {
  return {
    startedAt,
    target: prepared.target.description,
    generator: prepared.plugin.name,
    seed: options.seed,
    runId: options.runId,
    segment: prepared.segment,
    rateMode: prepared.plan.mode,
    targetRate: prepared.targetRate,
    rateExplanation: prepared.plan.explanation,
    keys: prepared.keyPlan?.report,
    client,
    settings: runSettings(options),
    unreachable,
  };
}

/** Where a wall-clock time falls on the clock the engine uses (performance.now unless a test gives another). */
export function engineTimeOf(wallClockMs: number, clock: () => number = () => performance.now()): number {
  return clock() + (wallClockMs - Date.now());
}

/** Resolves at wall-clock time `atMs` (at once when it has passed). */
export function waitUntil(atMs: number): Promise<void> {
  const ms = atMs - Date.now();
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** The process's peak resident memory so far, in MB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** The share of the time since `start` that this thread's event loop was busy, 0..1, to 2 decimals. */
function eventLoopBusySince(start: EventLoopUtilization): number {
  return Math.round(nodePerformance.eventLoopUtilization(start).utilization * 100) / 100;
}

/** From now on, what the run costs this thread's process: CPU seconds, peak memory, how busy its event loop was. */
export function clientCostFromNow(): () => RunReport['client'] {
  const cpuStart = process.cpuUsage();
  const loopStart = nodePerformance.eventLoopUtilization();
  return () => ({ cpuSeconds: cpuSecondsSince(cpuStart), maxRssMB: peakRssMB(), eventLoopBusy: eventLoopBusySince(loopStart) });
}

export function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return Math.round((used.user + used.system) / 1000) / 1000;
}
