/**
 * Subscriptions with the real clients: graphql-ws over WebSocket and graphql-sse over SSE (yoga's
 * distinct-connections mode), on the gateway's one GraphQL path.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';

export type Transport = 'graphql-ws' | 'graphql-sse';

export interface Subscription<T> {
  /** Every value received, in order. */
  readonly values: T[];
  /** Resolves when the server completes the subscription; rejects on an error. */
  readonly completed: Promise<void>;
  /** Unsubscribes and closes the client. */
  dispose(): void;
}

/** Subscribes with a real client; values are collected until the server completes. */
export function subscribeWith<R, V extends Record<string, unknown>>(transport: Transport, url: string, document: TypedDocumentNode<R, V>, variables: V): Subscription<R> {
  const values: R[] = [];
  const query = print(document);
  const settled = Promise.withResolvers<void>();
  const sink = {
    next: (result: { data?: R | null; errors?: readonly unknown[] }) => {
      if (result.errors !== undefined) settled.reject(new Error(JSON.stringify(result.errors)));
      else if (result.data !== undefined && result.data !== null) values.push(result.data);
    },
    error: (error: unknown) => settled.reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
    complete: () => settled.resolve(),
  };
  let dispose: () => void;
  if (transport === 'graphql-ws') {
    const client = createWsClient({ url: url.replace(/^http/, 'ws'), retryAttempts: 0, lazy: true });
    const unsubscribe = client.subscribe({ query, variables }, sink);
    dispose = () => {
      unsubscribe();
      void client.dispose();
    };
  } else {
    const client = createSseClient({ url, retryAttempts: 0 });
    const unsubscribe = client.subscribe({ query, variables }, sink);
    dispose = () => {
      unsubscribe();
      client.dispose();
    };
  }
  const completed = settled.promise.finally(dispose);
  // A subscription disposed by the test itself never settles; keep that from counting as unhandled.
  completed.catch(() => undefined);
  return { values, completed, dispose };
}
