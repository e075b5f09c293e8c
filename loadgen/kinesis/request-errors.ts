/**
 * What a failed AWS request means for the caller. The SDK has already retried whole-request errors with
 * its own strategy when one reaches us; we retry again only what can succeed later (throttling, server
 * errors, connections and timeouts) and stop on everything else: a 4xx such as AccessDenied, a deleted
 * stream, or a programming error, whose message the user must see.
 */

export type RequestErrorKind =
  /** The service said slow down. */
  | 'throttled'
  /** A 5xx or an internal failure: the service answered, and may succeed next time. */
  | 'server'
  /** No answer: refused, reset, unreachable, timed out. */
  | 'connection'
  /** Anything else: retrying cannot help. */
  | 'fatal';

export interface ClassifiedError {
  readonly kind: RequestErrorKind;
  /** The most specific code there is: `ECONNREFUSED`, `ProvisionedThroughputExceededException`, `HTTP 503`. */
  readonly code: string;
  readonly retryable: boolean;
}

/** What the service answers for a throttled PutRecords entry, PutRecord, GetRecords or GetShardIterator. */
export const THROTTLED_ERROR_CODE = 'ProvisionedThroughputExceededException';

const THROTTLED = new Set([
  THROTTLED_ERROR_CODE,
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
]);

const SERVER = new Set(['InternalFailure', 'InternalFailureException', 'ServiceUnavailable', 'ServiceUnavailableException', 'InternalServerError']);

/** Node and SDK codes of a request that got no answer. */
const CONNECTION = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EADDRNOTAVAIL',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * A connection code in the message: the SDK's retry layer re-wraps an error it does not recognise as an
 * Error (one from another realm, as under a test runner's VM) into a new Error whose message alone keeps it.
 */
const CODE_IN_MESSAGE = /\b(ECONN[A-Z]+|EPIPE|ETIMEDOUT|EHOST[A-Z]+|ENET[A-Z]+|ENOTFOUND|EAI_AGAIN|EADDRNOTAVAIL)\b/;

/** The error's code: a Node system error code first, then the SDK's exception name, then the HTTP status. */
export function errorCode(error: unknown): string {
  const e = (error ?? {}) as ErrorLike;
  if (typeof e.code === 'string' && e.code) return e.code;
  // Node's happy-eyeballs connect raises an AggregateError whose parts carry the code.
  const first = Array.isArray(e.errors) ? (e.errors[0] as ErrorLike | undefined) : undefined;
  if (typeof first?.code === 'string' && first.code) return first.code;
  if (typeof e.name === 'string' && e.name && e.name !== 'Error') return e.name;
  const inMessage = typeof e.message === 'string' ? CODE_IN_MESSAGE.exec(e.message) : null;
  if (inMessage) return inMessage[1];
  const status = e.$metadata?.httpStatusCode;
  return status !== undefined ? `HTTP ${status}` : 'UnknownError';
}

export function classifyRequestError(error: unknown): ClassifiedError {
  const code = errorCode(error);
  const e = (error ?? {}) as ErrorLike;
  const name = typeof e.name === 'string' ? e.name : '';
  const status = e.$metadata?.httpStatusCode;
  if (THROTTLED.has(name) || THROTTLED.has(code) || status === 429) return { kind: 'throttled', code, retryable: true };
  if (SERVER.has(name) || (status !== undefined && status >= 500)) return { kind: 'server', code, retryable: true };
  if (CONNECTION.has(code) || CONNECTION.has(name)) return { kind: 'connection', code, retryable: true };
  return { kind: 'fatal', code, retryable: false };
}

/** ResourceNotFoundException: the stream (or shard) does not exist at that endpoint. */
export function isNotFound(error: unknown): boolean {
  return (error as ErrorLike | undefined)?.name === 'ResourceNotFoundException';
}
