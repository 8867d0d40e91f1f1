/**
 * `invokeFunction` against the built-in local Lambda through the real SDK: every field of
 * `Invocation` and every member of the result union, each through `yoga.fetch` and through a real
 * HTTP request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { GatewayInfoDocument, InvokeFunctionDocument } from './documents.ts';
import { as } from './invoke-result.ts';

let gateway: TestGateway;
/** Requests that reached the local Lambda, to prove that refused inputs never call it. */
let lambdaRequests = 0;

beforeAll(async () => {
  gateway = await startTestGateway();
  gateway.running.localLambda?.server.on('request', () => {
    lambdaRequests += 1;
  });
});
afterAll(() => gateway.close());

type Transport = 'yoga.fetch' | 'HTTP';
let transport: Transport = 'yoga.fetch';

async function invoke(input: InvokeFunctionInput): Promise<InvokeResultFieldsFragment> {
  let result;
  if (transport === 'HTTP') {
    const answer = await gateway.executeHttp(InvokeFunctionDocument, { input });
    expect(answer.status).toBe(200);
    result = answer.body;
  } else {
    result = await gateway.execute(InvokeFunctionDocument, { input });
  }
  expect(result.errors).toBeUndefined();
  const outcome = result.data?.invokeFunction;
  if (outcome === undefined) throw new Error('no data');
  return outcome;
}

async function withoutLambdaCalls<T>(action: () => Promise<T>): Promise<T> {
  const before = lambdaRequests;
  const result = await action();
  expect(lambdaRequests - before).toBe(0);
  return result;
}

describe.each<Transport>(['yoga.fetch', 'HTTP'])('through %s', (via) => {
  beforeAll(() => {
    transport = via;
  });

  describe('a successful invocation', () => {
    it('maps Lambda’s answer to typed fields', async () => {
      const invocation = as(await invoke({ functionName: 'context', payload: { hello: 'world' } }), 'Invocation');
      const seen = invocation.payloadJson as { awsRequestId: string; functionName: string };
      expect(invocation).toMatchObject({
        functionName: 'context',
        qualifier: null,
        invocationType: 'REQUEST_RESPONSE',
        statusCode: 200,
        executedVersion: '$LATEST',
        functionError: null,
        logResult: null,
        decodedLogs: null,
        report: null,
      });
      expect(invocation.requestId).toBe(seen.awsRequestId);
      expect(seen.functionName).toBe('context');
      expect(JSON.parse(invocation.payloadText ?? '')).toEqual(invocation.payloadJson);
      expect(invocation.payloadSizeBytes).toBe(Buffer.byteLength(invocation.payloadText ?? ''));
      expect(invocation.durationMs).toBeGreaterThan(0);
    });

    it('sends {} when the payload is omitted, and any JSON value otherwise', async () => {
      expect(as(await invoke({ functionName: 'echo' }), 'Invocation').payloadJson).toEqual({});
      for (const value of ['text', 7, [1, { a: null }], true]) {
        expect(as(await invoke({ functionName: 'echo', payload: value }), 'Invocation').payloadJson).toEqual(value);
      }
    });

    it('reports null, not a missing payload, for a handler that returns nothing', async () => {
      const invocation = as(await invoke({ functionName: 'noop' }), 'Invocation');
      expect(invocation.payloadText).toBe('null');
      expect(invocation.payloadJson).toBeNull();
    });

    it.each([
      [{ functionName: 'echo', qualifier: 'live' }, '1', { code: 'v1', event: 1 }],
      [{ functionName: 'echo:2' }, '2', { code: 'v2', event: 1, note: 'two' }],
      [{ functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live' }, '1', { code: 'v1', event: 1 }],
      [{ functionName: 'echo', qualifier: '$LATEST' }, '$LATEST', 1],
    ])('resolves %o to version %s', async (target, version, expected) => {
      const invocation = as(await invoke({ ...target, payload: 1 }), 'Invocation');
      expect(invocation.executedVersion).toBe(version);
      expect(invocation.payloadJson).toEqual(expected);
    });
  });

  describe('function errors are data, not GraphQL errors', () => {
    it('a thrown error: statusCode 200 and functionError parsed from the payload', async () => {
      const invocation = as(await invoke({ functionName: 'fail', payload: { message: 'kaboom' } }), 'Invocation');
      expect(invocation.statusCode).toBe(200);
      expect(invocation.functionError).toMatchObject({ kind: 'Unhandled', errorType: 'FixtureError', errorMessage: 'kaboom' });
      expect(invocation.functionError?.stackTrace[0]).toBe('FixtureError: kaboom');
      expect(invocation.payloadJson).toMatchObject({ errorType: 'FixtureError' });
    });

    it('a timeout: Sandbox.Timedout, and the REPORT says so', async () => {
      const invocation = as(await invoke({ functionName: 'timeout', payload: { ms: 3000 }, logType: 'TAIL' }), 'Invocation');
      expect(invocation.functionError).toMatchObject({
        kind: 'Unhandled',
        errorType: 'Sandbox.Timedout',
        errorMessage: `RequestId: ${invocation.requestId} Error: Task timed out after 1.00 seconds`,
        stackTrace: [],
      });
      expect(invocation.report?.status).toBe('timeout');
    });
  });

  describe('Tail logs', () => {
    it('decodes the log and parses its REPORT line, Init Duration included on a cold start', async () => {
      const fresh = await startTestGateway();
      try {
        const result = await fresh.execute(InvokeFunctionDocument, {
          input: { functionName: 'logs', payload: { lines: 2 }, logType: 'TAIL' },
        });
        const invocation = as(result.data?.invokeFunction as InvokeResultFieldsFragment, 'Invocation');
        expect(Buffer.from(invocation.logResult ?? '', 'base64').toString('utf8')).toBe(invocation.decodedLogs);
        const lines = (invocation.decodedLogs ?? '').split('\n');
        expect(lines[0]).toBe(`START RequestId: ${invocation.requestId} Version: $LATEST`);
        expect(lines[1]).toMatch(/\tINFO\tline 1 $/);
        const reportLine = lines.find((line) => line.startsWith('REPORT')) ?? '';
        const figure = (name: string) => Number(new RegExp(`\\t${name}: ([\\d.]+)`).exec(reportLine)?.[1]);
        expect(invocation.report).toEqual({
          durationMs: figure('Duration'),
          billedDurationMs: figure('Billed Duration'),
          memorySizeMb: 128,
          maxMemoryUsedMb: figure('Max Memory Used'),
          initDurationMs: figure('Init Duration'),
          status: null,
          errorType: null,
        });
        expect(invocation.report?.initDurationMs).toBeGreaterThan(0);
      } finally {
        await fresh.close();
      }
    });
  });

  describe('client context', () => {
    it('round-trips to the function as context.clientContext', async () => {
      const clientContext = { client: { app_title: 'gateway tests' }, custom: { tenant: 'acme', tier: 2 }, env: { locale: 'fr' } };
      const invocation = as(await invoke({ functionName: 'context', clientContext }), 'Invocation');
      expect((invocation.payloadJson as { clientContext: unknown }).clientContext).toEqual(clientContext);
    });

    it('must be a JSON object: refused before any call', async () => {
      for (const clientContext of [[1, 2], 'text', 42]) {
        const error = await withoutLambdaCalls(async () =>
          as(await invoke({ functionName: 'context', clientContext }), 'InvalidInvocationError'),
        );
        expect(error).toMatchObject({ code: 'GATEWAY_VALIDATION', field: 'CLIENT_CONTEXT' });
        expect(error.message).toMatch(/^clientContext must be a JSON object/);
      }
    });
  });

  describe('limits are checked before any call, and say which limit and by how much', () => {
    const payloadOfBytes = (bytes: number) => 'p'.repeat(bytes - 2); // a JSON string: two quotes

    it('a synchronous payload of exactly 6,291,456 bytes goes through; one byte more does not', async () => {
      const atLimit = as(await invoke({ functionName: 'echo', payload: payloadOfBytes(6_291_456) }), 'Invocation');
      expect(atLimit.payloadSizeBytes).toBe(6_291_456);
      const over = await withoutLambdaCalls(async () =>
        as(await invoke({ functionName: 'echo', payload: payloadOfBytes(6_291_457) }), 'PayloadTooLargeError'),
      );
      expect(over).toEqual({
        __typename: 'PayloadTooLargeError',
        message: 'Payload is 6291457 bytes, over the synchronous payload limit of 6291456 bytes by 1 bytes',
        part: 'PAYLOAD',
        limitBytes: 6_291_456,
        sizeBytes: 6_291_457,
        excessBytes: 1,
      });
    });

    it('an EVENT payload of exactly 1,048,576 bytes is accepted; one byte more is not', async () => {
      const atLimit = as(await invoke({ functionName: 'echo', invocationType: 'EVENT', payload: payloadOfBytes(1_048_576) }), 'Invocation');
      expect(atLimit.statusCode).toBe(202);
      const over = await withoutLambdaCalls(async () =>
        as(await invoke({ functionName: 'echo', invocationType: 'EVENT', payload: payloadOfBytes(1_048_577) }), 'PayloadTooLargeError'),
      );
      expect(over).toMatchObject({ part: 'PAYLOAD', limitBytes: 1_048_576, sizeBytes: 1_048_577, excessBytes: 1 });
      expect(over.message).toContain('Event payload limit');
    });

    it('a client context is measured once base64-encoded against 3,583 bytes', async () => {
      // Base64 comes in groups of 4 characters, so 3,580 is the largest encoding within the limit
      // and 3,584 the smallest over it: {"k":"…"} is 8 bytes of JSON around the value.
      const context = (jsonBytes: number) => ({ k: 'c'.repeat(jsonBytes - 8) });
      const within = as(await invoke({ functionName: 'context', clientContext: context(2685) }), 'Invocation');
      expect(Buffer.from(JSON.stringify(context(2685))).toString('base64')).toHaveLength(3580);
      expect((within.payloadJson as { clientContext: unknown }).clientContext).toEqual(context(2685));
      const over = await withoutLambdaCalls(async () =>
        as(await invoke({ functionName: 'context', clientContext: context(2686) }), 'PayloadTooLargeError'),
      );
      expect(over).toMatchObject({ part: 'CLIENT_CONTEXT', limitBytes: 3583, sizeBytes: 3584, excessBytes: 1 });
      expect(over.message).toBe('Client context is 3584 bytes, over the base64-encoded client context limit of 3583 bytes by 1 bytes');
    });

    it('function names and qualifiers are checked with Lambda’s own rules', async () => {
      const badName = await withoutLambdaCalls(async () => as(await invoke({ functionName: 'bad name!' }), 'InvalidInvocationError'));
      expect(badName).toMatchObject({ code: 'ValidationException', field: 'FUNCTION_NAME' });
      expect(badName.message).toMatch(/^1 validation error detected: Value 'bad name!' at 'functionName'/);
      const badQualifier = await withoutLambdaCalls(async () =>
        as(await invoke({ functionName: 'echo', qualifier: 'x'.repeat(129) }), 'InvalidInvocationError'),
      );
      expect(badQualifier).toMatchObject({ code: 'ValidationException', field: 'QUALIFIER' });
      const conflict = await withoutLambdaCalls(async () =>
        as(await invoke({ functionName: 'echo:1', qualifier: '2' }), 'InvalidInvocationError'),
      );
      expect(conflict).toMatchObject({
        code: 'InvalidParameterValueException',
        field: 'QUALIFIER',
        message: 'The derived qualifier from the function name does not match the specified qualifier.',
      });
    });
  });

  describe('Lambda’s refusals become union members', () => {
    it.each([
      ['a plain name', { functionName: 'nope' }, 'nope', null, 'nope:$LATEST'],
      ['an alias', { functionName: 'echo', qualifier: 'missing' }, 'echo', 'missing', 'echo:missing'],
      [
        'an ARN',
        { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:ghost' },
        'arn:aws:lambda:us-east-1:123456789012:function:ghost',
        null,
        'ghost:$LATEST',
      ],
    ])('not found: %s', async (_label, input, functionName, qualifier, arnSuffix) => {
      const error = as(await invoke(input), 'FunctionNotFoundError');
      expect(error).toEqual({
        __typename: 'FunctionNotFoundError',
        message: `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${arnSuffix}`,
        functionName,
        qualifier,
      });
    });

    it('throttled: the reason and retry-after, after retrying the throttle (it cannot have run)', async () => {
      const before = lambdaRequests;
      const error = as(await invoke({ functionName: 'throttled' }), 'ThrottledError');
      expect(error).toEqual({
        __typename: 'ThrottledError',
        message: 'Rate Exceeded.',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        retryAfterSeconds: 1,
      });
      expect(lambdaRequests - before).toBe(3);
    });
  });

  describe('DRY_RUN and EVENT', () => {
    it('DRY_RUN: 204 and no payload fields', async () => {
      const invocation = as(await invoke({ functionName: 'echo', invocationType: 'DRY_RUN' }), 'Invocation');
      expect(invocation).toMatchObject({
        statusCode: 204,
        invocationType: 'DRY_RUN',
        executedVersion: null,
        payloadJson: null,
        payloadText: null,
        payloadSizeBytes: null,
        functionError: null,
        decodedLogs: null,
      });
      expect(invocation.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('EVENT: 202 with the request id the function will see, and no payload fields', async () => {
      const invocation = as(await invoke({ functionName: 'echo', invocationType: 'EVENT', payload: { later: true } }), 'Invocation');
      expect(invocation).toMatchObject({
        statusCode: 202,
        invocationType: 'EVENT',
        executedVersion: null,
        payloadJson: null,
        payloadText: null,
      });
      expect(invocation.requestId).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});

describe('Query.gateway', () => {
  it('says what the gateway talks to and its limits', async () => {
    const result = await gateway.execute(GatewayInfoDocument, {});
    expect(result.data?.gateway).toEqual({ lambdaTarget: 'LOCAL', region: 'us-east-1', maxBatchSize: 100, invokeTimeoutMs: 60_000 });
  });
});
