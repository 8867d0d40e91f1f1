/**
 * The streaming step of the pipeline (`InvocationService`'s `stream`): the same validation,
 * deadline and access rules as every invocation, then InvokeWithResponseStream, with the
 * observers told once, when the stream is over.
 *
 * Two steps of the pipeline are left out on purpose. Idempotency: a replay would have to keep the
 * whole stream (up to 20 MB) and could not join one still running, and a stream's point is output
 * produced live; a caller that needs at most once calls `invokeFunction` with a key. The loader:
 * there is nothing to batch in one long-lived call.
 */
import type { Allowlist, Grants } from '../access/allowlist.ts';
import { cancellable } from '../async/follow.ts';
import { badUserInput } from '../errors.ts';
import { type InvocationFailure, InvalidInvocationError, isInvocationFailure, LambdaServiceError } from '../lambda/errors.ts';
import type { InvokeRequest, LambdaInvoker, StreamingInvocation } from '../lambda/invoker.ts';
import { GATEWAY_VALIDATION, type InvocationInput } from '../lambda/request-checks.ts';
import type { Caller, ObservedInvocation } from './invocation-observer.ts';
import { type Coalescing, type InvocationStreamEvent, MAX_COALESCE_BYTES, MAX_COALESCE_MS, streamEvents } from './invocation-stream.ts';

export interface StreamInvocationInput extends InvocationInput {
  /** The subscription's own coalescing; absent means the gateway's (`streaming` in the config). */
  readonly coalesce?:
    | { readonly maxBytes?: number | null; readonly maxDelayMs?: number | null; readonly joinAvailableBytes?: number | null }
    | null
    | undefined;
}

/** What a request's streams run on: its invoker (traced, when tracing is on) and its signal. */
export interface StreamBinding {
  readonly invoker: LambdaInvoker;
  /** The request's own: aborted when its client disconnects. */
  readonly signal: AbortSignal | undefined;
}

/** What `InvocationService` lends the streaming step: its own checks, rules and observers. */
export interface StreamPipeline {
  prepare(input: InvocationInput): InvokeRequest | InvocationFailure;
  readonly access: Pick<Allowlist, 'authorize'>;
  notify(observed: ObservedInvocation): Promise<void>;
  readonly coalesce: Coalescing;
  /** Ends every stream when the gateway stops. */
  readonly shutdown: AbortSignal;
}

/**
 * Refusals that are client faults (bad coalescing, FORBIDDEN) are thrown before any call, so the
 * subscription fails as a GraphQL error; a typed refusal (input checks, Lambda's) is the stream's
 * one event.
 */
export function streamInvocation(
  pipeline: StreamPipeline,
  input: StreamInvocationInput,
  caller: Caller,
  binding: StreamBinding | undefined,
): AsyncGenerator<InvocationStreamEvent> {
  const coalesce = checkedCoalescing(input.coalesce, pipeline.coalesce);
  const prepared =
    input.invocationType === 'Event'
      ? new InvalidInvocationError(
          'invocationType must be RequestResponse or DryRun for a response stream: Lambda refuses Event for InvokeWithResponseStream',
          GATEWAY_VALIDATION,
          undefined,
        )
      : pipeline.prepare(input);
  if (isInvocationFailure(prepared)) {
    const refused = prepared;
    return (async function* refusal() {
      await pipeline.notify({ caller, input, request: undefined, outcome: refused, startedAt: Date.now() });
      yield refused;
    })();
  }
  const request = prepared;
  const [grants] = pipeline.access.authorize(caller.principal, [request]);
  return cancellable(pipeline.shutdown, (stopped) => {
    // One controller for every way the stream can end early; `cancellable` resolves `stopped` on
    // `return()` before the body resumes, so the HTTP request is aborted at once, not at the next chunk.
    const controller = new AbortController();
    const stop = (): void => controller.abort();
    if (binding?.signal?.aborted === true) stop();
    else binding?.signal?.addEventListener('abort', stop, { once: true });
    const cleanUp = (): void => binding?.signal?.removeEventListener('abort', stop);
    // The call to Lambda starts now, as the subscription is set up, not when its first event is
    // asked for: that is after yoga has built its response and started reading the stream, a
    // share of the first chunk's latency spent waiting for nothing.
    const call = startCall(request, binding?.invoker, controller.signal);
    const stream = run(pipeline, input, request, grants, coalesce, caller, call, controller.signal, cleanUp);
    void stopped.then(() => {
      // A stream that ran to its own end has nothing left to abort, and an abort is not free: it
      // makes a DOMException (its stack captured) for each signal it reaches.
      if (!call.finished) stop();
      // Left before its first event was asked for: the generator never ran, so the call it
      // started is ended, and reported, here.
      if (!call.begun) void abandon(pipeline, input, request, caller, call, cleanUp);
    });
    return stream;
  });
}

/** The call to Lambda, started before the stream is read; `begun` once the stream's body takes it. */
interface StartedCall {
  readonly startedAt: number;
  readonly started: number;
  readonly streaming: Promise<StreamingInvocation>;
  begun: boolean;
  /** The stream's body ran to its own end (its last event was taken), not stopped early. */
  finished: boolean;
}

function startCall(request: InvokeRequest, invoker: LambdaInvoker | undefined, signal: AbortSignal): StartedCall {
  const startedAt = Date.now();
  const started = performance.now();
  const streaming =
    invoker?.invokeStream === undefined
      ? Promise.reject(
          new LambdaServiceError('This gateway’s Lambda invoker cannot stream responses', 'StreamingNotSupported', undefined, undefined),
        )
      : invoker.invokeStream(request, signal);
  // Awaited by the stream's body, which may not run at all (see `abandon`).
  streaming.catch(() => undefined);
  return { startedAt, started, streaming, begun: false, finished: false };
}

async function abandon(
  pipeline: StreamPipeline,
  input: StreamInvocationInput,
  request: InvokeRequest,
  caller: Caller,
  call: StartedCall,
  cleanUp: () => void,
): Promise<void> {
  cleanUp();
  try {
    const streaming = await call.streaming;
    await streaming.events.return?.(undefined);
  } catch {
    // Refused or aborted: nothing is open.
  }
  await pipeline.notify({
    caller,
    input,
    request,
    outcome: new LambdaServiceError('The stream was cancelled because the client went away', 'ClientClosedRequest', undefined, undefined),
    startedAt: call.startedAt,
  });
}

async function* run(
  pipeline: StreamPipeline,
  input: StreamInvocationInput,
  request: InvokeRequest,
  grants: Grants | undefined,
  coalesce: Coalescing,
  caller: Caller,
  call: StartedCall,
  signal: AbortSignal,
  cleanUp: () => void,
): AsyncGenerator<InvocationStreamEvent> {
  call.begun = true;
  const { startedAt } = call;
  try {
    let streaming: StreamingInvocation;
    try {
      streaming = await call.streaming;
    } catch (error) {
      if (signal.aborted) return;
      if (!isInvocationFailure(error)) throw error;
      await pipeline.notify({ caller, input, request, outcome: error, startedAt });
      yield error;
      call.finished = true;
      return;
    }
    yield* streamEvents(request, streaming, {
      coalesce,
      grants,
      startedAt: call.started,
      stopped: signal,
      done: ({ outcome, totalBytes }) => pipeline.notify({ caller, input, request, outcome, startedAt, streamed: { totalBytes } }),
    });
    // Not reached when the reader stops it: return() ends a generator at the yield it waits at.
    call.finished = true;
  } finally {
    cleanUp();
  }
}

/** The subscription's coalescing, each bound defaulting to the gateway's; out of bounds is the client's fault. */
function checkedCoalescing(asked: StreamInvocationInput['coalesce'], defaults: Coalescing): Coalescing {
  const maxBytes = asked?.maxBytes ?? defaults.maxBytes;
  const maxDelayMs = asked?.maxDelayMs ?? defaults.maxDelayMs;
  if (!Number.isInteger(maxBytes) || maxBytes < 0 || maxBytes > MAX_COALESCE_BYTES) {
    throw badUserInput(`coalesce.maxBytes must be between 0 and ${MAX_COALESCE_BYTES}; got ${maxBytes}`, {
      name: 'coalesceBytes',
      value: MAX_COALESCE_BYTES,
      actual: maxBytes,
    });
  }
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < 0 || maxDelayMs > MAX_COALESCE_MS) {
    throw badUserInput(`coalesce.maxDelayMs must be between 0 and ${MAX_COALESCE_MS}; got ${maxDelayMs}`, {
      name: 'coalesceMs',
      value: MAX_COALESCE_MS,
      actual: maxDelayMs,
    });
  }
  const joinAvailableBytes = asked?.joinAvailableBytes ?? defaults.joinAvailableBytes;
  if (!Number.isInteger(joinAvailableBytes) || joinAvailableBytes < 0 || joinAvailableBytes > MAX_COALESCE_BYTES) {
    throw badUserInput(`coalesce.joinAvailableBytes must be between 0 and ${MAX_COALESCE_BYTES}; got ${joinAvailableBytes}`, {
      name: 'joinAvailableBytes',
      value: MAX_COALESCE_BYTES,
      actual: joinAvailableBytes,
    });
  }
  return { maxBytes, maxDelayMs, joinAvailableBytes };
}
