/**
 * Live progress on stderr: an updating bar on an interactive terminal (cli-progress), otherwise (a pipe, a CI
 * log, TERM=dumb) a plain line every few seconds. Silent with --quiet. Shared by the run and the read-back.
 */
import { SingleBar } from 'cli-progress';

/** One look at a long task. */
export interface ProgressView {
  readonly elapsedMs: number;
  /** 0..1 done; undefined when unknown (an unbounded run). */
  readonly fraction: number | undefined;
  readonly status: string;
}

export interface Progress {
  update(view: ProgressView): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;
const BAR_STEPS = 1000;

export function createProgress(out: NodeJS.WriteStream, quiet: boolean, live: boolean, label: string): Progress {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!live) {
    let lastPrint = 0;
    return {
      update(view) {
        if (view.elapsedMs - lastPrint < PLAIN_INTERVAL_MS) return;
        lastPrint = view.elapsedMs;
        out.write(`[loadgen] ${label}${view.status}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({ stream: out, format: `${label}{bar} {percentage}% | {status}`, barsize: 20, hideCursor: true, clearOnComplete: true });
  let started = false;
  return {
    update(view) {
      const value = view.fraction === undefined ? 0 : Math.round(Math.min(1, view.fraction) * BAR_STEPS);
      if (!started) {
        bar.start(BAR_STEPS, value, { status: view.status });
        started = true;
      } else {
        bar.update(value, { status: view.status });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
