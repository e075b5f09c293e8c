/**
 * Run metrics: counters, an HDR histogram of PutRecords latency (microseconds, 3 significant digits, so
 * the tail is kept), a per-second series and per-shard totals. Updated once per batch, not per record,
 * except for the per-shard tally.
 */
import * as hdr from 'hdr-histogram-js';

export interface SeriesPoint {
  readonly second: number;
  readonly sent: number;
  readonly acked: number;
  readonly throttled: number;
  readonly dropped: number;
  readonly failed: number;
}

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export interface ShardTally {
  readonly shardId: string;
  readonly records: number;
  readonly bytes: number;
}

interface SecondBucket {
  sent: number;
  acked: number;
  throttled: number;
  dropped: number;
  failed: number;
}

const emptyBucket = (): SecondBucket => ({ sent: 0, acked: 0, throttled: 0, dropped: 0, failed: 0 });

export class Metrics {
  recordsGenerated = 0;
  recordsSent = 0;
  recordsAcked = 0;
  recordsFailed = 0;
  bytesAcked = 0;
  retries = 0;
  throttled = 0;
  requests = 0;
  requestErrors = 0;
  /** Acked records whose ShardId differed from our prediction (triggers a shard-map refresh). */
  routingMismatches = 0;
  private readonly latency = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });
  private readonly seconds: SecondBucket[] = [];
  private readonly shardRecords = new Map<string, { records: number; bytes: number }>();

  constructor(private readonly startMs: number) {}

  private bucket(nowMs: number): SecondBucket {
    const index = Math.max(0, Math.floor((nowMs - this.startMs) / 1000));
    while (this.seconds.length <= index) this.seconds.push(emptyBucket());
    return this.seconds[index];
  }

  onGenerated(count: number): void {
    this.recordsGenerated += count;
  }

  onDropped(count: number, nowMs: number): void {
    if (count > 0) this.bucket(nowMs).dropped += count;
  }

  onSent(count: number, nowMs: number): void {
    this.recordsSent += count;
    this.requests++;
    this.bucket(nowMs).sent += count;
  }

  onLatency(microseconds: number): void {
    this.latency.recordValue(Math.max(1, Math.round(microseconds)));
  }

  /** A batch's outcome: acked/throttled/retried/failed counts for the second it completed in. */
  onOutcome(acked: number, ackedBytes: number, throttled: number, retried: number, failed: number, nowMs: number): void {
    const b = this.bucket(nowMs);
    this.recordsAcked += acked;
    this.bytesAcked += ackedBytes;
    this.throttled += throttled;
    this.retries += retried;
    this.recordsFailed += failed;
    b.acked += acked;
    b.throttled += throttled;
    b.failed += failed;
  }

  onShardAck(shardId: string, bytes: number): void {
    let tally = this.shardRecords.get(shardId);
    if (!tally) this.shardRecords.set(shardId, (tally = { records: 0, bytes: 0 }));
    tally.records++;
    tally.bytes += bytes;
  }

  latencyMs(): LatencySummary {
    const h = this.latency;
    // HDR reports a bucket's upper equivalent value, which can exceed the true max: cap at it.
    const ms = (us: number): number => Math.round(Math.min(us, h.maxValue)) / 1000;
    if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      p50: ms(h.getValueAtPercentile(50)),
      p90: ms(h.getValueAtPercentile(90)),
      p99: ms(h.getValueAtPercentile(99)),
      p999: ms(h.getValueAtPercentile(99.9)),
      max: ms(h.maxValue),
      mean: ms(h.mean),
    };
  }

  series(): SeriesPoint[] {
    return this.seconds.map((b, second) => ({ second, ...b }));
  }

  /** Acked records in the last complete second (for progress lines). */
  lastSecond(nowMs: number): SecondBucket {
    const index = Math.floor((nowMs - this.startMs) / 1000) - 1;
    return this.seconds[index] ?? emptyBucket();
  }

  shards(knownShardIds: readonly string[] = []): ShardTally[] {
    const ids = new Set([...knownShardIds, ...this.shardRecords.keys()]);
    return [...ids].sort().map((shardId) => ({ shardId, ...(this.shardRecords.get(shardId) ?? { records: 0, bytes: 0 }) }));
  }
}
