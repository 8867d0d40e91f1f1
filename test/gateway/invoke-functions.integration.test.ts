/**
 * `invokeFunctions`: many invocations in one operation through the per-request DataLoader —
 * concurrent under each function's cap, results in input order, one outcome per item, never merged except
 * identical DRY_RUN probes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvokeFunctionsDocument } from './documents.ts';

interface LogEvent {
  readonly functionName: string;
  readonly requestId: string;
  readonly kind: 'START' | 'REPORT';
}

let gateway: TestGateway;
const events: LogEvent[] = [];
let lambdaRequests = 0;

beforeAll(async () => {
  gateway = await startTestGateway(
    { concurrency: { perFunction: 4 }, maxBatchSize: 60 },
    {
      localLambda: {
        logSink: ({ functionName, requestId, text }) => {
          if (text.startsWith('START ')) events.push({ functionName, requestId, kind: 'START' });
          if (text.startsWith('REPORT ')) events.push({ functionName, requestId, kind: 'REPORT' });
        },
      },
    },
  );
  gateway.running.localLambda?.server.on('request', () => {
    lambdaRequests += 1;
  });
});
afterAll(() => gateway.close());

async function invokeMany(inputs: InvokeFunctionInput[]): Promise<InvokeResultFieldsFragment[]> {
  const result = await gateway.execute(InvokeFunctionsDocument, { inputs });
  expect(result.errors).toBeUndefined();
  return result.data?.invokeFunctions ?? [];
}

/** The most invocations of `functionName` that were running at the same moment. */
function peakConcurrency(functionName: string): number {
  let running = 0;
  let peak = 0;
  for (const event of events.filter((e) => e.functionName === functionName)) {
    running += event.kind === 'START' ? 1 : -1;
    peak = Math.max(peak, running);
  }
  return peak;
}

describe('invokeFunctions', () => {
  it('answers a batch of 50 mixed outcomes in input order, each its own', async () => {
    const kinds = ['echo', 'fail', 'missing', 'bad name', 'event', 'too large', 'alias'] as const;
    const inputs: InvokeFunctionInput[] = Array.from({ length: 50 }, (_, i) => {
      switch (kinds[i % kinds.length]) {
        case 'echo':
          return { functionName: 'echo', payload: { i } };
        case 'fail':
          return { functionName: 'fail', payload: { message: `failure ${i}` } };
        case 'missing':
          return { functionName: `missing-${i}` };
        case 'bad name':
          return { functionName: `bad name ${i}` };
        case 'event':
          return { functionName: 'echo', invocationType: 'EVENT', payload: { i } };
        case 'too large':
          return { functionName: 'echo', invocationType: 'EVENT', payload: 'x'.repeat(1_048_576) };
        default:
          return { functionName: 'echo:live', payload: { i } };
      }
    });
    const results = await invokeMany(inputs);
    expect(results).toHaveLength(50);
    results.forEach((result, i) => {
      const kind = kinds[i % kinds.length];
      switch (kind) {
        case 'echo':
          expect(result).toMatchObject({ __typename: 'Invocation', payloadJson: { i }, executedVersion: '$LATEST' });
          break;
        case 'fail':
          expect(result).toMatchObject({
            __typename: 'Invocation',
            functionError: { errorType: 'FixtureError', errorMessage: `failure ${i}` },
          });
          break;
        case 'missing':
          expect(result).toMatchObject({ __typename: 'FunctionNotFoundError', functionName: `missing-${i}` });
          break;
        case 'bad name':
          expect(result).toMatchObject({ __typename: 'InvalidInvocationError', field: 'FUNCTION_NAME' });
          break;
        case 'event':
          expect(result).toMatchObject({ __typename: 'Invocation', statusCode: 202 });
          break;
        case 'too large':
          expect(result).toMatchObject({ __typename: 'PayloadTooLargeError', excessBytes: 2 });
          break;
        default:
          expect(result).toMatchObject({ __typename: 'Invocation', executedVersion: '1', payloadJson: { code: 'v1', event: { i } } });
      }
    });
    // Every request id is distinct: nothing was merged.
    const ids = results.flatMap((r) => (r.__typename === 'Invocation' ? [r.requestId] : []));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('runs concurrently, but never more of one function at once than its cap', async () => {
    await invokeMany(Array.from({ length: 10 }, () => ({ functionName: 'sleep', payload: { ms: 150 } })));
    expect(events.filter((e) => e.functionName === 'sleep' && e.kind === 'START')).toHaveLength(10);
    expect(peakConcurrency('sleep')).toBe(4);
  });

  it('does not hold one function back while another is at its cap', async () => {
    const start = events.length;
    const slow = invokeMany(Array.from({ length: 8 }, () => ({ functionName: 'sleep', payload: { ms: 400 } })));
    // Once the slow batch fills its function's slots, another function's invocation goes straight through.
    await expect.poll(() => events.slice(start).filter((e) => e.functionName === 'sleep' && e.kind === 'START').length).toBe(4);
    const [quick] = await invokeMany([{ functionName: 'echo', payload: { quick: true } }]);
    expect(quick).toMatchObject({ __typename: 'Invocation', payloadJson: { quick: true } });
    const since = events.slice(start);
    // It finished before the first sleep did: it never waited for a sleep's slot.
    const echoDone = since.findIndex((e) => e.functionName === 'echo' && e.kind === 'REPORT');
    const firstSleepDone = since.findIndex((e) => e.functionName === 'sleep' && e.kind === 'REPORT');
    expect(echoDone).toBeGreaterThanOrEqual(0);
    expect(firstSleepDone === -1 || echoDone < firstSleepDone).toBe(true);
    await slow;
    expect(peakConcurrency('sleep')).toBe(4);
    // The wait is visible: 4 of the 8 queued for a slot.
    const metrics = await (await gateway.running.gateway.fetch(new URL('/metrics', gateway.running.url))).text();
    expect(metrics).toMatch(/lambda_invocation_queued_seconds_count\{function="sleep"\} (\d+)/);
    expect(Number(/lambda_invocation_queued_seconds_count\{function="sleep"\} (\d+)/.exec(metrics)?.[1])).toBeGreaterThanOrEqual(4);
  });

  it('holds a function to its reserved concurrency, so Lambda never has to throttle the batch', async () => {
    // reserved-one (the sleep handler) has reservedConcurrency 1: the gateway queues the others.
    const before = lambdaRequests;
    const results = await invokeMany(Array.from({ length: 3 }, () => ({ functionName: 'reserved-one', payload: { ms: 50 } })));
    expect(results.map((r) => r.__typename)).toEqual(['Invocation', 'Invocation', 'Invocation']);
    expect(peakConcurrency('reserved-one')).toBe(1);
    // One request each: none was throttled and retried.
    expect(lambdaRequests - before).toBe(3);
  });

  it('never merges identical invocations', async () => {
    const results = await invokeMany([{ functionName: 'counter' }, { functionName: 'counter' }, { functionName: 'counter' }]);
    const counts = results.map((r) => (r.__typename === 'Invocation' ? (r.payloadJson as { invocations: number }).invocations : -1));
    expect(new Set(results.map((r) => (r.__typename === 'Invocation' ? r.requestId : '')))).toHaveProperty('size', 3);
    expect(counts.every((c) => c > 0)).toBe(true);
  });

  it('shares one call among identical DRY_RUN probes, and only among those', async () => {
    const before = lambdaRequests;
    const probe = { functionName: 'echo', qualifier: 'live', invocationType: 'DRY_RUN' } as const;
    const results = await invokeMany([probe, probe, probe, { ...probe, qualifier: '2' }]);
    expect(lambdaRequests - before).toBe(2);
    expect(results.map((r) => r.__typename === 'Invocation' && r.statusCode)).toEqual([204, 204, 204, 204]);
  });

  it('refuses more inputs than maxBatchSize with a BAD_USER_INPUT error that says by how much', async () => {
    const before = lambdaRequests;
    const result = await gateway.execute(InvokeFunctionsDocument, { inputs: Array.from({ length: 61 }, () => ({ functionName: 'noop' })) });
    expect(result.data).toBeNull();
    expect(result.errors?.[0]?.message).toBe('invokeFunctions takes at most 60 inputs; got 61 (1 over the limit)');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 60, limitName: 'maxBatchSize', actual: 61 });
    // BAD_USER_INPUT is a request error: 400 for application/graphql-response+json, and 200 for
    // application/json, as GraphQL over HTTP asks (src/errors.ts).
    const inputs = Array.from({ length: 61 }, () => ({ functionName: 'noop' }));
    const overHttp = await gateway.executeHttp(InvokeFunctionsDocument, { inputs });
    expect(overHttp.status).toBe(400);
    const asJson = await gateway.executeHttp(InvokeFunctionsDocument, { inputs }, { accept: 'application/json' });
    expect(asJson.status).toBe(200);
    expect(asJson.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limitName: 'maxBatchSize' });
    expect(lambdaRequests - before).toBe(0);
  });
});
