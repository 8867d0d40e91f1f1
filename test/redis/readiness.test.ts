/**
 * /ready behind Redis: it names the connection, and turns 503 while Redis is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readiness as ready, startTestGateway } from '../helpers/gateway.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';

describe('/ready with Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('reports the Redis connection, and turns 503 while it is down', async () => {
    const gateway = await startTestGateway({ redis: { url: redis.url } });
    try {
      expect((await ready(gateway)).body).toMatchObject({ ready: true, checks: { redis: 'connected' } });
      await redis.crash();
      await expect
        .poll(async () => (await ready(gateway)).body, { interval: 20 })
        .toMatchObject({ ready: false, checks: { redis: 'disconnected' } });
      await redis.start();
      // Ready again once ioredis has reconnected.
      await expect.poll(async () => (await ready(gateway)).status, { interval: 20 }).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
