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

/** Tracing, when on, is the invoker's own decorator (observability/traced-invoker.ts). */
export function createInvocationLoader(invoker: LambdaInvoker, signal: AbortSignal | undefined): InvocationLoader {
  const run = async (request: InvokeRequest): Promise<InvocationOutcome> => {
    const started = performance.now();
    try {
      const response = await invoker.invoke(request, signal);
      return new Invocation(request, response, performance.now() - started);
    } catch (error) {
      // Typed outcomes are values in their key's slot; anything else is a bug and stays an error.
      if (isInvocationFailure(error)) return error;
      throw error;
    }
  };
  // Each key settles on its own: its outcome, or the bug that broke it, in its own slot.
  const batch = (requests: readonly InvokeRequest[]) =>
    Promise.all(
      requests.map((request) => run(request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))))),
    );

  const invocations = new DataLoader<InvokeRequest, InvocationOutcome>(batch, { cache: false });
  const probes = new DataLoader<InvokeRequest, InvocationOutcome, string>(batch, {
    cacheKeyFn: (request) => `${request.functionName}\u0000${request.qualifier ?? ''}`,
  });
  // DataLoader rejects `load` for an Error in the key's slot; typed failures are turned back into
  // values here, so a failure is an outcome and only a bug rejects.
  const load = (request: InvokeRequest): Promise<InvocationOutcome> =>
    (request.invocationType === 'DryRun' ? probes : invocations).load(request).catch((error: unknown) => {
      if (isInvocationFailure(error)) return error;
      throw error;
    });
  return { load };
}
