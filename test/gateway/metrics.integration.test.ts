/** `/metrics`: Prometheus text with HTTP/GraphQL metrics and per-function invocation metrics. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvocationDocument, InvokeFunctionDocument } from './documents.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway({ invokeMaxAttempts: 1 });
});
afterAll(() => gateway.close());

async function metrics(): Promise<string> {
  const response = await fetch(new URL('/metrics', gateway.running.url));
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

describe('EVENT invocations', () => {
  it('count Lambda accepting them apart from how they ended, which comes with the destination record', async () => {
    const events = await startTestGateway({}, { localLambda: { async: { retryDelaysMs: [10, 20] } } });
    try {
      const ids: string[] = [];
      for (const functionName of ['fail', 'echo', 'echo']) {
        const outcome = (await events.execute(InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT' } })).data
          ?.invokeFunction;
        if (outcome?.__typename !== 'Invocation') throw new Error('not accepted');
        ids.push(outcome.requestId);
      }
      for (const requestId of ids) {
        await expect
          .poll(async () => (await events.execute(InvocationDocument, { requestId })).data?.invocation?.status, { interval: 20 })
          .not.toBe('ACCEPTED');
      }
      const text = await (await fetch(new URL('/metrics', events.running.url))).text();
      // A 202 is an acceptance, not a success: the failing one is not counted as one.
      expect(text).toContain('lambda_invocations_total{function="fail",invocation_type="Event",outcome="accepted"} 1');
      expect(text).toContain('lambda_invocations_total{function="echo",invocation_type="Event",outcome="accepted"} 2');
      expect(text).not.toMatch(/invocation_type="Event",outcome="success"/);
      expect(text).toContain('lambda_async_completions_total{function="fail",status="failed"} 1');
      expect(text).toContain('lambda_async_completions_total{function="echo",status="succeeded"} 2');
    } finally {
      await events.close();
    }
  });
});

describe('GraphQL metrics in production', () => {
  it('are not labelled by caller-chosen operation names, so invented names grow no series', async () => {
    const production = await startTestGateway({ mode: 'production', access: { allow: [{ functions: ['echo'] }] } });
    try {
      for (let i = 0; i < 5; i += 1) {
        const response = await production.running.gateway.fetch(production.running.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: `mutation Invented${i} { invokeFunction(input: { functionName: "echo" }) { __typename } }` }),
        });
        expect(response.status).toBe(200);
      }
      const text = await (await fetch(new URL('/metrics', production.running.url))).text();
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
