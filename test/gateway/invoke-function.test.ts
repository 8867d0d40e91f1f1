/**
 * `invokeFunction` and `invokeFunctions` in the unit tier: the whole assembled gateway (schema,
 * plugins, access, idempotency, records) through `gateway.fetch`, with a fake invoker saying what
 * "Lambda" answered. What only the real SDK and the local Lambda can show — the wire, retries,
 * concurrency, REPORT lines of real runs — stays in invoke-function(s).integration.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import {
  FunctionNotFoundError,
  InvalidInvocationError,
  InvocationTimeoutError,
  LambdaServiceError,
  PayloadTooLargeError,
  ThrottledError,
} from '../../src/lambda/errors.ts';
import type { InvokeRequest, InvokeResponse } from '../../src/lambda/invoker.ts';
import { accepted } from '../invocations/fake-invoker.ts';
import { assembleUnitGateway, type UnitGateway, type UnitGatewayOptions } from '../helpers/unit-gateway.ts';
import { GatewayInfoDocument, InvocationDocument, InvokeFunctionDocument, InvokeFunctionsDocument } from './documents.ts';
import { as } from './invoke-result.ts';

const open: UnitGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

async function gatewayWith(options: UnitGatewayOptions = {}): Promise<UnitGateway> {
  const gateway = await assembleUnitGateway(options);
  open.push(gateway);
  return gateway;
}

async function invoke(gateway: UnitGateway, input: InvokeFunctionInput): Promise<InvokeResultFieldsFragment> {
  const result = await gateway.execute(InvokeFunctionDocument, { input });
  expect(result.errors).toBeUndefined();
  const outcome = result.data?.invokeFunction;
  if (outcome === undefined) throw new Error('no data');
  return outcome;
}

const encode = (text: string) => new TextEncoder().encode(text);
const base64 = (text: string) => Buffer.from(text).toString('base64');

/** A fake Lambda that gives every call the same answer (or refusal). */
const always = (answer: (request: InvokeRequest) => InvokeResponse | Error) => (request: InvokeRequest) => {
  const outcome = answer(request);
  return outcome instanceof Error ? Promise.reject(outcome) : Promise.resolve(outcome);
};

describe('invokeFunction: Lambda’s answer as typed Invocation fields', () => {
  it('maps a 200 with a payload', async () => {
    const gateway = await gatewayWith();
    const invocation = as(await invoke(gateway, { functionName: 'echo', payload: { hello: 'world' } }), 'Invocation');
    expect(invocation).toMatchObject({
      requestId: 'request-1',
      functionName: 'echo',
      qualifier: null,
      invocationType: 'REQUEST_RESPONSE',
      statusCode: 200,
      executedVersion: '$LATEST',
      payloadJson: { hello: 'world' },
      payloadText: '{"hello":"world"}',
      payloadSizeBytes: 17,
      functionError: null,
      logResult: null,
      decodedLogs: null,
      report: null,
      replayed: false,
    });
    expect(invocation.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('decodes a log tail and its REPORT line', async () => {
    const log =
      'START RequestId: r-1 Version: 3\nREPORT RequestId: r-1\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 256 MB\tMax Memory Used: 70 MB\tInit Duration: 101.50 ms\t\n';
    const gateway = await gatewayWith({
      answer: always((request) => ({ ...accepted(request, 'r-1'), executedVersion: '3', logResult: base64(log) })),
    });
    const invocation = as(await invoke(gateway, { functionName: 'echo', qualifier: 'live', logType: 'TAIL' }), 'Invocation');
    expect(invocation).toMatchObject({
      requestId: 'r-1',
      qualifier: 'live',
      executedVersion: '3',
      logResult: base64(log),
      decodedLogs: log,
    });
    expect(invocation.report).toEqual({
      durationMs: 12.34,
      billedDurationMs: 13,
      memorySizeMb: 256,
      maxMemoryUsedMb: 70,
      initDurationMs: 101.5,
      status: null,
      errorType: null,
    });
  });

  it('parses a function error from the payload: data, not a GraphQL error', async () => {
    const payload = JSON.stringify({ errorType: 'TypeError', errorMessage: 'boom', trace: ['TypeError: boom', '    at handler'] });
    const gateway = await gatewayWith({
      answer: always((request) => ({ ...accepted(request, 'r-2'), functionError: 'Unhandled', payload: encode(payload) })),
    });
    const invocation = as(await invoke(gateway, { functionName: 'fail' }), 'Invocation');
    expect(invocation.statusCode).toBe(200);
    expect(invocation.functionError).toEqual({
      kind: 'Unhandled',
      errorType: 'TypeError',
      errorMessage: 'boom',
      stackTrace: ['TypeError: boom', '    at handler'],
    });
    expect(invocation.payloadJson).toMatchObject({ errorType: 'TypeError' });
  });

  it('keeps a payload that is not JSON as text only', async () => {
    const gateway = await gatewayWith({ answer: always((request) => ({ ...accepted(request, 'r-3'), payload: encode('not json') })) });
    const invocation = as(await invoke(gateway, { functionName: 'echo' }), 'Invocation');
    expect(invocation).toMatchObject({ payloadJson: null, payloadText: 'not json', payloadSizeBytes: 8 });
  });

  it('DRY_RUN and EVENT: their status codes and no payload fields', async () => {
    const gateway = await gatewayWith();
    const dryRun = as(await invoke(gateway, { functionName: 'echo', invocationType: 'DRY_RUN' }), 'Invocation');
    expect(dryRun).toMatchObject({
      statusCode: 204,
      invocationType: 'DRY_RUN',
      executedVersion: null,
      payloadJson: null,
      payloadText: null,
      payloadSizeBytes: null,
    });
    const event = as(await invoke(gateway, { functionName: 'echo', invocationType: 'EVENT', payload: { later: true } }), 'Invocation');
    expect(event).toMatchObject({ statusCode: 202, invocationType: 'EVENT', executedVersion: null, payloadJson: null });
  });
});

describe('invokeFunction: the input as it reaches the invoker', () => {
  it('defaults: {} as the payload, REQUEST_RESPONSE, no log tail, no client context; an explicit null means the default too', async () => {
    const gateway = await gatewayWith();
    await invoke(gateway, { functionName: 'echo' });
    await invoke(gateway, { functionName: 'echo', invocationType: null, logType: null });
    for (const { request } of gateway.invoker.calls) {
      expect(request).toMatchObject({
        functionName: 'echo',
        qualifier: undefined,
        invocationType: 'RequestResponse',
        logType: 'None',
        clientContext: undefined,
      });
      expect(new TextDecoder().decode(request.payload)).toBe('{}');
    }
    expect(gateway.invoker.calls).toHaveLength(2);
  });

  it('sends any JSON value as the payload, and the client context base64-encoded', async () => {
    const gateway = await gatewayWith();
    await invoke(gateway, { functionName: 'echo', payload: [1, 'two', null], clientContext: { custom: { tenant: 'acme' } } });
    const [call] = gateway.invoker.calls;
    expect(new TextDecoder().decode(call?.request.payload)).toBe('[1,"two",null]');
    expect(JSON.parse(Buffer.from(call?.request.clientContext ?? '', 'base64').toString('utf8'))).toEqual({ custom: { tenant: 'acme' } });
  });

  it('parses name:qualifier and ARNs once, into the request’s target', async () => {
    const gateway = await gatewayWith();
    await invoke(gateway, { functionName: 'echo:2' });
    await invoke(gateway, { functionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live' });
    expect(gateway.invoker.calls.map(({ request }) => request.target)).toMatchObject([
      { name: 'echo', qualifier: '2' },
      { name: 'echo', qualifier: 'live', region: 'us-east-1', account: '123456789012' },
    ]);
  });

  it('refuses invalid input as a typed outcome, before any call', async () => {
    const gateway = await gatewayWith();
    expect(as(await invoke(gateway, { functionName: 'bad name!' }), 'InvalidInvocationError')).toMatchObject({
      code: 'ValidationException',
      field: 'FUNCTION_NAME',
    });
    expect(as(await invoke(gateway, { functionName: 'echo', clientContext: [1] }), 'InvalidInvocationError')).toMatchObject({
      code: 'GATEWAY_VALIDATION',
      field: 'CLIENT_CONTEXT',
    });
    expect(
      as(await invoke(gateway, { functionName: 'echo', invocationType: 'EVENT', payload: 'x'.repeat(1_048_575) }), 'PayloadTooLargeError'),
    ).toMatchObject({
      part: 'PAYLOAD',
      limitBytes: 1_048_576,
      sizeBytes: 1_048_577,
      excessBytes: 1,
    });
    expect(gateway.invoker.calls).toHaveLength(0);
  });
});

describe('invokeFunction: each refusal the invoker throws is its union member', () => {
  it.each<[string, Error, Partial<InvokeResultFieldsFragment>]>([
    [
      'FunctionNotFoundError',
      new FunctionNotFoundError('Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST', 'nope', undefined),
      { message: 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST', functionName: 'nope', qualifier: null },
    ],
    [
      'ThrottledError',
      new ThrottledError('Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded', 1),
      { message: 'Rate Exceeded.', reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', retryAfterSeconds: 1 },
    ],
    [
      'InvalidInvocationError',
      new InvalidInvocationError('Could not parse request body into json', 'InvalidRequestContentException', 'payload'),
      { code: 'InvalidRequestContentException', field: 'PAYLOAD' },
    ],
    [
      'PayloadTooLargeError',
      new PayloadTooLargeError('payload', 6_291_456, 6_291_460, 'synchronous response payload'),
      { part: 'PAYLOAD', limitBytes: 6_291_456, sizeBytes: 6_291_460, excessBytes: 4 },
    ],
    ['InvocationTimeoutError', new InvocationTimeoutError(5000), { timeoutMs: 5000 }],
    [
      'LambdaServiceError',
      new LambdaServiceError('Service unavailable', 'ServiceException', 503, 'aws-request-9'),
      { message: 'Service unavailable', code: 'ServiceException', httpStatus: 503, lambdaRequestId: 'aws-request-9' },
    ],
  ])('%s', async (typename, refusal, fields) => {
    const gateway = await gatewayWith({ answer: always(() => refusal) });
    const outcome = await invoke(gateway, { functionName: 'nope' });
    expect(outcome).toMatchObject({ __typename: typename, ...fields });
    expect(gateway.invoker.calls).toHaveLength(1);
  });

  it('IdempotencyConflictError: the same key with another request, without a second call', async () => {
    const gateway = await gatewayWith();
    as(await invoke(gateway, { functionName: 'echo', payload: { amount: 10 }, idempotencyKey: 'payment-7' }), 'Invocation');
    const replay = as(await invoke(gateway, { functionName: 'echo', payload: { amount: 10 }, idempotencyKey: 'payment-7' }), 'Invocation');
    expect(replay).toMatchObject({ replayed: true, requestId: 'request-1' });
    const conflict = as(
      await invoke(gateway, { functionName: 'echo', payload: { amount: 99 }, idempotencyKey: 'payment-7' }),
      'IdempotencyConflictError',
    );
    expect(conflict).toMatchObject({ idempotencyKey: 'payment-7', conflict: 'DIFFERENT_REQUEST' });
    expect(gateway.invoker.calls).toHaveLength(1);
  });
});

describe('invokeFunctions', () => {
  it('answers each input in input order, even when later calls return first', async () => {
    // The first call answers last: the loader must still put each outcome in its input's slot.
    const gateway = await gatewayWith({
      answer: async (request, call) => {
        await new Promise((resolve) => setTimeout(resolve, (5 - call) * 5));
        if (request.target.name === 'missing') throw new FunctionNotFoundError('Function not found', 'missing', undefined);
        return accepted(request, `request-${call}`);
      },
    });
    const inputs: InvokeFunctionInput[] = [
      { functionName: 'echo', payload: { i: 0 } },
      { functionName: 'missing' },
      { functionName: 'bad name' },
      { functionName: 'echo', payload: { i: 3 } },
      { functionName: 'echo', invocationType: 'EVENT', payload: { i: 4 } },
    ];
    const result = await gateway.execute(InvokeFunctionsDocument, { inputs });
    expect(result.errors).toBeUndefined();
    expect(result.data?.invokeFunctions).toMatchObject([
      { __typename: 'Invocation', payloadJson: { i: 0 } },
      { __typename: 'FunctionNotFoundError', functionName: 'missing' },
      { __typename: 'InvalidInvocationError', field: 'FUNCTION_NAME' },
      { __typename: 'Invocation', payloadJson: { i: 3 } },
      { __typename: 'Invocation', statusCode: 202 },
    ]);
    // The refused input never reached the invoker; the others each made their own call.
    expect(gateway.invoker.calls.map(({ request }) => request.target.name)).toEqual(['echo', 'missing', 'echo', 'echo']);
  });

  it('refuses more inputs than maxBatchSize with a BAD_USER_INPUT error that says by how much, before any call', async () => {
    const gateway = await gatewayWith({ config: { maxBatchSize: 3 } });
    const inputs = Array.from({ length: 4 }, () => ({ functionName: 'noop' }));
    const { status, body } = await gateway.executeWithStatus(InvokeFunctionsDocument, { inputs });
    expect(status).toBe(400);
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.message).toBe('invokeFunctions takes at most 3 inputs; got 4 (1 over the limit)');
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 3, limitName: 'maxBatchSize', actual: 4 });
    // GraphQL over HTTP: a request error is 200 for application/json.
    const asJson = await gateway.executeWithStatus(InvokeFunctionsDocument, { inputs }, { accept: 'application/json' });
    expect(asJson.status).toBe(200);
    expect(gateway.invoker.calls).toHaveLength(0);
  });

  it('takes exactly maxBatchSize inputs', async () => {
    const gateway = await gatewayWith({ config: { maxBatchSize: 3 } });
    const result = await gateway.execute(InvokeFunctionsDocument, { inputs: Array.from({ length: 3 }, () => ({ functionName: 'noop' })) });
    expect(result.data?.invokeFunctions).toHaveLength(3);
    expect(gateway.invoker.calls).toHaveLength(3);
  });
});

describe('access rules', () => {
  const config = { access: { allow: [{ functions: ['echo'] }] } };

  it('FORBIDDEN for a function the rules do not grant, with nothing invoked', async () => {
    const gateway = await gatewayWith({ config });
    const { status, body } = await gateway.executeWithStatus(InvokeFunctionDocument, { input: { functionName: 'secret' } });
    expect(body.data).toBeNull();
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(body.errors?.[0]?.message).toContain('secret');
    expect(status).toBe(403);
    expect(gateway.invoker.calls).toHaveLength(0);
  });

  it('refuses a whole batch when one input is not granted', async () => {
    const gateway = await gatewayWith({ config });
    const result = await gateway.execute(InvokeFunctionsDocument, { inputs: [{ functionName: 'echo' }, { functionName: 'secret' }] });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(gateway.invoker.calls).toHaveLength(0);
  });

  it('lets a granted function through', async () => {
    const gateway = await gatewayWith({ config });
    as(await invoke(gateway, { functionName: 'echo' }), 'Invocation');
    expect(gateway.invoker.calls).toHaveLength(1);
  });
});

describe('EVENT invocations are recorded', () => {
  it('an accepted EVENT is readable as ACCEPTED under its request id, started by the gateway', async () => {
    const gateway = await gatewayWith({ answer: always((request) => accepted(request, 'event-1')) });
    const event = as(await invoke(gateway, { functionName: 'echo:live', invocationType: 'EVENT', payload: { later: true } }), 'Invocation');
    expect(event.requestId).toBe('event-1');
    const record = await gateway.execute(InvocationDocument, { requestId: 'event-1' });
    expect(record.errors).toBeUndefined();
    expect(record.data?.invocation).toMatchObject({
      requestId: 'event-1',
      functionName: 'echo',
      qualifier: 'live',
      status: 'ACCEPTED',
      startedByGateway: true,
      requestPayload: { later: true },
      completedAt: null,
    });
  });

  it('a synchronous invocation leaves no record', async () => {
    const gateway = await gatewayWith({ answer: always((request) => accepted(request, 'sync-1')) });
    as(await invoke(gateway, { functionName: 'echo' }), 'Invocation');
    const record = await gateway.execute(InvocationDocument, { requestId: 'sync-1' });
    expect(record.errors).toBeUndefined();
    expect(record.data?.invocation).toBeNull();
  });
});

describe('Query.gateway', () => {
  it('says what the gateway talks to and its limits', async () => {
    const gateway = await gatewayWith({ config: { maxBatchSize: 7 } });
    const result = await gateway.execute(GatewayInfoDocument, {});
    expect(result.data?.gateway).toEqual({ lambdaTarget: 'AWS', region: 'us-east-1', maxBatchSize: 7, invokeTimeoutMs: 60_000 });
  });
});
