/**
 * The SDK invoker learning a function's reserved concurrency from Lambda (GetFunctionConcurrency,
 * the real SDK against the local Lambda): `reserved-one` (the sleep handler) has reserved
 * concurrency 1, so Lambda throttles a second call in flight. Learned, the cap holds the other
 * calls in the gateway; not learned (an endpoint's default), they reach Lambda and are refused.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConcurrencyLimits } from '../../src/lambda/concurrency-limits.ts';
import { createSdkInvoker, type SdkInvoker } from '../../src/lambda/sdk-invoker.ts';
import { invokeRequest } from '../helpers/invoke-request.ts';
import { type FixtureLambda, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

let lambda: FixtureLambda;
const invokers: SdkInvoker[] = [];

beforeAll(async () => {
  lambda = await startFixtureLambda();
});
afterAll(async () => {
  for (const invoker of invokers) invoker.destroy();
  await lambda.close();
});

function invokerWith(reservedFromLambda: boolean): { invoker: SdkInvoker; limits: ConcurrencyLimits } {
  const limits = new ConcurrencyLimits({ total: 10, perFunction: 10, functions: [] });
  const invoker = createSdkInvoker({
    region: 'us-east-1',
    endpoint: lambda.endpoint,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    concurrency: limits,
    timeoutMs: 10_000,
    // One attempt: a throttle is an outcome here, not something retried away.
    maxAttempts: 1,
    reservedFromLambda,
  });
  invokers.push(invoker);
  return { invoker, limits };
}

const sleep = (ms: number) => invokeRequest('reserved-one', { payload: payloadOf({ ms }) });

/** The outcome of each call: its status code, or the name of the error it was refused with. */
const outcomes = (calls: Promise<{ statusCode: number }>[]) =>
  Promise.all(
    calls.map((call) =>
      call.then(
        (response) => response.statusCode,
        (error: Error) => error.name,
      ),
    ),
  );

describe('reserved concurrency learned from Lambda', () => {
  it('caps the function at it once known, so concurrent calls wait here instead of being throttled', async () => {
    const { invoker, limits } = invokerWith(true);
    expect(limits.capOf('reserved-one')).toBe(10);
    await invoker.invoke(sleep(0));
    await vi.waitFor(() => expect(limits.capOf('reserved-one')).toBe(1));
    const calls = Array.from({ length: 3 }, () => invoker.invoke(sleep(30)));
    expect([...limits.queued()]).toEqual([['reserved-one', 2]]);
    expect(await outcomes(calls)).toEqual([200, 200, 200]);
  });

  it('leaves the cap as configured where it is not asked to learn, and Lambda throttles the rest', async () => {
    const { invoker, limits } = invokerWith(false);
    await invoker.invoke(sleep(0));
    const calls = Array.from({ length: 3 }, () => invoker.invoke(sleep(200)));
    const results = await outcomes(calls);
    expect(limits.capOf('reserved-one')).toBe(10);
    expect(results.filter((result) => result === 200)).toHaveLength(1);
    expect(results.filter((result) => result !== 200)).toEqual(['ThrottledError', 'ThrottledError']);
  });

  it('lifts a cap it learned once Lambda answers that the function has no reserved concurrency', async () => {
    const { invoker, limits } = invokerWith(true);
    limits.setReserved('echo', 2);
    await invoker.invoke(invokeRequest('echo', { payload: payloadOf({}) }));
    // GetFunctionConcurrency answers {} for echo: its cap is the configured one again.
    await vi.waitFor(() => expect(limits.capOf('echo')).toBe(10));
  });
});
