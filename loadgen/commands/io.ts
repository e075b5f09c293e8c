/** Where a command writes, so tests can capture it. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WriteStream;
  /** Install a SIGINT handler (off in tests that drive stop() themselves). */
  readonly handleSignals: boolean;
}

export { EXIT_FAILED, EXIT_OK, EXIT_THRESHOLDS, EXIT_USAGE } from '../shared/exit-codes';
