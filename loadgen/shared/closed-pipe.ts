/**
 * A write failed because the reader went away (`loadgen ... | head`): like other Unix tools, the writer then
 * stops quietly instead of crashing with an EPIPE stack trace.
 */
const CLOSED_CODES = new Set(['EPIPE', 'ERR_STREAM_DESTROYED', 'ERR_STREAM_WRITE_AFTER_END']);

export function isClosedPipe(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && CLOSED_CODES.has(code);
}
