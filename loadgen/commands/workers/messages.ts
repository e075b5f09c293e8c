/** What a run's parent and its worker threads tell each other (structured-clone data only). */
import type { EarlyStop, EngineOptions, EngineProgress } from '../../engine/engine';
import type { PlainAckedRecords } from '../../metrics/acked-records';
import type { SeriesPoint } from '../../metrics/series';
import type { RunReport } from '../../report/report';
import type { Segment } from '../../segments/segment';
import type { RunOptions } from '../options';

/** A worker's start-up data: the run's options as the worker should run them, and its segment. */
export interface WorkerInput {
  readonly options: RunOptions;
  readonly segment: Segment;
  readonly engineTuning?: Partial<EngineOptions>;
  /** Send a report of the segment so far with each completed second (the parent checks abortOnFail thresholds on the merge). */
  readonly liveReports: boolean;
}

export type ToWorker =
  /** Start the schedule at this wall-clock time (every worker the same). */
  | { readonly type: 'start'; readonly startAtMs: number }
  | { readonly type: 'stop'; readonly reason: EarlyStop };

/** An error as plain data: its class name decides how the parent reports it. */
export interface PlainError {
  readonly name: string;
  readonly message: string;
}

export type FromWorker =
  /** Generator loaded, target open, rate planned: waiting for `start`. */
  | { readonly type: 'ready' }
  | {
      readonly type: 'progress';
      readonly progress: EngineProgress;
      /** Seconds completed since the last message, from `fromSecond` on. */
      readonly fromSecond: number;
      readonly seconds: readonly SeriesPoint[];
      readonly live?: RunReport;
    }
  | {
      readonly type: 'done';
      readonly report: RunReport;
      readonly acks: PlainAckedRecords | null;
      readonly error: PlainError | null;
      readonly unreachable: { readonly code: string; readonly forMs: number } | null;
    }
  /** The worker could not set up or run at all. */
  | { readonly type: 'failed'; readonly error: PlainError };

export function toPlainError(error: unknown): PlainError {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}
