/**
 * Operation limits in the unit tier: depth and aliases are refused at validation — before anything
 * runs — each with its own code, saying the limit and by how much it was passed. The query cost
 * (Pothos complexity) is checked before any root field resolves, so a refused operation makes no
 * call either; "no call" is read from the fake invoker. A budget shared through Redis stays in
 * limits.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../../src/config.ts';
import { resolveGatewayConfig } from '../../src/config.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { InvokeFunctionsDocument } from './documents.ts';

interface Answer {
  status: number;
  body: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

async function post(target: UnitGateway, query: string, variables?: unknown): Promise<Answer> {
  const response = await target.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** Gateways a single test makes for itself, closed after it. */
const own: UnitGateway[] = [];
afterEach(async () => {
  await Promise.all(own.splice(0).map((target) => target.close()));
});
async function gatewayWith(config: GatewayOptions): Promise<UnitGateway> {
  const target = await assembleUnitGateway({ config });
  own.push(target);
  return target;
}

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway({ config: { limits: { maxDepth: 4, maxAliases: 2 } } });
});
afterAll(() => gateway.close());

describe('operation limits', () => {
  it('refuses aliases past the limit — the way to repeat invokeFunction past the batch limit — with no call', async () => {
    const before = gateway.invoker.calls.length;
    const { status, body } = await post(
      gateway,
      'mutation { a: invokeFunction(input: {functionName: "noop"}) { __typename } b: invokeFunction(input: {functionName: "noop"}) { __typename } c: invokeFunction(input: {functionName: "noop"}) { __typename } }',
    );
    expect(status).toBe(400);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The number of aliases is 3, over the limit of 2 by 1',
      extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 2, actual: 3 },
    });
    expect(gateway.invoker.calls.length - before).toBe(0);
  });

  it('allows aliases up to the limit', async () => {
    const { status, body } = await post(
      gateway,
      'mutation { a: invokeFunction(input: {functionName: "noop"}) { __typename } b: invokeFunction(input: {functionName: "noop"}) { __typename } }',
    );
    expect(status).toBe(200);
    expect(body.data).toEqual({ a: { __typename: 'Invocation' }, b: { __typename: 'Invocation' } });
  });

  it('refuses selections nested past the depth limit, counting through fragments', async () => {
    const deep =
      'mutation { invokeFunction(input: {functionName: "noop"}) { ... on Invocation { ...Deep } } } fragment Deep on Invocation { report { durationMs } functionError { kind } }';
    // invokeFunction → report → durationMs is 3 deep: within 4.
    expect((await post(gateway, deep)).status).toBe(200);
    const { status, body } = await post(gateway, 'query { gateway { region } invocation(requestId: "x") { functionError { kind } } }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const small = await gatewayWith({ limits: { maxDepth: 2 } });
    const tooDeep = await post(
      small,
      'mutation { invokeFunction(input: {functionName: "noop"}) { ...F } } fragment F on Invocation { report { durationMs } functionError { stackTrace } }',
    );
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors?.[0]).toMatchObject({
      message: 'The query depth is 3, over the limit of 2 by 1',
      extensions: { code: 'MAX_DEPTH_EXCEEDED' },
    });
  });

  it('refuses documents with too many tokens before parsing them, saying by how much', async () => {
    const small = await gatewayWith({ limits: { maxTokens: 100 } });
    // `{ gateway { region } }` is 6 tokens; each extra `__typename` adds one.
    const within = await post(small, `{ gateway { region ${'__typename '.repeat(94)}} }`);
    expect(within.status).toBe(200);
    const over = await post(small, `{ gateway { region ${'__typename '.repeat(97)}} }`);
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]).toMatchObject({
      message: 'The number of tokens is 103, over the limit of 100 by 3',
      extensions: { code: 'MAX_TOKENS_EXCEEDED' },
    });
    const huge = await post(small, `{ gateway { region ${'__typename '.repeat(10_000)}} }`);
    expect(huge.body.errors?.[0]?.message).toBe('The number of tokens is more than 200, over twice the limit of 100');
  });

  it('does not count introspection towards the operation depth', async () => {
    const { status, body } = await post(
      gateway,
      '{ __schema { types { name fields { type { ofType { ofType { ofType { name } } } } } } } }',
    );
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
    const { status, body } = await post(gateway, query);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    expect(body.data).toMatchObject({ __schema: { queryType: { name: 'Query' } } });
  });

  it('refuses introspection nested past its own limit, with its own code, saying by how much', async () => {
    // __type → ofType ×40 → name: 42 deep, over the default limit of 20.
    const query = `{ __type(name: "Invocation") { ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`;
    const { status, body } = await post(gateway, query);
    expect(status).toBe(400);
    expect(body.errors).toHaveLength(1);
    expect(body.errors?.[0]).toMatchObject({
      message: 'The introspection depth is 42, over the limit of 20 by 22',
      extensions: { code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED', limit: 20, actual: 42 },
    });
  });

  it('takes the introspection limit from limits.maxIntrospectionDepth', async () => {
    expect(resolveGatewayConfig({ limits: {} }).limits.maxIntrospectionDepth).toBe(20);
    const strict = await gatewayWith({ limits: { maxIntrospectionDepth: 3 } });
    expect((await post(strict, '{ __schema { queryType { name } } }')).status).toBe(200);
    // Reached through a fragment, and counted all the same.
    const over = await post(strict, '{ ...Schema } fragment Schema on Query { __schema { queryType { fields { name } } } }');
    expect(over.status).toBe(400);
    expect(over.body.errors?.[0]).toMatchObject({
      message: 'The introspection depth is 4, over the limit of 3 by 1',
      extensions: { code: 'MAX_INTROSPECTION_DEPTH_EXCEEDED' },
    });
  });
});

describe('per-principal rate limits', () => {
  const keyA = 'rate-key-a-0123456789';
  const keyB = 'rate-key-b-0123456789';
  const sha = (key: string) => createHash('sha256').update(key).digest('hex');
  const ask = (target: UnitGateway, headers: Record<string, string>) =>
    target.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });

  it('gives each caller its own budget, and refuses past it with 429 RATE_LIMITED and Retry-After', async () => {
    const limited = await gatewayWith({
      rateLimit: { operations: 3, perSeconds: 60 },
      auth: {
        apiKeys: [
          { id: 'a', sha256: sha(keyA) },
          { id: 'b', sha256: sha(keyB) },
        ],
      },
    });
    for (let i = 0; i < 3; i++) expect((await ask(limited, { 'x-api-key': keyA })).status).toBe(200);
    const refused = await ask(limited, { 'x-api-key': keyA });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await refused.json()) as { errors: Array<{ message: string; extensions: Record<string, unknown> }> };
    expect(body.errors[0]?.message).toMatch(/^Rate limit of 3 operations per 60 s reached for this caller; retry in \d+ s$/);
    expect(body.errors[0]?.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3, windowSeconds: 60 });
    // Another caller is not affected.
    expect((await ask(limited, { 'x-api-key': keyB })).status).toBe(200);
  });
});

describe('query cost', () => {
  // With `{ __typename }` selected, each invocation costs invocationCost (10) + 1.
  let costly: UnitGateway;
  beforeAll(async () => {
    costly = await assembleUnitGateway({ config: { limits: { maxCost: 110, maxAliases: 15 } } });
  });
  afterAll(() => costly.close());
  const calls = () => costly.invoker.calls.length;

  const batch = 'mutation Batch($inputs: [InvokeFunctionInput!]!) { invokeFunctions(inputs: $inputs) { __typename } }';
  const inputs = (n: number) => Array.from({ length: n }, () => ({ functionName: 'noop' }));

  it('grows with the number of invokeFunctions inputs: a batch at the limit runs, one more input is refused with no call', async () => {
    const within = await post(costly, batch, { inputs: inputs(10) });
    expect(within.status).toBe(200);
    expect(within.body.data).toEqual({ invokeFunctions: inputs(10).map(() => ({ __typename: 'Invocation' })) });

    const before = calls();
    const over = await post(costly, batch, { inputs: inputs(11) });
    expect(over.status).toBe(400);
    expect(over.body.errors).toHaveLength(1);
    expect(over.body.errors?.[0]).toMatchObject({
      message: 'The query cost is 121, over the limit of 110 by 11',
      extensions: { code: 'MAX_COST_EXCEEDED', limit: 110, actual: 121 },
    });
    expect(calls() - before).toBe(0);
  });

  it('adds up aliased batches, each within the limit alone, and refuses them together before any runs', async () => {
    const one = '{ functionName: "noop" }';
    const aliased = Array.from({ length: 4 }, (_, i) => `b${i}: invokeFunctions(inputs: [${one}, ${one}, ${one}]) { __typename }`).join(
      ' ',
    );
    const before = calls();
    const { status, body } = await post(costly, `mutation { ${aliased} }`);
    expect(status).toBe(400);
    // 4 aliases × 3 inputs × 11 = 132.
    expect(body.errors?.[0]).toMatchObject({
      message: 'The query cost is 132, over the limit of 110 by 22',
      extensions: { code: 'MAX_COST_EXCEEDED' },
    });
    expect(body.data ?? null).toBeNull();
    expect(calls() - before).toBe(0);
  });

  it('counts each selected field, once per input of a batch', async () => {
    // invokeFunctions: 2 × 10; per result: __typename + ... on Invocation { requestId statusCode report { durationMs } } = 5.
    const query =
      'mutation Batch($inputs: [InvokeFunctionInput!]!) { invokeFunctions(inputs: $inputs) { __typename ... on Invocation { requestId statusCode report { durationMs } } } }';
    const before = calls();
    // 3 × 10 + 3 × 5 = 45: within the limit.
    expect((await post(costly, query, { inputs: inputs(3) })).body.errors).toBeUndefined();
    expect(calls() - before).toBe(3);
    const over = await post(costly, query, { inputs: inputs(8) });
    expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED', limit: 110, actual: 8 * 10 + 8 * 5 });
  });

  it('takes its weights from the configuration, and refuses a bad value at start', async () => {
    const cheap = await gatewayWith({ limits: { maxCost: 30, invocationCost: 0 } });
    // Only the 30 selected __typename fields count.
    expect((await post(cheap, batch, { inputs: inputs(30) })).status).toBe(200);
    // The defaults admit a full batch (maxBatchSize 100) selecting every result field.
    const defaults = await gatewayWith({});
    const full = await defaults.execute(InvokeFunctionsDocument, { inputs: inputs(100) });
    expect(full.errors).toBeUndefined();
    expect(full.data?.invokeFunctions).toHaveLength(100);
    expect(() => resolveGatewayConfig({ limits: { maxCost: 0 } })).toThrow(/limits\.maxCost: Too small.*\(got 0\)/);
    expect(resolveGatewayConfig({}).limits).toMatchObject({ maxCost: 10_000, invocationCost: 10 });
  });
});
