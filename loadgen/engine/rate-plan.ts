/** Turns a requested rate (fixed, auto, max or stages) into a Schedule, and explains `auto`. */
import { SHARD_WRITE_BYTES_PER_SECOND, SHARD_WRITE_RECORDS_PER_SECOND } from '../kinesis/limits';
import { formatDuration } from '../shared/duration';
import { int, pct, shortShardId } from '../shared/format';
import { summarizeLayout, type KeyLayout } from './key-layout';
import { constantRate, rampingRate, unpaced, type Schedule, type Stage } from './schedule';

export type RateSpec =
  | { readonly kind: 'fixed'; readonly perSecond: number }
  /** What the hottest shard takes at the utilization (1,000 records/s and 1 MiB/s per shard): open shards x 1,000 x utilization when balanced. */
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
  readonly concurrency: number | 'auto';
  readonly shardLimit: number | null;
}

export interface RatePlan {
  readonly schedule: Schedule;
  readonly mode: 'fixed' | 'auto' | 'max' | 'stages';
  /** Records/s (a ramp's average); null for max. */
  readonly targetRate: number | null;
  readonly explanation: string;
}


/** Records/s `openShards` take at `utilization` of their limits (1,000 records/s, or 1 MiB/s if that binds first). */
export function streamCapacity(openShards: number, utilization: number, avgRecordBytes: number): number {
  const perShard = Math.min(SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND / Math.max(1, avgRecordBytes));
  return Math.max(1, Math.floor(perShard * openShards * utilization));
}

/**
 * `auto`: the highest rate at which the hottest shard stays at `utilization` of its limits (1,000 records/s and
 * 1 MiB/s at the measured record size, whichever binds first). With keys spread evenly that is open shards x
 * 1,000 records/s x utilization; with skewed keys, what the hottest shard's share allows.
 */
export function autoRate(layout: KeyLayout, utilization: number, avgRecordBytes: number): { rate: number; explanation: string } {
  const openShards = layout.shares.length;
  const bytes = Math.max(1, avgRecordBytes);
  const bytesBind = SHARD_WRITE_BYTES_PER_SECOND / bytes < SHARD_WRITE_RECORDS_PER_SECOND;
  const perShard = Math.min(SHARD_WRITE_RECORDS_PER_SECOND, SHARD_WRITE_BYTES_PER_SECOND / bytes) * utilization;
  const limitText = bytesBind ? `1 MiB/s / ${Math.round(bytes)} B/record` : '1,000 records/s';
  const layoutSummary = summarizeLayout(layout);
  if (layoutSummary.balanced) {
    const rate = streamCapacity(openShards, utilization, bytes);
    const other = bytesBind
      ? ` (bytes bind before 1,000 records/s per shard = ${int(openShards * SHARD_WRITE_RECORDS_PER_SECOND * utilization)}/s)`
      : `; 1 MiB/s per shard at ${Math.round(bytes)} B/record would allow ${int((openShards * SHARD_WRITE_BYTES_PER_SECOND * utilization) / bytes)}/s`;
    return { rate, explanation: `auto: ${openShards} open shards x ${limitText} x ${utilization} utilization = ${int(rate)}/s${other}` };
  }
  const { maxShare, evenShare, idleShards, hotShards } = layoutSummary;
  const rate = Math.max(1, Math.floor(perShard / maxShare));
  const hottest = hotShards.filter((s) => s.share >= maxShare * (1 - 1e-9)).map((s) => shortShardId(s.shardId));
  const idle = idleShards > 0 ? `keys reach ${openShards - idleShards} of ${openShards} open shards, so ${idleShards} will idle; ` : '';
  const shardsWorth = 1 / maxShare;
  const worth = Math.abs(shardsWorth - Math.round(shardsWorth)) < 0.05 ? String(Math.round(shardsWorth)) : shardsWorth.toFixed(1);
  return {
    rate,
    explanation:
      `auto: ${idle}the hottest shard${hottest.length > 1 ? 's' : ''} (${hottest.slice(0, 3).join(', ')}${hottest.length > 3 ? ', ...' : ''}) ` +
      `${hottest.length > 1 ? 'each take' : 'takes'} ${pct(maxShare)} of records (even share ${pct(evenShare)}): ` +
      `${limitText} x ${utilization} utilization / ${pct(maxShare)} = ${int(rate)}/s, what ${worth} shards can take`,
  };
}

/** `layout` is null for sinks without shards, where `auto` has nothing to be computed from. */
export function planRate(request: RateRequest, layout: KeyLayout | null, avgRecordBytes: number): RatePlan {
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
      const concurrency = request.concurrency === 'auto' ? 'concurrency growing while latency holds' : `concurrency ${request.concurrency}`;
      const explanation = `max: as fast as the endpoint allows, ${concurrency}, ${limit}`;
      return { schedule: unpaced(durationMs, records), mode: 'max', targetRate: null, explanation };
    }
    case 'auto': {
      if (layout === null) throw new Error('rate auto needs a stream with shards');
      const { rate: perSecond, explanation } = autoRate(layout, request.utilization, avgRecordBytes);
      return { schedule: constantRate(perSecond, durationMs, records), mode: 'auto', targetRate: perSecond, explanation };
    }
  }
}
