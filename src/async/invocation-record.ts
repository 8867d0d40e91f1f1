/**
 * What the gateway knows about one asynchronous (Event) invocation: accepted when the gateway
 * started it, then succeeded or failed when Lambda's destination record arrives — or expired when
 * none arrived in the time the invocation could take.
 */
import { type DestinationRecord, functionOfArn } from '../protocol/destination-record.ts';

/**
 * EXPIRED is terminal for followers (nothing more is awaited), but not final: a destination
 * record that still arrives replaces it, since it is what actually happened.
 */
export type InvocationStatus = 'ACCEPTED' | 'SUCCEEDED' | 'FAILED' | 'EXPIRED';

export interface InvocationRecord {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly status: InvocationStatus;
  /** Whether this gateway started the invocation (false: known only from its destination record). */
  readonly startedByGateway: boolean;
  readonly acceptedAt: string | undefined;
  /**
   * ISO 8601: when an ACCEPTED record with no destination record becomes EXPIRED. Set at accept
   * (from the function's limits), so every instance agrees whatever its own configuration.
   */
  readonly expiresAt: string | undefined;
  /** The destination record's timestamp; for EXPIRED, when the gateway stopped waiting. */
  readonly completedAt: string | undefined;
  /** `Success`, `RetriesExhausted`, `EventAgeExceeded` or `ZeroReservedConcurrency`. */
  readonly condition: string | undefined;
  readonly attempts: number | undefined;
  readonly executedVersion: string | undefined;
  /** `Unhandled` when the last attempt failed. */
  readonly functionError: string | undefined;
  readonly requestPayload: unknown;
  readonly responsePayload: unknown;
}

export function isTerminal(record: InvocationRecord): boolean {
  return record.status !== 'ACCEPTED';
}

export function acceptedRecord(input: {
  requestId: string;
  functionName: string;
  qualifier: string | undefined;
  requestPayload: unknown;
  /** How long the invocation may take to report its outcome. */
  expireAfterMs: number;
}): InvocationRecord {
  const { expireAfterMs, ...rest } = input;
  const now = Date.now();
  return {
    ...rest,
    status: 'ACCEPTED',
    startedByGateway: true,
    acceptedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + expireAfterMs).toISOString(),
    completedAt: undefined,
    condition: undefined,
    attempts: undefined,
    executedVersion: undefined,
    functionError: undefined,
    responsePayload: undefined,
  };
}

/** The terminal state a destination record describes, on top of what was known before. */
export function completedRecord(previous: InvocationRecord | undefined, destination: DestinationRecord): InvocationRecord {
  const { requestContext, responseContext } = destination;
  const fn = functionOfArn(requestContext.functionArn);
  return {
    requestId: requestContext.requestId,
    functionName: previous?.functionName ?? fn.name,
    qualifier: previous === undefined ? fn.qualifier : previous.qualifier,
    status: requestContext.condition === 'Success' ? 'SUCCEEDED' : 'FAILED',
    startedByGateway: previous?.startedByGateway ?? false,
    acceptedAt: previous?.acceptedAt,
    expiresAt: previous?.expiresAt,
    completedAt: destination.timestamp,
    condition: requestContext.condition,
    attempts: requestContext.approximateInvokeCount,
    executedVersion: responseContext?.executedVersion,
    functionError: responseContext?.functionError,
    requestPayload: destination.requestPayload,
    responsePayload: destination.responsePayload,
  };
}

/** Whether `record` is still waiting for an outcome that can no longer come, at `now`. */
export function isOverdue(record: InvocationRecord, now: number): boolean {
  return record.status === 'ACCEPTED' && record.expiresAt !== undefined && Date.parse(record.expiresAt) <= now;
}

/** The ACCEPTED record given up on: nothing else about it is known. */
export function expiredRecord(accepted: InvocationRecord, now: number): InvocationRecord {
  return { ...accepted, status: 'EXPIRED', completedAt: new Date(now).toISOString() };
}
