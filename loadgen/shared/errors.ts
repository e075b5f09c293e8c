/** Bad input: the CLI prints the one-line message and exits 2, without a stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** The run could not be carried out (endpoint unreachable, stream deleted, ...): one line, exit 1. */
export class RunError extends Error {
  override readonly name = 'RunError';
}

/** Formats one bad option the same way everywhere: option, value received, what is allowed. */
export function badOption(option: string, value: unknown, allowed: string): string {
  return `invalid ${option} ${JSON.stringify(value)}: expected ${allowed}`;
}

/** The first line of anything thrown: messages from SDKs and servers can run over many lines. */
export function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message ?? '').split('\n')[0].trim();
}
