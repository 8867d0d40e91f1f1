/**
 * The real Apollo Client 4 against a real gateway on port 0, set up as examples/apollo-client
 * sets it up: every member of the invocation union through a mutation, the normalised cache
 * (invocations by request id, union fragments matched through the generated possibleTypes),
 * reads served from the cache without a request, and subscriptions over graphql-ws and over plain
 * HTTP in Apollo's multipart protocol — released on the server when the client leaves, ended
 * cleanly when the gateway stops.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FUNCTIONS } from '../../src/config.ts';
import { ApolloClient } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { createClient as createWsClient } from 'graphql-ws';
import {
  createGatewayCache,
  createGatewayClient,
  type GatewayClient,
  type SubscriptionTransport,
} from '../../examples/apollo-client/client.ts';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import { CountingInvocationEvents } from '../helpers/counting-events.ts';
import { type TestGateway, startTestGateway, unusedPort } from '../helpers/gateway.ts';
import { GatewayInfoDocument, InvocationDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from '../gateway/documents.ts';

/** Counts the requests the client makes, and remembers the content type of each answer. */
function countingFetch(): { fetch: typeof fetch; requests: () => number; contentTypes: string[] } {
  let requests = 0;
  const contentTypes: string[] = [];
  return {
    fetch: async (input, init) => {
      requests += 1;
      const response = await fetch(input, init);
      contentTypes.push(response.headers.get('content-type') ?? '');
      return response;
    },
    requests: () => requests,
    contentTypes,
  };
}

interface Collected<T> {
  readonly values: T[];
  /** Resolves on completion, rejects on an error. */
  readonly done: Promise<void>;
  unsubscribe(): void;
}

function collect<R, V extends Record<string, unknown>>(
  client: GatewayClient,
  document: TypedDocumentNode<R, V>,
  variables: V,
): Collected<R> {
  const values: R[] = [];
  const settled = Promise.withResolvers<void>();
  const subscription = client.client.subscribe({ query: document, variables }).subscribe({
    next: (result) => {
      if (result.error !== undefined) settled.reject(result.error);
      else if (result.data !== undefined) values.push(result.data);
    },
    error: (error: unknown) => settled.reject(error),
    complete: () => settled.resolve(),
  });
  settled.promise.catch(() => undefined);
  return { values, done: settled.promise, unsubscribe: () => subscription.unsubscribe() };
}

const events = new CountingInvocationEvents();
let gateway: TestGateway;
const clients: GatewayClient[] = [];

function client(subscriptions: SubscriptionTransport = 'websocket', fetchFn?: typeof fetch): GatewayClient {
  const created = createGatewayClient({ url: gateway.running.url, subscriptions, ...(fetchFn === undefined ? {} : { fetch: fetchFn }) });
  clients.push(created);
  return created;
}

beforeAll(async () => {
  gateway = await startTestGateway({ multipartSubscriptions: { heartbeatIntervalMs: 20 } }, { events });
});
afterAll(async () => {
  await Promise.all(clients.map((each) => each.close()));
  await gateway.close();
});

async function mutate(apollo: GatewayClient, input: InvokeFunctionInput): Promise<InvokeResultFieldsFragment> {
  const result = await apollo.client.mutate({ mutation: InvokeFunctionDocument, variables: { input } });
  expect(result.error).toBeUndefined();
  const outcome = result.data?.invokeFunction;
  if (outcome === undefined) throw new Error('no data');
  return outcome;
}

describe('mutations: every member of InvokeFunctionResult', () => {
  it.each<[string, InvokeFunctionInput, Record<string, unknown>]>([
    [
      'Invocation',
      { functionName: 'echo', payload: { via: 'apollo' } },
      { statusCode: 200, payloadJson: { via: 'apollo' }, functionError: null },
    ],
    ['FunctionNotFoundError', { functionName: 'nope' }, { functionName: 'nope', qualifier: null }],
    [
      'ThrottledError',
      { functionName: 'throttled' },
      { reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', retryAfterSeconds: 1 },
    ],
    ['InvalidInvocationError', { functionName: 'bad name!' }, { code: 'ValidationException', field: 'FUNCTION_NAME' }],
    [
      'PayloadTooLargeError',
      { functionName: 'context', clientContext: { k: 'c'.repeat(2678) } },
      { part: 'CLIENT_CONTEXT', limitBytes: 3583, excessBytes: 1 },
    ],
  ])('%s, with its own fields and the Error interface’s message', async (typename, input, fields) => {
    const outcome = await mutate(client(), input);
    expect(outcome.__typename).toBe(typename);
    expect(outcome).toMatchObject(fields);
    if (typename !== 'Invocation') expect(typeof (outcome as { message?: unknown }).message).toBe('string');
  });

  it('IdempotencyConflictError, for a key reused with another request', async () => {
    const apollo = client();
    const idempotencyKey = `apollo-${randomUUID()}`;
    expect((await mutate(apollo, { functionName: 'echo', payload: 1, idempotencyKey })).__typename).toBe('Invocation');
    const conflict = await mutate(apollo, { functionName: 'echo', payload: 2, idempotencyKey });
    expect(conflict).toMatchObject({ __typename: 'IdempotencyConflictError', idempotencyKey, conflict: 'DIFFERENT_REQUEST' });
  });

  it('InvocationTimeoutError, from a gateway with a short invocation deadline', async () => {
    const impatient = await startTestGateway({ invokeTimeoutMs: 300 });
    const apollo = createGatewayClient({ url: impatient.running.url });
    try {
      const outcome = await mutate(apollo, { functionName: 'sleep', payload: { ms: 1000 } });
      expect(outcome).toMatchObject({ __typename: 'InvocationTimeoutError', timeoutMs: 300 });
      expect((outcome as { message?: string }).message).toContain('300 ms');
    } finally {
      await apollo.close();
      await impatient.close();
    }
  });

  it('LambdaServiceError, from a gateway whose Lambda cannot be reached', async () => {
    const port = await unusedPort();
    const unreachable = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      invokeMaxAttempts: 1,
    });
    const apollo = createGatewayClient({ url: unreachable.running.url });
    try {
      const outcome = await mutate(apollo, { functionName: 'echo' });
      expect(outcome).toMatchObject({ __typename: 'LambdaServiceError', code: 'ECONNREFUSED', httpStatus: null });
    } finally {
      await apollo.close();
      await unreachable.close();
    }
  });

  it('normalises an Invocation under its request id, and matches `... on Error` through possibleTypes', async () => {
    const apollo = client();
    const invocation = await mutate(apollo, { functionName: 'echo', payload: 1 });
    if (invocation.__typename !== 'Invocation') throw new Error(invocation.__typename);
    const id = apollo.client.cache.identify({ __typename: 'Invocation', requestId: invocation.requestId });
    expect(id).toBe(`Invocation:{"requestId":"${invocation.requestId}"}`);
    expect((apollo.client.cache.extract() as Record<string, unknown>)[id ?? '']).toMatchObject({
      requestId: invocation.requestId,
      payloadJson: 1,
    });
    // The message comes only through the interface fragment: without possibleTypes the cache
    // would not know FunctionNotFoundError implements Error and would drop it.
    const notFound = await mutate(apollo, { functionName: 'ghost' });
    expect(notFound.__typename).toBe('FunctionNotFoundError');
    expect((notFound as { message?: string }).message).toMatch(/^Function not found: /);
  });
});

describe('queries', () => {
  it('a second read is served from the cache, with no request to the gateway', async () => {
    const counted = countingFetch();
    const apollo = client('websocket', counted.fetch);
    const first = await apollo.client.query({ query: GatewayInfoDocument });
    expect(first.data?.gateway).toMatchObject({ region: 'us-east-1', lambdaTarget: 'LOCAL' });
    expect(counted.requests()).toBe(1);
    const second = await apollo.client.query({ query: GatewayInfoDocument });
    expect(second.data).toEqual(first.data);
    expect(counted.requests()).toBe(1);
  });
});

async function startEvent(apollo: GatewayClient, functionName: string, payload: unknown): Promise<string> {
  const outcome = await mutate(apollo, { functionName, invocationType: 'EVENT', payload });
  if (outcome.__typename !== 'Invocation') throw new Error(`not accepted: ${outcome.__typename}`);
  expect(outcome.statusCode).toBe(202);
  return outcome.requestId;
}

describe.each<[SubscriptionTransport, string]>([
  ['websocket', 'GraphQLWsLink over graphql-ws'],
  ['http', 'HttpLink over Apollo’s multipart HTTP protocol'],
])('subscriptions with %s (%s)', (transport) => {
  it('follow an EVENT invocation to SUCCEEDED, then complete; the record lands in the cache', async () => {
    const counted = countingFetch();
    const apollo = client(transport, counted.fetch);
    // A function that takes a moment, so the subscription sees ACCEPTED first.
    const requestId = await startEvent(apollo, 'sleep', { ms: 1000 });
    const updates = collect(apollo, InvocationUpdatesDocument, { requestId });
    await updates.done;
    expect(updates.values.map((value) => value.invocationUpdates.status)).toEqual(['ACCEPTED', 'SUCCEEDED']);
    expect(updates.values[1]?.invocationUpdates).toMatchObject({
      requestId,
      functionName: 'sleep',
      condition: 'Success',
      responsePayload: { sleptMs: 1000 },
    });
    if (transport === 'http') {
      // Mutation, then the subscription: the second answer was Apollo's multipart stream.
      expect(counted.contentTypes[1]).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
    }
    // The subscription normalised the record under its request id: a query for it is answered
    // from the cache, no request made.
    const before = counted.requests();
    const read = await apollo.client.query({ query: InvocationDocument, variables: { requestId } });
    expect(read.data?.invocation).toMatchObject({ requestId, status: 'SUCCEEDED' });
    expect(counted.requests()).toBe(before);
  });
});

describe('GraphQLWsLink alone: every operation over one WebSocket', () => {
  it('runs mutations (union results included), queries and subscriptions, with no HTTP request', async () => {
    const ws = createWsClient({ url: gateway.running.url.replace(/^http/, 'ws'), lazy: true, retryAttempts: 0 });
    const apollo = new ApolloClient({ link: new GraphQLWsLink(ws), cache: createGatewayCache() });
    const only: GatewayClient = {
      client: apollo,
      async close() {
        apollo.stop();
        await ws.dispose();
      },
    };
    clients.push(only);
    const invocation = await mutate(only, { functionName: 'echo', payload: { over: 'one socket' } });
    expect(invocation).toMatchObject({ __typename: 'Invocation', statusCode: 200, payloadJson: { over: 'one socket' } });
    const missing = await mutate(only, { functionName: 'no-such-function' });
    expect(missing.__typename).toBe('FunctionNotFoundError');
    const info = await apollo.query({ query: GatewayInfoDocument });
    expect(info.data?.gateway).toMatchObject({ lambdaTarget: 'LOCAL' });
    const requestId = await startEvent(only, 'sleep', { ms: 200 });
    const updates = collect(only, InvocationUpdatesDocument, { requestId });
    await updates.done;
    expect(updates.values.at(-1)?.invocationUpdates.status).toBe('SUCCEEDED');
  });
});

describe('the multipart stream on the server', () => {
  it('a client that unsubscribes releases the server-side subscription at once, not at its next event', async () => {
    const apollo = client('http');
    const waiting = collect(apollo, InvocationUpdatesDocument, { requestId: '77777777-7777-4777-8777-000000000001' });
    await expect.poll(() => events.open, { interval: 10 }).toBe(1);
    waiting.unsubscribe();
    await expect.poll(() => events.open, { interval: 10 }).toBe(0);
  });

  it('stopping the gateway completes an open multipart subscription cleanly', async () => {
    const own = new CountingInvocationEvents();
    const stopping = await startTestGateway({}, { events: own });
    const apollo = createGatewayClient({ url: stopping.running.url, subscriptions: 'http' });
    try {
      const waiting = collect(apollo, InvocationUpdatesDocument, { requestId: '77777777-7777-4777-8777-000000000002' });
      await expect.poll(() => own.open, { interval: 10 }).toBe(1);
      await stopping.close();
      await waiting.done;
      expect(waiting.values).toEqual([]);
      expect(own.open).toBe(0);
    } finally {
      await apollo.close();
    }
  });
});

describe('examples/apollo-client', () => {
  it('main.ts runs against a gateway serving the demo functions, with both links', async () => {
    const demo = await startTestGateway({ lambda: { kind: 'local', functions: DEMO_FUNCTIONS } });
    try {
      const main = fileURLToPath(new URL('../../examples/apollo-client/main.ts', import.meta.url));
      const { stdout } = await promisify(execFile)(process.execPath, [main], {
        env: { ...process.env, GATEWAY_URL: demo.running.url },
        timeout: 30_000,
      });
      expect(stdout).toContain('gateway: LOCAL Lambda in us-east-1');
      expect(stdout).toMatch(/^echo: Invocation \{"hello":"apollo"\}$/m);
      expect(stdout).toMatch(/^fail: Invocation failed: IntentionalFailure: /m);
      expect(stdout).toMatch(/^nope: FunctionNotFoundError: Function not found: /m);
      expect(stdout).toMatch(/^throttled: ThrottledError: /m);
      expect(stdout).toMatch(/^user user-1: Ada Lovelace, 1 orders, 42$/m);
      expect(stdout).toMatch(/^user user-2: Alan Lovelace, 2 orders, [\d.]+ \+ [\d.]+$/m);
      for (const transport of ['websocket', 'http']) {
        expect(stdout).toMatch(new RegExp(`^\\[${transport}\\] [0-9a-f-]{36}: SUCCEEDED \\{"sleptMs":500\\}$`, 'm'));
        expect(stdout).toContain(`[${transport}] from the cache: SUCCEEDED`);
        expect(stdout).toMatch(
          new RegExp(`^\\[${transport}\\] streamed 44 bytes in \\d+ ms: the quick brown fox jumps over the lazy dog$`, 'm'),
        );
      }
    } finally {
      await demo.close();
    }
  }, 60_000);
});
