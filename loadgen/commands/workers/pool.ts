/**
 * The parent's side of `run --workers`: starts one worker thread per segment, starts their schedules together at
 * one wall-clock time, and presents them as one run: progress summed for one progress line, per-second points
 * summed for the metrics stream, a live merged report for abortOnFail thresholds, stop() to every worker, and at
 * the end every worker's report and acknowledged records. Workers load this project's TypeScript through tsx, as
 * bin/loadgen.js does.
 */
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { EarlyStop, EngineProgress } from '../../engine/engine';
import type { LiveCounts } from '../../metrics/ledger';
import type { SeriesPoint } from '../../metrics/series';
import { emptySecond, mergeSeries } from '../../merge/lists';
import { mergeReports } from '../../merge/merge';
import type { RunReport } from '../../report/report';
import type { Segment } from '../../segments/segment';
import type { FromWorker, ToWorker, WorkerInput } from './messages';

/** A worker's end: its report and acknowledged records, or why it could not run. */
export type WorkerEnd = Extract<FromWorker, { type: 'done' }> | Extract<FromWorker, { type: 'failed' }>;

export interface PoolResult {
  readonly ends: readonly WorkerEnd[];
}

/** The code each worker thread starts with: tsx's require hook, then the worker's TypeScript. */
const BOOTSTRAP = `require(${JSON.stringify(require.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'worker-main.ts'))});`;

interface WorkerState {
  readonly worker: Worker;
  ready: boolean;
  progress: EngineProgress | null;
  /** Completed seconds, in order from 0. */
  readonly seconds: SeriesPoint[];
  live: RunReport | null;
  end: WorkerEnd | null;
}

const ZERO_COUNTS: LiveCounts = { scheduled: 0, acked: 0, failed: 0, dropped: 0, throttled: 0, retries: 0, unsent: 0, lastSecondAcked: 0, p99Ms: 0, recordP99Ms: 0 };
/** Live counts that cannot be added: the worst worker's (the progress line's p99s). */
const WORST_OF: readonly (keyof LiveCounts)[] = ['p99Ms', 'recordP99Ms'];

export class WorkerPool {
  private readonly states: WorkerState[];
  private readonly whole: Segment;
  private settle: ((result: PoolResult) => void) | undefined;
  private readonly done: Promise<PoolResult>;
  /** Told whenever a worker becomes ready or ends, while ready() waits. */
  private onChange: (() => void) | undefined;

  constructor(inputs: readonly WorkerInput[], whole: Segment) {
    this.whole = whole;
    this.done = new Promise((resolve) => (this.settle = resolve));
    this.states = inputs.map((input) => {
      const worker = new Worker(BOOTSTRAP, { eval: true, workerData: input });
      const state: WorkerState = { worker, ready: false, progress: null, seconds: [], live: null, end: null };
      worker.on('message', (message: FromWorker) => this.onMessage(state, message));
      worker.on('error', (error) => this.onEnd(state, { type: 'failed', error: { name: error.name, message: error.message } }));
      worker.on('exit', (code) => {
        if (!state.end) this.onEnd(state, { type: 'failed', error: { name: 'Error', message: `worker thread exited with code ${code}` } });
      });
      return state;
    });
  }

  /** Resolves when every worker is ready to start; the first that cannot start ends them all with its error. */
  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.onChange = () => {
        const failed = this.states.find((s) => s.end?.type === 'failed');
        if (failed) {
          this.onChange = undefined;
          void this.terminate();
          reject((failed.end as Extract<WorkerEnd, { type: 'failed' }>).error);
        } else if (this.states.every((s) => s.ready)) {
          this.onChange = undefined;
          resolve();
        }
      };
      this.onChange();
    });
  }

  /** Every worker starts its schedule at `startAtMs` (wall clock). */
  start(startAtMs: number): void {
    this.post({ type: 'start', startAtMs });
  }

  run(): Promise<PoolResult> {
    return this.done;
  }

  stop(reason: EarlyStop): void {
    this.post({ type: 'stop', reason });
  }

  /** The workers as one run: counts summed; time, the slowest worker's (its seconds are the last to complete). */
  progress(): EngineProgress {
    const all = this.states.map((s) => s.progress).filter((p): p is EngineProgress => p !== null);
    if (all.length === 0) {
      return { elapsedMs: 0, durationMs: Infinity, counts: ZERO_COUNTS, queued: 0, inFlightRequests: 0, settledThroughMs: 0, concurrency: 0, draining: false };
    }
    const counts = { ...ZERO_COUNTS };
    for (const p of all) {
      for (const key of Object.keys(counts) as (keyof LiveCounts)[]) {
        counts[key] = WORST_OF.includes(key) ? Math.max(counts[key], p.counts[key]) : counts[key] + p.counts[key];
      }
    }
    return {
      elapsedMs: all.length < this.states.length ? 0 : Math.min(...all.map((p) => p.elapsedMs)),
      durationMs: all[0].durationMs,
      counts,
      queued: all.reduce((n, p) => n + p.queued, 0),
      inFlightRequests: all.reduce((n, p) => n + p.inFlightRequests, 0),
      settledThroughMs: all.length < this.states.length ? 0 : Math.min(...all.map((p) => p.settledThroughMs)),
      // Each worker's controller sizes its own limit: the process has their sum in flight at most.
      concurrency: all.reduce((n, p) => n + p.concurrency, 0),
      draining: all.every((p) => p.draining),
    };
  }

  /** Seconds `from` up to `to` (Infinity: the last any worker had), merged over the workers as `merge` merges series. */
  seconds(from: number, to: number): SeriesPoint[] {
    const end = Number.isFinite(to) ? to : Math.max(0, ...this.states.map((s) => s.seconds.length));
    const start = Math.max(0, from);
    if (end <= start) return [];
    // The workers started together: their seconds are the same seconds.
    const inRange = this.states.map((s) => s.seconds.slice(start, end).filter(Boolean));
    const merged = mergeSeries(inRange, inRange.map(() => 0));
    const points: SeriesPoint[] = [];
    for (let second = start; second < end; second++) points.push(merged[second] ?? emptySecond(second));
    return points;
  }

  /** The workers' live reports merged (what abortOnFail thresholds are checked on). */
  liveReport(): RunReport | null {
    const live = this.states.map((s, i) => (s.live ? { name: `worker ${i + 1}`, report: s.live } : null));
    if (live.some((p) => p === null)) return null;
    return mergeReports(live as { name: string; report: RunReport }[], { whole: this.whole });
  }

  private post(message: ToWorker): void {
    for (const { worker, end } of this.states) if (!end) worker.postMessage(message);
  }

  private onMessage(state: WorkerState, message: FromWorker): void {
    switch (message.type) {
      case 'ready':
        state.ready = true;
        this.onChange?.();
        return;
      case 'progress':
        state.progress = message.progress;
        message.seconds.forEach((point, i) => (state.seconds[message.fromSecond + i] = point));
        if (message.live) state.live = message.live;
        return;
      case 'done':
        // The report's series is the whole of it, quiet seconds at the end included.
        message.report.series.forEach((point) => (state.seconds[point.second] = point));
        return this.onEnd(state, message);
      case 'failed':
        return this.onEnd(state, message);
    }
  }

  private onEnd(state: WorkerState, end: WorkerEnd): void {
    if (state.end) return;
    state.end = end;
    void state.worker.terminate();
    this.onChange?.();
    // A worker that failed ends the run, as an error ends a run in one process: the others stop and drain.
    if (end.type === 'failed' || end.error) this.post({ type: 'stop', reason: 'interrupted' });
    if (this.states.every((s) => s.end)) this.settle?.({ ends: this.states.map((s) => s.end!) });
  }

  /** Ends every worker thread at once (a failed start). */
  async terminate(): Promise<void> {
    await Promise.all(this.states.map((s) => s.worker.terminate()));
  }
}
