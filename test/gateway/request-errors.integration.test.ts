/**
 * Request errors raised before execution begins (variables that cannot be coerced, the choice of
 * operation) over SSE: a `next` event on an accepted stream, read here by the real graphql-sse
 * client over a socket, each with an `extensions.code`. The HTTP answers (200 or 400 by what is
 * accepted, a plain SSE request, a malformed operationName) are tested in the unit tier
 * (request-errors.test.ts).
 */
import { createClient } from 'graphql-sse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

interface GraphQLBody {
  data?: unknown;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

interface RequestCase {
  readonly name: string;
  readonly body: { query: string; variables?: Record<string, unknown>; operationName?: string };
  readonly code: string;
}

const FOLLOW = 'query Follow($requestId: ID!) { invocation(requestId: $requestId) { status } }';
const CASES: readonly RequestCase[] = [
  {
    name: 'a variable value that cannot be coerced',
    body: { query: FOLLOW, variables: { requestId: { not: 'an id' } } },
    code: 'BAD_USER_INPUT',
  },
  { name: 'a null for a non-null variable', body: { query: FOLLOW, variables: { requestId: null } }, code: 'BAD_USER_INPUT' },
  { name: 'a missing non-null variable', body: { query: FOLLOW, variables: {} }, code: 'BAD_USER_INPUT' },
  {
    name: 'several operations and no operationName',
    body: { query: 'query A { gateway { region } } query B { gateway { region } }' },
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'an unknown operationName',
    body: { query: 'query A { gateway { region } }', operationName: 'B' },
    code: 'OPERATION_RESOLUTION_FAILURE',
  },
  {
    name: 'a subscription with a null for a non-null variable',
    body: {
      query: 'subscription Updates($requestId: ID!) { invocationUpdates(requestId: $requestId) { status } }',
      variables: { requestId: null },
    },
    code: 'BAD_USER_INPUT',
  },
];

describe.each(CASES)('$name', ({ body, code }) => {
  it('delivers the error to the graphql-sse client on an accepted stream, then completes', async () => {
    const client = createClient({ url: gateway.running.url, retryAttempts: 0 });
    const results: GraphQLBody[] = [];
    const ended = Promise.withResolvers<void>();
    client.subscribe(body, {
      next: (result) => results.push(result as GraphQLBody),
      error: (error: unknown) => ended.reject(error instanceof Error ? error : new Error(String(error))),
      complete: () => ended.resolve(),
    });
    try {
      await ended.promise;
    } finally {
      client.dispose();
    }
    expect(results).toHaveLength(1);
    expect(results[0]?.data).toBeUndefined();
    expect(results[0]?.errors?.[0]?.extensions?.code).toBe(code);
  });
});
