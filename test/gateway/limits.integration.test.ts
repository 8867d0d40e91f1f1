/**
 * Operation limits that need more than one process's memory: a rate-limit budget shared across
 * gateway instances through a real Redis. Everything else about limits — depth, aliases, tokens,
 * introspection, cost, a single instance's rate limits — is the gateway's own logic and is tested
 * in the unit tier (limits.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { startRedis } from '../helpers/redis.ts';

describe('per-principal rate limits', () => {
  const ask = (target: TestGateway, headers: Record<string, string>) =>
    fetch(target.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });

  it('shares one budget across instances through Redis', async () => {
    const redis = await startRedis();
    const options = { rateLimit: { operations: 2, perSeconds: 60 }, redis: { url: redis.url, keyPrefix: 'rate-test:' } };
    const first = await startTestGateway(options);
    const second = await startTestGateway(options);
    try {
      expect((await ask(first, {})).status).toBe(200);
      expect((await ask(second, {})).status).toBe(200);
      // The same anonymous client, now on either instance, has spent its budget.
      expect((await ask(first, {})).status).toBe(429);
      expect((await ask(second, {})).status).toBe(429);
    } finally {
      await first.close();
      await second.close();
      await redis.stop();
    }
  });
});
