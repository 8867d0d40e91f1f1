/**
 * Following invocations for subscriptions. `followInvocation` listens *before* it reads the stored
 * state, so a completion that lands between the two is never missed, and drops what it has already
 * delivered, so one landing on both paths is not delivered twice.
 *
 * No follower waits forever: an ACCEPTED invocation is given up at its `expiresAt` (EXPIRED, stored
 * and published, unless its outcome won the race), and an id nobody has recorded after the
 * source's `unknownIdWaitMs` ends the subscription with `UnknownInvocationError`. The follower
 * does this itself rather than trusting the instance that accepted the invocation to: that one
 * may have stopped.
 *
 * Every subscription ends promptly when its client leaves, not at the next event: an async
 * generator suspended in an `await` only sees `return()` when it next resumes, so each wait races
 * the subscription's own stop promise, which `cancellable` resolves before asking the generator to
 * return (and which the gateway's shutdown resolves too).
 */
import type { InvocationEvents } from './invocation-events.ts';
import { type InvocationRecord, isTerminal } from './invocation-record.ts';
import { runAt } from './run-at.ts';

/** What following reads from: the events, and the records with their time limits applied. */
export interface FollowSource {
  readonly events: InvocationEvents;
  /** The stored state; an ACCEPTED record past its `expiresAt` comes back EXPIRED. */
  get(requestId: string): Promise<InvocationRecord | undefined>;
  /** Gives `accepted` up (EXPIRED) unless it reached a terminal state meanwhile; the state after. */
  expire(accepted: InvocationRecord): Promise<InvocationRecord>;
  /** How long to wait for an id nobody has recorded. */
  readonly unknownIdWaitMs: number;
}

/** A request id no record arrived for in the time a follower waits; the subscription ends with it. */
export class UnknownInvocationError extends Error {
  override readonly name = 'UnknownInvocationError';

  readonly requestId: string;
  readonly waitedMs: number;

  constructor(requestId: string, waitedMs: number) {
    super(`No invocation ${requestId} is known to this gateway, and none was recorded in the ${waitedMs} ms it waited`);
    this.requestId = requestId;
    this.waitedMs = waitedMs;
  }
}

/** Resolves when the subscription must end: its client left, or the gateway is stopping. */
export type Stopped = Promise<void>;

/**
 * One shutdown listener for all subscriptions (a listener per subscription on the shared signal
 * would make every add and remove walk all of them).
 */
const stopOnShutdown = new WeakMap<AbortSignal, Set<() => void>>();

function onShutdown(signal: AbortSignal, stop: () => void): () => void {
  let stops = stopOnShutdown.get(signal);
  if (stops === undefined) {
    const registered = new Set<() => void>();
    stops = registered;
    stopOnShutdown.set(signal, registered);
    signal.addEventListener(
      'abort',
      () => {
        for (const each of registered) each();
      },
      { once: true },
    );
  }
  const set = stops;
  set.add(stop);
  return () => set.delete(stop);
}

/**
 * Runs `body` as a subscription source whose `return()` (client left) and the gateway's shutdown
 * both end it at once.
 */
export function cancellable<T>(shutdown: AbortSignal, body: (stopped: Stopped) => AsyncGenerator<T>): AsyncGenerator<T> {
  const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
  if (shutdown.aborted) stop();
  const forget = onShutdown(shutdown, stop);
  const generator = body(stopped);
  const finish = (): void => {
    stop();
    forget();
  };
  const wrapped: AsyncGenerator<T> = {
    next: async (...args) => {
      const result = await generator.next(...args);
      if (result.done === true) finish();
      return result;
    },
    return: async (value) => {
      finish();
      return generator.return(value);
    },
    throw: async (error) => {
      finish();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]: () => wrapped,
    [Symbol.asyncDispose]: async () => {
      await wrapped.return(undefined);
    },
  };
  return wrapped;
}

type Wakeup<T> = { kind: 'update'; result: IteratorResult<T> } | { kind: 'resync' } | { kind: 'due' } | { kind: 'stop' };

/**
 * Waits for the next of: an update, a resync (events may have been missed), the time to give up
 * waiting (`due`), or the stop. `pending` is the update already asked for; it is raced, never
 * re-requested.
 */
function wakeup<T>(
  pending: Promise<IteratorResult<T>>,
  events: InvocationEvents,
  stopped: Stopped,
  due: Promise<void>,
): Promise<Wakeup<T>> {
  let stopResync: (() => void) | undefined;
  const resynced = new Promise<Wakeup<T>>((resolve) => {
    stopResync = events.onResync(() => resolve({ kind: 'resync' }));
  });
  return Promise.race([
    pending.then((result): Wakeup<T> => ({ kind: 'update', result })),
    resynced,
    due.then((): Wakeup<T> => ({ kind: 'due' })),
    stopped.then((): Wakeup<T> => ({ kind: 'stop' })),
  ]).finally(() => stopResync?.());
}

/** One timer per follower, re-armed only when the moment it waits for changes. */
class Deadline {
  #at: number | undefined;
  #cancel: (() => void) | undefined;
  #reached: Promise<void> = new Promise<void>(() => {});

  /** A promise that resolves at `at` (epoch ms). */
  at(at: number): Promise<void> {
    if (at === this.#at) return this.#reached;
    this.#cancel?.();
    this.#at = at;
    const { promise, resolve } = Promise.withResolvers<void>();
    this.#cancel = runAt(at, resolve);
    this.#reached = promise;
    return promise;
  }

  cancel(): void {
    this.#cancel?.();
  }
}

/**
 * When a follower that has `delivered` gives up waiting: at the record's `expiresAt`, or, for an
 * id not known (or a record written before records had one), `unknownIdWaitMs` after it started.
 */
function giveUpAt(delivered: InvocationRecord | undefined, since: number, unknownIdWaitMs: number): number {
  const expiresAt = delivered?.expiresAt === undefined ? Number.NaN : Date.parse(delivered.expiresAt);
  return Number.isFinite(expiresAt) ? expiresAt : since + unknownIdWaitMs;
}

/** Whether `record` tells a subscriber that has seen `delivered` anything new. */
function isNews(record: InvocationRecord, delivered: InvocationRecord | undefined): boolean {
  // ACCEPTED is news only as the first thing delivered; a terminal state always is.
  return delivered === undefined || (isTerminal(record) && !isTerminal(delivered));
}

/**
 * The current state first (when known), then each change, ending at a terminal state (EXPIRED
 * included). After a resync (the event stream may have lost messages) the store is read again, so
 * a completion published during an outage still arrives.
 */
export async function* followInvocation(source: FollowSource, requestId: string, stopped: Stopped): AsyncGenerator<InvocationRecord> {
  const { events } = source;
  const updates = events.listen(requestId);
  const since = Date.now();
  const deadline = new Deadline();
  try {
    let delivered = await source.get(requestId);
    if (delivered !== undefined) {
      yield delivered;
      if (isTerminal(delivered)) return;
    }
    let pending = updates.next();
    for (;;) {
      const due = deadline.at(giveUpAt(delivered, since, source.unknownIdWaitMs));
      const woken = await wakeup(pending, events, stopped, due);
      let record: InvocationRecord | undefined;
      if (woken.kind === 'stop') return;
      if (woken.kind === 'resync') {
        record = await source.get(requestId);
      } else if (woken.kind === 'due') {
        // Not just a timeout: the record may have come while events were not flowing, so an
        // unknown id is read once more, and expiring keeps an outcome that won the race.
        record = delivered === undefined ? await source.get(requestId) : await source.expire(delivered);
        if (record === undefined) throw new UnknownInvocationError(requestId, source.unknownIdWaitMs);
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
    deadline.cancel();
    await updates.return?.();
  }
}

/** Every change from now on, optionally of one function only. */
export async function* invocationFeed(
  events: InvocationEvents,
  functionName: string | undefined,
  stopped: Stopped,
): AsyncGenerator<InvocationRecord> {
  const updates = events.listenAll();
  try {
    for (;;) {
      const next = await Promise.race([updates.next(), stopped.then(() => undefined)]);
      if (next === undefined || next.done === true) return;
      if (functionName === undefined || next.value.functionName === functionName) yield next.value;
    }
  } finally {
    await updates.return?.();
  }
}
