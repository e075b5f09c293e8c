/**
 * A worker thread of `run --workers`: runs one segment of the process's share (set up, wait for the common start,
 * drive the engine) and tells the parent how it goes: progress and completed seconds several times a second, a
 * live report each second when thresholds need one, and at the end its report and the records it acknowledged.
 * It writes nothing itself: the parent owns the terminal, the report and the verification.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EarlyStop, Engine } from '../../engine/engine';
import { buildReport } from '../../report/report';
import { EXIT_OK } from '../io';
import { completeSeconds } from '../run-monitor';
import { clientCostFromNow, engineTimeOf, prepareSegment, reportContextFor, segmentEngine, waitUntil } from '../run-setup';
import { toPlainError, type FromWorker, type ToWorker, type WorkerInput } from './messages';

const PROGRESS_MS = 200;
const port = parentPort!;
const input = workerData as WorkerInput;
const post = (message: FromWorker): void => port.postMessage(message);

function nextStart(): Promise<number> {
  return new Promise((resolve) => {
    const onMessage = (message: ToWorker): void => {
      if (message.type !== 'start') return;
      port.off('message', onMessage);
      resolve(message.startAtMs);
    };
    port.on('message', onMessage);
  });
}

async function main(): Promise<FromWorker> {
  const { options, segment } = input;
  const prepared = await prepareSegment(options, segment, () => {});
  try {
    const starting = nextStart();
    // A stop that arrives before the engine exists (Ctrl-C at the start) is kept for it.
    let stopped: EarlyStop | undefined;
    let engine: Engine | undefined;
    port.on('message', (message: ToWorker) => {
      if (message.type !== 'stop') return;
      stopped ??= message.reason;
      engine?.stop(message.reason);
    });
    post({ type: 'ready' });
    const startAtMs = await starting;
    await waitUntil(startAtMs);
    const startedAt = new Date(startAtMs);
    const running = segmentEngine(prepared, options, engineTimeOf(startAtMs), input.engineTuning);
    const clientCost = clientCostFromNow();
    let sentSeconds = 0;
    const timer = setInterval(() => {
      const progress = running.progress();
      const complete = completeSeconds(progress);
      const fromSecond = sentSeconds;
      const seconds = complete > sentSeconds ? running.seconds(sentSeconds, complete) : [];
      const live =
        input.liveReports && complete > sentSeconds
          ? buildReport(reportContextFor(prepared, options, startedAt, clientCost(), null), running.snapshot(), undefined, EXIT_OK)
          : undefined;
      sentSeconds = Math.max(sentSeconds, complete);
      post({ type: 'progress', progress, fromSecond, seconds, ...(live ? { live } : {}) });
    }, PROGRESS_MS);
    const finished = running.run();
    // Stops reach the engine once it runs (a stop before run() would end it before anyone awaits it).
    engine = running;
    if (stopped) running.stop(stopped);
    const result = await finished;
    clearInterval(timer);
    const report = buildReport(reportContextFor(prepared, options, startedAt, clientCost(), result.unreachable), result.snapshot, undefined, EXIT_OK);
    return {
      type: 'done',
      report,
      acks: result.acks ? result.acks.toPlain() : null,
      error: result.error ? toPlainError(result.error) : null,
      unreachable: result.unreachable,
    };
  } finally {
    await prepared.target.close();
  }
}

// The last message once the worker's sockets are closed; the parent ends the thread when it arrives.
main().then(post, (error: unknown) => post({ type: 'failed', error: toPlainError(error) }));
