/**
 * Asynchronous (EVENT) invocations: their records, `Query.invocation`, and the subscriptions that
 * follow them to SUCCEEDED, FAILED or EXPIRED.
 */
import { builder } from '../builder.ts';
import type { RecordView } from '../invocations/record-reader.ts';
import { functionErrorDetails, hiddenFunctionError } from '../lambda/invocation.ts';
import { FunctionErrorRef } from './invocation.ts';

const InvocationStatusEnum = builder.enumType('InvocationStatus', {
  values: {
    ACCEPTED: { description: 'Lambda queued the event; no outcome yet.' },
    SUCCEEDED: { description: 'The function ran and succeeded (destination condition Success).' },
    FAILED: { description: 'Retries exhausted, event too old, or no concurrency: see `condition`.' },
    EXPIRED: {
      description:
        'No destination record arrived by `expiresAt`, the longest the invocation could take: the gateway stopped waiting. A record that still arrives replaces this state.',
    },
  } as const,
});

export const InvocationRecordRef = builder.objectRef<RecordView>('InvocationRecord').implement({
  description: 'What the gateway knows about an EVENT invocation, from its start and from Lambda’s destination record.',
  fields: (t) => ({
    requestId: t.id({ resolve: (record) => record.requestId }),
    functionName: t.exposeString('functionName'),
    qualifier: t.exposeString('qualifier', { nullable: true }),
    status: t.field({ type: InvocationStatusEnum, resolve: (record) => record.status }),
    startedByGateway: t.exposeBoolean('startedByGateway', {
      description: 'False for invocations known only from their destination record.',
    }),
    acceptedAt: t.exposeString('acceptedAt', { nullable: true, description: 'ISO 8601, when the gateway got the 202.' }),
    expiresAt: t.exposeString('expiresAt', {
      nullable: true,
      description:
        'ISO 8601: when the gateway stops waiting for the outcome (the function’s maximum event age and timeout, plus a margin).',
    }),
    completedAt: t.exposeString('completedAt', {
      nullable: true,
      description: 'ISO 8601, the destination record’s timestamp (EXPIRED: when the gateway stopped waiting).',
    }),
    condition: t.exposeString('condition', {
      nullable: true,
      description: '`Success`, `RetriesExhausted`, `EventAgeExceeded` or `ZeroReservedConcurrency`.',
    }),
    attempts: t.exposeInt('attempts', { nullable: true, description: 'Lambda’s approximateInvokeCount.' }),
    executedVersion: t.exposeString('executedVersion', { nullable: true }),
    requestPayload: t.field({ type: 'JSON', nullable: true, resolve: (record) => record.requestPayload }),
    responsePayload: t.field({ type: 'JSON', nullable: true, resolve: (record) => record.responsePayload }),
    functionError: t.field({
      type: FunctionErrorRef,
      nullable: true,
      resolve: (record) => {
        if (record.functionError === undefined) return undefined;
        return record.errorDetailsHidden
          ? hiddenFunctionError(record.functionError, record.requestId)
          : functionErrorDetails(record.functionError, record.responsePayload);
      },
    }),
  }),
});

builder.queryFields((t) => ({
  invocation: t.field({
    type: InvocationRecordRef,
    nullable: true,
    description: 'An EVENT invocation by request id; null when unknown or expired.',
    args: { requestId: t.arg.id({ required: true }) },
    // A record the caller may not see is answered as unknown, revealing nothing about it.
    resolve: (_root, { requestId }, context) => context.records.get(context.principal, String(requestId)),
  }),
}));

builder.subscriptionFields((t) => ({
  invocationUpdates: t.field({
    type: InvocationRecordRef,
    description:
      'The invocation’s current state first, then each change, completing at SUCCEEDED, FAILED or EXPIRED. Nothing is missed: a completion that arrived before the subscription is its current state. For an id not known yet, waits for it (at most `asyncRecords.unknownIdWaitMs`, then an INVOCATION_NOT_FOUND error).',
    args: { requestId: t.arg.id({ required: true }) },
    subscribe: (_root, { requestId }, context) => context.records.follow(context.principal, String(requestId)),
    resolve: (record) => record,
  }),
  invocationEvents: t.field({
    type: InvocationRecordRef,
    description: 'A live feed of invocation changes, of one function or of all.',
    args: { functionName: t.arg.string() },
    subscribe: (_root, { functionName }, context) => context.records.feed(context.principal, functionName ?? undefined),
    resolve: (record) => record,
  }),
}));
