/**
 * Turns GraphQL input into an `InvokeRequest`, checking everything Lambda would refuse before any
 * call is made: name and qualifier formats, client context shape and size, payload size.
 */
import {
  type InvocationType,
  InvokeRequestError,
  type InvokeTarget,
  type LogType,
  validateRequestLine,
} from '../protocol/function-name.ts';
import { MAX_CLIENT_CONTEXT_BYTES, MAX_EVENT_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../protocol/limits.ts';
import { type InvocationInputField, InvalidInvocationError, PayloadTooLargeError } from './errors.ts';
import type { InvokeRequest } from './invoker.ts';

export interface InvocationInput {
  readonly functionName: string;
  readonly qualifier?: string | null | undefined;
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  /** Any JSON value; omitted (or null) means `{}`, as Lambda treats an empty body. */
  readonly payload?: unknown;
  /** A JSON object, or nothing. */
  readonly clientContext?: unknown;
  /** Runs the request at most once per caller and key (see invocations/idempotent-invocation.ts). */
  readonly idempotencyKey?: string | null;
  /** What in the schema caused it, when not `invokeFunction(s)`: a typed field such as `Query.user` (the activity log shows it). */
  readonly origin?: string;
}

/** The gateway's own refusals carry this code; Lambda's carry the AWS error name. */
export const GATEWAY_VALIDATION = 'GATEWAY_VALIDATION';

export function prepareInvokeRequest(input: InvocationInput): InvokeRequest {
  let target: InvokeTarget;
  try {
    ({ target } = validateRequestLine({
      functionName: input.functionName,
      qualifier: input.qualifier ?? null,
      invocationType: input.invocationType,
      logType: input.logType,
    }));
  } catch (error) {
    if (error instanceof InvokeRequestError) {
      const field = error.members.find((m): m is InvocationInputField => m === 'functionName' || m === 'qualifier');
      throw new InvalidInvocationError(error.message, error.code, field);
    }
    throw error;
  }

  const payload = Buffer.from(JSON.stringify(input.payload ?? {}));
  const event = input.invocationType === 'Event';
  const payloadLimit = event ? MAX_EVENT_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES;
  if (payload.byteLength > payloadLimit) {
    throw new PayloadTooLargeError('payload', payloadLimit, payload.byteLength, event ? 'Event payload' : 'synchronous payload');
  }

  let clientContext: string | undefined;
  if (input.clientContext !== undefined && input.clientContext !== null) {
    if (typeof input.clientContext !== 'object' || Array.isArray(input.clientContext)) {
      throw new InvalidInvocationError(
        `clientContext must be a JSON object (Lambda passes its client, custom and env keys to the function); got ${Array.isArray(input.clientContext) ? 'an array' : typeof input.clientContext}`,
        GATEWAY_VALIDATION,
        'clientContext',
      );
    }
    clientContext = Buffer.from(JSON.stringify(input.clientContext)).toString('base64');
    if (clientContext.length > MAX_CLIENT_CONTEXT_BYTES) {
      throw new PayloadTooLargeError('clientContext', MAX_CLIENT_CONTEXT_BYTES, clientContext.length, 'base64-encoded client context');
    }
  }

  return {
    functionName: input.functionName,
    qualifier: input.qualifier ?? undefined,
    target,
    invocationType: input.invocationType,
    logType: input.logType,
    payload,
    clientContext,
  };
}
