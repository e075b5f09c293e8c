/**
 * Live progress on stderr: an updating bar on an interactive terminal (cli-progress), otherwise (a pipe, a CI
 * log, TERM=dumb) a plain line every few seconds. Silent with --quiet.
 */
import { SingleBar } from 'cli-progress';
import type { EngineProgress } from '../engine/engine';

export interface Progress {
  update(progress: EngineProgress): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

function line(p: EngineProgress): string {
  const c = p.counts;
  return (
    `${(p.elapsedMs / 1000).toFixed(0)}s acked=${c.acked} rate=${c.lastSecondAcked}/s throttled=${c.throttled} ` +
    `retries=${c.retries} dropped=${c.dropped} failed=${c.failed} queued=${p.queued} p99=${c.p99Ms}ms${p.draining ? ' (draining)' : ''}`
  );
}

export function createProgress(out: NodeJS.WriteStream, quiet: boolean, live: boolean): Progress {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!live) {
    let lastPrint = 0;
    return {
      update(p) {
        if (p.elapsedMs - lastPrint < PLAIN_INTERVAL_MS) return;
        lastPrint = p.elapsedMs;
        out.write(`[loadgen] ${line(p)}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar({ stream: out, format: '{bar} {percentage}% | {status}', barsize: 20, hideCursor: true, clearOnComplete: true });
  let started = false;
  return {
    update(p) {
      const total = Number.isFinite(p.durationMs) ? Math.max(1, Math.round(p.durationMs)) : 1;
      const value = Number.isFinite(p.durationMs) ? Math.min(total, Math.round(p.elapsedMs)) : 0;
      if (!started) {
        bar.start(total, value, { status: line(p) });
        started = true;
      } else {
        bar.update(value, { status: line(p) });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
