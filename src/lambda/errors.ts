/**
 * The ways an invocation can fail to happen, as typed errors. Resolvers return or throw them and
 * the schema exposes each as a member of `InvokeFunctionResult` (Pothos errors plugin). A function
 * that ran and failed is not one of these: it is an `Invocation` with `functionError` set.
 */

/** Base of every invocation outcome that is not an `Invocation`. */
export abstract class InvocationError extends Error {}

/** Every concrete way an invocation can fail to happen. */
export type InvocationFailure =
  | FunctionNotFoundError
  | ThrottledError
  | InvalidInvocationError
  | PayloadTooLargeError
  | InvocationTimeoutError
  | LambdaServiceError
  | IdempotencyConflictError;

export function isInvocationFailure(error: unknown): error is InvocationFailure {
  return error instanceof InvocationError;
}

/** Lambda has no such function, version or alias (`ResourceNotFoundException`). */
export class FunctionNotFoundError extends InvocationError {
  override readonly name = 'FunctionNotFoundError';
  readonly functionName: string;
  readonly qualifier: string | undefined;

  constructor(message: string, functionName: string, qualifier: string | undefined) {
    super(message);
    this.functionName = functionName;
    this.qualifier = qualifier;
  }
}

/** Lambda refused for lack of concurrency (`TooManyRequestsException`). */
export class ThrottledError extends InvocationError {
  override readonly name = 'ThrottledError';
  /** Lambda's `ThrottleReason`, e.g. `ReservedFunctionConcurrentInvocationLimitExceeded`. */
  readonly reason: string | undefined;
  /** From `Retry-After`, when Lambda sends it. */
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, reason: string | undefined, retryAfterSeconds: number | undefined) {
    super(message);
    this.reason = reason;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Which part of the input an `InvalidInvocationError` is about. */
export type InvocationInputField = 'functionName' | 'qualifier' | 'payload' | 'clientContext';

/**
 * The request is malformed: refused by the gateway before calling Lambda, or by Lambda itself
 * (`ValidationException`, `InvalidParameterValueException`, `InvalidRequestContentException`).
 */
export class InvalidInvocationError extends InvocationError {
  override readonly name = 'InvalidInvocationError';
  /** The AWS error name, or `GATEWAY_VALIDATION` when the gateway refused it itself. */
  readonly code: string;
  readonly field: InvocationInputField | undefined;

  constructor(message: string, code: string, field: InvocationInputField | undefined) {
    super(message);
    this.code = code;
    this.field = field;
  }
}

export type SizeLimitedPart = 'payload' | 'clientContext';

/** A payload or client context over Lambda's limit; says which limit and by how much. */
export class PayloadTooLargeError extends InvocationError {
  override readonly name = 'PayloadTooLargeError';
  readonly part: SizeLimitedPart;
  readonly limitBytes: number;
  readonly sizeBytes: number;

  constructor(part: SizeLimitedPart, limitBytes: number, sizeBytes: number, limitName: string) {
    super(
      `${part === 'payload' ? 'Payload' : 'Client context'} is ${sizeBytes} bytes, over the ${limitName} limit of ` +
        `${limitBytes} bytes by ${sizeBytes - limitBytes} bytes`,
    );
    this.part = part;
    this.limitBytes = limitBytes;
    this.sizeBytes = sizeBytes;
  }

  get excessBytes(): number {
    return this.sizeBytes - this.limitBytes;
  }
}

/** The gateway's deadline for one invocation passed before Lambda answered. */
export class InvocationTimeoutError extends InvocationError {
  override readonly name = 'InvocationTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`Lambda did not answer within the gateway's invocation deadline of ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/** The idempotency key was used for a different request, or its first request is still running. */
export class IdempotencyConflictError extends InvocationError {
  override readonly name = 'IdempotencyConflictError';
  readonly idempotencyKey: string;
  readonly reason: 'different-request' | 'in-progress';

  constructor(idempotencyKey: string, reason: IdempotencyConflictError['reason']) {
    super(
      reason === 'different-request'
        ? `The idempotency key '${idempotencyKey}' was first used with a different request; use a new key for a new request`
        : `The first request with the idempotency key '${idempotencyKey}' is still running; retry when it has finished`,
    );
    this.idempotencyKey = idempotencyKey;
    this.reason = reason;
  }
}

/** Any other refusal or failure of the Lambda service, or of the connection to it. */
export class LambdaServiceError extends InvocationError {
  override readonly name = 'LambdaServiceError';
  /** The AWS error name (`ServiceException`, `KMSAccessDeniedException` …) or a network code. */
  readonly code: string;
  readonly httpStatus: number | undefined;
  readonly requestId: string | undefined;

  constructor(message: string, code: string, httpStatus: number | undefined, requestId: string | undefined) {
    super(message);
    this.code = code;
    this.httpStatus = httpStatus;
    this.requestId = requestId;
  }
}
