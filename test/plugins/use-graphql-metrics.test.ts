/**
 * The GraphQL series at /metrics (src/plugins/use-graphql-metrics.ts), through the assembled
 * gateway: each phase's errors, executions, subscriptions, the HTTP histogram, and the series
 * without operation names where names are the caller's to choose. The series names and label sets
 * are the ones @graphql-yoga/plugin-prometheus wrote, which this plugin replaced.
 */
import { createHash } from 'node:crypto';
import { createSchema, createYoga } from 'graphql-yoga';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useGraphqlMetrics } from '../../src/plugins/use-graphql-metrics.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';

const KEY = 'metrics-test-key';

function gatewayWith(mode: 'development' | 'production'): Promise<UnitGateway> {
  return assembleUnitGateway({
    config: {
      mode,
      maxBatchSize: 2,
      access: { allow: [{ functions: ['echo'] }] },
      auth: { apiKeys: [{ id: 'tests', sha256: createHash('sha256').update(KEY).digest('hex') }] },
    },
  });
}

async function post(gateway: UnitGateway, body: object, options: { accept?: string; key?: string } = {}): Promise<number> {
  const text = JSON.stringify(body);
  const response = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(text)),
      accept: options.accept ?? 'application/graphql-response+json',
      'x-api-key': options.key ?? KEY,
    },
    body: text,
  });
  await response.text();
  return response.status;
}

/** The value of the one series line that starts with `series` (name and labels, exactly). */
function value(text: string, series: string): number | undefined {
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GraphQL metrics, development (operation names bounded)', () => {
  let gateway: UnitGateway;
  let text: string;
  beforeAll(async () => {
    gateway = await gatewayWith('development');
    const invoke = 'mutation Named { invokeFunction(input: { functionName: "echo" }) { __typename } }';
    expect(await post(gateway, { query: invoke })).toBe(200);
    expect(await post(gateway, { query: invoke })).toBe(200);
    expect(await post(gateway, { query: '{ gateway { ' })).toBe(400);
    expect(await post(gateway, { query: 'query A { nope } query B { alsoNot }', operationName: 'B' })).toBe(400);
    expect(
      await post(gateway, {
        query:
          'mutation Big { invokeFunctions(inputs: [{ functionName: "echo" }, { functionName: "echo" }, { functionName: "echo" }]) { __typename } }',
      }),
    ).toBe(400);
    expect(await post(gateway, { query: invoke }, { key: 'not-the-key' })).toBe(401);
    expect(await post(gateway, { query: 'fragment F on Query { __typename } query Opened { ...F }' })).toBe(200);
    expect(
      await post(
        gateway,
        { query: 'subscription S { invokeFunctionStream(input: { functionName: "echo" }) { __typename } }' },
        { accept: 'text/event-stream' },
      ),
    ).toBe(200);
    text = await gateway.metrics();
  });
  afterAll(() => gateway.close());

  it('counts executions by operation and times each request that parsed, by method and status', () => {
    expect(value(text, 'graphql_envelop_request{operationName="Named",operationType="mutation"}')).toBe(2);
    expect(
      value(text, 'graphql_yoga_http_duration_count{method="POST",statusCode="200",operationType="mutation",operationName="Named"}'),
    ).toBe(2);
    expect(
      value(text, 'graphql_yoga_http_duration_count{method="POST",statusCode="401",operationType="mutation",operationName="Named"}'),
    ).toBe(1);
    // A document that never parsed has no operation to time.
    expect(text).not.toMatch(/graphql_yoga_http_duration_count\{[^}]*operationType="undefined"/);
  });

  it('counts errors by phase, with the path of an execution error', () => {
    expect(value(text, 'graphql_envelop_error_result{operationName="undefined",operationType="undefined",phase="parse"}')).toBe(1);
    expect(value(text, 'graphql_envelop_error_result{operationName="B",operationType="query",phase="validate"}')).toBe(1);
    expect(
      value(text, 'graphql_envelop_error_result{operationName="Big",operationType="mutation",phase="execute",path="invokeFunctions"}'),
    ).toBe(1);
    // A refused API key fails the context: nothing executes.
    expect(value(text, 'graphql_envelop_error_result{operationName="Named",operationType="mutation",phase="context"}')).toBe(1);
  });

  it('labels a document by the operation that runs, not by a fragment before it', () => {
    expect(value(text, 'graphql_envelop_request{operationName="Opened",operationType="query"}')).toBe(1);
    expect(text).not.toContain('operationName="F"');
  });

  it('times a subscription from its start to its end, and counts it when it ends', () => {
    expect(value(text, 'graphql_envelop_phase_subscribe_count{operationName="S",operationType="subscription"}')).toBe(1);
    expect(value(text, 'graphql_envelop_request{operationName="S",operationType="subscription"}')).toBe(1);
  });

  it('counts the schema once', () => {
    expect(value(text, 'graphql_envelop_schema_change')).toBe(1);
    expect(text).toContain('# TYPE graphql_yoga_http_duration histogram');
    expect(text).not.toMatch(/url="/);
  });
});

describe('GraphQL metrics, production (operation names are the caller’s)', () => {
  it('carry no operationName label in any series', async () => {
    const gateway = await gatewayWith('production');
    try {
      expect(await post(gateway, { query: 'mutation Invented { invokeFunction(input: { functionName: "echo" }) { __typename } }' })).toBe(
        200,
      );
      expect(await post(gateway, { query: '{ nope }' })).toBe(400);
      const text = await gateway.metrics();
      expect(text).not.toContain('operationName=');
      expect(value(text, 'graphql_envelop_request{operationType="mutation"}')).toBe(1);
      expect(value(text, 'graphql_envelop_error_result{operationType="query",phase="validate"}')).toBe(1);
      expect(value(text, 'graphql_yoga_http_duration_count{method="POST",statusCode="200",operationType="mutation"}')).toBe(1);
    } finally {
      await gateway.close();
    }
  });
});

describe('GraphQL metrics on a registry that already has them', () => {
  it('reuse its series (a gateway built again on the same registry), as the yoga plugin did', async () => {
    const registry = new Registry();
    const serve = () => {
      const metrics = useGraphqlMetrics({ endpoint: '/metrics', registry, operationNames: true });
      return createYoga({
        schema: createSchema({ typeDefs: 'type Query { ok: Boolean }', resolvers: { Query: { ok: () => true } } }),
        plugins: [metrics.requests, metrics.contextErrors],
      });
    };
    const first = serve();
    const second = serve();
    for (const yoga of [first, second]) {
      const response = await yoga.fetch('http://127.0.0.1/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'query Twice { ok }' }),
      });
      expect(response.status).toBe(200);
    }
    const text = await registry.metrics();
    expect(value(text, 'graphql_envelop_request{operationName="Twice",operationType="query"}')).toBe(2);
  });
});
