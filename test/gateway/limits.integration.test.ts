/**
 * Operation limits: depth and aliases are refused at validation — before anything runs — each with
 * its own code, saying the limit and by how much it was passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

let gateway: TestGateway;
let lambdaRequests = 0;
beforeAll(async () => {
  gateway = await startTestGateway({ limits: { maxDepth: 4, maxAliases: 2 } });
  gateway.running.localLambda?.server.on('request', () => {
    lambdaRequests += 1;
  });
});
afterAll(() => gateway.close());

async function post(query: string): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }> {
  const response = await fetch(gateway.running.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as never };
}

describe('operation limits', () => {
  it('refuses aliases past the limit — the way to repeat invokeFunction past the batch limit — with no call', async () => {
    const before = lambdaRequests;
    const { status, body } = await post(
      'mutation { a: invokeFunction(input: {functionName: "noop"}) { __typename } b: invokeFunction(input: {functionName: "noop"}) { __typename } c: invokeFunction(input: {functionName: "noop"}) { __typename } }',
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The number of aliases is 3, over the limit of 2 by 1',
      extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 2, actual: 3 },
    });
    expect(lambdaRequests - before).toBe(0);
  });

  it('allows aliases up to the limit', async () => {
    const { status, body } = await post('mutation { a: invokeFunction(input: {functionName: "noop"}) { __typename } b: invokeFunction(input: {functionName: "noop"}) { __typename } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ a: { __typename: 'Invocation' }, b: { __typename: 'Invocation' } });
  });

  it('refuses selections nested past the depth limit, counting through fragments', async () => {
    const deep = 'mutation { invokeFunction(input: {functionName: "noop"}) { ... on Invocation { ...Deep } } } fragment Deep on Invocation { report { durationMs } functionError { kind } }';
    // invokeFunction → report → durationMs is 3 deep: within 4.
    expect((await post(deep)).status).toBe(200);
    const { status, body } = await post('query { gateway { region } invocation(requestId: "x") { functionError { kind } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const tooDeep = await (async () => {
      const small = await startTestGateway({ limits: { maxDepth: 2 } });
      try {
        const response = await fetch(small.running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query: 'mutation { invokeFunction(input: {functionName: "noop"}) { ...F } } fragment F on Invocation { report { durationMs } functionError { stackTrace } }' }),
        });
        return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: unknown }> } };
      } finally {
        await small.close();
      }
    })();
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors?.[0]).toMatchObject({ message: 'The query depth is 3, over the limit of 2 by 1', extensions: { code: 'MAX_DEPTH_EXCEEDED' } });
  });

  it('does not count introspection, so GraphiQL works', async () => {
    const { status, body } = await post('{ __schema { types { name fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});
