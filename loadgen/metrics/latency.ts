/** Latency in HDR histograms (microseconds, 3 significant digits), so the tail is kept exactly enough. */
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

function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROSECONDS, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

const toMicros = (microseconds: number): number => Math.min(HIGHEST_MICROSECONDS, Math.max(1, Math.round(microseconds)));

/** A percentile in milliseconds. HDR reports a bucket's upper equivalent value, which can exceed the true max: cap at it. */
const percentileMs = (h: hdr.Histogram, percentile: number): number => Math.round(Math.min(h.getValueAtPercentile(percentile), h.maxValue)) / 1000;

/**
 * Latency over the run and per second, from one value recorded once: values arrive in time order, so one
 * histogram holds the current second; when a value for a later second arrives, the second is summarized for the
 * series and added to the run's histogram, then reset. A value for an earlier second (an answer accounted a
 * moment late) counts in the current one. Recording each value once keeps the per-record cost of the record
 * latency at one histogram update.
 */
export class LatencyPerSecond {
  private readonly total = histogram();
  private readonly current = histogram();
  private second = 0;
  private readonly done: (LatencyPoint | null)[] = [];

  /** `count` values of `microseconds` in `second`. */
  record(second: number, microseconds: number, count = 1): void {
    if (second > this.second) {
      this.done[this.second] = this.secondSummary();
      this.total.add(this.current);
      this.current.reset();
      this.second = second;
    }
    if (count === 1) this.current.recordValue(toMicros(microseconds));
    else this.current.recordValueWithCount(toMicros(microseconds), count);
  }

  /** The percentiles of one second (the current one so far), or null for a second without values. */
  at(second: number): LatencyPoint | null {
    return second === this.second ? this.secondSummary() : (this.done[second] ?? null);
  }

  /** One entry per second up to `seconds`: the percentiles, or null for a second without values. */
  points(seconds: number): (LatencyPoint | null)[] {
    const points = Array.from({ length: seconds }, (_, i) => this.done[i] ?? null);
    if (this.second < seconds) points[this.second] = this.secondSummary();
    return points;
  }

  /** The whole run's percentiles in milliseconds, the current second included. */
  summaryMs(): LatencySummary {
    return this.withCurrent(() => {
      const h = this.total;
      if (h.totalCount === 0) return { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
      return {
        p50: percentileMs(h, 50),
        p90: percentileMs(h, 90),
        p99: percentileMs(h, 99),
        p999: percentileMs(h, 99.9),
        max: Math.round(h.maxValue) / 1000,
        mean: Math.round(h.mean) / 1000,
      };
    });
  }

  p99Ms(): number {
    return this.withCurrent(() => (this.total.totalCount === 0 ? 0 : percentileMs(this.total, 99)));
  }

  /** Reads the run's histogram with the current second added in for the moment. */
  private withCurrent<T>(read: () => T): T {
    if (this.current.totalCount === 0) return read();
    this.total.add(this.current);
    try {
      return read();
    } finally {
      this.total.subtract(this.current);
    }
  }

  private secondSummary(): LatencyPoint | null {
    const h = this.current;
    if (h.totalCount === 0) return null;
    return { p50: percentileMs(h, 50), p90: percentileMs(h, 90), p99: percentileMs(h, 99), max: Math.round(h.maxValue) / 1000 };
  }
}
