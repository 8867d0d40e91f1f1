/**
 * Per-function deadlines: each function gets the deadline of the first `functionTimeouts` rule
 * that matches its own name (whatever spelling the caller used), or the gateway-wide
 * `invokeTimeoutMs`. A call past its deadline is an InvocationTimeoutError naming that deadline,
 * and is never retried.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../../src/config.ts';
import { FunctionDeadlines } from '../../src/lambda/deadlines.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvokeFunctionDocument, InvokeFunctionsDocument } from './documents.ts';

// The gap between the two deadlines is what the test relies on: a call to `sleep` that would take
// `SLEEP_MS` outlives its short deadline and fits easily in the long one.
const SHORT_MS = 250;
const LONG_MS = 20_000;
const SLEEP_MS = 1500;

let gateway: TestGateway;
const starts = new Map<string, number>();
beforeAll(async () => {
  gateway = await startTestGateway(
    {
      invokeTimeoutMs: LONG_MS,
      functionTimeouts: [
        { functions: ['sleep'], timeoutMs: SHORT_MS },
        { functions: ['reserved-*'], timeoutMs: LONG_MS },
      ],
    },
    {
      localLambda: {
        logSink: ({ functionName, text }) => {
          if (text.startsWith('START')) starts.set(functionName, (starts.get(functionName) ?? 0) + 1);
        },
      },
    },
  );
});
afterAll(() => gateway.close());

describe('per-function deadlines', () => {
  it('gives two functions running the same code their own deadlines, in one operation', async () => {
    const result = await gateway.execute(InvokeFunctionsDocument, {
      inputs: [
        { functionName: 'sleep', payload: { ms: SLEEP_MS } },
        { functionName: 'reserved-one', payload: { ms: SLEEP_MS } },
      ],
    });
    const [short, long] = result.data?.invokeFunctions ?? [];
    expect(short).toEqual({
      __typename: 'InvocationTimeoutError',
      message: `Lambda did not answer within the gateway's invocation deadline of ${SHORT_MS} ms`,
      timeoutMs: SHORT_MS,
    });
    expect(long).toMatchObject({ __typename: 'Invocation', statusCode: 200, payloadJson: { sleptMs: SLEEP_MS } });
    // The timed-out call was not retried: `sleep` started exactly once.
    await expect.poll(() => gateway.running.localLambda?.lambda.inFlight('sleep'), { interval: 10, timeout: 10_000 }).toBe(0);
    expect(starts.get('sleep')).toBe(1);
    expect(starts.get('reserved-one')).toBe(1);
  });

  it('matches the function’s own name, so an ARN spelling gets the same deadline', async () => {
    const before = starts.get('sleep') ?? 0;
    const result = await gateway.execute(InvokeFunctionDocument, {
      input: { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:sleep', payload: { ms: SLEEP_MS } },
    });
    expect(result.data?.invokeFunction).toMatchObject({ __typename: 'InvocationTimeoutError', timeoutMs: SHORT_MS });
    await expect.poll(() => gateway.running.localLambda?.lambda.inFlight('sleep'), { interval: 10, timeout: 10_000 }).toBe(0);
    expect((starts.get('sleep') ?? 0) - before).toBe(1);
  });

  it('leaves functions no rule names on the gateway-wide deadline', async () => {
    const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'echo', payload: { ok: true } } });
    expect(result.data?.invokeFunction).toMatchObject({ __typename: 'Invocation', payloadJson: { ok: true } });
  });
});

describe('deadline rules', () => {
  const target = (name: string, qualifier?: string) => ({ name, qualifier, region: undefined, account: undefined });

  it('takes the first matching rule, with qualifiers ($LATEST when none is given), else the default', () => {
    const deadlines = new FunctionDeadlines(
      [
        { functions: ['report-*'], qualifiers: ['prod'], timeoutMs: 900_000 },
        { functions: ['report-*'], timeoutMs: 120_000 },
        { functions: ['lookup'], qualifiers: ['$LATEST'], timeoutMs: 1000 },
      ],
      60_000,
    );
    expect(deadlines.timeoutMsOf(target('report-daily', 'prod'))).toBe(900_000);
    expect(deadlines.timeoutMsOf(target('report-daily', '3'))).toBe(120_000);
    expect(deadlines.timeoutMsOf(target('report-daily'))).toBe(120_000);
    expect(deadlines.timeoutMsOf(target('lookup'))).toBe(1000);
    expect(deadlines.timeoutMsOf(target('lookup', 'live'))).toBe(60_000);
    expect(deadlines.timeoutMsOf(target('other'))).toBe(60_000);
  });

  it('refuses a bad rule at start, naming the key and the value', () => {
    expect(() => resolveGatewayConfig({ functionTimeouts: [{ functions: ['sleep'], timeoutMs: 0 }] })).toThrow(
      /functionTimeouts\.0\.timeoutMs: Too small.*\(got 0\)/,
    );
    expect(() => resolveGatewayConfig({ functionTimeouts: [{ functions: ['a b'], timeoutMs: 10 }] })).toThrow(
      /functionTimeouts\.0\.functions\.0: function name patterns are names with \* wildcards \(got "a b"\)/,
    );
    expect(resolveGatewayConfig({}).functionTimeouts).toEqual([]);
  });
});
