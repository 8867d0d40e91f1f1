/**
 * graphql-sse at /graphql/stream, in its single connection mode, with the real graphql-sse client:
 * many subscriptions over one stream (a browser on HTTP/1.1 would run out of connections at the
 * seventh), and the same authentication, access rules, limits, CSRF rules and persisted-operation
 * rule as /graphql. The protocol's own requests (PUT, GET, POST, DELETE) are sent by hand where
 * the client cannot show what the server does.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { fileURLToPath } from 'node:url';
import { type ExecutionResult, print } from 'graphql';
import { type Client, createClient, type RequestParams } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GRAPHQL_STREAM_PATH } from '../../src/gateway.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { GatewayInfoDocument, InvocationEventsDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

const TOKEN_HEADER = 'x-graphql-event-stream-token';

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

function streamUrl(gateway: TestGateway): string {
  return new URL(GRAPHQL_STREAM_PATH, gateway.running.url).href;
}

function singleConnectionClient(gateway: TestGateway, headers: Record<string, string> = {}): Client<true> {
  return createClient({ url: streamUrl(gateway), singleConnection: true, retryAttempts: 0, headers });
}

/** Everything one operation sends until it completes; rejects with the client's error. */
function once(client: Client<true>, request: RequestParams): Promise<GraphQLBody[]> {
  const results: GraphQLBody[] = [];
  const ended = Promise.withResolvers<GraphQLBody[]>();
  client.subscribe<ExecutionResult>(request, {
    next: (result) => results.push(result as GraphQLBody),
    error: (error: unknown) => ended.reject(error instanceof Error ? error : new Error(JSON.stringify(error))),
    complete: () => ended.resolve(results),
  });
  return ended.promise;
}

/** Requests to the stream path, by method, from now on. */
function countStreamRequests(gateway: TestGateway): Map<string, number> {
  const counts = new Map<string, number>();
  gateway.running.server.on('request', (request: IncomingMessage) => {
    if (request.url?.split('?')[0] === GRAPHQL_STREAM_PATH) counts.set(request.method ?? '', (counts.get(request.method ?? '') ?? 0) + 1);
  });
  return counts;
}

async function startEvent(gateway: TestGateway, functionName: string, payload: unknown): Promise<string> {
  const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT', payload } });
  const outcome = result.data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  return outcome.requestId;
}

describe('one stream for many subscriptions', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({}, { localLambda: { async: { retryDelaysMs: [10, 20], deliveryRetryBaseMs: 10 } } });
  });
  afterAll(() => gateway.close());

  it('carries more than six subscriptions at once over one connection, each following its EVENT invocation to the end', async () => {
    const requests = countStreamRequests(gateway);
    const client = singleConnectionClient(gateway);
    try {
      // Eight live feeds, all open at once: each has received an event.
      const feeds = Array.from({ length: 8 }, () => {
        const values: unknown[] = [];
        const dispose = client.subscribe(
          { query: print(InvocationEventsDocument), variables: { functionName: 'noop' } },
          {
            next: (value) => values.push(value),
            error: () => undefined,
            complete: () => undefined,
          },
        );
        return { values, dispose };
      });
      await expect
        .poll(
          async () => {
            await startEvent(gateway, 'noop', {});
            return feeds.every((feed) => feed.values.length > 0);
          },
          { interval: 50 },
        )
        .toBe(true);

      // And beside them, eight more that each follow an invocation to SUCCEEDED, then complete.
      const requestIds = await Promise.all(Array.from({ length: 8 }, (_, i) => startEvent(gateway, 'sleep', { ms: 200 + i })));
      const followed = await Promise.all(
        requestIds.map((requestId) => once(client, { query: print(InvocationUpdatesDocument), variables: { requestId } })),
      );
      for (const [i, results] of followed.entries()) {
        expect(results.every((result) => result.errors === undefined)).toBe(true);
        expect(results.at(-1)?.data).toMatchObject({
          invocationUpdates: { requestId: requestIds[i], status: 'SUCCEEDED', responsePayload: { sleptMs: 200 + i } },
        });
      }
      for (const feed of feeds) feed.dispose();
      // One reservation, one stream; every operation its own POST.
      expect(requests.get('PUT')).toBe(1);
      expect(requests.get('GET')).toBe(1);
      expect(requests.get('POST')).toBe(16);
    } finally {
      client.dispose();
    }
  });

  it('follows an EVENT invocation with the client in its default (lazy) single connection mode', async () => {
    const requestId = await startEvent(gateway, 'sleep', { ms: 300 });
    const subscription = subscribeWith('graphql-sse-single', gateway.running.url, InvocationUpdatesDocument, { requestId });
    await subscription.completed;
    expect(subscription.values.at(-1)?.invocationUpdates).toMatchObject({ requestId, status: 'SUCCEEDED', attempts: 1 });
  });

  it('delivers errors found before execution on the stream under the operation’s id, then completes it', async () => {
    const client = singleConnectionClient(gateway);
    try {
      const cases: Array<[RequestParams, string]> = [
        [{ query: 'query Follow($id: ID!) { invocation(requestId: $id) { status } }', variables: { id: null } }, 'BAD_USER_INPUT'],
        [{ query: 'query A { gateway { region } } query B { gateway { region } }' }, 'OPERATION_RESOLUTION_FAILURE'],
        [{ query: '{ gateway { nope } }' }, 'GRAPHQL_VALIDATION_FAILED'],
        [{ query: '{ gateway {' }, 'GRAPHQL_PARSE_FAILED'],
      ];
      for (const [request, code] of cases) {
        const results = await once(client, request);
        expect(results).toHaveLength(1);
        expect(results[0]?.data).toBeUndefined();
        expect(results[0]?.errors?.[0]?.extensions).toEqual({ code });
      }
    } finally {
      client.dispose();
    }
  });

  it('refuses an operation past the operation limits, before it runs', async () => {
    const client = singleConnectionClient(gateway);
    try {
      const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: gateway { region }`).join(' ');
      const [tooMany] = await once(client, { query: `{ ${aliases} }` });
      expect(tooMany?.errors?.[0]).toMatchObject({
        message: 'The number of aliases is 16, over the limit of 15 by 1',
        extensions: { code: 'MAX_ALIASES_EXCEEDED' },
      });
      const [tooDeep] = await once(client, { query: `{ __type(name: "Query") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }` });
      expect(tooDeep?.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED' });
    } finally {
      client.dispose();
    }
  });

  it('refuses an operation in a GET without a CSRF header (what a browser EventSource sends), and a form POST', async () => {
    const query = encodeURIComponent('{ gateway { region } }');
    const get = await fetch(`${streamUrl(gateway)}?query=${query}`, { headers: { accept: 'text/event-stream' } });
    expect(get.status).toBe(403);
    expect(await get.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    const form = await fetch(streamUrl(gateway), {
      method: 'POST',
      headers: { 'content-type': 'text/plain', accept: 'text/event-stream' },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });
    expect(form.status).toBe(403);
    // With the header, the same GET runs (graphql-sse's distinct connections mode).
    const allowed = await fetch(`${streamUrl(gateway)}?query=${query}`, {
      headers: { accept: 'text/event-stream', 'x-graphql-csrf': '1' },
    });
    expect(allowed.status).toBe(200);
    expect(await allowed.text()).toContain('event: next\ndata: {"data":{"gateway":{"region":"us-east-1"}}}');
  });

  it('refuses a mutation over GET with 405, invoking nothing', async () => {
    const mutation = encodeURIComponent('mutation { invokeFunction(input: { functionName: "noop" }) { __typename } }');
    const response = await fetch(`${streamUrl(gateway)}?query=${mutation}`, {
      headers: { accept: 'text/event-stream', 'x-graphql-csrf': '1' },
    });
    expect(response.status).toBe(405);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'BAD_REQUEST' } }] });
  });
});

describe('authentication and access rules', () => {
  const APP_KEY = 'sse-app-key-0123456789';
  let gateway: TestGateway;
  let lambdaRequests = 0;
  beforeAll(async () => {
    gateway = await startTestGateway({
      auth: { apiKeys: [{ id: 'app', sha256: createHash('sha256').update(APP_KEY).digest('hex'), roles: ['app'] }] },
      access: { allow: [{ functions: ['echo'], roles: ['app'] }] },
    });
    gateway.running.localLambda?.server.on('request', () => {
      lambdaRequests += 1;
    });
  });
  afterAll(() => gateway.close());

  it('refuses a reservation without valid credentials with 401', async () => {
    const attempts: Array<Record<string, string>> = [{}, { 'x-api-key': 'not-a-key-0123456789' }];
    for (const headers of attempts) {
      const client = singleConnectionClient(gateway, headers);
      try {
        await expect(once(client, { query: print(GatewayInfoDocument) })).rejects.toThrow('Server responded with 401');
      } finally {
        client.dispose();
      }
    }
    const reservation = await fetch(streamUrl(gateway), { method: 'PUT' });
    expect(reservation.status).toBe(401);
    expect(reservation.headers.get('www-authenticate')).toBe('Bearer, ApiKey');
    expect(await reservation.json()).toEqual({
      errors: [{ message: expect.stringMatching(/^Authentication required/) as unknown, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });

  it('authenticates each operation, as on /graphql', async () => {
    const reservation = await fetch(streamUrl(gateway), { method: 'PUT', headers: { 'x-api-key': APP_KEY } });
    expect(reservation.status).toBe(201);
    const token = await reservation.text();
    const operation = await fetch(streamUrl(gateway), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({ query: print(GatewayInfoDocument), extensions: { operationId: 'anonymous' } }),
    });
    expect(operation.status).toBe(401);
    expect(await operation.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('runs what the access rules allow, and refuses the rest with FORBIDDEN and no call to Lambda', async () => {
    const client = singleConnectionClient(gateway, { 'x-api-key': APP_KEY });
    try {
      const [allowed] = await once(client, {
        query: print(InvokeFunctionDocument),
        variables: { input: { functionName: 'echo', payload: { over: 'sse' } } },
      });
      expect(allowed?.data).toMatchObject({ invokeFunction: { __typename: 'Invocation', payloadJson: { over: 'sse' } } });
      const before = lambdaRequests;
      const [refused] = await once(client, { query: print(InvokeFunctionDocument), variables: { input: { functionName: 'fail' } } });
      expect(refused?.errors?.[0]).toMatchObject({
        message: expect.stringContaining('Invoking fail as RequestResponse is not allowed') as unknown,
        extensions: { code: 'FORBIDDEN' },
      });
      expect(lambdaRequests - before).toBe(0);
    } finally {
      client.dispose();
    }
  });
});

describe('a gateway that runs only persisted operations', () => {
  const MANIFEST = fileURLToPath(new URL('../../generated/graphql/persisted-documents.json', import.meta.url));
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ persistedOperations: { manifest: MANIFEST } });
  });
  afterAll(() => gateway.close());

  it('runs an operation named by its hash, and refuses a document sent in full', async () => {
    const client = singleConnectionClient(gateway);
    try {
      const hash = (GatewayInfoDocument as unknown as { __meta__: { hash: string } }).__meta__.hash;
      // graphql-sse wants a query string: an empty one, and the hash, as over graphql-ws.
      const [byHash] = await once(client, { query: '', extensions: { persistedQuery: { version: 1, sha256Hash: hash } } });
      expect(byHash?.data).toMatchObject({ gateway: { region: 'us-east-1' } });
      const [inFull] = await once(client, { query: print(GatewayInfoDocument) });
      expect(inFull?.errors?.[0]?.extensions).toEqual({ code: 'PERSISTED_QUERY_ONLY' });
    } finally {
      client.dispose();
    }
  });
});

describe('shutdown', () => {
  it('completes a stream’s subscriptions, then ends the stream, though its client keeps it open', async () => {
    const own = await startTestGateway();
    const url = streamUrl(own);
    const token = await (await fetch(url, { method: 'PUT' })).text();
    const stream = await fetch(url, { headers: { accept: 'text/event-stream', [TOKEN_HEADER]: token } });
    expect(stream.status).toBe(200);
    let received = '';
    const read = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of stream.body ?? []) received += decoder.decode(chunk, { stream: true });
      return received;
    })();
    const posted = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', [TOKEN_HEADER]: token },
      body: JSON.stringify({
        query: 'subscription { invocationEvents(functionName: "noop") { requestId } }',
        extensions: { operationId: 'feed' },
      }),
    });
    expect(posted.status).toBe(202);
    await expect
      .poll(
        async () => {
          await startEvent(own, 'noop', {});
          return received.includes('"id":"feed","payload":{"data"');
        },
        { interval: 20 },
      )
      .toBe(true);
    // Shutdown completes the subscription and ends the stream well within the test's time (the
    // grace period is 30 s): the drain does not wait for the client to hang up.
    await own.close();
    const all = await read;
    expect(all).toMatch(/event: complete\ndata: {"id":"feed"}\n\n$/);
  });
});
