/**
 * Per-request batching of invocations through DataLoader. Every `invokeFunction` field and every
 * item of `invokeFunctions` in one operation goes through the same loader: the batch runs
 * concurrently (under the invoker's cap), each key gets its own outcome in its own slot, and one
 * failure never fails the others.
 *
 * Invocations are never deduplicated — two identical invocations are two runs. The exception is a
 * DryRun probe, which has no effect: identical probes in one request share one call.
 */
import DataLoader from 'dataloader';
import { type InvocationFailure, isInvocationFailure } from './errors.ts';
import { Invocation } from './invocation.ts';
import type { InvokeRequest, LambdaInvoker } from './invoker.ts';

/** What a key resolves to: an `Invocation`, or the failure that says why there is none. */
export type InvocationOutcome = Invocation | InvocationFailure;

export interface InvocationLoader {
  /** Queues the invocation in this tick's batch; resolves with its outcome (rejects only for a bug). */
  load(request: InvokeRequest): Promise<InvocationOutcome>;
}

/**
 * A key's slot. DataLoader rejects `load` for any `Error` in a slot, and typed failures are
 * Errors; boxed, they stay values all the way through, so only a bug (a bare Error) rejects.
 */
interface Settled {
  readonly outcome: InvocationOutcome;
}

/** Tracing, when on, is the invoker's own decorator (observability/traced-invoker.ts). */
export function createInvocationLoader(invoker: LambdaInvoker, requestSignal: AbortSignal | undefined): InvocationLoader {
  // The invoker listens for the caller going away once per call. yoga's request signal is a Proxy
  // over an EventTarget (every property read goes through its traps, profiled at ~25 µs per call
  // for the check, add and remove), so it is followed once per request by a native signal, made
  // on the first invocation, and the calls listen on that one.
  let followed: AbortSignal | undefined;
  const callerSignal = (): AbortSignal | undefined => {
    if (requestSignal === undefined || followed !== undefined) return followed;
    const controller = new AbortController();
    if (requestSignal.aborted) controller.abort(requestSignal.reason);
    else requestSignal.addEventListener('abort', () => controller.abort(requestSignal.reason), { once: true });
    followed = controller.signal;
    return followed;
  };
  const run = async (request: InvokeRequest): Promise<Settled | Error> => {
    const started = performance.now();
    try {
      const response = await invoker.invoke(request, callerSignal());
      return { outcome: new Invocation(request, response, performance.now() - started) };
    } catch (error) {
      if (isInvocationFailure(error)) return { outcome: error };
      return error instanceof Error ? error : new Error(String(error));
    }
  };
  const batch = (requests: readonly InvokeRequest[]) => Promise.all(requests.map(run));

  // Made on first use: most operations (queries, subscriptions) invoke nothing.
  let invocations: DataLoader<InvokeRequest, Settled> | undefined;
  let probes: DataLoader<InvokeRequest, Settled, string> | undefined;
  const loaderFor = (request: InvokeRequest) =>
    request.invocationType === 'DryRun'
      ? (probes ??= new DataLoader(batch, { cacheKeyFn: (probe) => `${probe.functionName}\u0000${probe.qualifier ?? ''}` }))
      : (invocations ??= new DataLoader(batch, { cache: false }));
  const load = async (request: InvokeRequest): Promise<InvocationOutcome> => (await loaderFor(request).load(request)).outcome;
  return { load };
}
