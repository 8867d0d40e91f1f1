/**
 * Asynchronous (EVENT) invocations: their records, `Query.invocation`, and the subscriptions that
 * follow them to SUCCEEDED or FAILED.
 */
import { builder } from '../builder.ts';
import { followInvocation, invocationFeed } from '../async/follow.ts';
import type { InvocationRecord } from '../async/invocation-record.ts';
import { functionErrorDetails } from '../lambda/invocation.ts';
import { FunctionErrorRef } from './invocation.ts';

const InvocationStatusEnum = builder.enumType('InvocationStatus', {
  values: {
    ACCEPTED: { description: 'Lambda queued the event; no outcome yet.' },
    SUCCEEDED: { description: 'The function ran and succeeded (destination condition Success).' },
    FAILED: { description: 'Retries exhausted, event too old, or no concurrency: see `condition`.' },
  } as const,
});

export const InvocationRecordRef = builder.objectRef<InvocationRecord>('InvocationRecord').implement({
  description: 'What the gateway knows about an EVENT invocation, from its start and from Lambda’s destination record.',
  fields: (t) => ({
    requestId: t.id({ resolve: (record) => record.requestId }),
    functionName: t.exposeString('functionName'),
    qualifier: t.exposeString('qualifier', { nullable: true }),
    status: t.field({ type: InvocationStatusEnum, resolve: (record) => record.status }),
    startedByGateway: t.exposeBoolean('startedByGateway', { description: 'False for invocations known only from their destination record.' }),
    acceptedAt: t.exposeString('acceptedAt', { nullable: true, description: 'ISO 8601, when the gateway got the 202.' }),
    completedAt: t.exposeString('completedAt', { nullable: true, description: 'ISO 8601, the destination record’s timestamp.' }),
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
      resolve: (record) => (record.functionError === undefined ? undefined : functionErrorDetails(record.functionError, record.responsePayload)),
    }),
  }),
});

builder.queryFields((t) => ({
  invocation: t.field({
    type: InvocationRecordRef,
    nullable: true,
    description: 'An EVENT invocation by request id; null when unknown or expired.',
    args: { requestId: t.arg.id({ required: true }) },
    resolve: (_root, { requestId }, context) => context.store.get(String(requestId)),
  }),
}));

builder.subscriptionFields((t) => ({
  invocationUpdates: t.field({
    type: InvocationRecordRef,
    description:
      'The invocation’s current state first, then each change, completing at SUCCEEDED or FAILED. Nothing is missed: a completion that arrived before the subscription is its current state. For an id not known yet, waits for it.',
    args: { requestId: t.arg.id({ required: true }) },
    subscribe: (_root, { requestId }, context) => followInvocation(context.events, context.store, String(requestId), context.shutdown),
    resolve: (record) => record,
  }),
  invocationEvents: t.field({
    type: InvocationRecordRef,
    description: 'A live feed of invocation changes, of one function or of all.',
    args: { functionName: t.arg.string() },
    subscribe: (_root, { functionName }, context) => invocationFeed(context.events, functionName ?? undefined, context.shutdown),
    resolve: (record) => record,
  }),
}));
