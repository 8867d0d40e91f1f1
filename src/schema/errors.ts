/**
 * The `Error` interface and one type per way an invocation can fail to happen. Clients can always
 * select `... on Error { message }` and refine by type.
 */
import { builder } from '../builder.ts';
import {
  FunctionNotFoundError,
  InvalidInvocationError,
  IdempotencyConflictError,
  InvocationTimeoutError,
  LambdaServiceError,
  PayloadTooLargeError,
  ThrottledError,
} from '../lambda/errors.ts';

export const ErrorInterface = builder.interfaceRef<Error>('Error').implement({
  description: 'Implemented by every way an invocation can fail to happen.',
  fields: (t) => ({
    message: t.exposeString('message', { description: 'What went wrong, for people.' }),
  }),
});

export const InvocationInputFieldEnum = builder.enumType('InvocationInputField', {
  description: 'The part of `InvokeFunctionInput` an error is about.',
  values: {
    FUNCTION_NAME: { value: 'functionName' },
    QUALIFIER: { value: 'qualifier' },
    PAYLOAD: { value: 'payload' },
    CLIENT_CONTEXT: { value: 'clientContext' },
  } as const,
});

export const SizeLimitedPartEnum = builder.enumType('SizeLimitedPart', {
  description: 'A part of the request that Lambda limits in size.',
  values: {
    PAYLOAD: { value: 'payload', description: '6,291,456 bytes synchronous, 1,048,576 bytes EVENT.' },
    CLIENT_CONTEXT: { value: 'clientContext', description: '3,583 bytes once base64-encoded.' },
  } as const,
});

builder.objectType(FunctionNotFoundError, {
  name: 'FunctionNotFoundError',
  description: 'Lambda has no such function, version or alias (ResourceNotFoundException).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    functionName: t.exposeString('functionName'),
    qualifier: t.exposeString('qualifier', { nullable: true }),
  }),
});

builder.objectType(ThrottledError, {
  name: 'ThrottledError',
  description: 'Lambda refused the invocation for lack of concurrency (TooManyRequestsException). Retrying later may succeed.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    reason: t.exposeString('reason', {
      nullable: true,
      description: 'Lambda’s ThrottleReason, e.g. ReservedFunctionConcurrentInvocationLimitExceeded.',
    }),
    retryAfterSeconds: t.exposeInt('retryAfterSeconds', { nullable: true }),
  }),
});

builder.objectType(InvalidInvocationError, {
  name: 'InvalidInvocationError',
  description: 'The request is malformed: refused by the gateway before any call, or by Lambda.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.exposeString('code', {
      description:
        'The AWS error name (ValidationException, InvalidParameterValueException, InvalidRequestContentException…), or GATEWAY_VALIDATION.',
    }),
    field: t.expose('field', { type: InvocationInputFieldEnum, nullable: true }),
  }),
});

builder.objectType(PayloadTooLargeError, {
  name: 'PayloadTooLargeError',
  description: 'A payload or client context over Lambda’s limit, refused before any call.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    part: t.expose('part', { type: SizeLimitedPartEnum }),
    limitBytes: t.exposeInt('limitBytes'),
    sizeBytes: t.exposeInt('sizeBytes'),
    excessBytes: t.exposeInt('excessBytes'),
  }),
});

builder.objectType(InvocationTimeoutError, {
  name: 'InvocationTimeoutError',
  description: 'Lambda did not answer within the gateway’s invocation deadline. The function may still be running.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    timeoutMs: t.exposeInt('timeoutMs'),
  }),
});

builder.objectType(LambdaServiceError, {
  name: 'LambdaServiceError',
  description: 'Any other refusal or failure of the Lambda service, or of the connection to it.',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    code: t.exposeString('code', { description: 'The AWS error name, or a network error code such as ECONNREFUSED.' }),
    httpStatus: t.exposeInt('httpStatus', { nullable: true }),
    lambdaRequestId: t.exposeString('requestId', {
      nullable: true,
      description: 'The id Lambda gave the refused request, when it answered.',
    }),
  }),
});

const IdempotencyConflictReasonEnum = builder.enumType('IdempotencyConflictReason', {
  values: {
    DIFFERENT_REQUEST: { value: 'different-request', description: 'The key was first used with another request.' },
    IN_PROGRESS: { value: 'in-progress', description: 'The first request with the key has not finished.' },
  } as const,
});

builder.objectType(IdempotencyConflictError, {
  name: 'IdempotencyConflictError',
  description: 'The idempotency key cannot be used for this request (nothing was invoked).',
  interfaces: [ErrorInterface],
  fields: (t) => ({
    idempotencyKey: t.exposeString('idempotencyKey'),
    conflict: t.expose('reason', { type: IdempotencyConflictReasonEnum }),
  }),
});

/** The typed outcomes of `InvokeFunctionResult` other than `Invocation`. */
export const INVOCATION_ERRORS = [
  FunctionNotFoundError,
  ThrottledError,
  InvalidInvocationError,
  PayloadTooLargeError,
  InvocationTimeoutError,
  LambdaServiceError,
  IdempotencyConflictError,
] as const;
