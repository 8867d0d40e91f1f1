/**
 * Following invocations for subscriptions. `followInvocation` listens *before* it reads the stored
 * state, so a completion that lands between the two is never missed, and drops what it has already
 * delivered, so one landing on both paths is not delivered twice.
 */
import type { InvocationEvents } from './invocation-events.ts';
import { type InvocationRecord, isTerminal } from './invocation-record.ts';
import type { InvocationStore } from './invocation-store.ts';

type Wakeup<T> = { kind: 'update'; result: IteratorResult<T> } | { kind: 'resync' } | { kind: 'abort' };

/**
 * Waits for the next of: an update, a resync (events may have been missed), or shutdown.
 * `pending` is the update already asked for; it is raced, never re-requested.
 */
function wakeup<T>(pending: Promise<IteratorResult<T>>, events: InvocationEvents, signal: AbortSignal): Promise<Wakeup<T>> {
  if (signal.aborted) return Promise.resolve({ kind: 'abort' });
  return new Promise((resolve, reject) => {
    const done = (value: Wakeup<T>): void => {
      signal.removeEventListener('abort', onAbort);
      stopResync();
      resolve(value);
    };
    const onAbort = (): void => done({ kind: 'abort' });
    signal.addEventListener('abort', onAbort, { once: true });
    const stopResync = events.onResync(() => done({ kind: 'resync' }));
    pending.then(
      (result) => done({ kind: 'update', result }),
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        stopResync();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

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

/** Whether `record` tells a subscriber that has seen `delivered` anything new. */
function isNews(record: InvocationRecord, delivered: InvocationRecord | undefined): boolean {
  // ACCEPTED is news only as the first thing delivered; a terminal state always is.
  return delivered === undefined || (isTerminal(record) && !isTerminal(delivered));
}

/**
 * The current state first (when known), then each change, ending at a terminal state. After a
 * resync (the event stream may have lost messages) the store is read again, so a completion
 * published during an outage still arrives.
 */
export async function* followInvocation(
  events: InvocationEvents,
  store: InvocationStore,
  requestId: string,
  signal: AbortSignal,
): AsyncGenerator<InvocationRecord> {
  const updates = events.listen(requestId);
  try {
    let delivered = await store.get(requestId);
    if (delivered !== undefined) {
      yield delivered;
      if (isTerminal(delivered)) return;
    }
    let pending = updates.next();
    for (;;) {
      const woken = await wakeup(pending, events, signal);
      let record: InvocationRecord | undefined;
      if (woken.kind === 'abort') return;
      if (woken.kind === 'resync') {
        record = await store.get(requestId);
      } else {
        if (woken.result.done === true) return;
        record = woken.result.value;
        pending = updates.next();
      }
      if (record === undefined || !isNews(record, delivered)) continue;
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
