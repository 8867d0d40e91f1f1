/**
 * Invoking functions: the input, the `Invocation` result with Lambda's answer decoded into typed
 * fields, the result union, and the `invokeFunction` / `invokeFunctions` mutations.
 */
import { badUserInput } from '../errors.ts';
import { builder } from '../builder.ts';
import type { ReportFigures } from '../lambda/execution-log.ts';
import { type FunctionErrorDetails, Invocation } from '../lambda/invocation.ts';
import type { InvocationOutcome } from '../lambda/invocation-loader.ts';
import { isTerminal } from '../async/invocation-record.ts';
import type { Grants } from '../access/allowlist.ts';
import { clientContextFor } from '../access/client-context.ts';
import type { GatewayContext } from '../context.ts';
import { createHash } from 'node:crypto';
import { IdempotencyConflictError, InvalidInvocationError, type InvocationFailure, isInvocationFailure } from '../lambda/errors.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';
import { GATEWAY_VALIDATION, type InvocationInput, prepareInvokeRequest } from '../lambda/request-checks.ts';
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
      description: 'A JSON object handed to the function as `context.clientContext` (synchronous only); at most 3,583 bytes once base64-encoded.',
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

builder.objectType(Invocation, {
  name: 'Invocation',
  description: 'Lambda accepted the invocation. For REQUEST_RESPONSE the function ran (and may have failed: see `functionError`).',
  isTypeOf: (value) => value instanceof Invocation,
  fields: (t) => ({
    requestId: t.id({ resolve: (invocation) => invocation.requestId, description: 'Lambda’s request id; also the function’s `context.awsRequestId`.' }),
    functionName: t.string({ resolve: (invocation) => invocation.request.functionName }),
    qualifier: t.string({ nullable: true, resolve: (invocation) => invocation.request.qualifier }),
    invocationType: t.field({ type: InvocationTypeEnum, resolve: (invocation) => invocation.request.invocationType }),
    statusCode: t.int({ resolve: (invocation) => invocation.response.statusCode, description: '200 REQUEST_RESPONSE, 202 EVENT, 204 DRY_RUN.' }),
    executedVersion: t.string({
      nullable: true,
      resolve: (invocation) => invocation.response.executedVersion,
      description: '`$LATEST` or the version an alias resolved to; null for EVENT and DRY_RUN.',
    }),
    functionError: t.field({ type: FunctionErrorRef, nullable: true, resolve: (invocation) => invocation.functionError }),
    payloadJson: t.field({
      type: 'JSON',
      nullable: true,
      resolve: (invocation) => invocation.payloadJson,
      description: 'The response payload, parsed. Null when there is none or it is not JSON (see `payloadText`).',
    }),
    payloadText: t.string({ nullable: true, resolve: (invocation) => invocation.payloadText, description: 'The response payload as text, exactly as Lambda returned it.' }),
    payloadSizeBytes: t.int({ nullable: true, resolve: (invocation) => invocation.response.payload?.byteLength }),
    logResult: t.string({ nullable: true, resolve: (invocation) => invocation.response.logResult, description: 'Base64 of the log tail, as Lambda sends it.' }),
    decodedLogs: t.string({ nullable: true, resolve: (invocation) => invocation.decodedLogs, description: 'The last 4 KB of the execution log (needs `logType: TAIL`).' }),
    report: t.field({ type: InvocationReportRef, nullable: true, resolve: (invocation) => invocation.report }),
    durationMs: t.float({ resolve: (invocation) => invocation.durationMs, description: 'Round trip measured by the gateway.' }),
    replayed: t.exposeBoolean('replayed', { description: 'True when this is the remembered outcome of an earlier request with the same idempotency key.' }),
  }),
});

export const InvokeFunctionResult = builder.errorUnion('InvokeFunctionResult', {
  description: 'The invocation, or the reason Lambda did not accept it.',
  types: [Invocation, ...INVOCATION_ERRORS],
  omitDefaultTypes: true,
});

type GraphqlInput = Omit<InvocationInput, 'invocationType' | 'logType'> & {
  readonly invocationType?: InvocationInput['invocationType'] | null;
  readonly logType?: InvocationInput['logType'] | null;
};

/** GraphQL defaults apply only to omitted fields; an explicit null means the default too. */
function withDefaults(input: GraphqlInput): InvocationInput {
  return { ...input, invocationType: input.invocationType ?? 'RequestResponse', logType: input.logType ?? 'None' };
}

/** Checks the input; a refusal (bad name, too large) is a typed outcome, not an exception. */
function prepare(input: InvocationInput): InvokeRequest | InvocationFailure {
  try {
    return prepareInvokeRequest(input);
  } catch (error) {
    if (isInvocationFailure(error)) return error;
    throw error;
  }
}

/**
 * Checks every input against the access rules before anything runs (one refused request refuses
 * the operation, with zero calls to Lambda), then invokes each through the request's loader.
 */
async function invokeAll(inputs: readonly InvocationInput[], context: GatewayContext): Promise<InvocationOutcome[]> {
  const { policy, secret } = context.config.clientContext;
  const prepared = inputs.map((input): InvokeRequest | InvocationFailure => {
    const checked = prepare({ ...input, clientContext: clientContextFor(policy, secret, input.clientContext, context.principal, context.requestId) });
    // Each request carries its function's own deadline to the invoker.
    return isInvocationFailure(checked) ? checked : { ...checked, timeoutMs: context.deadlines.timeoutMsOf(checked.target) };
  });
  const requests = prepared.filter((p): p is InvokeRequest => !isInvocationFailure(p));
  const grants = context.access.authorize(context.principal, requests);
  const grantOf = new Map(requests.map((request, i) => [request, grants[i]]));
  return Promise.all(prepared.map((p, i) => {
    if (!isInvocationFailure(p)) return invokeOnce(p, inputs[i], grantOf.get(p), context);
    context.metrics.record(undefined, inputs[i]?.invocationType ?? 'RequestResponse', p);
    recordActivity(context, inputs[i], undefined, p, Date.now());
    return Promise.resolve(p);
  }));
}

/**
 * With an idempotency key, a request runs at most once per caller and key: a replay gets the
 * remembered outcome, a different request under the same key a conflict. Only an invocation
 * Lambda accepted is remembered; a refusal releases the key so the caller may retry with it.
 */
async function invokeOnce(request: InvokeRequest, input: InvocationInput | undefined, grants: Grants | undefined, context: GatewayContext): Promise<InvocationOutcome> {
  const key = input?.idempotencyKey ?? undefined;
  if (key === undefined || key === null) return invoke(request, input?.payload, grants, context);
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    return new InvalidInvocationError(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters; got ${key.length}`, GATEWAY_VALIDATION, undefined);
  }
  const scoped = `${principalKey(context.principal)}:${key}`;
  const fingerprint = createHash('sha256')
    .update(JSON.stringify([request.functionName, request.qualifier, request.invocationType, request.logType, request.clientContext]))
    .update(request.payload)
    .digest('hex');
  const claim = await context.idempotency.claim(scoped, fingerprint);
  if (claim.kind === 'replay') return Invocation.fromStored(claim.stored);
  if (claim.kind !== 'claimed') return new IdempotencyConflictError(key, claim.kind);
  let outcome: InvocationOutcome;
  try {
    outcome = await invoke(request, input?.payload, grants, context);
  } catch (error) {
    await context.idempotency.release(scoped);
    throw error;
  }
  if (outcome instanceof Invocation) await context.idempotency.complete(scoped, fingerprint, outcome.toStored());
  else await context.idempotency.release(scoped);
  return outcome;
}

const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

function principalKey(principal: GatewayContext['principal']): string {
  return principal.kind === 'api-key' ? `key:${principal.id}` : principal.kind === 'jwt' ? `jwt:${principal.subject ?? ''}` : 'anonymous';
}

/** Invokes through the loader, and records an accepted EVENT invocation so it can be followed. */
async function invoke(request: InvokeRequest, payload: unknown, grants: Grants | undefined, context: GatewayContext): Promise<InvocationOutcome> {
  const startedAt = Date.now();
  const outcome = await context.invocations.load(request);
  context.metrics.record(request, request.invocationType, outcome);
  recordActivity(context, undefined, request, outcome, startedAt);
  if (outcome instanceof Invocation && grants?.errorDetails === false) outcome.hideErrorDetails();
  if (outcome instanceof Invocation && request.invocationType === 'Event' && outcome.requestId !== '') {
    // Recorded under the function's own name and effective qualifier, as its destination record
    // will name it, whatever form (ARN, `name:alias`) the caller used.
    const { target } = request;
    const change = await context.records.accept({
      requestId: outcome.requestId,
      functionName: target.name,
      qualifier: target.qualifier,
      requestPayload: payload ?? {},
    });
    // A fast function's outcome can be stored before its 202 is: the activity entry catches up.
    if (!change.changed && isTerminal(change.record)) context.activity.complete(change.record);
  }
  return outcome;
}

/**
 * Appends the outcome to the activity log (the dashboard's source), under the function's own name
 * when the request was valid, else as the caller wrote it.
 */
function recordActivity(
  context: GatewayContext,
  input: InvocationInput | undefined,
  request: InvokeRequest | undefined,
  outcome: InvocationOutcome,
  startedAt: number,
): void {
  context.activity.record({
    gatewayRequestId: context.requestId,
    functionName: request?.target.name ?? input?.functionName ?? '',
    qualifier: request === undefined ? (input?.qualifier ?? undefined) : request.target.qualifier,
    invocationType: request?.invocationType ?? input?.invocationType ?? 'RequestResponse',
    startedAt,
    outcome,
  });
}

builder.mutationFields((t) => ({
  invokeFunction: t.field({
    type: InvokeFunctionResult,
    description: 'Invokes one function: Lambda’s Invoke, typed.',
    args: { input: t.arg({ type: InvokeFunctionInput, required: true }) },
    complexity: (_args, context) => context.config.limits.invocationCost,
    resolve: async (_root, { input }, context) => {
      const [outcome] = await invokeAll([withDefaults(input)], context);
      if (outcome === undefined) throw new Error('one input, one outcome');
      return outcome;
    },
  }),
  invokeFunctions: t.field({
    type: [InvokeFunctionResult],
    description: 'Invokes many functions concurrently (under the gateway’s cap). Results come in input order, each its own outcome.',
    args: { inputs: t.arg({ type: [InvokeFunctionInput], required: true }) },
    // Each input is an invocation, and its result is selected once per input.
    complexity: ({ inputs }, context) => ({ field: inputs.length * context.config.limits.invocationCost, multiplier: inputs.length }),
    resolve: (_root, { inputs }, context) => {
      const { maxBatchSize } = context.config;
      if (inputs.length > maxBatchSize) {
        throw badUserInput(
          `invokeFunctions takes at most ${maxBatchSize} inputs; got ${inputs.length} (${inputs.length - maxBatchSize} over the limit)`,
          { name: 'maxBatchSize', value: maxBatchSize, actual: inputs.length },
        );
      }
      return invokeAll(inputs.map(withDefaults), context);
    },
  }),
}));
