/**
 * Typed fields at run time, on the unit tier: the gateway fully assembled, the demo's handlers
 * (or small ones of the test's) answering in-process through the fake invoker, which records every
 * call "Lambda" received — so each count below is a count of invocations.
 */
import type { Context } from 'aws-lambda';
import { parse } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterEach, describe, expect, it } from 'vitest';
import { handler as ordersByUser } from '../../examples/functions/orders-by-user.ts';
import { handler as ordersPlace } from '../../examples/functions/orders-place.ts';
import { handler as usersGet } from '../../examples/functions/users-get.ts';
import type { GatewayOptions } from '../../src/config.ts';
import { DEMO_TYPED_FIELDS, type TypedFieldsOptions } from '../../src/typed-fields/declarations.ts';
import type { InvokeRequest, InvokeResponse } from '../../src/lambda/invoker.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';

type Answer = (event: unknown) => unknown;

const DEMO_HANDLERS: Record<string, Answer> = {
  'users-get': (event) => usersGet(event as never, {} as Context, () => undefined),
  'orders-by-user': (event) => ordersByUser(event as never, {} as Context, () => undefined),
  'orders-place': (event) => ordersPlace(event as never, {} as Context, () => undefined),
};

function response(payload: unknown, call: number, functionError?: string): InvokeResponse {
  return {
    requestId: `request-${call}`,
    statusCode: 200,
    executedVersion: '$LATEST',
    functionError,
    logResult: undefined,
    payload: Buffer.from(JSON.stringify(payload)),
  };
}

/** "Lambda": each function a handler of the test's, a thrown error a function error. */
function answering(handlers: Record<string, Answer>) {
  return async (request: InvokeRequest, call: number): Promise<InvokeResponse> => {
    const handler = handlers[request.target.name];
    if (handler === undefined) throw new Error(`no handler for ${request.target.name}`);
    try {
      return response(await handler(JSON.parse(Buffer.from(request.payload).toString('utf8'))), call);
    } catch (error) {
      return response({ errorType: (error as Error).name, errorMessage: (error as Error).message, trace: [] }, call, 'Unhandled');
    }
  };
}

function doc(source: string): TypedDocumentNode<Record<string, unknown>, Record<string, unknown>> {
  return parse(source);
}

let gateway: UnitGateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

async function start(typedFields: TypedFieldsOptions, handlers: Record<string, Answer>, config: GatewayOptions = {}): Promise<UnitGateway> {
  gateway = await assembleUnitGateway({ config: { typedFields, ...config }, answer: answering(handlers) });
  return gateway;
}

const payloadOf = (request: InvokeRequest): unknown => JSON.parse(Buffer.from(request.payload).toString('utf8'));
const callsTo = (g: UnitGateway, name: string) => g.invoker.calls.filter((call) => call.request.target.name === name);

describe('reads: deduplicated and batched per operation', () => {
  it('user under many aliases with a few distinct ids, plus nested orders: one users-get and one orders-by-user invocation', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    const result = await g.execute(
      doc(`{
        a: user(id: "user-1") { id name orders { id total } }
        b: user(id: "user-2") { id orders { id } }
        c: user(id: "user-1") { email orders { id } }
        d: user(id: "user-3") { id }
        e: user(id: "nobody") { id }
      }`),
      {},
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.a).toMatchObject({ id: 'user-1', name: 'Ada Lovelace', orders: [{ id: 'order-1-1', total: 42 }] });
    expect(result.data?.c).toMatchObject({ email: 'ada.lovelace.1@example.com', orders: [{ id: 'order-1-1' }] });
    expect(result.data?.b).toMatchObject({ id: 'user-2', orders: [{ id: 'order-2-1' }, { id: 'order-2-2' }] });
    expect(result.data?.e).toBeNull();
    expect(callsTo(g, 'users-get')).toHaveLength(1);
    expect(callsTo(g, 'orders-by-user')).toHaveLength(1);
    // Four distinct ids (user-1 twice is one item); orders for the three users selected with orders, user-1 once.
    const users = payloadOf(callsTo(g, 'users-get')[0]?.request as InvokeRequest) as { arguments: { id: string } }[];
    expect(users.map((item) => item.arguments.id)).toEqual(['user-1', 'user-2', 'user-3', 'nobody']);
    const orders = payloadOf(callsTo(g, 'orders-by-user')[0]?.request as InvokeRequest) as { source: { id: string } }[];
    expect(orders.map((item) => item.source)).toEqual([{ id: 'user-1' }, { id: 'user-2' }]);
  });

  it('each BatchInvoke item has AppSync’s shape: arguments, source, info, identity', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    await g.execute(doc(`query Q($id: ID!) { user(id: $id) { id ...F } } fragment F on User { orders { id items { sku } } }`), {
      id: 'user-4',
    });
    const [item] = payloadOf(callsTo(g, 'users-get')[0]?.request as InvokeRequest) as unknown[];
    expect(item).toEqual({
      arguments: { id: 'user-4' },
      source: null,
      info: {
        fieldName: 'user',
        parentTypeName: 'Query',
        variables: { id: 'user-4' },
        selectionSetList: ['id', 'orders', 'orders/id', 'orders/items', 'orders/items/sku'],
        selectionSetGraphQL: '{\n  id\n  ...F\n}',
      },
      identity: null,
    });
    const [orderItem] = payloadOf(callsTo(g, 'orders-by-user')[0]?.request as InvokeRequest) as unknown[];
    expect(orderItem).toMatchObject({ arguments: {}, source: { id: 'user-4' }, info: { fieldName: 'orders', parentTypeName: 'User' } });
  });

  it('batches are split at maxSize', async () => {
    const fields: TypedFieldsOptions = {
      Query: {
        echo: {
          function: 'echo',
          arguments: { type: 'object', properties: { n: { type: 'integer' } } },
          result: { type: 'integer' },
          batch: { maxSize: 2 },
        },
      },
    };
    const g = await start(fields, { echo: (events) => (events as { arguments: { n: number } }[]).map((e) => e.arguments.n) });
    const result = await g.execute(doc(`{ a: echo(n: 1) b: echo(n: 2) c: echo(n: 3) d: echo(n: 4) e: echo(n: 5) }`), {});
    expect(result.data).toEqual({ a: 1, b: 2, c: 3, d: 4, e: 5 });
    expect(g.invoker.calls.map((call) => (payloadOf(call.request) as unknown[]).length)).toEqual([2, 2, 1]);
  });

  it('a function that is not batch-aware gets one invocation per distinct use (the event itself), concurrently', async () => {
    const fields: TypedFieldsOptions = {
      Query: {
        double: {
          function: 'double',
          arguments: { type: 'object', properties: { n: { type: 'integer' } }, required: ['n'] },
          result: { type: 'integer' },
        },
      },
    };
    const g = await start(fields, { double: (event) => (event as { arguments: { n: number } }).arguments.n * 2 });
    const result = await g.execute(doc(`{ a: double(n: 1) b: double(n: 2) c: double(n: 1) }`), {});
    expect(result.data).toEqual({ a: 2, b: 4, c: 2 });
    expect(g.invoker.calls.map((call) => (payloadOf(call.request) as { arguments: unknown }).arguments)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('idempotent: false batches but does not deduplicate', async () => {
    const fields: TypedFieldsOptions = {
      Query: { tick: { function: 'tick', result: { type: 'integer' }, idempotent: false, batch: { maxSize: 10 } } },
    };
    const g = await start(fields, { tick: (events) => (events as unknown[]).map((_, i) => i) });
    expect((await g.execute(doc(`{ a: tick b: tick }`), {})).data).toEqual({ a: 0, b: 1 });
    expect(g.invoker.calls).toHaveLength(1);
  });
});

describe('writes', () => {
  it('placeOrder twice is two invocations, in order, never deduplicated', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    const result = await g.execute(
      doc(`mutation {
        first: placeOrder(input: { userId: "user-1", items: [{ sku: "mug-lambda", quantity: 2 }] }) { id total currency }
        second: placeOrder(input: { userId: "user-1", items: [{ sku: "mug-lambda", quantity: 2 }] }) { id }
        nobody: placeOrder(input: { userId: "nobody", items: [{ sku: "mug-lambda", quantity: 1 }] }) { id }
      }`),
      {},
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ first: { id: 'order-new-1', total: 24, currency: 'EUR' }, second: { id: 'order-new-2' }, nobody: null });
    expect(callsTo(g, 'orders-place')).toHaveLength(3);
    expect(payloadOf(callsTo(g, 'orders-place')[0]?.request as InvokeRequest)).toMatchObject({
      arguments: { input: { userId: 'user-1', items: [{ sku: 'mug-lambda', quantity: 2 }] } },
      info: { fieldName: 'placeOrder', parentTypeName: 'Mutation' },
    });
  });
  it('arguments are checked against their schema (what GraphQL cannot say: minimum, minItems) before any invocation', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    const result = await g.execute(
      doc(`mutation { placeOrder(input: { userId: "user-1", items: [{ sku: "mug-lambda", quantity: 0 }] }) { id } }`),
      {},
    );
    expect(result.data).toEqual({ placeOrder: null });
    expect(result.errors?.[0]).toMatchObject({
      path: ['placeOrder'],
      message: 'Mutation.placeOrder: /input/items/0/quantity must be >= 1',
      extensions: { code: 'BAD_USER_INPUT' },
    });
    expect(g.invoker.calls).toHaveLength(0);
  });

  it('an explicit null for an optional argument is sent as omitted', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    const result = await g.execute(
      doc(`mutation { placeOrder(input: { userId: "user-1", note: null, items: [{ sku: "mug-lambda", quantity: 1 }] }) { note } }`),
      {},
    );
    expect(result).toEqual({ data: { placeOrder: { note: null } } });
    expect(
      (payloadOf(callsTo(g, 'orders-place')[0]?.request as InvokeRequest) as { arguments: { input: object } }).arguments.input,
    ).not.toHaveProperty('note');
  });
});

describe('errors are per field, with codes', () => {
  const personFields: TypedFieldsOptions = {
    Query: {
      person: {
        function: 'people',
        arguments: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        result: {
          type: ['object', 'null'],
          title: 'Person',
          properties: {
            name: { type: 'string' },
            orders: { type: 'array', items: { type: 'object', title: 'PersonOrder', properties: { total: { type: 'number' } } } },
          },
          required: ['name'],
        },
        batch: { maxSize: 10 },
      },
    },
  };

  it('a result that does not match its schema: RESULT_SCHEMA_MISMATCH at that field naming the path; siblings unharmed', async () => {
    const g = await start(personFields, {
      people: (events) =>
        (events as { arguments: { id: string } }[]).map(({ arguments: { id } }) =>
          id === 'bad' ? { name: 'B', orders: [{ total: 'ten' }] } : { name: id.toUpperCase(), orders: [{ total: 10 }] },
        ),
    });
    const result = await g.execute(doc(`{ good: person(id: "g") { name orders { total } } bad: person(id: "bad") { name } }`), {});
    expect(result.data).toEqual({ good: { name: 'G', orders: [{ total: 10 }] }, bad: null });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]).toMatchObject({
      path: ['bad'],
      message: 'Query.person: people returned a result its schema does not allow: /orders/0/total must be number',
      extensions: {
        code: 'RESULT_SCHEMA_MISMATCH',
        field: 'Query.person',
        functionName: 'people',
        requestId: 'request-1',
        resultPath: '/orders/0/total',
      },
    });
  });

  it('error-shaped batch items fail only their own field', async () => {
    const g = await start(personFields, {
      people: (events) =>
        (events as { arguments: { id: string } }[]).map(({ arguments: { id } }) =>
          id === 'gone' ? { errorType: 'NotFound', errorMessage: 'no person gone' } : { name: id },
        ),
    });
    const result = await g.execute(doc(`{ a: person(id: "a") { name } gone: person(id: "gone") { name } }`), {});
    expect(result.data).toEqual({ a: { name: 'a' }, gone: null });
    expect(result.errors?.[0]).toMatchObject({
      path: ['gone'],
      extensions: { code: 'FUNCTION_ERROR', errorType: 'NotFound', errorMessage: 'no person gone', functionName: 'people' },
    });
  });

  it('a batch result of another length fails that whole batch, naming expected and got', async () => {
    const g = await start(personFields, { people: () => [{ name: 'only one' }] });
    const result = await g.execute(doc(`{ a: person(id: "a") { name } b: person(id: "b") { name } }`), {});
    expect(result.data).toEqual({ a: null, b: null });
    expect(result.errors?.map((error) => error.extensions)).toEqual([
      expect.objectContaining({ code: 'BATCH_LENGTH_MISMATCH', expected: 2, got: 1 }),
      expect.objectContaining({ code: 'BATCH_LENGTH_MISMATCH', expected: 2, got: 1 }),
    ]);
  });

  it('a function error: FUNCTION_ERROR with the function, its request id, errorType and errorMessage', async () => {
    class Boom extends Error {
      override name = 'Boom';
    }
    const g = await start(personFields, {
      people: () => {
        throw new Boom('it broke');
      },
    });
    const result = await g.execute(doc(`{ person(id: "a") { name } gateway { maxBatchSize } }`), {});
    expect(result.data).toEqual({ person: null, gateway: { maxBatchSize: 100 } });
    expect(result.errors?.[0]).toMatchObject({
      path: ['person'],
      message: 'Query.person: people failed: Boom: it broke',
      extensions: { code: 'FUNCTION_ERROR', functionName: 'people', requestId: 'request-1', errorType: 'Boom', errorMessage: 'it broke' },
    });
  });

  it('a non-null field that fails nulls its parent, as GraphQL does; the error is still at its own path', async () => {
    const g = await start(DEMO_TYPED_FIELDS, { ...DEMO_HANDLERS, 'orders-by-user': () => 'not an array' });
    const result = await g.execute(doc(`{ user(id: "user-1") { id orders { id } } other: user(id: "user-2") { id } }`), {});
    expect(result.data).toEqual({ user: null, other: { id: 'user-2' } });
    expect(result.errors?.[0]).toMatchObject({
      path: ['user', 'orders'],
      extensions: { code: 'BATCH_LENGTH_MISMATCH', expected: 1, got: null },
    });
  });

  it('a function the caller may not invoke is FORBIDDEN before anything runs', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS, { access: { allow: [{ functions: ['orders-*'] }] } });
    const result = await g.execute(doc(`{ user(id: "user-1") { id } }`), {});
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(g.invoker.calls).toHaveLength(0);
  });
});

describe('the same pipeline as invokeFunction', () => {
  it('each activity entry names the field that caused it', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS);
    await g.execute(doc(`{ user(id: "user-1") { orders { id } } }`), {});
    const activity = await g.execute(doc(`{ recentInvocations(last: 5) { functionName origin } }`), {});
    expect(activity.data?.recentInvocations).toEqual(
      expect.arrayContaining([
        { functionName: 'users-get', origin: 'Query.user' },
        { functionName: 'orders-by-user', origin: 'User.orders' },
      ]),
    );
  });

  it('a typed field costs an invocation (limits.invocationCost)', async () => {
    const g = await start(DEMO_TYPED_FIELDS, DEMO_HANDLERS, { limits: { maxCost: 25, invocationCost: 10 } });
    const result = await g.execute(doc(`{ a: user(id: "user-1") { id } b: user(id: "user-2") { id } c: user(id: "user-3") { id } }`), {});
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'MAX_COST_EXCEEDED' });
    expect(g.invoker.calls).toHaveLength(0);
  });
});
