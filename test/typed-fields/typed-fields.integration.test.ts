/**
 * The demo's typed fields end to end: the gateway with the real SDK in front of the built-in local
 * Lambda serving examples/functions, as `npm start` serves them. Invocations are counted by the
 * local Lambda itself: its log sink receives each invocation's execution log lines (START … REPORT)
 * under that invocation's request id, so the distinct request ids are the invocations.
 */
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_FUNCTIONS } from '../../src/config.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

const runs: { functionName: string; requestId: string }[] = [];
const runsOf = (name: string) => [...new Set(runs.filter((run) => run.functionName === name).map((run) => run.requestId))];

function doc(source: string): TypedDocumentNode<Record<string, unknown>, Record<string, unknown>> {
  return parse(source);
}

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(
    { lambda: { kind: 'local', functions: DEMO_FUNCTIONS } },
    { localLambda: { logSink: ({ functionName, requestId }) => runs.push({ functionName, requestId }) } },
  );
});
afterAll(() => gateway.close());
beforeEach(() => {
  runs.length = 0;
});

describe('the demo’s typed fields on the local Lambda', () => {
  it('user under many aliases with a few distinct ids, plus nested orders: exactly one users-get and one orders-by-user invocation', async () => {
    const aliases = Array.from(
      { length: 12 },
      (_, i) => `u${i}: user(id: "user-${(i % 4) + 1}") { id name orders { id total items { sku } } }`,
    );
    const result = await gateway.executeHttp(doc(`{ ${aliases.join('\n')} nobody: user(id: "user-404") { id } }`), {});
    expect(result.status).toBe(200);
    expect(result.body.errors).toBeUndefined();
    const data = result.body.data ?? {};
    expect(data.u0).toEqual({
      id: 'user-1',
      name: 'Ada Lovelace',
      orders: [{ id: 'order-1-1', total: 42, items: [{ sku: 'book-sicp' }] }],
    });
    expect(data.u4).toEqual(data.u0);
    expect((data.u1 as { orders: unknown[] }).orders).toHaveLength(2);
    expect((data.u2 as { orders: unknown[] }).orders).toHaveLength(3);
    expect(data.nobody).toBeNull();
    expect(runsOf('users-get')).toHaveLength(1);
    expect(runsOf('orders-by-user')).toHaveLength(1);
    expect(new Set(runs.map((run) => run.requestId)).size).toBe(2);
  });

  it('placeOrder twice is two invocations, each its own order', async () => {
    const place = doc(`mutation {
      a: placeOrder(input: { userId: "user-2", currency: USD, items: [{ sku: "book-taocp", quantity: 2 }] }) { id userId total currency status }
      b: placeOrder(input: { userId: "user-2", currency: USD, items: [{ sku: "book-taocp", quantity: 2 }] }) { id }
    }`);
    const result = await gateway.executeHttp(place, {});
    expect(result.body.errors).toBeUndefined();
    const { a, b } = result.body.data as { a: { id: string; total: number }; b: { id: string } };
    expect(a).toMatchObject({ userId: 'user-2', total: 399, currency: 'USD', status: 'PLACED' });
    expect(b.id).not.toBe(a.id);
    expect(runsOf('orders-place')).toHaveLength(2);
  });

  it('the activity log names the field behind each invocation', async () => {
    await gateway.executeHttp(doc(`{ user(id: "user-5") { orders { id } } }`), {});
    const activity = await gateway.executeHttp(doc(`{ recentInvocations(last: 2) { functionName origin status } }`), {});
    expect(activity.body.data?.recentInvocations).toEqual(
      expect.arrayContaining([
        { functionName: 'users-get', origin: 'Query.user', status: 'SUCCEEDED' },
        { functionName: 'orders-by-user', origin: 'User.orders', status: 'SUCCEEDED' },
      ]),
    );
  });
});
