/**
 * Invoking functions: the input, the `Invocation` result with Lambda's answer decoded into typed
 * fields, the result union, and the `invokeFunction` / `invokeFunctions` mutations. What an
 * invocation does (checks, access, idempotency, side effects) is the invocation service's
 * (src/invocations/); the resolvers only adapt GraphQL input to it.
 */
import { badUserInput } from '../errors.ts';
import { builder } from '../builder.ts';
import type { ReportFigures } from '../protocol/report-line.ts';
import type { FunctionErrorDetails } from '../lambda/invocation.ts';
import { InvocationView } from '../invocations/invocation-view.ts';
import type { InvocationInput } from '../lambda/request-checks.ts';
import { INVOCATION_ERRORS } from './errors.ts';

export const InvocationTypeEnum = builder.enumType('InvocationType', {
  values: {
    REQUEST_RESPONSE: { value: 'RequestResponse', description: 'Run and wait for the result (HTTP 200).' },
    EVENT: { value: 'Event', description: 'Queue and return at once (HTTP 202); follow it by its request id.' },
    DRY_RUN: { value: 'DryRun', description: 'Check that the function exists and may be invoked; run nothing (HTTP 204).' },
  } as const,
});

export const LogTypeEnum = builder.enumType('LogType', {
  values: {
    NONE: { value: 'None' },
    TAIL: { value: 'Tail', description: 'Return the last 4 KB of the execution log (synchronous invocations only).' },
  } as const,
});

export const InvokeFunctionInput = builder.inputType('InvokeFunctionInput', {
  fields: (t) => ({
    functionName: t.string({
      required: true,
      description: 'A name (`echo`), `name:qualifier`, a partial ARN (`123456789012:function:echo`) or a full ARN.',
    }),
    qualifier: t.string({ description: 'A version number, an alias or `$LATEST`.' }),
    invocationType: t.field({ type: InvocationTypeEnum, defaultValue: 'RequestResponse' }),
    logType: t.field({ type: LogTypeEnum, defaultValue: 'None' }),
    payload: t.field({ type: 'JSON', description: 'The event, any JSON value; omitted means `{}`.' }),
    idempotencyKey: t.string({
      description:
        'Run this request at most once: a replay with the same key (and the same request) returns the first outcome without invoking again; the same key with another request is an IdempotencyConflictError. Keys are per caller and remembered for a day.',
    }),
    clientContext: t.field({
      type: 'JSON',
      description:
        'A JSON object handed to the function as `context.clientContext` (synchronous only); at most 3,583 bytes once base64-encoded.',
    }),
  }),
});

export const FunctionErrorRef = builder.objectRef<FunctionErrorDetails>('FunctionError').implement({
  description: 'The function ran and failed. Lambda reports this as a successful invocation (200) flagged with the error.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'As Lambda reports it in X-Amz-Function-Error: `Unhandled` (or the legacy `Handled`).' }),
    errorType: t.exposeString('errorType', { nullable: true, description: 'e.g. `Error`, `Sandbox.Timedout`, `Runtime.ExitError`.' }),
    errorMessage: t.exposeString('errorMessage', { nullable: true }),
    stackTrace: t.exposeStringList('stackTrace'),
  }),
});

export const InvocationReportRef = builder.objectRef<ReportFigures>('InvocationReport').implement({
  description: 'The figures of the REPORT line of the execution log (needs `logType: TAIL`).',
  fields: (t) => ({
    durationMs: t.exposeFloat('durationMs'),
    billedDurationMs: t.exposeInt('billedDurationMs'),
    memorySizeMb: t.exposeInt('memorySizeMb'),
    maxMemoryUsedMb: t.exposeInt('maxMemoryUsedMb'),
    initDurationMs: t.exposeFloat('initDurationMs', { nullable: true, description: 'Only on a cold start.' }),
    status: t.exposeString('status', { nullable: true, description: '`timeout` or `error` when the platform ended the invocation.' }),
    errorType: t.exposeString('errorType', { nullable: true }),
  }),
});

const InvocationRef = builder.objectType(InvocationView, {
  name: 'Invocation',
  description: 'Lambda accepted the invocation. For REQUEST_RESPONSE the function ran (and may have failed: see `functionError`).',
  isTypeOf: (value) => value instanceof InvocationView,
  fields: (t) => ({
    requestId: t.id({
      resolve: ({ invocation }) => invocation.requestId,
      description: 'Lambda’s request id; also the function’s `context.awsRequestId`.',
    }),
    functionName: t.string({ resolve: ({ invocation }) => invocation.request.functionName }),
    qualifier: t.string({ nullable: true, resolve: ({ invocation }) => invocation.request.qualifier }),
    invocationType: t.field({ type: InvocationTypeEnum, resolve: ({ invocation }) => invocation.request.invocationType }),
    statusCode: t.int({
      resolve: ({ invocation }) => invocation.response.statusCode,
      description: '200 REQUEST_RESPONSE, 202 EVENT, 204 DRY_RUN.',
    }),
    executedVersion: t.string({
      nullable: true,
      resolve: ({ invocation }) => invocation.response.executedVersion,
      description: '`$LATEST` or the version an alias resolved to; null for EVENT and DRY_RUN.',
    }),
    functionError: t.field({ type: FunctionErrorRef, nullable: true, resolve: (view) => view.functionError }),
    payloadJson: t.field({
      type: 'JSON',
      nullable: true,
      resolve: (view) => view.payloadJson,
      description: 'The response payload, parsed. Null when there is none or it is not JSON (see `payloadText`).',
    }),
    payloadText: t.string({
      nullable: true,
      resolve: (view) => view.payloadText,
      description: 'The response payload as text, exactly as Lambda returned it.',
    }),
    payloadSizeBytes: t.int({ nullable: true, resolve: ({ invocation }) => invocation.response.payload?.byteLength }),
    logResult: t.string({
      nullable: true,
      resolve: ({ invocation }) => invocation.response.logResult,
      description: 'Base64 of the log tail, as Lambda sends it.',
    }),
    decodedLogs: t.string({
      nullable: true,
      resolve: ({ invocation }) => invocation.decodedLogs,
      description: 'The last 4 KB of the execution log (needs `logType: TAIL`).',
    }),
    report: t.field({ type: InvocationReportRef, nullable: true, resolve: ({ invocation }) => invocation.report }),
    durationMs: t.float({ resolve: ({ invocation }) => invocation.durationMs, description: 'Round trip measured by the gateway.' }),
    replayed: t.boolean({
      resolve: ({ invocation }) => invocation.replayed,
      description: 'True when this is the remembered outcome of an earlier request with the same idempotency key.',
    }),
  }),
});

// The success member is given by its ref, not its class: the errors plugin takes every class in
// `types` for an error class, and would wrap each InvocationView in a Proxy (a descriptor walk, a
// trap per property read) to tell its type later — the largest per-item cost of a fan-out. Only
// the failures are wrapped now, and a view is told by `resolveType`.
export const InvokeFunctionResult = builder.errorUnion('InvokeFunctionResult', {
  description: 'The invocation, or the reason Lambda did not accept it.',
  types: [InvocationRef, ...INVOCATION_ERRORS],
  omitDefaultTypes: true,
  resolveType: (value) => (value instanceof InvocationView ? 'Invocation' : undefined),
});

type GraphqlInput = Omit<InvocationInput, 'invocationType' | 'logType'> & {
  readonly invocationType?: InvocationInput['invocationType'] | null;
  readonly logType?: InvocationInput['logType'] | null;
};

/**
 * GraphQL defaults apply only to omitted fields; an explicit null means the default too. Field by
 * field, not a spread: the executor hands each input as a null-prototype dictionary, and copying one
 * by spread was a measurable share of each invocation in a fan-out (profiled); a literal of known
 * shape is also what every later step reads.
 */
function withDefaults(input: GraphqlInput): InvocationInput {
  // Every field named (all keys but `origin`, which typed fields set, never the GraphQL input): a
  // field added to InvocationInput fails to compile here instead of being dropped silently.
  const copied: { [K in Exclude<keyof InvocationInput, 'origin'>]-?: InvocationInput[K] } = {
    functionName: input.functionName,
    qualifier: input.qualifier,
    invocationType: input.invocationType ?? 'RequestResponse',
    logType: input.logType ?? 'None',
    payload: input.payload,
    idempotencyKey: input.idempotencyKey,
    clientContext: input.clientContext,
  };
  return copied;
}

/** `invokeFunctions`' own argument limit: a GraphQL error for the whole field, before any check. */
function checkedBatch<T>(inputs: readonly T[], maxBatchSize: number): readonly T[] {
  if (inputs.length > maxBatchSize) {
    throw badUserInput(
      `invokeFunctions takes at most ${maxBatchSize} inputs; got ${inputs.length} (${inputs.length - maxBatchSize} over the limit)`,
      {
        name: 'maxBatchSize',
        value: maxBatchSize,
        actual: inputs.length,
      },
    );
  }
  return inputs;
}

builder.mutationFields((t) => ({
  invokeFunction: t.field({
    type: InvokeFunctionResult,
    description: 'Invokes one function: Lambda’s Invoke, typed.',
    args: { input: t.arg({ type: InvokeFunctionInput, required: true }) },
    complexity: (_args, context) => context.limits.invocationCost,
    resolve: (_root, { input }, context) => context.invocations.invokeOne(withDefaults(input)),
  }),
  invokeFunctions: t.field({
    type: [InvokeFunctionResult],
    description: 'Invokes many functions concurrently (under the gateway’s cap). Results come in input order, each its own outcome.',
    args: { inputs: t.arg({ type: [InvokeFunctionInput], required: true }) },
    // Each input is an invocation, and its result is selected once per input.
    complexity: ({ inputs }, context) => ({ field: inputs.length * context.limits.invocationCost, multiplier: inputs.length }),
    resolve: (_root, { inputs }, context) =>
      context.invocations.invokeAll(checkedBatch(inputs, context.limits.maxBatchSize).map(withDefaults)),
  }),
}));
