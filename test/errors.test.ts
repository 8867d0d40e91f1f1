/**
 * The tier-2 error module: every factory sets its code and that code's status, the refusal body
 * is the same on every path, and the list of codes is the whole truth — about src/ (no code raised
 * that is not listed) and about the README (its table is the list).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GraphQLError } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import {
  badRequest,
  badUserInput,
  forbidden,
  GATEWAY_ERRORS,
  gatewayError,
  type GatewayErrorCode,
  invocationNotFound,
  limitExceeded,
  limitRefusal,
  rateLimited,
  refusalBody,
  refusalResponse,
  unauthenticated,
  withoutHttp,
} from '../src/errors.ts';
import { useDrain } from '../src/plugins/use-drain.ts';
import { schema } from '../src/schema/index.ts';

const CODES = Object.keys(GATEWAY_ERRORS) as GatewayErrorCode[];
const root = join(import.meta.dirname, '..');

function expectCoded(error: GraphQLError, code: GatewayErrorCode): void {
  expect(error).toBeInstanceOf(GraphQLError);
  expect(error.extensions.code).toBe(code);
  expect(error.extensions.http?.status).toBe(GATEWAY_ERRORS[code].status);
}

describe('factories', () => {
  it.each(CODES)('gatewayError(%s) carries the code and its status', (code) => {
    const error = gatewayError(code, 'why');
    expectCoded(error, code);
    expect(error.message).toBe('why');
  });

  it('unauthenticated: 401 with a challenge naming the schemes', () => {
    const error = unauthenticated('The API key is not valid');
    expectCoded(error, 'UNAUTHENTICATED');
    expect(error.extensions.http?.headers).toEqual({ 'www-authenticate': 'Bearer, ApiKey' });
    expect(unauthenticated('no secret', 'DestinationSecret').extensions.http?.headers).toEqual({ 'www-authenticate': 'DestinationSecret' });
  });

  it('forbidden and badRequest: the code and status, nothing more', () => {
    expect(forbidden('no').extensions).toEqual({ code: 'FORBIDDEN', http: { status: 403 } });
    expect(badRequest('no').extensions).toEqual({ code: 'BAD_REQUEST', http: { status: 400 } });
  });

  it('badUserInput: with a limit, the one limit shape (limit, limitName, actual); its status follows GraphQL over HTTP', () => {
    expect(badUserInput('bad').extensions).toEqual({ code: 'BAD_USER_INPUT', http: { status: 400, spec: true } });
    expect(badUserInput('too many', { name: 'maxBatchSize', value: 60, actual: 61 }).extensions).toEqual({
      code: 'BAD_USER_INPUT',
      limit: 60,
      limitName: 'maxBatchSize',
      actual: 61,
      http: { status: 400, spec: true },
    });
  });

  it('limitExceeded says the figure, the limit and the excess; limitRefusal leaves out an unknown actual', () => {
    const error = limitExceeded('MAX_DEPTH_EXCEEDED', 'The query depth', { name: 'limits.maxDepth', value: 2, actual: 3 });
    expectCoded(error, 'MAX_DEPTH_EXCEEDED');
    expect(error.message).toBe('The query depth is 3, over the limit of 2 by 1');
    expect(error.extensions).toMatchObject({ limit: 2, limitName: 'limits.maxDepth', actual: 3 });
    const huge = limitRefusal('MAX_TOKENS_EXCEEDED', 'more than twice', { name: 'limits.maxTokens', value: 100 });
    expectCoded(huge, 'MAX_TOKENS_EXCEEDED');
    expect(huge.extensions).toMatchObject({ limit: 100, limitName: 'limits.maxTokens' });
    expect(huge.extensions).not.toHaveProperty('actual');
  });

  it('rateLimited: 429, Retry-After, the budget and the window', () => {
    const error = rateLimited({ operations: 3, perSeconds: 60, retryAfterSeconds: 7 });
    expectCoded(error, 'RATE_LIMITED');
    expect(error.message).toBe('Rate limit of 3 operations per 60 s reached for this caller; retry in 7 s');
    expect(error.extensions).toMatchObject({ limit: 3, limitName: 'rateLimit.operations', windowSeconds: 60, retryAfterSeconds: 7 });
    expect(error.extensions).not.toHaveProperty('actual');
    expect(error.extensions.http?.headers).toEqual({ 'retry-after': '7' });
  });

  it('invocationNotFound: 404 with the id and the wait', () => {
    const error = invocationNotFound('unknown', 'abc', 1500);
    expectCoded(error, 'INVOCATION_NOT_FOUND');
    expect(error.extensions).toMatchObject({ requestId: 'abc', waitedMs: 1500 });
  });

  it('withoutHttp drops only the http extension, and returns an error without one as it is', () => {
    const error = rateLimited({ operations: 3, perSeconds: 60, retryAfterSeconds: 7 });
    const wire = withoutHttp(error);
    expect(wire.message).toBe(error.message);
    expect(wire.extensions).not.toHaveProperty('http');
    expect(wire.extensions).toMatchObject({ code: 'RATE_LIMITED', limit: 3 });
    expect(withoutHttp(wire)).toBe(wire);
  });

  it('the module augmentation admits only listed codes (a type test: tsc fails if it stops refusing)', () => {
    // @ts-expect-error NOT_A_CODE is not in GATEWAY_ERRORS
    const error = new GraphQLError('x', { extensions: { code: 'NOT_A_CODE' } });
    expect(error.extensions.code).toBe('NOT_A_CODE');
  });
});

describe('refusals outside execution', () => {
  it('refusalBody is the GraphQL response shape with one coded error', () => {
    expect(JSON.parse(refusalBody('HOST_NOT_ALLOWED', 'not this name'))).toEqual({
      errors: [{ message: 'not this name', extensions: { code: 'HOST_NOT_ALLOWED' } }],
    });
  });

  it('refusalResponse: the code’s status, JSON, and the headers given', async () => {
    const response = refusalResponse('SHUTTING_DOWN', 'draining', { 'retry-after': '1' });
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ errors: [{ message: 'draining', extensions: { code: 'SHUTTING_DOWN' } }] });
  });

  it('one shape on every path: the GraphQL path and the others (a draining gateway at /graphql and /lambda-destinations)', async () => {
    const shutdown = new AbortController();
    shutdown.abort();
    const yoga = createYoga({ schema, plugins: [useDrain(shutdown.signal)], logging: false });
    const expected = {
      errors: [{ message: 'this gateway instance is shutting down; retry on another', extensions: { code: 'SHUTTING_DOWN' } }],
    };
    for (const path of ['/graphql', '/lambda-destinations']) {
      const response = await yoga.fetch(`http://localhost${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(response.status).toBe(503);
      expect(await response.json()).toEqual(expected);
    }
    // Reports are not refusals: /health keeps its own answer while draining.
    expect((await yoga.fetch('http://localhost/health')).status).toBe(200);
  });
});

describe('the list of codes', () => {
  /** Every .ts file under src/, but local-lambda/ (a Lambda emulator: it speaks Lambda's error names, not ours). */
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'local-lambda' ? [] : sources(path);
      return entry.name.endsWith('.ts') ? [path] : [];
    });
  }

  it('holds every code src/ raises or compares', () => {
    // Type checking already refuses an unlisted `extensions.code` and an unlisted factory
    // argument; this catches what it cannot: codes spelt as strings elsewhere (comparisons,
    // constants). A code is `code: 'X'`, or any upper-case string with an underscore.
    const coded = /code: '([A-Z_]+)'|'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;
    // Not tier-2 codes: yoga's own (passed on, never raised here), and the tier-1 `code` field
    // of InvalidInvocationError, which is data in the schema, beside Lambda's exception names.
    const notOurs = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'INTERNAL_SERVER_ERROR', 'GATEWAY_VALIDATION']);
    const found = new Map<string, string>();
    for (const file of sources(join(root, 'src'))) {
      for (const match of readFileSync(file, 'utf8').matchAll(coded)) {
        const code = match[1] ?? match[2] ?? '';
        if (!notOurs.has(code)) found.set(code, file);
      }
    }
    expect(found.size).toBeGreaterThan(10);
    const unlisted = [...found].filter(([code]) => !(code in GATEWAY_ERRORS));
    expect(unlisted).toEqual([]);
  });

  it('is the README’s table: every code, its status and when, in the same order', () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d+) \| (.+) \|$/gm)].map(([, code, status, when]) => ({
      code,
      status: Number(status),
      when,
    }));
    expect(rows).toEqual(Object.entries(GATEWAY_ERRORS).map(([code, { status, when }]) => ({ code, status, when })));
  });
});
