/** One-line explanations of what went wrong talking to a stream, shared by every command. */
import { isNotFound, errorCode } from '../kinesis/request-errors';
import { RunError, UsageError, badOption, firstLine } from '../shared/errors';
import type { TargetOptions } from './options';

export function describeTarget(target: TargetOptions): string {
  return target.endpoint ? `${target.endpoint} (${target.region})` : `region ${target.region}`;
}

/** "No such stream" becomes a usage error naming --stream; anything else one run-error line. */
export function explainStreamError(error: unknown, target: TargetOptions, doing: string): Error {
  if (error instanceof UsageError || error instanceof RunError) return error;
  if (isNotFound(error)) return new UsageError(badOption('--stream', target.stream, `an existing stream at ${describeTarget(target)}`));
  return new RunError(`${doing} ${target.stream ?? 'the stream'} at ${describeTarget(target)} failed: ${errorCode(error)}: ${firstLine(error)}`);
}
