/**
 * Health, readiness and graceful shutdown: /health says the process lives, /ready says whether it
 * can work (Lambda answers, not draining; Redis: test/redis/readiness.test.ts), and a stop lets work under way finish
 * while refusing new work.
 */
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readiness as ready, type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvokeFunctionDocument } from './documents.ts';

describe('/health and /ready', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('/health answers 200 over HTTP', async () => {
    const response = await fetch(new URL('/health', gateway.running.url));
    expect(response.status).toBe(200);
  });

  it('/ready is 200 with the built-in local Lambda up, and names each check', async () => {
    expect(await ready(gateway)).toEqual({ status: 200, body: { ready: true, checks: { shutdown: 'running', lambda: 'reachable' } } });
  });

  it('/ready is 503 when Lambda cannot be reached', async () => {
    const unreachable = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
    });
    try {
      expect(await ready(unreachable)).toEqual({
        status: 503,
        body: { ready: false, checks: { shutdown: 'running', lambda: 'unreachable' } },
      });
    } finally {
      await unreachable.close();
    }
  });
});

describe('graceful shutdown', () => {
  it('lets an invocation under way finish, refuses new work with 503, and reports draining', async () => {
    const gateway = await startTestGateway();
    const inFlight = gateway.executeHttp(InvokeFunctionDocument, { input: { functionName: 'sleep', payload: { ms: 600 } } });
    await expect.poll(() => gateway.running.localLambda?.lambda.inFlight('sleep'), { interval: 5 }).toBe(1);
    // A grace far beyond the test's timeout: closing completes only because the client's keep-alive
    // connection is closed as soon as it has its answer.
    const stopping = gateway.running.close(120_000);

    const draining = await ready(gateway);
    expect(draining).toEqual({ status: 503, body: { ready: false, checks: { shutdown: 'draining', lambda: 'reachable' } } });
    const refused = await gateway.running.gateway.fetch(gateway.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    // A GraphQL client at the GraphQL path reads a GraphQL response, as for every refusal.
    expect(await refused.json()).toEqual({
      errors: [{ message: 'this gateway instance is shutting down; retry on another', extensions: { code: 'SHUTTING_DOWN' } }],
    });

    const { status, body } = await inFlight;
    expect(status).toBe(200);
    expect(body.data?.invokeFunction).toMatchObject({ __typename: 'Invocation', payloadJson: { sleptMs: 600 } });
    await stopping;
    await expect(fetch(gateway.running.url)).rejects.toThrow();
  });

  it('closes a keep-alive connection as soon as it has its answer, once draining', async () => {
    const gateway = await startTestGateway();
    // Neither side would close the idle connection within the test's timeout on its own: Node's
    // agent keeps idle sockets until told otherwise, and the server's keep-alive timeout is raised
    // here. So closing completes only if the drain closes the connection after its answer.
    gateway.running.server.keepAliveTimeout = 600_000;
    const agent = new Agent({ keepAlive: true });
    const body = JSON.stringify({
      query: 'mutation { invokeFunction(input: { functionName: "sleep", payload: { ms: 300 } }) { __typename } }',
    });
    const answered = new Promise<{ status: number | undefined; text: string }>((resolve, reject) => {
      const outgoing = request(
        gateway.running.url,
        { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () => resolve({ status: response.statusCode, text }));
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
    await expect.poll(() => gateway.running.localLambda?.lambda.inFlight('sleep'), { interval: 5 }).toBe(1);
    const stopping = gateway.running.close(600_000);
    expect(await answered).toEqual({ status: 200, text: JSON.stringify({ data: { invokeFunction: { __typename: 'Invocation' } } }) });
    await stopping;
    agent.destroy();
  });

  it('cuts requests that outlive the grace period', async () => {
    const gateway = await startTestGateway();
    const inFlight = gateway.executeHttp(InvokeFunctionDocument, { input: { functionName: 'sleep', payload: { ms: 1500 } } }).then(
      () => 'answered',
      () => 'cut',
    );
    await expect.poll(() => gateway.running.localLambda?.lambda.inFlight('sleep'), { interval: 5 }).toBe(1);
    await gateway.running.close(100);
    expect(await inFlight).toBe('cut');
  });
});
