/**
 * Latency in HDR histograms (microseconds, 3 significant digits), so the tail is kept exactly enough. A report
 * carries the histograms themselves (compressed, base64), so the reports of a run's segments merge exactly: their
 * histograms are added and the percentiles read from the sum, never averaged.
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

function histogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: HIGHEST_MICROSECONDS, numberOfSignificantValueDigits: 3, useWebAssembly: false });
}

const toMicros = (microseconds: number): number => Math.min(HIGHEST_MICROSECONDS, Math.max(1, Math.round(microseconds)));

/**
 * A percentile in milliseconds. HDR reports a bucket's upper equivalent value, which can exceed the true max: cap at
 * it (`maxUs`: the exact largest value when the histogram knows only its bucket, as one decoded from a report).
 */
const percentileMs = (h: hdr.Histogram, percentile: number, maxUs = h.maxValue): number => Math.round(Math.min(h.getValueAtPercentile(percentile), maxUs)) / 1000;

const EMPTY_SUMMARY: LatencySummary = { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };

function summarize(h: hdr.Histogram, maxUs = h.maxValue): LatencySummary {
  if (h.totalCount === 0) return EMPTY_SUMMARY;
  return {
    p50: percentileMs(h, 50, maxUs),
    p90: percentileMs(h, 90, maxUs),
    p99: percentileMs(h, 99, maxUs),
    p999: percentileMs(h, 99.9, maxUs),
    max: Math.round(maxUs) / 1000,
    mean: Math.round(h.mean) / 1000,
  };
}

/** The sum of histograms encoded by `encode()`. Throws on text that is not one. */
function decodeSum(encoded: readonly string[]): hdr.Histogram {
  const sum = histogram();
  for (const text of encoded) sum.add(hdr.decodeFromCompressedBase64(text, 32, false));
  return sum;
}

/**
 * The percentiles of the sum of encoded histograms. With the exact largest value of them all (each report has it as
 * `max`), they are the percentiles of one histogram of every value; the encoding alone keeps only its bucket.
 */
export function summaryOfEncoded(encoded: readonly string[], exactMaxUs?: number): LatencySummary & { readonly count: number } {
  const sum = decodeSum(encoded);
  return { ...summarize(sum, exactMaxUs ?? sum.maxValue), count: sum.totalCount };
}

/** The encoded sum of encoded histograms. */
export function addEncoded(encoded: readonly string[]): string {
  return hdr.encodeIntoCompressedBase64(decodeSum(encoded));
}

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
    return this.withCurrent(() => summarize(this.total));
  }

  /** The whole run's histogram, the current second included, compressed and base64-encoded (HdrHistogram's format). */
  encode(): string {
    return this.withCurrent(() => hdr.encodeIntoCompressedBase64(this.total));
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
