/**
 * The subscribers of `bench/subscriptions`: graphql-ws clients over `ws`, several subscriptions
 * multiplexed on each WebSocket; `invocationUpdates` subscriptions that each wait for one record,
 * and `invocationEvents` feeds that count every record they see. Each records what it got and
 * when, against the `sentAt` the publisher put in the record.
 */
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { FUNCTION_NAME, describeError } from './publish.ts';

const CONNECT_MS = 10_000;

const UPDATES_QUERY = `subscription BenchUpdates($requestId: ID!) {
  invocationUpdates(requestId: $requestId) { requestId status responsePayload }
}`;
const FEED_QUERY = `subscription BenchFeed($functionName: String) {
  invocationEvents(functionName: $functionName) { requestId status responsePayload }
}`;

/** What the subscriptions select of an InvocationRecord. */
export interface ReceivedRecord {
  readonly requestId: string;
  readonly status: string;
  readonly sentAt: number;
}

export function readRecord(data: Record<string, unknown> | null | undefined, field: string): ReceivedRecord | undefined {
  const record = data?.[field];
  if (typeof record !== 'object' || record === null) return undefined;
  const { requestId, status, responsePayload } = record as { requestId?: unknown; status?: unknown; responsePayload?: unknown };
  const sentAt =
    typeof responsePayload === 'object' && responsePayload !== null ? (responsePayload as { sentAt?: unknown }).sentAt : undefined;
  if (typeof requestId !== 'string' || typeof status !== 'string' || typeof sentAt !== 'number') return undefined;
  return { requestId, status, sentAt };
}

/** `count` graphql-ws clients, each on its own WebSocket, connected before this resolves. */
export async function connectClients(url: string, count: number): Promise<Client[]> {
  const wsUrl = url.replace(/^http/, 'ws');
  return Promise.all(
    Array.from({ length: count }, () => {
      const connected = Promise.withResolvers<Client>();
      const timer = setTimeout(
        () => connected.reject(new Error(`a graphql-ws client did not connect within ${CONNECT_MS} ms`)),
        CONNECT_MS,
      );
      const client: Client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: (error) => {
          clearTimeout(timer);
          connected.reject(new Error(`a graphql-ws client failed: ${describeError(error)}`));
        },
        on: {
          connected: () => {
            clearTimeout(timer);
            connected.resolve(client);
          },
        },
      });
      return connected.promise;
    }),
  );
}

/** One `invocationUpdates` subscription and what it saw. */
export interface UpdateSubscription {
  readonly requestId: string;
  /** Records received (more than one is a duplicate). */
  received: number;
  latencyMs: number;
  completed: boolean;
  /** Errors, wrong records: anything a correct gateway never sends. */
  problems: string[];
  /** Resolves when the server completes the subscription or it errors. */
  readonly settled: Promise<void>;
  readonly unsubscribe: () => void;
}

export function subscribeUpdates(client: Client, requestId: string): UpdateSubscription {
  const settled = Promise.withResolvers<void>();
  const subscription: UpdateSubscription = {
    requestId,
    received: 0,
    latencyMs: Number.NaN,
    completed: false,
    problems: [],
    settled: settled.promise,
    unsubscribe: () => undefined,
  };
  const unsubscribe = client.subscribe(
    { query: UPDATES_QUERY, variables: { requestId } },
    {
      next: (result) => {
        const receivedAt = performance.now();
        if (result.errors !== undefined) {
          subscription.problems.push(`errors: ${JSON.stringify(result.errors)}`);
          return;
        }
        const record = readRecord(result.data, 'invocationUpdates');
        if (record === undefined) {
          subscription.problems.push(`unreadable record: ${JSON.stringify(result.data)}`);
          return;
        }
        if (record.requestId !== requestId || record.status !== 'SUCCEEDED') {
          subscription.problems.push(`wrong record: ${record.requestId} ${record.status}`);
          return;
        }
        subscription.received += 1;
        if (subscription.received === 1) subscription.latencyMs = receivedAt - record.sentAt;
      },
      error: (error) => {
        subscription.problems.push(`error: ${describeError(error)}`);
        settled.resolve();
      },
      complete: () => {
        subscription.completed = true;
        settled.resolve();
      },
    },
  );
  return Object.assign(subscription, { unsubscribe });
}

/** One `invocationEvents` subscription: how often it saw each record of the phase. */
export interface FeedSubscription {
  readonly counts: Uint16Array;
  problems: string[];
  /** Set before unsubscribing: the client then completes the sink itself. */
  cancelled: boolean;
  readonly unsubscribe: () => void;
}

export function subscribeFeed(
  client: Client,
  indexOf: ReadonlyMap<string, number>,
  latencies: number[],
  onDelivery: () => void,
): FeedSubscription {
  const subscription: FeedSubscription = {
    counts: new Uint16Array(indexOf.size),
    problems: [],
    cancelled: false,
    unsubscribe: () => undefined,
  };
  const unsubscribe = client.subscribe(
    { query: FEED_QUERY, variables: { functionName: FUNCTION_NAME } },
    {
      next: (result) => {
        const receivedAt = performance.now();
        const record = result.errors === undefined ? readRecord(result.data, 'invocationEvents') : undefined;
        const index = record === undefined ? undefined : indexOf.get(record.requestId);
        if (record === undefined || index === undefined || record.status !== 'SUCCEEDED') {
          subscription.problems.push(`unexpected: ${JSON.stringify(result)}`);
          return;
        }
        const seen = subscription.counts[index] ?? 0;
        subscription.counts[index] = seen + 1;
        if (seen === 0) {
          latencies.push(receivedAt - record.sentAt);
          onDelivery();
        }
      },
      error: (error) => subscription.problems.push(`error: ${describeError(error)}`),
      complete: () => {
        if (!subscription.cancelled) subscription.problems.push('the server completed a feed subscription');
      },
    },
  );
  return Object.assign(subscription, { unsubscribe });
}
