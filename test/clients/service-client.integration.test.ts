/**
 * examples/service-client against a real gateway on port 0 with API keys and persisted operations
 * configured: typed union results, typed errors, and retries only where nothing can run twice —
 * checked through a real HTTP server in front of the gateway that refuses, resets or fails requests
 * the way load balancers and draining instances do.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GatewayRequestError, ServiceClient, type ServiceClientOptions } from '../../examples/service-client/client.ts';
import { invocation, invokeFunction, type InvokeOutcome } from '../../examples/service-client/lambda-gateway.ts';
import { type TestGateway, startTestGateway, unusedPort } from '../helpers/gateway.ts';

const API_KEY = 'service-key-0123456789abcdef';
const MANIFEST = fileURLToPath(new URL('../../generated/graphql/persisted-documents.json', import.meta.url));
const GATEWAY_OPTIONS = {
  auth: { apiKeys: [{ id: 'billing-service', sha256: createHash('sha256').update(API_KEY).digest('hex') }] },
  persistedOperations: { manifest: MANIFEST },
};

let gateway: TestGateway;
/** Requests that reached the local Lambda: how many times something ran. */
let lambdaRequests = 0;
beforeAll(async () => {
  gateway = await startTestGateway(GATEWAY_OPTIONS);
  gateway.running.localLambda?.server.on('request', () => {
    lambdaRequests += 1;
  });
});
afterAll(() => gateway.close());

/** Records the waits the client asks for instead of waiting them out. */
function recordedSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return { waits, sleep: (ms) => (waits.push(ms), Promise.resolve()) };
}

function client(url: string, options: Partial<ServiceClientOptions> = {}): ServiceClient {
  return new ServiceClient({ url, apiKey: API_KEY, persisted: true, ...options });
}

async function expectRejection(promise: Promise<unknown>): Promise<GatewayRequestError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(GatewayRequestError);
  return error as GatewayRequestError;
}

describe('against the gateway', () => {
  it('invokes by persisted hash and narrows the typed union result', async () => {
    const ran = await invokeFunction(client(gateway.running.url), { functionName: 'echo', payload: { amount: 42 } });
    expect(ran.__typename).toBe('Invocation');
    const invocationResult = ran as InvokeOutcome<'Invocation'>;
    expect(invocationResult).toMatchObject({ statusCode: 200, payloadJson: { amount: 42 }, functionError: null });

    const missing = await invokeFunction(client(gateway.running.url), { functionName: 'nope' });
    expect(missing).toMatchObject({ __typename: 'FunctionNotFoundError', functionName: 'nope', qualifier: null });
    expect(await invocation(client(gateway.running.url), '99999999-9999-4999-8999-000000000001')).toBeNull();
  });

  it('a wrong API key is an UNAUTHENTICATED error, not retried', async () => {
    const { sleep, waits } = recordedSleep();
    const error = await expectRejection(invokeFunction(client(gateway.running.url, { apiKey: 'wrong', sleep }), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'UNAUTHENTICATED', status: 401, attempts: 1, mayHaveRun: false });
    expect(waits).toEqual([]);
  });

  it('documents sent in full are refused by a persisted-only gateway (PERSISTED_QUERY_ONLY)', async () => {
    const error = await expectRejection(invokeFunction(client(gateway.running.url, { persisted: false }), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'PERSISTED_QUERY_ONLY', status: 400, attempts: 1 });
  });

  it('the gateway’s own rate limit (429 with Retry-After) is waited out and retried, then reported', async () => {
    const limited = await startTestGateway({ ...GATEWAY_OPTIONS, rateLimit: { operations: 1, perSeconds: 60 } });
    try {
      const { sleep, waits } = recordedSleep();
      const service = client(limited.running.url, { sleep, maxAttempts: 2, maxRetryAfterMs: 120_000 });
      await invocation(service, '99999999-9999-4999-8999-000000000002');
      const error = await expectRejection(invocation(service, '99999999-9999-4999-8999-000000000002'));
      expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, attempts: 2, mayHaveRun: false });
      expect(waits).toHaveLength(1);
      // The gateway's Retry-After: what is left of its 60 s window, in whole seconds.
      expect(waits[0]).toBeGreaterThanOrEqual(1000);
      expect(waits[0]).toBeLessThanOrEqual(60_000);
      expect((waits[0] ?? 0) % 1000).toBe(0);
    } finally {
      await limited.close();
    }
  });
});

type Behaviour =
  /** Pass the request to the gateway and its answer back. */
  | 'proxy'
  /** Pass the request to the gateway, then cut the connection instead of answering: it ran. */
  | 'run-then-reset'
  /** Answer this without asking the gateway. */
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: unknown };

/** A real HTTP server in front of the gateway, playing a load balancer or a draining instance. */
class FrontServer {
  readonly plan: Behaviour[] = [];
  received = 0;
  readonly #server: Server;

  constructor(target: string) {
    this.#server = createServer((request, response) => {
      void (async () => {
        this.received += 1;
        const body = await readBody(request);
        const behaviour = this.plan.shift() ?? 'proxy';
        if (typeof behaviour === 'object') {
          response
            .writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers })
            .end(behaviour.body === undefined ? '' : JSON.stringify(behaviour.body));
          return;
        }
        const forwarded = await fetch(target, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': String(request.headers['x-api-key']) },
          body,
        });
        const text = await forwarded.text();
        if (behaviour === 'run-then-reset') request.socket.destroy();
        else
          response.writeHead(forwarded.status, { 'content-type': forwarded.headers.get('content-type') ?? 'application/json' }).end(text);
      })();
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/graphql`;
  }

  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('retries only where safe', () => {
  let front: FrontServer;
  let url: string;
  beforeAll(async () => {
    front = new FrontServer(gateway.running.url);
    url = await front.listen();
  });
  afterEach(() => {
    front.plan.length = 0;
    front.received = 0;
  });
  afterAll(() => front.close());

  const draining = {
    status: 503,
    headers: { 'retry-after': '1' },
    body: { errors: [{ message: 'this gateway instance is shutting down; retry on another', extensions: { code: 'SHUTTING_DOWN' } }] },
  };
  const rateLimited = {
    status: 429,
    headers: { 'retry-after': '2' },
    body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATE_LIMITED' } }] },
  };

  it.each([
    ['503 with Retry-After (draining)', draining, 1000],
    ['429 with Retry-After (rate limited)', rateLimited, 2000],
  ])('a mutation refused with %s is retried after that delay, and runs once', async (_label, refusal, wait) => {
    const { sleep, waits } = recordedSleep();
    front.plan.push(refusal);
    const before = lambdaRequests;
    const result = await invokeFunction(client(url, { sleep }), { functionName: 'echo', payload: 'once' });
    expect(result).toMatchObject({ __typename: 'Invocation', payloadJson: 'once' });
    expect(waits).toEqual([wait]);
    expect(front.received).toBe(2);
    expect(lambdaRequests - before).toBe(1);
  });

  it('a Retry-After longer than maxRetryAfterMs is not waited for', async () => {
    const { sleep, waits } = recordedSleep();
    front.plan.push({ ...rateLimited, headers: { 'retry-after': '3600' } });
    const error = await expectRejection(invokeFunction(client(url, { sleep, maxRetryAfterMs: 10_000 }), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'RATE_LIMITED', status: 429, attempts: 1, mayHaveRun: false });
    expect(waits).toEqual([]);
  });

  it('a mutation that reached the gateway but got no answer is never sent again', async () => {
    const { sleep, waits } = recordedSleep();
    front.plan.push('run-then-reset');
    const before = lambdaRequests;
    const error = await expectRejection(invokeFunction(client(url, { sleep }), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', attempts: 1, mayHaveRun: true });
    expect(front.received).toBe(1);
    expect(lambdaRequests - before).toBe(1);
    expect(waits).toEqual([]);
  });

  it('a query in the same situation is retried (it changes nothing)', async () => {
    const { sleep, waits } = recordedSleep();
    front.plan.push('run-then-reset');
    expect(await invocation(client(url, { sleep }), '99999999-9999-4999-8999-000000000003')).toBeNull();
    expect(front.received).toBe(2);
    expect(waits).toHaveLength(1);
  });

  it('a 502 from the proxy: a mutation is not retried, a query is', async () => {
    const badGateway = { status: 502, body: { message: 'upstream went away' } };
    front.plan.push(badGateway);
    const error = await expectRejection(invokeFunction(client(url, recordedSleep()), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'HTTP_502', status: 502, attempts: 1, mayHaveRun: true });
    front.plan.push(badGateway, badGateway);
    front.received = 0;
    expect(await invocation(client(url, recordedSleep()), '99999999-9999-4999-8999-000000000004')).toBeNull();
    expect(front.received).toBe(3);
  });

  it('gives up after maxAttempts, saying how many were made', async () => {
    front.plan.push(draining, draining, draining);
    const error = await expectRejection(invokeFunction(client(url, { ...recordedSleep(), maxAttempts: 3 }), { functionName: 'echo' }));
    expect(error).toMatchObject({ code: 'SHUTTING_DOWN', status: 503, attempts: 3, mayHaveRun: false });
  });
});

describe('a refused connection', () => {
  it('is retried even for a mutation (nothing was sent): here the gateway comes up during the wait', async () => {
    const port = await unusedPort();
    let late: TestGateway | undefined;
    const waits: number[] = [];
    const service = client(`http://127.0.0.1:${port}/graphql`, {
      sleep: async (ms) => {
        waits.push(ms);
        late ??= await startTestGateway(GATEWAY_OPTIONS, { port });
      },
    });
    try {
      const result = await invokeFunction(service, { functionName: 'echo', payload: 'after refusal' });
      expect(result).toMatchObject({ __typename: 'Invocation', payloadJson: 'after refusal' });
      expect(waits).toHaveLength(1);
    } finally {
      await late?.close();
    }
  });
});
