/**
 * Streaming invocations: `Subscription.invokeFunctionStream`, Lambda's InvokeWithResponseStream
 * typed. What a stream does (checks, access, deadline, coalescing, side effects) is the invocation
 * service's (src/invocations/); the resolvers only adapt GraphQL input to it.
 */
import type { GraphQLSchema } from 'graphql';
import { builder } from '../builder.ts';
import type { GatewayContext } from '../context.ts';
import { type InvocationStreamEvent, StreamChunk, StreamEnd } from '../invocations/invocation-stream.ts';
import type { StreamInvocationInput } from '../invocations/stream-invocation.ts';
import { IdempotencyConflictError } from '../lambda/errors.ts';
import { INVOCATION_ERRORS } from './errors.ts';
import { FunctionErrorRef, LogTypeEnum } from './invocation.ts';

const StreamInvocationTypeEnum = builder.enumType('StreamInvocationType', {
  description: 'What InvokeWithResponseStream accepts: Lambda refuses EVENT for a stream.',
  values: {
    REQUEST_RESPONSE: { value: 'RequestResponse', description: 'Run and stream the response as the function writes it.' },
    DRY_RUN: { value: 'DryRun', description: 'Check that the function exists and may be invoked; run nothing (no chunks, one end event).' },
  } as const,
});

const StreamCoalescingInput = builder.inputType('InvocationStreamCoalescing', {
  description:
    'Join small chunks into fewer events: held until `maxBytes` are held or `maxDelayMs` have passed since the first one held. 0 turns a bound off; an omitted bound is the gateway’s (`streaming` in its configuration: maxBytes and maxDelayMs off, joinAvailableBytes 65,536 by default).',
  fields: (t) => ({
    maxBytes: t.int({ description: 'At most 1,048,576.' }),
    maxDelayMs: t.int({ description: 'At most 10,000.' }),
    joinAvailableBytes: t.int({
      description:
        'The chunks that have already arrived when the next event is sent are joined into it, up to this many bytes (a chunk is never split; nothing waits for more). 0: one event per chunk Lambda sent. At most 1,048,576; the gateway’s default is 65,536.',
    }),
  }),
});

const InvokeFunctionStreamInput = builder.inputType('InvokeFunctionStreamInput', {
  fields: (t) => ({
    functionName: t.string({
      required: true,
      description: 'A name (`stream`), `name:qualifier`, a partial ARN or a full ARN.',
    }),
    qualifier: t.string({ description: 'A version number, an alias or `$LATEST`.' }),
    invocationType: t.field({ type: StreamInvocationTypeEnum, defaultValue: 'RequestResponse' }),
    logType: t.field({ type: LogTypeEnum, defaultValue: 'None', description: 'TAIL: the end event carries the last 4 KB of the log.' }),
    payload: t.field({ type: 'JSON', description: 'The event, any JSON value; omitted means `{}`.' }),
    clientContext: t.field({
      type: 'JSON',
      description: 'A JSON object handed to the function as `context.clientContext`; at most 3,583 bytes once base64-encoded.',
    }),
    coalesce: t.field({ type: StreamCoalescingInput }),
  }),
});

const StreamChunkRef = builder.objectType(StreamChunk, {
  name: 'InvocationStreamChunk',
  isTypeOf: (value) => value instanceof StreamChunk,
  description: 'Some of the response, in order. Exactly one of `text` and `base64` is set.',
  fields: (t) => ({
    requestId: t.id({ resolve: (chunk) => chunk.requestId, description: 'Lambda’s request id.' }),
    sequence: t.exposeInt('sequence', { description: '0 for the first chunk, then one more for each: none is skipped or repeated.' }),
    text: t.exposeString('text', {
      nullable: true,
      description:
        'The chunk as UTF-8 text while the response is valid UTF-8. A character split across chunks is in the chunk holding its last byte, so the texts joined are the whole text.',
    }),
    base64: t.exposeString('base64', {
      nullable: true,
      description: 'The chunk’s own bytes, once the response is not valid UTF-8 (and for every chunk after).',
    }),
    byteCount: t.exposeInt('byteCount', { description: 'The chunk’s own bytes.' }),
  }),
});

const StreamEndRef = builder.objectType(StreamEnd, {
  name: 'InvocationStreamEnd',
  isTypeOf: (value) => value instanceof StreamEnd,
  description: 'The stream is over: Lambda’s InvokeComplete. Always the last event of a stream Lambda accepted.',
  fields: (t) => ({
    requestId: t.id({ resolve: (end) => end.requestId }),
    executedVersion: t.string({ nullable: true, resolve: (end) => end.executedVersion }),
    functionError: t.field({
      type: FunctionErrorRef,
      nullable: true,
      resolve: (end) => end.functionError,
      description: 'The function failed mid-stream (its ErrorCode and ErrorDetails); null when it finished.',
    }),
    decodedLogs: t.string({
      nullable: true,
      resolve: (end) => end.decodedLogs,
      description: 'The last 4 KB of the execution log (needs `logType: TAIL`).',
    }),
    totalBytes: t.exposeInt('totalBytes'),
    chunkCount: t.exposeInt('chunkCount', { description: 'The chunk events sent (after coalescing).' }),
    durationMs: t.float({ resolve: (end) => end.durationMs, description: 'From the call to the last event, measured by the gateway.' }),
  }),
});

/** A stream has no idempotency key, so it never conflicts on one. */
const STREAM_ERRORS = INVOCATION_ERRORS.filter((error) => error !== IdempotencyConflictError);

// An error union, as InvokeFunctionResult is: graphql-js takes an Error returned by a resolver
// for a thrown one, and the errors plugin is what lets a typed failure be an event instead. The
// chunk and end members are given by their refs, not their classes: the plugin takes every class in
// `types` for an error class and would wrap each event in a Proxy (see InvokeFunctionResult).
const InvokeFunctionStreamEvent = builder.errorUnion('InvokeFunctionStreamEvent', {
  description:
    'Chunks then one InvocationStreamEnd; or, when Lambda (or the gateway) refuses the invocation or the stream breaks, one error event last.',
  types: [StreamChunkRef, StreamEndRef, ...STREAM_ERRORS],
  omitDefaultTypes: true,
  resolveType: (value) =>
    value instanceof StreamChunk ? 'InvocationStreamChunk' : value instanceof StreamEnd ? 'InvocationStreamEnd' : undefined,
});

const STREAM_FIELD = 'invokeFunctionStream';

builder.subscriptionFields((t) => ({
  [STREAM_FIELD]: t.field({
    type: InvokeFunctionStreamEvent,
    description:
      'Invokes one function with InvokeWithResponseStream and delivers its response as it is written. Unsubscribing aborts the call to Lambda at once.',
    args: { input: t.arg({ type: InvokeFunctionStreamInput, required: true }) },
    complexity: (_args, context) => context.limits.invocationCost,
    subscribe: (_root, { input }, context) => subscribeToStream(input, context),
    resolve: (event) => event,
  }),
}));

/**
 * Starts the stream's call to Lambda, then lets it go first: the SDK's way from `send` to the
 * request on the wire (serializing, endpoint, signing) is about 0.9 ms of promise steps, and yoga's
 * next steps (the SSE response, its headers, the first read of the stream) are promise steps too —
 * run together they take turns, and the request leaves about 0.6 ms later than it would alone
 * (marks across the gateway and the local Lambda, one-chunk streams). One turn of the event loop
 * (setImmediate: after every pending promise step) lets the SDK's steps run first; yoga's then
 * overlap the time Lambda takes to answer, instead of the request waiting for them.
 */
async function subscribeToStream(input: GraphqlStreamInput, context: GatewayContext): Promise<AsyncGenerator<InvocationStreamEvent>> {
  const stream = context.invocations.stream(streamInput(input));
  await new Promise<void>((resolve) => setImmediate(resolve));
  return stream;
}

/**
 * Gives `invokeFunctionStream` its own subscribe back, in the built schema. The errors plugin wraps
 * the subscribe of every error-union field in an async generator that calls it only when the first
 * event is asked for — after yoga has written the response's headers, time added to the first
 * chunk — and passes every event through one more generator. This field needs neither: its stream
 * yields its typed failures as events itself and throws only client faults (FORBIDDEN, bad
 * coalescing), which are GraphQL errors either way. So the call to Lambda starts while the
 * operation is executed, and events reach the executor directly.
 */
export function subscribeStreamsEagerly(schema: GraphQLSchema): void {
  const field = schema.getSubscriptionType()?.getFields()[STREAM_FIELD];
  if (field === undefined) throw new Error(`the schema has no Subscription.${STREAM_FIELD}`);
  field.subscribe = (_root, args, context) => subscribeToStream((args as { input: GraphqlStreamInput }).input, context as GatewayContext);
}

type GraphqlStreamInput = Omit<StreamInvocationInput, 'invocationType' | 'logType'> & {
  readonly invocationType?: StreamInvocationInput['invocationType'] | null;
  readonly logType?: StreamInvocationInput['logType'] | null;
};

/** GraphQL defaults apply only to omitted fields; an explicit null means the default too. */
function streamInput(input: GraphqlStreamInput): StreamInvocationInput {
  return { ...input, invocationType: input.invocationType ?? 'RequestResponse', logType: input.logType ?? 'None' };
}
