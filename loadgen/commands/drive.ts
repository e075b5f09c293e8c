/** Runs the engine (or a process's workers) with live progress, and turns Ctrl-C into a drain (a second Ctrl-C quits at once). */
import type { EarlyStop, EngineProgress } from '../engine/engine';
import type { TerminalCaps } from '../shared/terminal';
import type { CommandIo } from './io';
import { createProgress, type ProgressView } from './progress';

/** How often progress and the run's other watchers look at the engine. */
const TICK_MS = 200;

export interface DriveOptions {
  readonly quiet: boolean;
  /** What stderr may show (a live bar or plain lines). */
  readonly terminal: TerminalCaps;
  /** Called on every tick while the engine runs (the per-second monitor). */
  readonly onTick?: () => void;
  /** Put before each progress line (`2 workers: `). */
  readonly label?: string;
}

/** What can be driven: the engine, or the workers of a process together. */
export interface Drivable<R> {
  run(): Promise<R>;
  stop(reason: EarlyStop): void;
  progress(): EngineProgress;
}

function view(p: EngineProgress): ProgressView {
  const c = p.counts;
  return {
    elapsedMs: p.elapsedMs,
    fraction: Number.isFinite(p.durationMs) ? p.elapsedMs / Math.max(1, p.durationMs) : undefined,
    status:
      `${(p.elapsedMs / 1000).toFixed(0)}s acked=${c.acked} rate=${c.lastSecondAcked}/s throttled=${c.throttled} ` +
      `retries=${c.retries} dropped=${c.dropped} failed=${c.failed} queued=${p.queued} in-flight=${p.inFlightRequests}/${p.concurrency} ` +
      `p99=${c.p99Ms}ms rec-p99=${c.recordP99Ms}ms${p.draining ? ' (draining)' : ''}`,
  };
}

export async function driveEngine<R>(engine: Drivable<R>, io: CommandIo, options: DriveOptions): Promise<R> {
  const { quiet } = options;
  const progress = createProgress(io.stderr, quiet, options.terminal.liveProgress, options.label ?? '');
  const timer = setInterval(() => {
    options.onTick?.();
    progress.update(view(engine.progress()));
  }, TICK_MS);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      if (!quiet) io.stderr.write('\n[loadgen] Ctrl-C: stopping, draining in-flight records (Ctrl-C again to quit now)\n');
      engine.stop('interrupted');
    } else {
      process.exit(130);
    }
  };
  if (io.handleSignals) process.on('SIGINT', onSigint);
  if (!quiet) io.stderr.write('[loadgen] running: Ctrl-C stops scheduling and drains in-flight records\n');
  try {
    return await engine.run();
  } finally {
    clearInterval(timer);
    progress.stop();
    if (io.handleSignals) process.off('SIGINT', onSigint);
  }
}
