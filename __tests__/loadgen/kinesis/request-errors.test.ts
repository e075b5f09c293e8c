import { classifyRequestError, errorCode } from '../../../loadgen/kinesis/request-errors';
import { RunError } from '../../../loadgen/shared/errors';

const sdkError = (name: string, status?: number): Error =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: status === undefined ? { attempts: 3 } : { httpStatusCode: status } });
const systemError = (code: string): Error => Object.assign(new Error(`connect ${code} 127.0.0.1:4567`), { code, $metadata: { attempts: 3 } });

describe('request errors: retry only what can succeed later', () => {
  it.each([
    [sdkError('ProvisionedThroughputExceededException', 400), 'throttled', 'ProvisionedThroughputExceededException'],
    [sdkError('KMSThrottlingException', 400), 'throttled', 'KMSThrottlingException'],
    [sdkError('SomethingNew', 429), 'throttled', 'SomethingNew'],
    [sdkError('InternalFailure', 500), 'server', 'InternalFailure'],
    [sdkError('Unknown', 503), 'server', 'Unknown'],
    [systemError('ECONNREFUSED'), 'connection', 'ECONNREFUSED'],
    [systemError('ECONNRESET'), 'connection', 'ECONNRESET'],
    [systemError('ETIMEDOUT'), 'connection', 'ETIMEDOUT'],
    [sdkError('TimeoutError'), 'connection', 'TimeoutError'],
    // Node's happy-eyeballs connect to localhost: an AggregateError whose parts carry the code.
    [Object.assign(new AggregateError([systemError('ECONNREFUSED'), systemError('ECONNREFUSED')]), { $metadata: {} }), 'connection', 'ECONNREFUSED'],
    // What the SDK's retry layer makes of an error from another realm: only the message keeps the code.
    [new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:4567'), 'connection', 'ECONNREFUSED'],
  ])('%s is %s (%s), retried', (error, kind, code) => {
    expect(classifyRequestError(error)).toEqual({ kind, code, retryable: true });
  });

  it.each([
    [sdkError('AccessDeniedException', 400), 'AccessDeniedException'],
    [sdkError('ResourceNotFoundException', 400), 'ResourceNotFoundException'],
    [sdkError('ValidationException', 400), 'ValidationException'],
    // Programming errors and the tool's own errors have no HTTP status: they are not network failures.
    [new TypeError("Cannot read properties of undefined (reading 'x')"), 'TypeError'],
    [new RunError('the engine gave up'), 'RunError'],
    [new Error('plain'), 'UnknownError'],
  ])('%s is fatal with code %s: never retried', (error, code) => {
    expect(classifyRequestError(error)).toEqual({ kind: 'fatal', code, retryable: false });
  });

  it('names the real code, never the generic Error', () => {
    expect(errorCode(systemError('EPIPE'))).toBe('EPIPE');
    expect(errorCode(sdkError('Error', 502))).toBe('HTTP 502');
  });
});
