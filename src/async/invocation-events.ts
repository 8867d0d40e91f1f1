/**
 * Publishing invocation records to subscribers: yoga's pub/sub, on an in-memory event target on
 * one machine or Redis across several.
 */
import { setMaxListeners } from 'node:events';
import { createPubSub, type PubSub } from 'graphql-yoga';
import type { InvocationRecord } from './invocation-record.ts';

type Topics = {
  /** Changes of one invocation, by request id. */
  invocation: [requestId: string, record: InvocationRecord];
  /** Every change, for live feeds. */
  invocations: [record: InvocationRecord];
};

export type InvocationPubSub = PubSub<Topics>;

/**
 * In-memory pub/sub on an EventTarget without Node's listener limit: every subscriber is a
 * listener, and thousands are expected, not a leak.
 */
function createMemoryPubSub(): InvocationPubSub {
  const eventTarget = new EventTarget();
  setMaxListeners(0, eventTarget);
  return createPubSub<Topics>({ eventTarget });
}

export class InvocationEvents {
  readonly #pubsub: InvocationPubSub;
  readonly #resyncListeners = new Set<() => void>();

  constructor(pubsub: InvocationPubSub = createMemoryPubSub()) {
    this.#pubsub = pubsub;
  }

  /**
   * Tells subscribers that events may have been missed (the Redis subscription connection was
   * lost and is back): each re-reads the store, so no completion is lost to the outage.
   */
  resync(): void {
    for (const listener of this.#resyncListeners) listener();
  }

  /** Calls `listener` on every resync; returns the function that stops it. */
  onResync(listener: () => void): () => void {
    this.#resyncListeners.add(listener);
    return () => this.#resyncListeners.delete(listener);
  }

  publish(record: InvocationRecord): void {
    this.#pubsub.publish('invocation', record.requestId, record);
    this.#pubsub.publish('invocations', record);
  }

  /**
   * Changes of one invocation. Listening starts at once — before the caller reads the current
   * state — so no change can fall between the read and the subscription.
   */
  listen(requestId: string): AsyncIterator<InvocationRecord> {
    return this.#start(this.#pubsub.subscribe('invocation', requestId));
  }

  /** Every change, from now on. */
  listenAll(): AsyncIterator<InvocationRecord> {
    return this.#start(this.#pubsub.subscribe('invocations'));
  }

  /**
   * Yoga's subscriptions are lazy repeaters: they attach their listener on the first `next()`.
   * Calling it now and handing that pending result out first makes the subscription eager.
   */
  #start(source: AsyncIterable<InvocationRecord>): AsyncIterator<InvocationRecord> {
    const iterator = source[Symbol.asyncIterator]();
    let first: Promise<IteratorResult<InvocationRecord>> | undefined = iterator.next();
    return {
      next: () => {
        const pending = first ?? iterator.next();
        first = undefined;
        return pending;
      },
      return: async () => (await iterator.return?.()) ?? { done: true, value: undefined },
    };
  }
}
