/** The run's effective settings as option name -> value, for the report (and the HTML report's settings table). */
import { formatDuration } from '../shared/duration';
import type { RunOptions } from './options';

export type RunSettings = Readonly<Record<string, string | number | boolean | null>>;

function rateText(options: RunOptions): string {
  if (options.stages) return options.stages.map((s) => `${formatDuration(s.durationMs)}:${s.target}`).join(',');
  return options.rate.kind === 'fixed' ? String(options.rate.perSecond) : options.rate.kind;
}

/** Keys are the long option names, so a run can be repeated from its report. */
export function runSettings(options: RunOptions): RunSettings {
  const embedded = options.stream === undefined && options.sink.kind === 'kinesis';
  return {
    ...(options.stages ? { stages: rateText(options) } : { rate: rateText(options) }),
    ...(options.rate.kind === 'auto' && !options.stages ? { utilization: options.utilization } : {}),
    duration: options.durationMs === undefined ? null : formatDuration(options.durationMs),
    records: options.records ?? null,
    ...(embedded ? { shards: options.shards, limits: options.limits.writes, 'read-limits': options.limits.reads } : {}),
    devices: options.devices,
    'batch-size': options.batchSize,
    concurrency: options.concurrency,
    'shard-limit': options.shardLimit === null ? 'off' : options.shardLimit,
    'max-retries': options.maxRetries,
    generator: options.generator,
    'anomaly-rate': options.anomalyRate,
    seed: options.seed,
    sink: options.sink.kind === 'file' ? `file:${options.sink.path}` : options.sink.kind,
    'drain-timeout': formatDuration(options.drainTimeoutMs),
    'unreachable-after': formatDuration(options.unreachableAfterMs),
    verify: options.verify,
    ...(options.verify ? { 'read-share': options.readShare } : {}),
    ...(options.watchConsumer
      ? {
          'watch-consumer': true,
          'watch-interval': formatDuration(options.watchIntervalMs),
          'watch-grace': formatDuration(options.watchGraceMs),
          'max-iterator-age': formatDuration(options.maxIteratorAgeMs),
        }
      : {}),
  };
}
