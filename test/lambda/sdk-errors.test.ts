/**
 * What the SDK's failures become (src/lambda/sdk-errors.ts): each Lambda exception, by name, to its
 * typed outcome; and the retry rule that keeps an invocation from running twice.
 */
import { LambdaServiceException, ResourceNotFoundException, TooManyRequestsException } from '@aws-sdk/client-lambda';
import type { RetryErrorInfo, RetryErrorType, StandardRetryToken } from '@smithy/types';
import { describe, expect, it } from 'vitest';
import {
  FunctionNotFoundError,
  InvalidInvocationError,
  LambdaServiceError,
  PayloadTooLargeError,
  ThrottledError,
} from '../../src/lambda/errors.ts';
import type { InvokeRequest } from '../../src/lambda/invoker.ts';
import { isSafeToRetry, SafeInvokeRetryStrategy, toInvocationError, toLambdaError } from '../../src/lambda/sdk-errors.ts';
import { MAX_EVENT_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../../src/protocol/limits.ts';

function request(more: Partial<InvokeRequest> = {}): InvokeRequest {
  return {
    functionName: 'echo',
    qualifier: '1',
    target: { name: 'echo', qualifier: '1', region: undefined, account: undefined },
    invocationType: 'RequestResponse',
    logType: 'None',
    payload: new Uint8Array(10),
    clientContext: undefined,
    ...more,
  };
}

/** An exception as the SDK deserialises one it has no class for: only its name says what it is. */
function exception(name: string, httpStatusCode = 400): LambdaServiceException {
  return new LambdaServiceException({
    name,
    $fault: 'client',
    message: `${name} happened`,
    $metadata: { httpStatusCode, requestId: 'aws-request-1' },
  });
}

describe('toInvocationError', () => {
  it('maps ResourceNotFoundException to FunctionNotFoundError, naming the function as called', () => {
    const error = new ResourceNotFoundException({ message: 'Function not found: arn:…:echo:1', $metadata: { httpStatusCode: 404 } });
    const mapped = toInvocationError(error, request());
    expect(mapped).toBeInstanceOf(FunctionNotFoundError);
    expect(mapped).toMatchObject({ message: 'Function not found: arn:…:echo:1', functionName: 'echo', qualifier: '1' });
  });

  it('maps TooManyRequestsException to ThrottledError with its reason and Retry-After', () => {
    const error = new TooManyRequestsException({
      message: 'Rate Exceeded.',
      $metadata: { httpStatusCode: 429 },
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      retryAfterSeconds: '2',
    });
    const mapped = toInvocationError(error, request());
    expect(mapped).toBeInstanceOf(ThrottledError);
    expect(mapped).toMatchObject({ reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', retryAfterSeconds: 2 });
  });

  it('leaves retryAfterSeconds undefined when Lambda sends no Retry-After', () => {
    const mapped = toInvocationError(new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: {} }), request());
    expect(mapped).toMatchObject({ name: 'ThrottledError', retryAfterSeconds: undefined });
  });

  it.each(['ValidationException', 'InvalidParameterValueException', 'InvalidRequestContentException', 'UnsupportedMediaTypeException'])(
    'maps %s to InvalidInvocationError with the AWS name as its code',
    (name) => {
      const mapped = toInvocationError(exception(name), request());
      expect(mapped).toBeInstanceOf(InvalidInvocationError);
      expect(mapped).toMatchObject({ code: name, field: undefined, message: `${name} happened` });
    },
  );

  it.each(['RequestEntityTooLargeException', 'RequestTooLargeException', 'SerializedRequestEntityTooLargeException'])(
    'maps %s to PayloadTooLargeError with the limit of the invocation type',
    (name) => {
      const sync = toInvocationError(exception(name, 413), request({ payload: new Uint8Array(7_000_000) }));
      expect(sync).toBeInstanceOf(PayloadTooLargeError);
      expect(sync).toMatchObject({ part: 'payload', limitBytes: MAX_SYNC_REQUEST_BYTES, sizeBytes: 7_000_000 });
      const event = toInvocationError(exception(name, 413), request({ invocationType: 'Event', payload: new Uint8Array(2_000_000) }));
      expect(event).toMatchObject({ part: 'payload', limitBytes: MAX_EVENT_REQUEST_BYTES, sizeBytes: 2_000_000 });
    },
  );

  it('maps any other Lambda exception to LambdaServiceError with its name, status and request id', () => {
    const mapped = toInvocationError(exception('KMSAccessDeniedException', 502), request());
    expect(mapped).toBeInstanceOf(LambdaServiceError);
    expect(mapped).toMatchObject({
      code: 'KMSAccessDeniedException',
      httpStatus: 502,
      requestId: 'aws-request-1',
      message: 'KMSAccessDeniedException happened',
    });
  });

  it('maps a network failure to LambdaServiceError with the network code', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    expect(toInvocationError(refused, request())).toMatchObject({
      name: 'LambdaServiceError',
      code: 'ECONNREFUSED',
      httpStatus: undefined,
      message: 'Could not reach Lambda: connect ECONNREFUSED 127.0.0.1:9',
    });
  });

  it('maps an abort to ClientClosedRequest', () => {
    const abort = Object.assign(new Error('The operation was aborted'), { name: 'AbortError' });
    expect(toInvocationError(abort, request())).toMatchObject({ name: 'LambdaServiceError', code: 'ClientClosedRequest' });
  });

  it('passes anything else through unchanged: it is a bug, not an outcome', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(toInvocationError(bug, request())).toBe(bug);
  });
});

describe('toLambdaError (any operation: the catalog’s reads)', () => {
  it('maps what every operation shares, naming the function read, and leaves validation alone', () => {
    const missing = new ResourceNotFoundException({ message: 'Function not found: echo', $metadata: { httpStatusCode: 404 } });
    expect(toLambdaError(missing, 'echo', undefined)).toMatchObject({ name: 'FunctionNotFoundError', functionName: 'echo' });
    const throttled = new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: {}, retryAfterSeconds: '4' });
    expect(toLambdaError(throttled, '', undefined)).toMatchObject({ name: 'ThrottledError', retryAfterSeconds: 4 });
    // Not an invocation: a ValidationException of a read is Lambda's error like any other.
    expect(toLambdaError(exception('ValidationException'), 'echo', undefined)).toMatchObject({
      name: 'LambdaServiceError',
      code: 'ValidationException',
      httpStatus: 400,
    });
  });
});

describe('which failures are retried', () => {
  it('retries only a throttle and a refused connection: the function certainly did not run', () => {
    expect(isSafeToRetry(new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: {} }))).toBe(true);
    expect(isSafeToRetry(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(true);
  });

  it('never retries what may have run: timeouts, resets, 5xx answers, other refusals', () => {
    expect(isSafeToRetry(exception('ServiceException', 500))).toBe(false);
    expect(isSafeToRetry(exception('ResourceNotFoundException', 404))).toBe(false);
    expect(isSafeToRetry(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isSafeToRetry(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }))).toBe(false);
    expect(isSafeToRetry(new Error('anything'))).toBe(false);
    expect(isSafeToRetry(undefined)).toBe(false);
  });

  const refresh = async (strategy: SafeInvokeRetryStrategy, error: Error, errorType: RetryErrorType) => {
    const token = (await strategy.acquireInitialRetryToken('lambda')) as StandardRetryToken;
    // SdkError types `cause` as Error where lib.es2022 says unknown; the SDK's own errors are SdkErrors.
    return strategy.refreshRetryTokenForRetry(token, { error: error as RetryErrorInfo['error'], errorType });
  };

  it('lets the standard strategy retry a throttle, up to the attempts allowed', async () => {
    const strategy = new SafeInvokeRetryStrategy(3);
    const throttle = new TooManyRequestsException({ message: 'Rate Exceeded.', $metadata: {} });
    const token = await refresh(strategy, throttle, 'THROTTLING');
    expect(token.getRetryCount()).toBe(1);
    await expect(refresh(new SafeInvokeRetryStrategy(1), throttle, 'THROTTLING')).rejects.toThrow();
  });

  it('refuses to retry a 5xx answer, although the standard strategy would', async () => {
    await expect(refresh(new SafeInvokeRetryStrategy(3), exception('ServiceException', 500), 'SERVER_ERROR')).rejects.toThrow(
      'not safe to retry an invocation that may have run',
    );
  });
});
