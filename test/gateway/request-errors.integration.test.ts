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
import { CASES, type GraphQLBody } from './request-error-cases.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

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
