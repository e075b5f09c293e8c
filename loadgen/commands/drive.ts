/** Runs the engine with live progress, and turns Ctrl-C into a drain (a second Ctrl-C quits at once). */
import type { Engine, EngineResult } from '../engine/engine';
import type { CommandIo } from './io';
import { createProgress } from './progress';

export async function driveEngine(engine: Engine, io: CommandIo, quiet: boolean): Promise<EngineResult> {
  const progress = createProgress(io.stderr, quiet);
  const timer = setInterval(() => progress.update(engine.progress()), io.stderr.isTTY ? 250 : 1000);
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      if (!quiet) io.stderr.write('\n[loadgen] Ctrl-C: stopping, draining in-flight records (Ctrl-C again to quit now)\n');
      engine.stop();
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
