/**
 * What the gateway knows about one asynchronous (Event) invocation: accepted when the gateway
 * started it, then succeeded or failed when Lambda's destination record arrives.
 */
import { type DestinationRecord, functionOfArn } from './destination-record.ts';

export type InvocationStatus = 'ACCEPTED' | 'SUCCEEDED' | 'FAILED';

export interface InvocationRecord {
  readonly requestId: string;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  readonly status: InvocationStatus;
  /** Whether this gateway started the invocation (false: known only from its destination record). */
  readonly startedByGateway: boolean;
  readonly acceptedAt: string | undefined;
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

export function acceptedRecord(input: { requestId: string; functionName: string; qualifier: string | undefined; requestPayload: unknown }): InvocationRecord {
  return {
    ...input,
    status: 'ACCEPTED',
    startedByGateway: true,
    acceptedAt: new Date().toISOString(),
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
    completedAt: destination.timestamp,
    condition: requestContext.condition,
    attempts: requestContext.approximateInvokeCount,
    executedVersion: responseContext?.executedVersion,
    functionError: responseContext?.functionError,
    requestPayload: destination.requestPayload,
    responsePayload: destination.responsePayload,
  };
}
