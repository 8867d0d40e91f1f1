/**
 * Following invocations for subscriptions. `followInvocation` listens *before* it reads the stored
 * state, so a completion that lands between the two is never missed, and drops what it has already
 * delivered, so one landing on both paths is not delivered twice.
 */
import type { InvocationEvents } from './invocation-events.ts';
import { type InvocationRecord, isTerminal } from './invocation-record.ts';
import type { InvocationStore } from './invocation-store.ts';

/** Resolves with the iterator's next result, or undefined once `signal` aborts (shutdown). */
function nextUnlessAborted<T>(iterator: AsyncIterator<T>, signal: AbortSignal): Promise<IteratorResult<T> | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => resolve(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    iterator.next().then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** The current state first (when known), then each change, ending at a terminal state. */
export async function* followInvocation(
  events: InvocationEvents,
  store: InvocationStore,
  requestId: string,
  signal: AbortSignal,
): AsyncGenerator<InvocationRecord> {
  const updates = events.listen(requestId);
  try {
    const current = await store.get(requestId);
    let delivered: InvocationRecord | undefined;
    if (current !== undefined) {
      yield current;
      if (isTerminal(current)) return;
      delivered = current;
    }
    for (;;) {
      const next = await nextUnlessAborted(updates, signal);
      if (next === undefined || next.done === true) return;
      const record = next.value;
      // ACCEPTED can only be news if nothing was delivered; a terminal state always is.
      if (!isTerminal(record) && delivered !== undefined) continue;
      delivered = record;
      yield record;
      if (isTerminal(record)) return;
    }
  } finally {
    await updates.return?.();
  }
}

/** Every change from now on, optionally of one function only. */
export async function* invocationFeed(events: InvocationEvents, functionName: string | undefined, signal: AbortSignal): AsyncGenerator<InvocationRecord> {
  const updates = events.listenAll();
  try {
    for (;;) {
      const next = await nextUnlessAborted(updates, signal);
      if (next === undefined || next.done === true) return;
      if (functionName === undefined || next.value.functionName === functionName) yield next.value;
    }
  } finally {
    await updates.return?.();
  }
}
