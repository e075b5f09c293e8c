/**
 * Watches a run second by second: as each second completes, writes its line to the metrics stream and checks
 * the abortOnFail thresholds on a report of the ledger as it stands; the first that fails stops scheduling
 * (a drain, like Ctrl-C).
 */
import type { EngineProgress } from '../engine/engine';
import type { SeriesPoint } from '../metrics/ledger';
import type { MetricsStream } from '../report/metrics-stream';
import type { RunReport } from '../report/report';
import { check } from '../thresholds/evaluate';
import type { Threshold } from '../thresholds/expression';

/** Seconds of the run that are complete: a second is once it has passed and every record due in it was admitted or dropped. */
export function completeSeconds(progress: EngineProgress): number {
  return Math.floor(Math.min(progress.elapsedMs, progress.settledThroughMs) / 1000);
}

/** What the monitor needs of the engine. */
export interface MonitoredRun {
  progress(): EngineProgress;
  seconds(from: number, to: number): SeriesPoint[];
  stop(reason: 'aborted'): void;
}

export interface AbortedBy {
  readonly threshold: Threshold;
  readonly atSecond: number;
  readonly value: number | null;
}

export interface MonitorOptions {
  /** Wall-clock start of the run, for each line's time. */
  readonly startedAtMs: number;
  readonly stream?: MetricsStream;
  /** Thresholds with abortOnFail. */
  readonly abortThresholds: readonly Threshold[];
  /** A report of the run so far (built only when there are thresholds to check); null while none is ready yet. */
  readonly liveReport: () => RunReport | null;
  readonly log: (line: string) => void;
}

export class RunMonitor {
  /** The first second not written yet. */
  private nextSecond = 0;
  private abortedBy: AbortedBy | null = null;

  constructor(
    private readonly run: MonitoredRun,
    private readonly options: MonitorOptions,
  ) {}

  /** The threshold that stopped the run, if one did. */
  get aborted(): AbortedBy | null {
    return this.abortedBy;
  }

  /** Called often while the run goes; acts once per completed second. */
  tick(): void {
    const progress = this.run.progress();
    const complete = completeSeconds(progress);
    if (complete <= this.nextSecond) return;
    this.write(this.run.seconds(this.nextSecond, complete), progress);
    this.nextSecond = complete;
    this.checkAbort(progress);
  }

  /** After the run: the seconds not written yet, up to the last one anything happened in. */
  finish(): void {
    const rest = this.run.seconds(this.nextSecond, Infinity);
    this.write(rest, this.run.progress());
    this.nextSecond += rest.length;
  }

  private write(points: readonly SeriesPoint[], progress: EngineProgress): void {
    const stream = this.options.stream;
    if (!stream) return;
    for (const point of points) {
      stream.write({
        ...point,
        time: new Date(this.options.startedAtMs + point.second * 1000).toISOString(),
        inFlightRequests: progress.inFlightRequests,
        queuedRecords: progress.queued,
      });
    }
  }

  private checkAbort(progress: EngineProgress): void {
    if (this.abortedBy || progress.draining) return;
    const due = this.options.abortThresholds.filter((t) => progress.elapsedMs >= t.delayAbortEvalMs);
    if (due.length === 0) return;
    const report = this.options.liveReport();
    if (!report) return;
    for (const threshold of due) {
      const { value, ok } = check(threshold, report);
      if (ok) continue;
      this.abortedBy = { threshold, atSecond: this.nextSecond, value };
      this.options.log(
        `[loadgen] threshold ${threshold.expression} failed at ${this.nextSecond} s (value ${value ?? 'none'}): ` +
          'stopping (abortOnFail), draining in-flight records',
      );
      this.run.stop('aborted');
      return;
    }
  }
}
