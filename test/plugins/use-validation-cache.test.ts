/**
 * The validation cache (src/plugins/use-validation-cache.ts) with yoga's own turned off, as the
 * gateway runs it: a document is validated once while its rules stay the same, an invalid one keeps
 * its errors, and a request validated with other rules is validated again.
 */
import { GraphQLError, type validate, type ValidationRule } from 'graphql';
import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useValidationCache } from '../../src/plugins/use-validation-cache.ts';

/** Refuses every document: added only to requests that carry `x-strict`. */
const refuseAll: ValidationRule = (context) => ({
  Document(node) {
    context.reportError(new GraphQLError('strict: refused', { nodes: node }));
  },
});

function server(): { readonly yoga: ReturnType<typeof createYoga>; readonly validations: () => number } {
  let count = 0;
  const counting: Plugin = {
    onValidate({ validateFn, setValidationFn, addValidationRule, context }) {
      const request = (context as { request?: Request }).request;
      if (request?.headers.has('x-strict') === true) addValidationRule(refuseAll);
      const inner = validateFn as typeof validate;
      setValidationFn(((...args: Parameters<typeof validate>) => {
        count += 1;
        return inner(...args);
      }) as typeof validateFn);
    },
  };
  const yoga = createYoga({
    schema: createSchema({ typeDefs: 'type Query { hello: String }', resolvers: { Query: { hello: () => 'world' } } }),
    parserAndValidationCache: { validationCache: false },
    plugins: [counting, useValidationCache()],
    logging: false,
  });
  return { yoga, validations: () => count };
}

async function ask(yoga: ReturnType<typeof createYoga>, query: string, strict = false): Promise<{ status: number; body: unknown }> {
  const response = await yoga.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...(strict ? { 'x-strict': '1' } : {}) },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, body: await response.json() };
}

describe('useValidationCache', () => {
  it('validates a document once while the rules stay the same', async () => {
    const { yoga, validations } = server();
    for (let i = 0; i < 3; i++) expect(await ask(yoga, '{ hello }')).toEqual({ status: 200, body: { data: { hello: 'world' } } });
    expect(validations()).toBe(1);
  });

  it('keeps the errors of an invalid document', async () => {
    const { yoga, validations } = server();
    const first = await ask(yoga, '{ nope }');
    expect(first.status).toBe(400);
    expect(JSON.stringify(first.body)).toContain('Cannot query field \\"nope\\"');
    expect(await ask(yoga, '{ nope }')).toEqual(first);
    expect(validations()).toBe(1);
  });

  it('validates again when a request is validated with other rules', async () => {
    const { yoga, validations } = server();
    expect((await ask(yoga, '{ hello }')).status).toBe(200);
    const strict = await ask(yoga, '{ hello }', true);
    expect(strict.status).toBe(400);
    expect(JSON.stringify(strict.body)).toContain('strict: refused');
    // Back to the first rules: its own result, not the strict one.
    expect(await ask(yoga, '{ hello }')).toEqual({ status: 200, body: { data: { hello: 'world' } } });
    expect(validations()).toBe(3);
  });
});
