/**
 * Idempotency keys: a replay returns the first outcome without invoking again; the same key with
 * another request is a typed conflict; a refusal frees the key (through Redis:
 * test/redis/idempotency.test.ts). Unit tier: "runs" are the calls that reached the fake invoker,
 * which answers as the fixture functions do (sleep takes its time, unknown names are not found).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import { fixtureLambda } from '../invocations/fake-invoker.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { InvokeFunctionDocument } from './documents.ts';

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway({ answer: fixtureLambda() });
});
afterAll(() => gateway.close());

async function invoke(target: UnitGateway, input: InvokeFunctionInput): Promise<InvokeResultFieldsFragment> {
  const result = await target.execute(InvokeFunctionDocument, { input });
  const outcome = result.data?.invokeFunction;
  if (outcome === undefined) throw new Error(JSON.stringify(result));
  return outcome;
}

const runsOf = (functionName: string) => gateway.invoker.calls.filter(({ request }) => request.target.name === functionName).length;

describe('idempotency keys', () => {
  it('a replay returns the first outcome, marked replayed, without running the function again', async () => {
    const before = runsOf('counter');
    const first = await invoke(gateway, { functionName: 'counter', idempotencyKey: 'order-1' });
    const again = await invoke(gateway, { functionName: 'counter', idempotencyKey: 'order-1' });
    if (first.__typename !== 'Invocation' || again.__typename !== 'Invocation') throw new Error('expected invocations');
    expect(again).toEqual({ ...first, replayed: true });
    expect(first.replayed).toBe(false);
    expect(runsOf('counter') - before).toBe(1);
    // Without a key, every request runs.
    await invoke(gateway, { functionName: 'counter' });
    expect(runsOf('counter') - before).toBe(2);
  });

  it('the same key with another request is a conflict, and nothing runs', async () => {
    await invoke(gateway, { functionName: 'echo', payload: { amount: 10 }, idempotencyKey: 'payment-7' });
    const before = runsOf('echo');
    const conflict = await invoke(gateway, { functionName: 'echo', payload: { amount: 11 }, idempotencyKey: 'payment-7' });
    expect(conflict).toEqual({
      __typename: 'IdempotencyConflictError',
      message: "The idempotency key 'payment-7' was first used with a different request; use a new key for a new request",
      idempotencyKey: 'payment-7',
      conflict: 'DIFFERENT_REQUEST',
    });
    expect(runsOf('echo') - before).toBe(0);
  });

  it('a request still running under the key makes a second one a conflict, not a second run', async () => {
    const before = runsOf('sleep');
    const [a, b] = await Promise.all([
      invoke(gateway, { functionName: 'sleep', payload: { ms: 300 }, idempotencyKey: 'slow-1' }),
      invoke(gateway, { functionName: 'sleep', payload: { ms: 300 }, idempotencyKey: 'slow-1' }),
    ]);
    expect([a.__typename, b.__typename].sort()).toEqual(['IdempotencyConflictError', 'Invocation']);
    expect([a, b].find((o) => o.__typename === 'IdempotencyConflictError')).toMatchObject({ conflict: 'IN_PROGRESS' });
    expect(runsOf('sleep') - before).toBe(1);
  });

  it('a refusal frees the key: the caller may retry with it', async () => {
    const missing = await invoke(gateway, { functionName: 'not-deployed-yet', idempotencyKey: 'retry-me' });
    expect(missing.__typename).toBe('FunctionNotFoundError');
    const retried = await invoke(gateway, { functionName: 'not-deployed-yet', idempotencyKey: 'retry-me' });
    expect(retried.__typename).toBe('FunctionNotFoundError');
  });

  it('refuses an empty or overlong key', async () => {
    expect(await invoke(gateway, { functionName: 'noop', idempotencyKey: '' })).toMatchObject({
      __typename: 'InvalidInvocationError',
      code: 'GATEWAY_VALIDATION',
    });
    expect(await invoke(gateway, { functionName: 'noop', idempotencyKey: 'k'.repeat(256) })).toMatchObject({
      message: 'idempotencyKey must be 1 to 255 characters; got 256',
    });
  });
});
