/**
 * No subscriber waits for ever: an EVENT invocation whose destination record never comes is
 * EXPIRED once past the longest it could take (delivered to its subscribers, which then complete,
 * and to live feeds even when nobody follows it), and a subscription to an id nobody records ends
 * with INVOCATION_NOT_FOUND. The stand-in Lambda accepts every event and never reports on it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AWS_COMPLETION_BOUND_MS } from '../../src/async/completion-bounds.ts';
import { graphql } from '../../generated/graphql/index.ts';
import { type AcceptingLambda, startAcceptingLambda } from '../helpers/accepting-lambda.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { subscribeWith, type Transport } from '../helpers/subscriptions.ts';
import { InvocationDocument, InvocationEventsDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

const SECRET = 'expiry-tests-destination-secret';

const RecentStatusesDocument = graphql(`
  query RecentStatuses($functionName: String) {
    recentInvocations(functionName: $functionName, last: 50) {
      requestId
      status
    }
  }
`);
const EXPIRE_AFTER_MS = 300;

let lambda: AcceptingLambda;
let gateway: TestGateway;
beforeAll(async () => {
  lambda = await startAcceptingLambda();
  gateway = await startTestGateway({
    lambda: { kind: 'endpoint', endpoint: lambda.endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, local: false },
    destinations: { secret: SECRET },
    asyncRecords: { expireAfterMs: EXPIRE_AFTER_MS, unknownIdWaitMs: 200 },
  });
});
afterAll(async () => {
  await gateway.close();
  await lambda.close();
});

async function startEvent(target: TestGateway, functionName: string): Promise<string> {
  const outcome = (await target.execute(InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT' } })).data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  return outcome.requestId;
}

async function metric(target: TestGateway, line: string): Promise<string | undefined> {
  const text = await (await fetch(new URL('/metrics', target.running.url))).text();
  return text.split('\n').find((l) => l.startsWith(line));
}

describe.each<Transport>(['graphql-ws', 'graphql-sse'])('invocationUpdates over %s', (transport) => {
  it('delivers EXPIRED when no destination record arrives in time, then completes', async () => {
    const requestId = await startEvent(gateway, 'never-reports');
    const subscription = subscribeWith(transport, gateway.running.url, InvocationUpdatesDocument, { requestId });
    await subscription.completed;
    const updates = subscription.values.map((v) => v.invocationUpdates);
    expect(updates.map((u) => u.status)).toEqual(['ACCEPTED', 'EXPIRED']);
    const [accepted, expired] = updates;
    expect(Date.parse(accepted?.expiresAt ?? '') - Date.parse(accepted?.acceptedAt ?? '')).toBe(EXPIRE_AFTER_MS);
    expect(expired).toMatchObject({ requestId, functionName: 'never-reports', condition: null, attempts: null, responsePayload: null });
    expect(Date.parse(expired?.completedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(expired?.expiresAt ?? ''));
  });

  it('ends a subscription to an id nobody records with INVOCATION_NOT_FOUND after the configured wait', async () => {
    const requestId = '99999999-9999-4999-8999-000000000001';
    const subscription = subscribeWith(transport, gateway.running.url, InvocationUpdatesDocument, { requestId });
    const failure = await subscription.completed.then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toContain('"code":"INVOCATION_NOT_FOUND"');
    expect(failure?.message).toContain(`No invocation ${requestId} is known to this gateway`);
    // The HTTP status is yoga's business; no transport hands it to the client.
    expect(failure?.message).not.toContain('"http"');
    expect(subscription.values).toEqual([]);
  });
});

describe('an invocation nobody follows', () => {
  it('still expires: live feeds and the activity log see it, /metrics counts it, Query.invocation reads it', async () => {
    const feed = subscribeWith('graphql-ws', gateway.running.url, InvocationEventsDocument, { functionName: 'unfollowed' });
    // The feed is live once it has seen one of ours.
    await expect
      .poll(
        async () => {
          await startEvent(gateway, 'unfollowed');
          return feed.values.length;
        },
        { interval: 50 },
      )
      .toBeGreaterThan(0);
    const requestId = feed.values[0]?.invocationEvents.requestId ?? '';
    expect(feed.values[0]?.invocationEvents.status).toBe('ACCEPTED');
    await expect
      .poll(() => feed.values.some((v) => v.invocationEvents.requestId === requestId && v.invocationEvents.status === 'EXPIRED'), {
        interval: 20,
      })
      .toBe(true);
    feed.dispose();
    expect((await gateway.execute(InvocationDocument, { requestId })).data?.invocation?.status).toBe('EXPIRED');
    const activity = (await gateway.execute(RecentStatusesDocument, { functionName: 'unfollowed' })).data?.recentInvocations ?? [];
    expect(activity.find((entry) => entry.requestId === requestId)?.status).toBe('EXPIRED');
    expect(await metric(gateway, 'lambda_async_completions_total{function="unfollowed",status="expired"}')).toBeDefined();
  });

  it('takes a destination record that arrives after all, which replaces EXPIRED', async () => {
    const requestId = await startEvent(gateway, 'late');
    await expect
      .poll(async () => (await gateway.execute(InvocationDocument, { requestId })).data?.invocation?.status, { interval: 20 })
      .toBe('EXPIRED');
    const record = {
      version: '1.0',
      timestamp: new Date().toISOString(),
      requestContext: {
        requestId,
        functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:late:$LATEST',
        condition: 'Success',
        approximateInvokeCount: 1,
      },
      requestPayload: {},
      responseContext: { statusCode: 200, executedVersion: '$LATEST' },
      responsePayload: { late: true },
    };
    const response = await fetch(gateway.running.destinationsUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-destination-secret': SECRET },
      body: JSON.stringify(record),
    });
    expect(await response.json()).toEqual({ requestId, status: 'SUCCEEDED', changed: true });
    expect((await gateway.execute(InvocationDocument, { requestId })).data?.invocation).toMatchObject({
      status: 'SUCCEEDED',
      startedByGateway: true,
      responsePayload: { late: true },
    });
    expect(await metric(gateway, 'lambda_async_completions_total{function="late",status="expired"} 1')).toBeDefined();
    expect(await metric(gateway, 'lambda_async_completions_total{function="late",status="succeeded"} 1')).toBeDefined();
  });
});

describe('how long the gateway waits', () => {
  const waitOf = async (target: TestGateway, functionName: string, settles = false): Promise<number> => {
    const requestId = await startEvent(target, functionName);
    const record = (await target.execute(InvocationDocument, { requestId })).data?.invocation;
    // Finished before the gateway stops, so no delivery is left retrying against a closed port.
    if (settles)
      await expect
        .poll(async () => (await target.execute(InvocationDocument, { requestId })).data?.invocation?.status, { interval: 20 })
        .not.toBe('ACCEPTED');
    return Date.parse(record?.expiresAt ?? '') - Date.parse(record?.acceptedAt ?? '');
  };

  it('is what AWS allows at most when the gateway cannot see the functions’ settings', async () => {
    const aws = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint: lambda.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, local: false },
    });
    try {
      expect(await waitOf(aws, 'anything')).toBe(AWS_COMPLETION_BOUND_MS);
      expect(AWS_COMPLETION_BOUND_MS).toBe(6.5 * 3600 * 1000);
    } finally {
      await aws.close();
    }
  });

  it('with the built-in local Lambda, follows each function’s maximum event age and timeout', async () => {
    const local = await startTestGateway();
    try {
      // fail-short-age: maximumEventAgeInSeconds 60, timeout 3 s; context: 6 h (the default), 7 s.
      expect(await waitOf(local, 'fail-short-age', true)).toBe((60 + 3) * 1000 + 5 * 60_000);
      expect(await waitOf(local, 'context', true)).toBe((21_600 + 7) * 1000 + 5 * 60_000);
    } finally {
      await local.close();
    }
  });
});
