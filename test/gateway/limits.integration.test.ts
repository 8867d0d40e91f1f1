/**
 * Operation limits: depth and aliases are refused at validation — before anything runs — each with
 * its own code, saying the limit and by how much it was passed. The query cost (Pothos complexity)
 * is checked before any root field resolves, so a refused operation makes no call either.
 */
import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { startRedis } from '../helpers/redis.ts';
import { resolveGatewayConfig } from '../../src/config.ts';
import { InvokeFunctionsDocument } from './documents.ts';

let gateway: TestGateway;
let lambdaRequests = 0;
beforeAll(async () => {
  gateway = await startTestGateway({ limits: { maxDepth: 4, maxAliases: 2 } });
  gateway.running.localLambda?.server.on('request', () => {
    lambdaRequests += 1;
  });
});
afterAll(() => gateway.close());

async function post(
  query: string,
): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } }> {
  const response = await fetch(gateway.running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
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
    const { status, body } = await post(
      'mutation { a: invokeFunction(input: {functionName: "noop"}) { __typename } b: invokeFunction(input: {functionName: "noop"}) { __typename } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ a: { __typename: 'Invocation' }, b: { __typename: 'Invocation' } });
  });

  it('refuses selections nested past the depth limit, counting through fragments', async () => {
    const deep =
      'mutation { invokeFunction(input: {functionName: "noop"}) { ... on Invocation { ...Deep } } } fragment Deep on Invocation { report { durationMs } functionError { kind } }';
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
          body: JSON.stringify({
            query:
              'mutation { invokeFunction(input: {functionName: "noop"}) { ...F } } fragment F on Invocation { report { durationMs } functionError { stackTrace } }',
          }),
        });
        return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: unknown }> } };
      } finally {
        await small.close();
      }
    })();
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors?.[0]).toMatchObject({
      message: 'The query depth is 3, over the limit of 2 by 1',
      extensions: { code: 'MAX_DEPTH_EXCEEDED' },
    });
  });

  it('refuses documents with too many tokens before parsing them, saying by how much', async () => {
    const small = await startTestGateway({ limits: { maxTokens: 100 } });
    try {
      const ask = async (query: string) => {
        const response = await fetch(small.running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query }),
        });
        return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: unknown }> } };
      };
      // `{ gateway { region } }` is 6 tokens; each extra `__typename` adds one.
      const within = await ask(`{ gateway { region ${'__typename '.repeat(94)}} }`);
      expect(within.status).toBe(200);
      const over = await ask(`{ gateway { region ${'__typename '.repeat(97)}} }`);
      expect(over.status).toBe(400);
      expect(over.body.errors?.[0]).toMatchObject({
        message: 'The number of tokens is 103, over the limit of 100 by 3',
        extensions: { code: 'MAX_TOKENS_EXCEEDED' },
      });
      const huge = await ask(`{ gateway { region ${'__typename '.repeat(10_000)}} }`);
      expect(huge.body.errors?.[0]?.message).toBe('The number of tokens is more than 200, over twice the limit of 100');
    } finally {
      await small.close();
    }
  });

  it('does not count introspection towards the operation depth', async () => {
    const { status, body } = await post('{ __schema { types { name fields { type { ofType { ofType { ofType { name } } } } } } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });

  it('accepts GraphiQL’s full introspection query, with every option GraphiQL may pass', async () => {
    // GraphiQL builds its query with graphql-js: nine `ofType` levels, 15 deep in all.
    const query = getIntrospectionQuery({
      descriptions: true,
      specifiedByUrl: true,
      directiveIsRepeatable: true,
      schemaDescription: true,
      inputValueDeprecation: true,
      experimentalDirectiveDeprecation: true,
      oneOf: true,
    });
    const { status, body } = await post(query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses introspection nested past its own limit, with its own code, saying by how much', async () => {
    // __type → ofType ×40 → name: 42 deep, over the default limit of 20.
    const query = `{ __type(name: "Invocation") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`;
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The introspection depth is 42, over the limit of 20 by 22',
      extensions: { code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED', limit: 20, actual: 42 },
    });
  });

  it('takes the introspection limit from limits.maxIntrospectionDepth', async () => {
    expect(resolveGatewayConfig({ limits: {} }).limits.maxIntrospectionDepth).toBe(20);
    const strict = await startTestGateway({ limits: { maxIntrospectionDepth: 3 } });
    try {
      const ask = async (query: string) => {
        const response = await fetch(strict.running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
          body: JSON.stringify({ query }),
        });
        return { status: response.status, body: (await response.json()) as { errors?: Array<{ message: string; extensions?: unknown }> } };
      };
      expect((await ask('{ __schema { queryType { name } } }')).status).toBe(200);
      // Reached through a fragment, and counted all the same.
      const over = await ask('{ ...Schema } fragment Schema on Query { __schema { queryType { fields { name } } } }');
      expect(over.status).toBe(400);
      expect(over.body.errors?.[0]).toMatchObject({
        message: 'The introspection depth is 4, over the limit of 3 by 1',
        extensions: { code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED' },
      });
    } finally {
      await strict.close();
    }
  });
});

describe('per-principal rate limits', () => {
  const keyA = 'rate-key-a-0123456789';
  const keyB = 'rate-key-b-0123456789';
  const sha = (key: string) => createHash('sha256').update(key).digest('hex');
  const ask = (target: TestGateway, headers: Record<string, string>) =>
    fetch(target.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });

  it('gives each caller its own budget, and refuses past it with 429 RATE_LIMITED and Retry-After', async () => {
    const limited = await startTestGateway({
      rateLimit: { operations: 3, perSeconds: 60 },
      auth: {
        apiKeys: [
          { id: 'a', sha256: sha(keyA) },
          { id: 'b', sha256: sha(keyB) },
        ],
      },
    });
    try {
      for (let i = 0; i < 3; i++) expect((await ask(limited, { 'x-api-key': keyA })).status).toBe(200);
      const refused = await ask(limited, { 'x-api-key': keyA });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await refused.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
      expect(body.errors[0]?.message).toMatch(/^Rate limit of 3 operations per 60 s reached for this caller; retry in \d+ s$/);
      expect(body.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, windowSeconds: 60 });
      // Another caller is not affected.
      expect((await ask(limited, { 'x-api-key': keyB })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it('shares one budget across instances through Redis', async () => {
    const redis = await startRedis();
    const options = { rateLimit: { operations: 2, perSeconds: 60 }, redis: { url: redis.url, keyPrefix: 'rate-test:' } };
    const first = await startTestGateway(options);
    const second = await startTestGateway(options);
    try {
      expect((await ask(first, {})).status).toBe(200);
      expect((await ask(second, {})).status).toBe(200);
      // The same anonymous client, now on either instance, has spent its budget.
      expect((await ask(first, {})).status).toBe(429);
      expect((await ask(second, {})).status).toBe(429);
    } finally {
      await first.close();
      await second.close();
      await redis.stop();
    }
  });
});

describe('query cost', () => {
  // With `{ __typename }` selected, each invocation costs invocationCost (10) + 1.
  let costly: TestGateway;
  let calls = 0;
  beforeAll(async () => {
    costly = await startTestGateway({ limits: { maxCost: 110, maxAliases: 15 } });
    costly.running.localLambda?.server.on('request', () => {
      calls += 1;
    });
  });
  afterAll(() => costly.close());

  const send = async (query: string, variables?: unknown) => {
    const response = await fetch(costly.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> },
    };
  };
  const batch = 'mutation Batch($inputs: [InvokeFunctionInput!]!) { invokeFunctions(inputs: $inputs) { __typename } }';
  const inputs = (n: number) => Array.from({ length: n }, () => ({ functionName: 'noop' }));

  it('grows with the number of invokeFunctions inputs: a batch at the limit runs, one more input is refused with no call', async () => {
    const within = await send(batch, { inputs: inputs(10) });
    expect(within.status).toBe(200);
    expect(within.body.data).toEqual({ invokeFunctions: inputs(10).map(() => ({ __typename: 'Invocation' })) });

    const before = calls;
    const over = await send(batch, { inputs: inputs(11) });
    expect(over.status).toBe(400);
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors?.[0]).toMatchObject({
      message: 'The query cost is 121, over the limit of 110 by 11',
      extensions: { code: 'MAX_COST_EXCEEDED', limit: 110, actual: 121 },
    });
    expect(calls - before).toBe(0);
  });

  it('adds up aliased batches, each within the limit alone, and refuses them together before any runs', async () => {
    const one = '{ functionName: "noop" }';
    const aliased = Array.from({ length: 4 }, (_, i) => `b${i}: invokeFunctions(inputs: [${one}, ${one}, ${one}]) { __typename }`).join(
      ' ',
    );
    const before = calls;
    const { status, body } = await send(`mutation { ${aliased} }`);
    expect(status).toBe(400);
    // 4 aliases × 3 inputs × 11 = 132.
    expect(body.errors?.[0]).toMatchObject({
      message: 'The query cost is 132, over the limit of 110 by 22',
      extensions: { code: 'MAX_COST_EXCEEDED' },
    });
    expect(body.data ?? null).toBeNull();
    expect(calls - before).toBe(0);
  });

  it('counts each selected field, once per input of a batch', async () => {
    // invokeFunctions: 2 × 10; per result: __typename + ... on Invocation { requestId statusCode report { durationMs } } = 5.
    const query =
      'mutation Batch($inputs: [InvokeFunctionInput!]!) { invokeFunctions(inputs: $inputs) { __typename ... on Invocation { requestId statusCode report { durationMs } } } }';
    const before = calls;
    // 3 × 10 + 3 × 5 = 45: within the limit.
    expect((await send(query, { inputs: inputs(3) })).body.errors).toBeUndefined();
    expect(calls - before).toBe(3);
    const over = await send(query, { inputs: inputs(8) });
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', limit: 110, actual: 8 * 10 + 8 * 5 });
  });

  it('takes its weights from the configuration, and refuses a bad value at start', async () => {
    const cheap = await startTestGateway({ limits: { maxCost: 30, invocationCost: 0 } });
    try {
      const response = await fetch(cheap.running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
        body: JSON.stringify({ query: batch, variables: { inputs: inputs(30) } }),
      });
      // Only the 30 selected __typename fields count.
      expect(response.status).toBe(200);
    } finally {
      await cheap.close();
    }
    // The defaults admit a full batch (maxBatchSize 100) selecting every result field.
    const defaults = await startTestGateway();
    try {
      const full = await defaults.execute(InvokeFunctionsDocument, { inputs: inputs(100) });
      expect(full.errors).toBeUndefined();
      expect(full.data?.invokeFunctions).toHaveLength(100);
    } finally {
      await defaults.close();
    }
    expect(() => resolveGatewayConfig({ limits: { maxCost: 0 } })).toThrow(/limits\.maxCost: Too small.*\(got 0\)/);
    expect(resolveGatewayConfig({}).limits).toMatchObject({ maxCost: 10_000, invocationCost: 10 });
  });
});
