/** Turns --rate/--stages/--duration/--records into a Schedule, and explains `--rate auto`. */
import { formatDuration } from './duration';
import { UsageError, badOption } from './errors';
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from './limits';
import type { RunOptions } from './options';
import { constantRate, rampingRate, unthrottled, type Schedule } from './scheduler';

export interface RatePlan {
  readonly schedule: Schedule;
  readonly mode: 'fixed' | 'auto' | 'max' | 'stages';
  /** Records/s (a ramp's average); null for max. */
  readonly targetRate: number | null;
  readonly explanation: string;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');

/** `auto`: open shards x 1,000 records/s x utilization, lowered if 1 MiB/s per shard binds first. */
export function autoRate(openShards: number, utilization: number, avgRecordBytes: number): { rate: number; explanation: string } {
  const byRecords = openShards * SHARD_WRITE_RECORDS_PER_SECOND * utilization;
  const byBytes = (openShards * SHARD_WRITE_BYTES_PER_SECOND * utilization) / Math.max(1, avgRecordBytes);
  const rate = Math.max(1, Math.floor(Math.min(byRecords, byBytes)));
  const explanation =
    byRecords <= byBytes
      ? `auto: ${openShards} open shards x 1,000 records/s x ${utilization} utilization = ${int(byRecords)}/s; ` +
        `1 MiB/s per shard at ${Math.round(avgRecordBytes)} B/record would allow ${int(byBytes)}/s`
      : `auto: ${openShards} open shards x 1 MiB/s x ${utilization} utilization / ${Math.round(avgRecordBytes)} B/record = ${int(byBytes)}/s ` +
        `(bytes bind before 1,000 records/s per shard = ${int(byRecords)}/s)`;
  return { rate, explanation };
}

export function planRate(options: RunOptions, openShards: number | null, avgRecordBytes: number): RatePlan {
  const durationMs = options.durationMs ?? Infinity;
  const records = options.records ?? Infinity;
  if (options.stages) {
    const schedule = rampingRate(options.stages, records);
    const seconds = schedule.durationMs / 1000;
    const stages = options.stages.map((s) => `${formatDuration(s.durationMs)} to ${s.target}/s`).join(', ');
    return { schedule, mode: 'stages', targetRate: seconds > 0 ? schedule.totalRecords / seconds : 0, explanation: `stages from 0/s: ${stages}` };
  }
  const rate = options.rate;
  switch (rate.kind) {
    case 'fixed':
      return { schedule: constantRate(rate.perSecond, durationMs, records), mode: 'fixed', targetRate: rate.perSecond, explanation: 'fixed' };
    case 'max': {
      const limit = options.shardLimit === null ? 'no per-shard limit' : `per-shard limit x ${options.shardLimit}`;
      return { schedule: unthrottled(durationMs, records), mode: 'max', targetRate: null, explanation: `max: as fast as the endpoint allows, concurrency ${options.concurrency}, ${limit}` };
    }
    case 'auto': {
      if (openShards === null) {
        throw new UsageError(badOption('--rate', 'auto', `a number or max with --sink ${options.sink.kind} (auto is computed from a stream's shards)`));
      }
      const { rate: perSecond, explanation } = autoRate(openShards, options.utilization, avgRecordBytes);
      return { schedule: constantRate(perSecond, durationMs, records), mode: 'auto', targetRate: perSecond, explanation };
    }
  }
}
