/**
 * The activity log behind the dashboard: `Query.recentInvocations`, `Query.recentInvocation` and
 * `Subscription.invocationActivity` list the invocations of every type a gateway handled, under the
 * same access rules as the rest of the API, within a bounded size.
 */
import { createHash } from 'node:crypto';
import type { ResultOf, VariablesOf } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graphql } from '../../generated/graphql/index.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvokeFunctionDocument } from './documents.ts';

export const SummaryFields = graphql(`
  fragment SummaryFields on InvocationSummary {
    id
    requestId
    gatewayRequestId
    functionName
    qualifier
    invocationType
    status
    statusCode
    executedVersion
    durationMs
    startedAt
    completedAt
    attempts
    errorType
    errorMessage
    hasLogs
    decodedLogs
    functionError {
      errorType
      errorMessage
    }
    report {
      durationMs
    }
  }
`);

const RecentInvocationsDocument = graphql(`
  query RecentInvocations($functionName: String, $last: Int) {
    recentInvocations(functionName: $functionName, last: $last) {
      ...SummaryFields
    }
  }
`);

const RecentInvocationDocument = graphql(`
  query RecentInvocation($id: ID!) {
    recentInvocation(id: $id) {
      ...SummaryFields
    }
  }
`);

const InvocationActivityDocument = graphql(`
  subscription InvocationActivity($functionName: String, $recent: Int) {
    invocationActivity(functionName: $functionName, recent: $recent) {
      ...SummaryFields
    }
  }
`);

async function requestIdOf(
  gateway: TestGateway,
  input: VariablesOf<typeof InvokeFunctionDocument>['input'],
  headers?: Record<string, string>,
): Promise<string> {
  const result = await gateway.execute(InvokeFunctionDocument, { input }, headers);
  const outcome = result.data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not an invocation: ${JSON.stringify(result)}`);
  return outcome.requestId;
}

type Summary = ResultOf<typeof InvocationActivityDocument>['invocationActivity'];

/** `invocationActivity` with the real graphql-ws client; `until` waits for a matching value. */
function feed(url: string, variables: VariablesOf<typeof InvocationActivityDocument>, connectionParams: Record<string, unknown> = {}) {
  const values: Summary[] = [];
  const waiters = new Set<() => void>();
  let failure: unknown;
  const wake = (): void => {
    for (const waiter of waiters) waiter();
  };
  const client = createClient({ url: url.replace(/^http/, 'ws'), retryAttempts: 0, connectionParams });
  const unsubscribe = client.subscribe<ResultOf<typeof InvocationActivityDocument>>(
    { query: print(InvocationActivityDocument), variables },
    {
      next: (result) => {
        if (result.data !== undefined && result.data !== null) values.push(result.data.invocationActivity);
        else failure = result.errors;
        wake();
      },
      error: (error) => {
        failure = error;
        wake();
      },
      complete: wake,
    },
  );
  return {
    values,
    async until(accept: (summary: Summary) => boolean): Promise<Summary> {
      for (;;) {
        const found = values.find(accept);
        if (found !== undefined) return found;
        if (failure !== undefined) throw new Error(`the subscription failed: ${JSON.stringify(failure)}`);
        await new Promise<void>((resolve) => {
          const waiter = (): void => {
            waiters.delete(waiter);
            resolve();
          };
          waiters.add(waiter);
        });
      }
    },
    dispose(): void {
      unsubscribe();
      void client.dispose();
    },
  };
}

describe('recent invocations', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({}, { localLambda: { async: { retryDelaysMs: [10, 20], deliveryRetryBaseMs: 10 } } });
  });
  afterAll(() => gateway.close());

  it('lists every type of invocation, newest first: status, HTTP status, duration, error and logs', async () => {
    const echo = await requestIdOf(gateway, { functionName: 'echo:live', logType: 'TAIL', payload: { a: 1 } });
    const fail = await requestIdOf(gateway, { functionName: 'fail' });
    await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'nope' } });
    const dryRun = await requestIdOf(gateway, { functionName: 'noop', invocationType: 'DRY_RUN' });

    const { data, errors } = await gateway.execute(RecentInvocationsDocument, { last: 4 });
    expect(errors).toBeUndefined();
    const [probe, refused, failed, echoed] = data?.recentInvocations ?? [];
    expect(data?.recentInvocations).toHaveLength(4);
    expect(echoed).toMatchObject({
      requestId: echo,
      functionName: 'echo',
      qualifier: 'live',
      invocationType: 'REQUEST_RESPONSE',
      status: 'SUCCEEDED',
      statusCode: 200,
      executedVersion: '1',
      errorType: null,
      hasLogs: true,
    });
    expect(echoed?.decodedLogs).toContain(`START RequestId: ${echo}`);
    expect(echoed?.report?.durationMs).toBeGreaterThan(0);
    expect(echoed?.durationMs).toBeGreaterThan(0);
    expect(Date.parse(echoed?.completedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(echoed?.startedAt ?? ''));
    expect(failed).toMatchObject({
      requestId: fail,
      status: 'FAILED',
      statusCode: 200,
      errorType: 'FixtureError',
      errorMessage: 'fixture failure',
      hasLogs: false,
      decodedLogs: null,
    });
    expect(failed?.functionError).toEqual({ errorType: 'FixtureError', errorMessage: 'fixture failure' });
    expect(refused).toMatchObject({
      requestId: null,
      functionName: 'nope',
      status: 'REFUSED',
      statusCode: null,
      errorType: 'FunctionNotFoundError',
    });
    expect(refused?.errorMessage).toContain('nope');
    expect(probe).toMatchObject({ requestId: dryRun, invocationType: 'DRY_RUN', status: 'SUCCEEDED', statusCode: 204 });
    // Each entry names the GraphQL request that made it (its x-request-id).
    expect(new Set(data?.recentInvocations.map((s) => s.gatewayRequestId)).size).toBe(4);

    const one = await gateway.execute(RecentInvocationDocument, { id: echoed?.id ?? '' });
    expect(one.data?.recentInvocation).toEqual(echoed);
    expect((await gateway.execute(RecentInvocationDocument, { id: 'unknown' })).data?.recentInvocation).toBeNull();
  });

  it('filters by function name', async () => {
    await requestIdOf(gateway, { functionName: 'counter' });
    const only = await gateway.execute(RecentInvocationsDocument, { functionName: 'counter' });
    expect(only.data?.recentInvocations.length).toBeGreaterThan(0);
    expect(new Set(only.data?.recentInvocations.map((s) => s.functionName))).toEqual(new Set(['counter']));
  });

  it('streams the last `recent` first, then each new invocation and each EVENT outcome, live', async () => {
    const before = await requestIdOf(gateway, { functionName: 'fail-no-retry' });
    const subscription = feed(gateway.running.url, { functionName: 'fail-no-retry', recent: 1 });
    try {
      // The snapshot comes first: from then on the subscription is listening.
      await subscription.until((v) => v.requestId === before);
      const event = await requestIdOf(gateway, { functionName: 'fail-no-retry', invocationType: 'EVENT' });
      const outcome = await subscription.until((v) => v.requestId === event && v.status !== 'ACCEPTED');
      expect(outcome).toMatchObject({ invocationType: 'EVENT', status: 'FAILED', statusCode: 202, attempts: 1, errorType: 'FixtureError' });
      const updates = subscription.values.filter((v) => v.requestId === event);
      expect(updates.map((v) => v.status)).toEqual(['ACCEPTED', 'FAILED']);
      // One id per invocation: the update replaces the ACCEPTED row.
      expect(new Set(updates.map((v) => v.id)).size).toBe(1);
      expect(subscription.values[0]?.requestId).toBe(before);
      expect(subscription.values.every((v) => v.functionName === 'fail-no-retry')).toBe(true);
    } finally {
      subscription.dispose();
    }
    const stored = await gateway.execute(RecentInvocationsDocument, { functionName: 'fail-no-retry', last: 1 });
    expect(stored.data?.recentInvocations[0]).toMatchObject({ status: 'FAILED', attempts: 1 });
  });

  it('keeps each entry small whatever callers and functions send: long names and error messages are clipped', async () => {
    const message = 'm'.repeat(100_000);
    const failed = await requestIdOf(gateway, { functionName: 'fail', payload: { message } });
    await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'n'.repeat(50_000) } });
    const { data } = await gateway.execute(RecentInvocationsDocument, { last: 2 });
    const [refused, long] = data?.recentInvocations ?? [];
    expect(long?.requestId).toBe(failed);
    expect(long?.errorMessage?.length).toBe(2048);
    expect(long?.errorMessage?.endsWith('m…')).toBe(true);
    expect(refused).toMatchObject({ status: 'REFUSED', errorType: 'InvalidInvocationError' });
    expect(refused?.functionName.length).toBe(256);
    expect(refused?.errorMessage?.length).toBeLessThanOrEqual(2048);
  });

  it('refuses a count outside the log’s size, naming the limit', async () => {
    const result = await gateway.execute(RecentInvocationsDocument, { last: 201 });
    expect(result.errors?.[0]?.message).toBe('last must be between 1 and 200 (the activity log keeps 200 invocations); got 201');
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', limit: 200, limitName: 'activityLogSize', actual: 201 });
    expect((await gateway.execute(RecentInvocationsDocument, { last: 0 })).errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
    });
  });
});

describe('a small activity log', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ activityLogSize: 3 });
  });
  afterAll(() => gateway.close());

  it('keeps only the newest `activityLogSize` invocations', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await requestIdOf(gateway, { functionName: 'noop' }));
    const { data } = await gateway.execute(RecentInvocationsDocument, { last: 3 });
    expect(data?.recentInvocations.map((s) => s.requestId)).toEqual(ids.slice(2).reverse());
  });
});

describe('recent invocations under access rules', () => {
  const OPS = 'ops-key-0123456789abcdef';
  const VIEWER = 'viewer-key-0123456789abcdef';
  const sha = (key: string): string => createHash('sha256').update(key).digest('hex');
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      auth: {
        apiKeys: [
          { id: 'ops', sha256: sha(OPS), roles: ['ops'] },
          { id: 'viewer', sha256: sha(VIEWER), roles: ['viewer'] },
        ],
      },
      access: {
        allow: [
          { functions: ['*'], roles: ['ops'] },
          { functions: ['echo', 'fail'], roles: ['viewer'], tailLogs: false, errorDetails: false },
        ],
      },
    });
  });
  afterAll(() => gateway.close());

  it('leaves out functions the caller may not see, and shows logs and error details only to callers allowed them', async () => {
    const ops = { 'x-api-key': OPS };
    const viewer = { 'x-api-key': VIEWER };
    const echo = await requestIdOf(gateway, { functionName: 'echo', logType: 'TAIL' }, ops);
    const fail = await requestIdOf(gateway, { functionName: 'fail' }, ops);
    const logs = await requestIdOf(gateway, { functionName: 'logs', logType: 'TAIL' }, ops);

    const seenByOps = (await gateway.execute(RecentInvocationsDocument, {}, ops)).data?.recentInvocations ?? [];
    expect(seenByOps.map((s) => s.requestId)).toEqual([logs, fail, echo]);
    expect(seenByOps.find((s) => s.requestId === echo)).toMatchObject({ hasLogs: true });
    expect(seenByOps.find((s) => s.requestId === fail)).toMatchObject({ errorType: 'FixtureError' });

    const seenByViewer = (await gateway.execute(RecentInvocationsDocument, {}, viewer)).data?.recentInvocations ?? [];
    expect(seenByViewer.map((s) => s.requestId)).toEqual([fail, echo]);
    expect(seenByViewer.find((s) => s.requestId === echo)).toMatchObject({ hasLogs: false, decodedLogs: null, report: null });
    const hidden = seenByViewer.find((s) => s.requestId === fail);
    expect(hidden).toMatchObject({ status: 'FAILED', errorType: 'Hidden', functionError: { errorType: 'Hidden' } });
    expect(hidden?.errorMessage).toContain(fail);
    expect(hidden?.errorMessage).not.toContain('fixture failure');

    const logsEntry = seenByOps.find((s) => s.requestId === logs);
    expect((await gateway.execute(RecentInvocationDocument, { id: logsEntry?.id ?? '' }, viewer)).data?.recentInvocation).toBeNull();

    const anonymous = await gateway.executeHttp(RecentInvocationsDocument, {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('filters the live feed the same way', async () => {
    // With the recent ones first, the invocations below arrive whether they land before or after
    // the subscription starts.
    const subscription = feed(gateway.running.url, { recent: 10 }, { apiKey: VIEWER });
    try {
      // A function the viewer may not see, then one it may: only the second arrives.
      await requestIdOf(gateway, { functionName: 'noop' }, { 'x-api-key': OPS });
      const seen = await requestIdOf(gateway, { functionName: 'echo' }, { 'x-api-key': OPS });
      await subscription.until((v) => v.requestId === seen);
      expect(subscription.values.map((v) => v.functionName)).not.toContain('noop');
    } finally {
      subscription.dispose();
    }
  });
});
