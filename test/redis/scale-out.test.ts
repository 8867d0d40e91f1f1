/**
 * Scale-out through a real Redis: invocation records and events shared by gateway instances, a
 * completion delivered to one instance reaching a subscriber on another, and no completion lost
 * when Redis restarts under an open subscription.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import { acceptedRecord } from '../../src/async/invocation-record.ts';
import { RedisInvocationStore } from '../../src/async/redis-invocation-store.ts';
import { startAcceptingLambda } from '../helpers/accepting-lambda.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { InvocationDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from '../gateway/documents.ts';

const SECRET = 'shared-by-every-instance';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(() => redis.stop());

function destination(
  requestId: string,
  condition: DestinationRecord['requestContext']['condition'],
  responsePayload: unknown,
): DestinationRecord {
  return {
    version: '1.0',
    timestamp: '2026-11-24T12:00:00.000Z',
    requestContext: {
      requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',
      condition,
      approximateInvokeCount: 1,
    },
    requestPayload: { n: 1 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload,
  };
}

describe('the Redis invocation store', () => {
  let client: Redis;
  let store: RedisInvocationStore;
  beforeAll(async () => {
    client = new Redis(redis.url, { lazyConnect: true });
    await client.connect();
    store = new RedisInvocationStore(client, 60_000, 'test:');
  });
  afterAll(async () => {
    await client.quit();
  });

  it('applies the same rules as in memory: accept, complete once, never back to ACCEPTED', async () => {
    const accepted = await store.accept(
      acceptedRecord({ requestId: 'r-1', functionName: 'echo', qualifier: 'live', requestPayload: { n: 1 }, expireAfterMs: 60_000 }),
    );
    expect(accepted).toMatchObject({ changed: true, record: { status: 'ACCEPTED', qualifier: 'live' } });
    const done = await store.complete(destination('r-1', 'Success', { ok: 1 }));
    expect(done).toMatchObject({ changed: true, record: { status: 'SUCCEEDED', qualifier: 'live', startedByGateway: true } });
    expect((await store.complete(destination('r-1', 'RetriesExhausted', {}))).changed).toBe(false);
    expect(
      (
        await store.accept(
          acceptedRecord({ requestId: 'r-1', functionName: 'echo', qualifier: 'live', requestPayload: {}, expireAfterMs: 60_000 }),
        )
      ).changed,
    ).toBe(false);
    expect((await store.get('r-1'))?.status).toBe('SUCCEEDED');
  });

  it('keeps a completion that arrives before the accept', async () => {
    await store.complete(destination('r-2', 'Success', null));
    const late = await store.accept(
      acceptedRecord({ requestId: 'r-2', functionName: 'echo', qualifier: undefined, requestPayload: {}, expireAfterMs: 60_000 }),
    );
    expect(late).toMatchObject({ changed: false, record: { status: 'SUCCEEDED', startedByGateway: true } });
  });

  it('keeps payloads exactly, and sets the time to live', async () => {
    const payload = { empty: [], nested: { list: [1, 'two', null] }, big: 9_007_199_254_740_991, text: 'ünïcødé 🚀' };
    await store.complete(destination('r-3', 'Success', payload));
    expect((await store.get('r-3'))?.responsePayload).toEqual(payload);
    const ttl = await client.pttl('test:invocation:r-3');
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('expires like the in-memory store: once, never over an outcome, and a late outcome replaces EXPIRED', async () => {
    const accepted = acceptedRecord({ requestId: 'r-5', functionName: 'echo', qualifier: undefined, requestPayload: {}, expireAfterMs: 1 });
    await store.accept(accepted);
    const expirations = await Promise.all(Array.from({ length: 4 }, () => store.expire(accepted)));
    expect(expirations.filter((c) => c.changed)).toHaveLength(1);
    expect((await store.get('r-5'))?.status).toBe('EXPIRED');
    expect((await store.complete(destination('r-5', 'Success', { late: true }))).record).toMatchObject({
      status: 'SUCCEEDED',
      responsePayload: { late: true },
    });
    expect((await store.expire(accepted)).changed).toBe(false);
  });

  it('lets exactly one of many concurrent completions win', async () => {
    await store.accept(
      acceptedRecord({ requestId: 'r-4', functionName: 'echo', qualifier: undefined, requestPayload: {}, expireAfterMs: 60_000 }),
    );
    const changes = await Promise.all(
      Array.from({ length: 8 }, (_, i) => store.complete(destination('r-4', i % 2 === 0 ? 'Success' : 'RetriesExhausted', { i }))),
    );
    expect(changes.filter((c) => c.changed)).toHaveLength(1);
    const winner = changes.find((c) => c.changed)?.record;
    expect(await store.get('r-4')).toEqual(winner);
  });
});

describe('two gateway instances sharing Redis', () => {
  let first: TestGateway;
  let second: TestGateway;
  beforeAll(async () => {
    second = await startTestGateway({ redis: { url: redis.url }, destinations: { secret: SECRET } });
    // The first instance's local Lambda delivers its destination records to the second instance,
    // as a load balancer in front of both would.
    first = await startTestGateway(
      { redis: { url: redis.url }, destinations: { secret: SECRET } },
      { localLambda: { async: { defaultOnSuccess: second.running.destinationsUrl, defaultOnFailure: second.running.destinationsUrl } } },
    );
  });
  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('a subscriber on A receives a completion delivered to B', async () => {
    const started = await first.execute(InvokeFunctionDocument, {
      input: { functionName: 'sleep', invocationType: 'EVENT', payload: { ms: 800 } },
    });
    const outcome = started.data?.invokeFunction;
    if (outcome?.__typename !== 'Invocation') throw new Error('not accepted');
    const subscription = subscribeWith('graphql-ws', first.running.url, InvocationUpdatesDocument, { requestId: outcome.requestId });
    await subscription.completed;
    expect(subscription.values.map((v) => v.invocationUpdates.status)).toEqual(['ACCEPTED', 'SUCCEEDED']);
    expect(subscription.values[1]?.invocationUpdates).toMatchObject({ startedByGateway: true, responsePayload: { sleptMs: 800 } });
    // Both instances read the same record.
    const onSecond = await second.execute(InvocationDocument, { requestId: outcome.requestId });
    expect(onSecond.data?.invocation).toMatchObject({ status: 'SUCCEEDED', startedByGateway: true });
  });
});

describe('an invocation whose outcome never comes, behind two instances', () => {
  it('expires for a subscriber on B even when A, which accepted it, has stopped', async () => {
    const lambda = await startAcceptingLambda();
    const options = {
      lambda: {
        kind: 'endpoint' as const,
        endpoint: lambda.endpoint,
        credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
        local: false,
      },
      redis: { url: redis.url },
      asyncRecords: { expireAfterMs: 600 },
    };
    const a = await startTestGateway(options);
    const b = await startTestGateway(options);
    try {
      const started = (await a.execute(InvokeFunctionDocument, { input: { functionName: 'silent', invocationType: 'EVENT' } })).data
        ?.invokeFunction;
      if (started?.__typename !== 'Invocation') throw new Error('not accepted');
      const subscription = subscribeWith('graphql-ws', b.running.url, InvocationUpdatesDocument, { requestId: started.requestId });
      await expect.poll(() => subscription.values.length, { interval: 10 }).toBe(1);
      // A's own expiry timer goes with it: B's follower must give up by itself.
      await a.close();
      await subscription.completed;
      expect(subscription.values.map((v) => v.invocationUpdates.status)).toEqual(['ACCEPTED', 'EXPIRED']);
      expect((await b.execute(InvocationDocument, { requestId: started.requestId })).data?.invocation?.status).toBe('EXPIRED');
    } finally {
      await a.close();
      await b.close();
      await lambda.close();
    }
  });
});

describe('subscriptions a client abandons', () => {
  it('are released at once, not at their next event: their Redis channels go away', async () => {
    const gateway = await startTestGateway({ redis: { url: redis.url } });
    const observer = new Redis(redis.url, { lazyConnect: true });
    await observer.connect();
    try {
      const channels = async () => (await observer.pubsub('CHANNELS', 'invocation:*')) as string[];
      const ids = ['66666666-6666-4666-8666-000000000001', '66666666-6666-4666-8666-000000000002'];
      const overWs = subscribeWith('graphql-ws', gateway.running.url, InvocationUpdatesDocument, { requestId: ids[0] ?? '' });
      const overSse = subscribeWith('graphql-sse', gateway.running.url, InvocationUpdatesDocument, { requestId: ids[1] ?? '' });
      await expect.poll(async () => (await channels()).length, { interval: 10 }).toBe(2);
      overWs.dispose();
      overSse.dispose();
      // No event will ever arrive for these ids; the subscriptions must still let go.
      await expect.poll(async () => (await channels()).length, { interval: 10 }).toBe(0);
    } finally {
      await observer.quit();
      await gateway.close();
    }
  });
});

describe('a Redis restart under an open subscription', () => {
  it('loses no completion: the subscriber still ends with the terminal state', async () => {
    const gateway = await startTestGateway(
      { redis: { url: redis.url }, destinations: { secret: SECRET } },
      { localLambda: { async: { deliveryRetryBaseMs: 20 } } },
    );
    try {
      const started = await gateway.execute(InvokeFunctionDocument, {
        input: { functionName: 'sleep', invocationType: 'EVENT', payload: { ms: 1500 } },
      });
      const outcome = started.data?.invokeFunction;
      if (outcome?.__typename !== 'Invocation') throw new Error('not accepted');
      const subscription = subscribeWith('graphql-sse', gateway.running.url, InvocationUpdatesDocument, { requestId: outcome.requestId });
      await expect.poll(() => subscription.values.length, { interval: 10 }).toBe(1);
      // Crash Redis while the function runs: records and subscriptions in Redis are gone.
      await redis.restart();
      await subscription.completed;
      expect(subscription.values.map((v) => v.invocationUpdates.status)).toEqual(['ACCEPTED', 'SUCCEEDED']);
      expect(subscription.values[1]?.invocationUpdates.responsePayload).toEqual({ sleptMs: 1500 });
    } finally {
      await gateway.close();
    }
  });
});
