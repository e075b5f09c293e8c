import { LatencyPerSecond, addEncoded, summaryOfEncoded } from '../../../loadgen/metrics/latency';
import { mulberry32 } from '../../../loadgen/shared/random';

describe('latency histograms across reports', () => {
  it('adds encoded histograms exactly: the sum\'s percentiles are those of one histogram of every value', () => {
    const random = mulberry32(99);
    const all = new LatencyPerSecond();
    const parts = [new LatencyPerSecond(), new LatencyPerSecond(), new LatencyPerSecond()];
    let maxUs = 0;
    for (let i = 0; i < 30_000; i++) {
      // A long tail: mostly 2-20 ms, now and then up to 2 s; a second's worth of values at a time.
      const us = Math.round(random() < 0.99 ? 2000 + random() * 18_000 : 20_000 + random() * 2_000_000);
      const second = Math.floor(i / 1000);
      maxUs = Math.max(maxUs, us);
      all.record(second, us);
      parts[i % 3].record(second, us);
    }
    const encoded = parts.map((p) => p.encode());
    const sum = summaryOfEncoded(encoded, maxUs);
    expect(sum.count).toBe(30_000);
    const { count: _count, ...percentiles } = sum;
    expect(percentiles).toEqual(all.summaryMs());
    // Added as encoded text, then read: the same.
    const { count: _again, ...fromAdded } = summaryOfEncoded([addEncoded(encoded)], maxUs);
    expect(fromAdded).toEqual(all.summaryMs());
    // Without the exact largest value the encoding knows only its bucket's.
    expect(summaryOfEncoded(encoded).max).toBeGreaterThanOrEqual(all.summaryMs().max);
  });

  it('refuses text that is not an encoded histogram', () => {
    expect(() => summaryOfEncoded(['not a histogram'])).toThrow();
  });
});
