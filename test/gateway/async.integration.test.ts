/**
 * EVENT invocations followed to their end: the built-in local Lambda delivers destination records
 * to the gateway, which records and publishes them; clients follow them with the real graphql-ws
 * client (WebSocket) and the real graphql-sse client (SSE), on the same path.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signDestinationBody } from '../../src/plugins/use-destination-ingestion.ts';
import type { InvocationRecordFieldsFragment } from '../../generated/graphql/graphql.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { type Subscription, subscribeWith, type Transport } from '../helpers/subscriptions.ts';
import { InvocationDocument, InvocationEventsDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

const SECRET = 'a-shared-secret-for-tests';
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(
    { destinations: { secret: SECRET } },
    { localLambda: { async: { retryDelaysMs: [10, 20], deliveryRetryBaseMs: 10 } } },
  );
});
afterAll(() => gateway.close());

function subscribe<R, V extends Record<string, unknown>>(
  transport: Transport,
  document: TypedDocumentNode<R, V>,
  variables: V,
  url = gateway.running.url,
): Subscription<R> {
  return subscribeWith(transport, url, document, variables);
}

async function startEvent(functionName: string, payload: unknown): Promise<string> {
  const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT', payload } });
  const outcome = result.data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  return outcome.requestId;
}

async function stored(requestId: string): Promise<InvocationRecordFieldsFragment | null | undefined> {
  return (await gateway.execute(InvocationDocument, { requestId })).data?.invocation;
}

function postRecord(body: string, headers: Record<string, string>): Promise<Response> {
  return fetch(gateway.running.destinationsUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function destinationRecord(requestId: string, condition: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: '1.0',
    timestamp: '2026-11-24T12:00:00.000Z',
    requestContext: { requestId, functionArn: `${ARN}:external:$LATEST`, condition, approximateInvokeCount: 1 },
    requestPayload: { from: 'elsewhere' },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: { ok: true },
    ...extra,
  };
}

describe.each<Transport>(['graphql-ws', 'graphql-sse', 'graphql-sse-single'])('invocationUpdates over %s', (transport) => {
  it('follows a successful EVENT invocation from ACCEPTED to SUCCEEDED, then completes', async () => {
    // A function that takes a moment, so the subscription sees ACCEPTED first.
    const requestId = await startEvent('sleep', { ms: 1000 });
    const subscription = subscribe(transport, InvocationUpdatesDocument, { requestId });
    await subscription.completed;
    const statuses = subscription.values.map((v) => v.invocationUpdates.status);
    expect(statuses).toEqual(['ACCEPTED', 'SUCCEEDED']);
    expect(subscription.values[1]?.invocationUpdates).toMatchObject({
      requestId,
      functionName: 'sleep',
      startedByGateway: true,
      condition: 'Success',
      attempts: 1,
      executedVersion: '$LATEST',
      requestPayload: { ms: 1000 },
      responsePayload: { sleptMs: 1000 },
      functionError: null,
    });
  });

  it('follows a failing one to FAILED after its retries, with the error', async () => {
    const requestId = await startEvent('fail', { message: 'async failure' });
    const subscription = subscribe(transport, InvocationUpdatesDocument, { requestId });
    await subscription.completed;
    const last = subscription.values.at(-1)?.invocationUpdates;
    expect(last).toMatchObject({
      status: 'FAILED',
      condition: 'RetriesExhausted',
      attempts: 3,
      functionError: { kind: 'Unhandled', errorType: 'FixtureError', errorMessage: 'async failure' },
    });
  });

  it('a completion that arrived before the subscription is delivered as the current state', async () => {
    const requestId = await startEvent('echo', { quick: true });
    await expect.poll(async () => (await stored(requestId))?.status, { interval: 10 }).toBe('SUCCEEDED');
    const subscription = subscribe(transport, InvocationUpdatesDocument, { requestId });
    await subscription.completed;
    expect(subscription.values.map((v) => v.invocationUpdates.status)).toEqual(['SUCCEEDED']);
  });
});

describe('Query.invocation', () => {
  it('records an EVENT invocation under the function’s own name and qualifier, however the caller named it', async () => {
    const requestId = await startEvent('arn:aws:lambda:us-east-1:123456789012:function:echo:live', { via: 'arn' });
    await expect.poll(async () => (await stored(requestId))?.status, { interval: 10 }).toBe('SUCCEEDED');
    expect(await stored(requestId)).toMatchObject({
      functionName: 'echo',
      qualifier: 'live',
      executedVersion: '1',
      startedByGateway: true,
    });
  });

  it('answers null for an unknown request id', async () => {
    expect(await stored('00000000-0000-4000-8000-000000000000')).toBeNull();
  });

  it('keeps the ZeroReservedConcurrency outcome of a throttled function', async () => {
    const requestId = await startEvent('throttled', {});
    await expect.poll(async () => (await stored(requestId))?.status, { interval: 10 }).toBe('FAILED');
    expect(await stored(requestId)).toMatchObject({
      condition: 'ZeroReservedConcurrency',
      attempts: 0,
      executedVersion: null,
      responsePayload: null,
    });
  });
});

describe('destination ingestion', () => {
  it('refuses a missing or wrong secret with 401, and changes nothing', async () => {
    const requestId = '11111111-1111-4111-8111-111111111111';
    const body = JSON.stringify(destinationRecord(requestId, 'Success'));
    expect((await postRecord(body, {})).status).toBe(401);
    expect((await postRecord(body, { 'x-destination-secret': 'wrong-secret-wrong-secret' })).status).toBe(401);
    expect((await postRecord(body, { 'x-destination-signature': signDestinationBody('another-secret', body) })).status).toBe(401);
    expect(await stored(requestId)).toBeNull();
  });

  it('refuses a malformed record with 400 and the reason, and changes nothing', async () => {
    const requestId = '22222222-2222-4222-8222-222222222222';
    const bad = {
      ...destinationRecord(requestId, 'Success'),
      requestContext: { requestId, functionArn: 'not an arn', condition: 'Maybe', approximateInvokeCount: 1 },
    };
    const response = await postRecord(JSON.stringify(bad), { 'x-destination-secret': SECRET });
    expect(response.status).toBe(400);
    const { errors } = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(errors[0]?.extensions.code).toBe('BAD_REQUEST');
    const error = errors[0]?.message;
    expect(error).toContain('requestContext.functionArn: must be a Lambda function ARN');
    expect(error).toContain('requestContext.condition');
    expect((await postRecord('{not json', { 'x-destination-secret': SECRET })).status).toBe(400);
    expect(await stored(requestId)).toBeNull();
  });

  it('takes an HMAC signature instead of the secret, and the EventBridge envelope', async () => {
    const requestId = '33333333-3333-4333-8333-333333333333';
    const body = JSON.stringify({
      version: '0',
      source: 'lambda',
      'detail-type': 'Lambda Function Invocation Result - Failure',
      detail: destinationRecord(requestId, 'RetriesExhausted', {
        responseContext: { statusCode: 200, executedVersion: '3', functionError: 'Unhandled' },
        responsePayload: { errorType: 'Error', errorMessage: 'from AWS' },
      }),
    });
    const response = await postRecord(body, { 'x-destination-signature': signDestinationBody(SECRET, body) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ requestId, status: 'FAILED', changed: true });
    expect(await stored(requestId)).toMatchObject({
      functionName: 'external',
      qualifier: '$LATEST',
      status: 'FAILED',
      startedByGateway: false,
      executedVersion: '3',
      functionError: { errorType: 'Error', errorMessage: 'from AWS' },
    });
  });

  it('a subscriber to an id not known yet gets the record when it arrives, once; a duplicate changes nothing', async () => {
    const requestId = '44444444-4444-4444-8444-444444444444';
    const subscription = subscribe('graphql-ws', InvocationUpdatesDocument, { requestId });
    // Whether the subscription is already listening or starts after the record is stored, it
    // ends with the record exactly once: that is the no-race guarantee.
    const response = await postRecord(JSON.stringify(destinationRecord(requestId, 'Success')), { 'x-destination-secret': SECRET });
    expect(await response.json()).toEqual({ requestId, status: 'SUCCEEDED', changed: true });
    await subscription.completed;
    expect(subscription.values.map((v) => v.invocationUpdates)).toEqual([
      expect.objectContaining({ requestId, status: 'SUCCEEDED', startedByGateway: false }),
    ]);
    const duplicate = await postRecord(JSON.stringify(destinationRecord(requestId, 'RetriesExhausted')), {
      'x-destination-secret': SECRET,
    });
    expect(await duplicate.json()).toEqual({ requestId, status: 'SUCCEEDED', changed: false });
    expect((await stored(requestId))?.condition).toBe('Success');
  });
});

describe('invocationEvents', () => {
  it('is a live feed, filtered by function', async () => {
    const feed = subscribe('graphql-sse', InvocationEventsDocument, { functionName: 'noop' });
    // Wait until the feed is live: invoke until one of ours shows up.
    const ids: string[] = [];
    await expect
      .poll(
        async () => {
          ids.push(await startEvent('noop', {}));
          return feed.values.length;
        },
        { interval: 50 },
      )
      .toBeGreaterThan(0);
    await startEvent('echo', {});
    const last = await startEvent('noop', { last: true });
    await expect
      .poll(() => feed.values.some((v) => v.invocationEvents.requestId === last && v.invocationEvents.status === 'SUCCEEDED'), {
        interval: 10,
      })
      .toBe(true);
    expect(feed.values.every((v) => v.invocationEvents.functionName === 'noop')).toBe(true);
    feed.dispose();
  });
});

describe('shutdown', () => {
  it('ends open subscriptions cleanly on every transport, and a single-connection stream with them', async () => {
    const own = await startTestGateway();
    const open = (['graphql-ws', 'graphql-sse', 'graphql-sse-single'] as const).map((transport) =>
      subscribe(transport, InvocationEventsDocument, { functionName: 'noop' }, own.running.url),
    );
    // All are running on the server once each has received an event (an open socket alone does
    // not say the subscription got there).
    await expect
      .poll(
        async () => {
          await own.execute(InvokeFunctionDocument, { input: { functionName: 'noop', invocationType: 'EVENT' } });
          return open.every((subscription) => subscription.values.length > 0);
        },
        { interval: 20 },
      )
      .toBe(true);
    // Within the test's time, far less than the 30 s grace: the single-connection stream ends once
    // its subscription has, instead of holding the drain until its connection is cut.
    await own.close();
    for (const subscription of open) await expect(subscription.completed).resolves.toBeUndefined();
  });
});
