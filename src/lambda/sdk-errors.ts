/**
 * What the SDK's failures mean for an invocation, kept apart from the client so each rule is a
 * pure function with its own tests: the typed outcome of every Lambda exception (by error name,
 * never by message text), and which failures the SDK may retry.
 */
import { LambdaServiceException } from '@aws-sdk/client-lambda';
import { StandardRetryStrategy } from '@smithy/core/retry';
import type { RetryErrorInfo, RetryStrategyV2, RetryToken, StandardRetryToken } from '@smithy/types';
import { MAX_EVENT_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../protocol/limits.ts';
import { FunctionNotFoundError, InvalidInvocationError, LambdaServiceError, PayloadTooLargeError, ThrottledError } from './errors.ts';
import type { InvokeRequest } from './invoker.ts';

/**
 * Retrying an invocation that may have run would run it twice. Only two failures are certain not
 * to have run the function: a throttle (Lambda refused it) and a refused connection (the request
 * never left). Timeouts, resets and 5xx answers are not retried.
 */
export class SafeInvokeRetryStrategy implements RetryStrategyV2 {
  readonly #standard: StandardRetryStrategy;

  constructor(maxAttempts: number) {
    this.#standard = new StandardRetryStrategy(maxAttempts);
  }

  acquireInitialRetryToken(scope: string): Promise<RetryToken> {
    return this.#standard.acquireInitialRetryToken(scope);
  }

  refreshRetryTokenForRetry(token: StandardRetryToken, errorInfo: RetryErrorInfo): Promise<RetryToken> {
    if (!isSafeToRetry(errorInfo.error)) return Promise.reject(new Error('not safe to retry an invocation that may have run'));
    return this.#standard.refreshRetryTokenForRetry(token, errorInfo);
  }

  recordSuccess(token: StandardRetryToken): void {
    this.#standard.recordSuccess(token);
  }
}

/** Whether the SDK may send the call again: only when the function certainly did not run. */
export function isSafeToRetry(error: unknown): boolean {
  if (error instanceof LambdaServiceException) return error.name === 'TooManyRequestsException';
  return (error as { code?: unknown } | undefined)?.code === 'ECONNREFUSED';
}

/** Maps what the SDK raised to an invocation outcome, by error name (never by message text). */
export function toInvocationError(error: unknown, request: InvokeRequest): unknown {
  if (error instanceof LambdaServiceException) {
    switch (error.name) {
      case 'ValidationException':
      case 'InvalidParameterValueException':
      case 'InvalidRequestContentException':
      case 'UnsupportedMediaTypeException':
        return new InvalidInvocationError(error.message, error.name, undefined);
      case 'RequestEntityTooLargeException':
      case 'RequestTooLargeException':
      case 'SerializedRequestEntityTooLargeException': {
        const event = request.invocationType === 'Event';
        return new PayloadTooLargeError(
          'payload',
          event ? MAX_EVENT_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES,
          request.payload.byteLength,
          event ? 'Event payload' : 'synchronous payload',
        );
      }
      default:
        return toLambdaError(error, request.functionName, request.qualifier);
    }
  }
  return toLambdaError(error, request.functionName, request.qualifier);
}

/**
 * What any Lambda operation's failure means, by error name: the outcomes an invocation shares with
 * every other call (an unknown function, a throttle, a service or network failure). The catalog's
 * reads (ListFunctions, GetFunctionConfiguration …) are mapped by this alone.
 */
export function toLambdaError(error: unknown, functionName: string, qualifier: string | undefined): unknown {
  if (error instanceof LambdaServiceException) {
    switch (error.name) {
      case 'ResourceNotFoundException':
        return new FunctionNotFoundError(error.message, functionName, qualifier);
      case 'TooManyRequestsException': {
        const throttle = error as LambdaServiceException & { Reason?: string; retryAfterSeconds?: string };
        const retryAfter = Number(throttle.retryAfterSeconds);
        return new ThrottledError(error.message, throttle.Reason, Number.isFinite(retryAfter) ? retryAfter : undefined);
      }
      default:
        return new LambdaServiceError(error.message, error.name, error.$metadata.httpStatusCode, error.$metadata.requestId);
    }
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string') {
    // A network failure: the endpoint is down or the connection broke.
    return new LambdaServiceError(`Could not reach Lambda: ${(error as Error).message}`, code, undefined, undefined);
  }
  if (error instanceof Error && error.name === 'AbortError') {
    return new LambdaServiceError('The invocation was cancelled because the client went away', 'ClientClosedRequest', undefined, undefined);
  }
  return error;
}
