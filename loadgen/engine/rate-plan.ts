/** Turns a requested rate (fixed, auto, max or stages) into a Schedule, and explains `auto`. */
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../kinesis/limits';
import { formatDuration } from '../shared/duration';
import { int } from '../shared/format';
import { constantRate, rampingRate, unpaced, type Schedule, type Stage } from './schedule';

export type RateSpec =
  | { readonly kind: 'fixed'; readonly perSecond: number }
  /** Open shards x 1,000 records/s x utilization, also bounded by 1 MiB/s per shard. */
  | { readonly kind: 'auto' }
  /** As fast as the endpoint, the concurrency and the per-shard limit allow. */
  | { readonly kind: 'max' };

export interface RateRequest {
  readonly rate: RateSpec;
  /** When set, replaces `rate` and `durationMs`. */
  readonly stages?: readonly Stage[];
  /** Undefined: only `records` bounds the run. */
  readonly durationMs?: number;
  readonly records?: number;
  /** Share of the stream's write capacity `auto` aims for. */
  readonly utilization: number;
  /** For the explanation of `max`. */
  readonly concurrency: number;
  readonly shardLimit: number | null;
}

export interface RatePlan {
  readonly schedule: Schedule;
  readonly mode: 'fixed' | 'auto' | 'max' | 'stages';
  /** Records/s (a ramp's average); null for max. */
  readonly targetRate: number | null;
  readonly explanation: string;
}

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

/** `openShards` is null for sinks without shards, where `auto` has nothing to be computed from. */
export function planRate(request: RateRequest, openShards: number | null, avgRecordBytes: number): RatePlan {
  const durationMs = request.durationMs ?? Infinity;
  const records = request.records ?? Infinity;
  if (request.stages) {
    const schedule = rampingRate(request.stages, records);
    const seconds = schedule.durationMs / 1000;
    const stages = request.stages.map((s) => `${formatDuration(s.durationMs)} to ${s.target}/s`).join(', ');
    return { schedule, mode: 'stages', targetRate: seconds > 0 ? schedule.totalRecords / seconds : 0, explanation: `stages from 0/s: ${stages}` };
  }
  const rate = request.rate;
  switch (rate.kind) {
    case 'fixed':
      return { schedule: constantRate(rate.perSecond, durationMs, records), mode: 'fixed', targetRate: rate.perSecond, explanation: 'fixed' };
    case 'max': {
      const limit = request.shardLimit === null ? 'no per-shard limit' : `per-shard limit x ${request.shardLimit}`;
      const explanation = `max: as fast as the endpoint allows, concurrency ${request.concurrency}, ${limit}`;
      return { schedule: unpaced(durationMs, records), mode: 'max', targetRate: null, explanation };
    }
    case 'auto': {
      if (openShards === null) throw new Error('rate auto needs a stream with shards');
      const { rate: perSecond, explanation } = autoRate(openShards, request.utilization, avgRecordBytes);
      return { schedule: constantRate(perSecond, durationMs, records), mode: 'auto', targetRate: perSecond, explanation };
    }
  }
}
