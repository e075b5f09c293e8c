/**
 * Live progress on stderr: an updating bar on a TTY (cli-progress), otherwise a plain line every few
 * seconds (for CI logs). Silent with --quiet.
 */
import { SingleBar } from 'cli-progress';
import type { EngineSnapshot } from './engine';

export interface Progress {
  update(snapshot: EngineSnapshot): void;
  stop(): void;
}

const PLAIN_INTERVAL_MS = 5_000;

function line(s: EngineSnapshot): string {
  return (
    `${(s.elapsedMs / 1000).toFixed(0)}s acked=${s.acked} rate=${s.lastSecondAcked}/s throttled=${s.throttled} ` +
    `retries=${s.retries} dropped=${s.dropped} failed=${s.failed} queued=${s.queued} p99=${s.p99Ms}ms${s.draining ? ' (draining)' : ''}`
  );
}

export function createProgress(out: NodeJS.WriteStream, quiet: boolean): Progress {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!out.isTTY) {
    let lastPrint = 0;
    return {
      update(s) {
        if (s.elapsedMs - lastPrint < PLAIN_INTERVAL_MS) return;
        lastPrint = s.elapsedMs;
        out.write(`[loadgen] ${line(s)}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new SingleBar(
    { stream: out, format: '{bar} {percentage}% | {status}', barsize: 20, hideCursor: true, clearOnComplete: true },
  );
  let started = false;
  return {
    update(s) {
      const total = Number.isFinite(s.durationMs) ? Math.max(1, Math.round(s.durationMs)) : 1;
      const value = Number.isFinite(s.durationMs) ? Math.min(total, Math.round(s.elapsedMs)) : 0;
      if (!started) {
        bar.start(total, value, { status: line(s) });
        started = true;
      } else {
        bar.update(value, { status: line(s) });
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
