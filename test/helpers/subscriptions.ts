/**
 * Subscriptions with the real clients: graphql-ws over WebSocket and graphql-sse over SSE — yoga's
 * distinct-connections mode on the gateway's GraphQL path, and graphql-sse's single connection mode
 * on its own path.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import { GRAPHQL_STREAM_PATH } from '../../src/gateway.ts';

export type Transport = 'graphql-ws' | 'graphql-sse' | 'graphql-sse-single';

export interface Subscription<T> {
  /** Every value received, in order. */
  readonly values: T[];
  /** Resolves when the server completes the subscription; rejects on an error. */
  readonly completed: Promise<void>;
  /** Unsubscribes and closes the client. */
  dispose(): void;
}

/** Subscribes with a real client; values are collected until the server completes. */
export interface Credentials {
  /** HTTP headers for SSE. */
  readonly headers?: Record<string, string>;
  /** graphql-ws connection parameters. */
  readonly connectionParams?: Record<string, unknown>;
}

export function subscribeWith<R, V extends Record<string, unknown>>(
  transport: Transport,
  url: string,
  document: TypedDocumentNode<R, V>,
  variables: V,
  credentials: Credentials = {},
): Subscription<R> {
  const values: R[] = [];
  const query = print(document);
  const settled = Promise.withResolvers<void>();
  const sink = {
    next: (result: { data?: R | null; errors?: readonly unknown[] }) => {
      if (result.errors !== undefined) settled.reject(new Error(JSON.stringify(result.errors)));
      else if (result.data !== undefined && result.data !== null) values.push(result.data);
    },
    error: (error: unknown) => settled.reject(error instanceof Error ? error : new Error(describe(error))),
    complete: () => settled.resolve(),
  };
  let dispose: () => void;
  if (transport === 'graphql-ws') {
    const client = createWsClient({
      url: url.replace(/^http/, 'ws'),
      retryAttempts: 0,
      lazy: true,
      connectionParams: credentials.connectionParams ?? {},
    });
    const unsubscribe = client.subscribe({ query, variables }, sink);
    dispose = () => {
      unsubscribe();
      void client.dispose();
    };
  } else {
    const single = transport === 'graphql-sse-single';
    const client = createSseClient({
      url: single ? new URL(GRAPHQL_STREAM_PATH, url).href : url,
      singleConnection: single,
      retryAttempts: 0,
      headers: credentials.headers ?? {},
    });
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

/** Client errors come as Errors, GraphQL error arrays, close events or fetch Responses. */
function describe(error: unknown): string {
  if (error instanceof Response) return `HTTP ${error.status}`;
  if (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error) {
    return `closed ${String(error.code)}: ${String(error.reason)}`;
  }
  return JSON.stringify(error);
}
