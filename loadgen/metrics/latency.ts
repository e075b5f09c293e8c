/**
 * Latency in HDR histograms (microseconds), so the tail is kept exactly enough: one for the whole run
 * (3 significant digits) and, for the per-second series, one per second reused from second to second.
 */
import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly mean: number;
}

/** One second's latency, for charts: fewer keys than the run's summary. */
export interface LatencyPoint {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
}

const HIGHEST_MICROSECONDS = 3_600_000_000;

function histogram(significantDigits: 2 | 3): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROSECONDS, numberOfSignificantValueDigits: significantDigits, useWebAssembly: false });
}

const toMicros = (microseconds: number): number => Math.min(HIGHEST_MICROSECONDS, Math.max(1, Math.round(microseconds)));

/** A percentile in milliseconds. HDR reports a bucket's upper equivalent value, which can exceed the true max: cap at it. */
const percentileMs = (h: hdr.Histogram, percentile: number): number => Math.round(Math.min(h.getValueAtPercentile(percentile), h.maxValue)) / 1000;

export class LatencyHistogram {
  private readonly histogram = histogram(3);

  record(microseconds: number): void {
    this.histogram.recordValue(toMicros(microseconds));
  }

  /** Percentiles in milliseconds. */
  summaryMs(): LatencySummary {
    const h = this.histogram;
    if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
    return {
      p50: percentileMs(h, 50),
      p90: percentileMs(h, 90),
      p99: percentileMs(h, 99),
      p999: percentileMs(h, 99.9),
      max: Math.round(h.maxValue) / 1000,
      mean: Math.round(h.mean) / 1000,
    };
  }

  p99Ms(): number {
    return this.histogram.totalCount === 0 ? 0 : percentileMs(this.histogram, 99);
  }
}

/**
 * Latency per second of the run. Values arrive in time order, so one histogram serves: when a value for a
 * later second arrives, the current second is summarized and the histogram reset. A value for an earlier
 * second (an answer accounted a moment late) counts in the current one. 2 significant digits suit a chart.
 */
export class LatencyPerSecond {
  private readonly current = histogram(2);
  private second = 0;
  private readonly done: (LatencyPoint | null)[] = [];

  record(second: number, microseconds: number): void {
    if (second > this.second) {
      this.done[this.second] = this.summary();
      this.current.reset();
      this.second = second;
    }
    this.current.recordValue(toMicros(microseconds));
  }

  /** The percentiles of one second (the current one so far), or null for a second without values. */
  at(second: number): LatencyPoint | null {
    return second === this.second ? this.summary() : (this.done[second] ?? null);
  }

  /** One entry per second up to `seconds`: the percentiles, or null for a second without values. */
  points(seconds: number): (LatencyPoint | null)[] {
    const points = Array.from({ length: seconds }, (_, i) => this.done[i] ?? null);
    if (this.second < seconds) points[this.second] = this.summary();
    return points;
  }

  private summary(): LatencyPoint | null {
    const h = this.current;
    if (h.totalCount === 0) return null;
    return { p50: percentileMs(h, 50), p90: percentileMs(h, 90), p99: percentileMs(h, 99), max: Math.round(h.maxValue) / 1000 };
  }
}
