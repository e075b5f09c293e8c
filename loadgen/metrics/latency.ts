/** Latency in an HDR histogram (microseconds, 3 significant digits), so the tail is kept exactly enough. */
import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    useWebAssembly: false,
  });

  record(microseconds: number): void {
    this.histogram.recordValue(Math.max(1, Math.round(microseconds)));
  }

  /** Percentiles in milliseconds. */
  summaryMs(): LatencySummary {
    const h = this.histogram;
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

  p99Ms(): number {
    return this.histogram.totalCount === 0 ? 0 : Math.round(Math.min(this.histogram.getValueAtPercentile(99), this.histogram.maxValue)) / 1000;
  }
}
