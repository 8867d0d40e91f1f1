/**
 * Health, readiness and graceful shutdown: /health says the process lives, /ready says whether it
 * can work (Lambda answers, not draining; Redis: test/redis/readiness.test.ts), and a stop lets work under way finish
 * while refusing new work.
 */
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
    const stopping = gateway.running.close();

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
