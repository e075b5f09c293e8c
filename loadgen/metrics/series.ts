/** The per-second series: what happened in each second of the run, for charts and for finding a throttle point. */

export interface SeriesPoint {
  readonly second: number;
  readonly sent: number;
  readonly acked: number;
  readonly throttled: number;
  readonly dropped: number;
  readonly failed: number;
}

type Counts = { -readonly [K in keyof Omit<SeriesPoint, 'second'>]: number };

const empty = (): Counts => ({ sent: 0, acked: 0, throttled: 0, dropped: 0, failed: 0 });

export class Series {
  private readonly seconds: Counts[] = [];

  constructor(private readonly startMs: number) {}

  add(nowMs: number, field: keyof Counts, count: number): void {
    if (count === 0) return;
    const index = Math.max(0, Math.floor((nowMs - this.startMs) / 1000));
    while (this.seconds.length <= index) this.seconds.push(empty());
    this.seconds[index][field] += count;
  }

  /** The last complete second before `nowMs` (for progress lines). */
  lastComplete(nowMs: number): SeriesPoint {
    const second = Math.floor((nowMs - this.startMs) / 1000) - 1;
    return { second, ...(this.seconds[second] ?? empty()) };
  }

  points(): SeriesPoint[] {
    return this.seconds.map((counts, second) => ({ second, ...counts }));
  }

  /** Seconds `from` up to (not including) `to`, zeros where nothing happened; `to` Infinity: up to the last recorded one. */
  range(from: number, to: number): SeriesPoint[] {
    const end = Number.isFinite(to) ? to : this.seconds.length;
    const points: SeriesPoint[] = [];
    for (let second = Math.max(0, from); second < end; second++) points.push({ second, ...(this.seconds[second] ?? empty()) });
    return points;
  }
}
