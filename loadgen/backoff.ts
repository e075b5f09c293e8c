/** Retry policy for failed PutRecords entries: exponential backoff with full jitter (AWS architecture blog). */

export const RETRY_BASE_MS = 100;
export const RETRY_CAP_MS = 5_000;

/** Delay before retry number `attempt` (1-based): uniform in [0, min(cap, base * 2^attempt)). */
export function fullJitterDelay(attempt: number, random: () => number = Math.random, baseMs = RETRY_BASE_MS, capMs = RETRY_CAP_MS): number {
  return random() * Math.min(capMs, baseMs * 2 ** attempt);
}

/** Error names a whole failed request can be retried after; anything else 4xx ends the run. */
const RETRYABLE_NAMES = new Set([
  'ProvisionedThroughputExceededException',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ThrottlingException',
  'LimitExceededException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

export function isRetryableRequestError(error: unknown): boolean {
  const e = error as { name?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  if (e?.name && RETRYABLE_NAMES.has(e.name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  // No HTTP status: the request never got an answer (connection reset, refused, timed out).
  return status === undefined || status >= 500 || status === 429;
}

export const THROTTLED_ERROR_CODE = 'ProvisionedThroughputExceededException';
