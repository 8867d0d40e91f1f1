/**
 * Recent invocations of every type — what the dashboard shows: `Query.recentInvocations`,
 * `Query.recentInvocation` and the live `Subscription.invocationActivity`, read from this gateway
 * instance's activity log. The access rules apply as for `Query.invocation`: an invocation of a
 * function the caller may not see is left out; error details and log tails are shown only to
 * callers allowed to see them.
 */
import { builder } from '../builder.ts';
import type { ActivitySummary } from '../invocations/activity-reader.ts';
import { parseReportLine } from '../protocol/report-line.ts';
import { FunctionErrorRef, InvocationReportRef, InvocationTypeEnum } from './invocation.ts';

const InvocationSummaryStatusEnum = builder.enumType('InvocationSummaryStatus', {
  values: {
    SUCCEEDED: { description: 'The function ran and succeeded (for DRY_RUN: Lambda would run it).' },
    FAILED: { description: 'The function ran and failed (a function error; for EVENT, its retries ran out or the event expired).' },
    ACCEPTED: { description: 'An EVENT Lambda queued; the outcome follows when its destination record arrives.' },
    EXPIRED: {
      description: 'An EVENT whose destination record did not arrive in the time it could take (see `InvocationRecord.expiresAt`).',
    },
    REFUSED: {
      description: 'It did not run: Lambda or the gateway refused it (`errorType` names the error type, e.g. FunctionNotFoundError).',
    },
  } as const,
});

const InvocationSummaryRef = builder.objectRef<ActivitySummary>('InvocationSummary').implement({
  description: 'One invocation this gateway instance handled recently, of any type, as the dashboard lists it.',
  fields: (t) => ({
    id: t.id({
      resolve: ({ entry }) => entry.id,
      description: 'Unique within this gateway instance; the key for `Query.recentInvocation`.',
    }),
    requestId: t.id({
      nullable: true,
      resolve: ({ entry }) => entry.requestId,
      description: 'Lambda’s request id; null when Lambda never took the invocation.',
    }),
    gatewayRequestId: t.string({
      resolve: ({ entry }) => entry.gatewayRequestId,
      description: 'The `x-request-id` of the GraphQL request that made it.',
    }),
    functionName: t.string({ resolve: ({ entry }) => entry.functionName }),
    qualifier: t.string({ nullable: true, resolve: ({ entry }) => entry.qualifier }),
    origin: t.string({
      nullable: true,
      resolve: ({ entry }) => entry.origin,
      description: 'The typed field that caused it, such as `Query.user`; null for `invokeFunction` and `invokeFunctions`.',
    }),
    invocationType: t.field({ type: InvocationTypeEnum, resolve: ({ entry }) => entry.invocationType }),
    status: t.field({ type: InvocationSummaryStatusEnum, resolve: ({ entry }) => entry.status }),
    statusCode: t.int({
      nullable: true,
      resolve: ({ entry }) => entry.statusCode,
      description: 'Lambda’s HTTP status; null when refused.',
    }),
    executedVersion: t.string({ nullable: true, resolve: ({ entry }) => entry.executedVersion }),
    durationMs: t.float({
      resolve: ({ entry }) => entry.durationMs,
      description: 'Round trip measured by the gateway (for EVENT: until Lambda queued it).',
    }),
    startedAt: t.string({ resolve: ({ entry }) => new Date(entry.startedAt).toISOString(), description: 'ISO 8601.' }),
    completedAt: t.string({
      resolve: ({ entry }) => new Date(entry.completedAt).toISOString(),
      description: 'ISO 8601; for EVENT, the destination record’s time once it arrived.',
    }),
    attempts: t.int({
      nullable: true,
      resolve: ({ entry }) => entry.attempts,
      description: 'Lambda’s approximateInvokeCount, for a completed EVENT.',
    }),
    errorType: t.string({
      nullable: true,
      resolve: (summary) => summary.functionError?.errorType ?? summary.entry.refusal?.type,
      description: 'FAILED: the function’s error type (`Hidden` to callers without error details). REFUSED: the error’s GraphQL type name.',
    }),
    errorMessage: t.string({
      nullable: true,
      resolve: (summary) => summary.functionError?.errorMessage ?? summary.entry.refusal?.message,
    }),
    functionError: t.field({ type: FunctionErrorRef, nullable: true, resolve: (summary) => summary.functionError }),
    hasLogs: t.boolean({
      resolve: (summary) => summary.hasLogs,
      description: 'Whether `decodedLogs` has the log tail: the invocation asked for `logType: TAIL`, and this caller may read tails.',
    }),
    decodedLogs: t.string({
      nullable: true,
      resolve: (summary) => summary.decodedLogs,
      description: 'The log tail, decoded; null without `logType: TAIL` or the right to read tails.',
    }),
    report: t.field({ type: InvocationReportRef, nullable: true, resolve: (summary) => parseReportLine(summary.decodedLogs) }),
    streamed: t.boolean({
      resolve: ({ entry }) => entry.streamed !== undefined,
      description: 'Whether it was a response stream (`Subscription.invokeFunctionStream`).',
    }),
    streamedBytes: t.int({
      nullable: true,
      resolve: ({ entry }) => entry.streamed?.totalBytes,
      description: 'The bytes a stream delivered.',
    }),
  }),
});

builder.queryFields((t) => ({
  recentInvocations: t.field({
    type: [InvocationSummaryRef],
    description: 'The invocations this gateway instance handled most recently, newest first, of one function or of all.',
    args: {
      functionName: t.arg.string({ description: 'The function’s own name, as listed (`echo`, not an ARN).' }),
      last: t.arg.int({
        defaultValue: 50,
        description: 'How many, at most; up to the activity log’s size (`activityLogSize`, 200 by default).',
      }),
    },
    resolve: (_root, { functionName, last }, context) => context.activity.recent(context.principal, functionName ?? undefined, last ?? 50),
  }),
  recentInvocation: t.field({
    type: InvocationSummaryRef,
    nullable: true,
    description:
      'One entry of the activity log by its `id` (to read its logs on demand); null when unknown, evicted, or not visible to the caller.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_root, { id }, context) => context.activity.get(context.principal, String(id)),
  }),
}));

builder.subscriptionFields((t) => ({
  invocationActivity: t.field({
    type: InvocationSummaryRef,
    description:
      'A live feed of the invocations this gateway instance handles, of one function or of all: first the last `recent` (oldest first), then each new one and each update (an EVENT reaching SUCCEEDED, FAILED or EXPIRED). Clients keep one row per `id`.',
    args: {
      functionName: t.arg.string(),
      recent: t.arg.int({ defaultValue: 0, description: 'How many recent invocations to send first; up to the activity log’s size.' }),
    },
    subscribe: (_root, { functionName, recent }, context) =>
      context.activity.feed(context.principal, functionName ?? undefined, recent ?? 0),
    resolve: (summary) => summary,
  }),
}));
