/**
 * `/metrics` in the unit tier: Prometheus text with HTTP/GraphQL metrics and per-function
 * invocation metrics, the calls answered by a fake Lambda that answers as the fixture functions do
 * (a failure, a throttle, a log tail with its REPORT line). How EVENT invocations ended comes with
 * destination records from the local Lambda: that stays in metrics.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureLambda } from '../invocations/fake-invoker.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { InvokeFunctionDocument } from './documents.ts';

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway({ config: { invokeMaxAttempts: 1 }, answer: fixtureLambda() });
});
afterAll(() => gateway.close());

async function metrics(): Promise<string> {
  const response = await gateway.fetch('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
  return response.text();
}

describe('/metrics', () => {
  it('counts invocations per function and outcome, and records REPORT figures', async () => {
    for (const input of [
      { functionName: 'echo' },
      { functionName: 'echo' },
      { functionName: 'fail' },
      { functionName: 'throttled' },
      { functionName: 'invented-name-1' },
      { functionName: 'bad name!' },
      { functionName: 'logs', logType: 'TAIL' as const },
    ]) {
      await gateway.execute(InvokeFunctionDocument, { input });
    }
    const text = await metrics();
    expect(text).toContain('lambda_invocations_total{function="echo",invocation_type="RequestResponse",outcome="success"} 2');
    expect(text).toContain('lambda_invocations_total{function="fail",invocation_type="RequestResponse",outcome="function_error"} 1');
    expect(text).toContain('lambda_invocations_total{function="throttled",invocation_type="RequestResponse",outcome="throttled"} 1');
    // Names Lambda does not know do not become labels.
    expect(text).toContain('lambda_invocations_total{function="(unknown)",invocation_type="RequestResponse",outcome="not_found"} 1');
    expect(text).toContain('lambda_invocations_total{function="(unknown)",invocation_type="RequestResponse",outcome="invalid"} 1');
    expect(text).not.toContain('invented-name-1');
    expect(text).toMatch(/lambda_invocation_duration_seconds_count\{function="echo",invocation_type="RequestResponse"\} 2/);
    expect(text).toMatch(/lambda_billed_duration_seconds_count\{function="logs"\} 1/);
    expect(text).toMatch(/lambda_max_memory_used_megabytes_count\{function="logs"\} 1/);
    // The GraphQL server's own metrics are there too, without the caller-chosen URL as a label.
    const httpCount = text
      .split('\n')
      .find((line) => line.startsWith('graphql_yoga_http_duration_count{') && line.includes('operationName="InvokeFunction"'));
    expect(httpCount).toContain('statusCode="200"');
    expect(httpCount).toMatch(/\} 7$/);
    expect(text).toMatch(/graphql_envelop_request\{[^}]*operationName="InvokeFunction"[^}]*\} 7/);
    expect(text).not.toMatch(/url="/);
  });
});

describe('GraphQL metrics in production', () => {
  it('are not labelled by caller-chosen operation names, so invented names grow no series', async () => {
    const production = await assembleUnitGateway({ config: { mode: 'production', access: { allow: [{ functions: ['echo'] }] } } });
    try {
      for (let i = 0; i < 5; i += 1) {
        const response = await production.fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `mutation Invented${i} { invokeFunction(input: { functionName: "echo" }) { __typename } }` }),
        });
        expect(response.status).toBe(200);
      }
      const text = await production.metrics();
      expect(text).not.toContain('Invented');
      // Still counted, by operation type.
      const httpCount = text
        .split('\n')
        .find((line) => line.startsWith('graphql_yoga_http_duration_count{') && line.includes('operationType="mutation"'));
      expect(httpCount).toMatch(/\} 5$/);
    } finally {
      await production.close();
    }
  });
});
