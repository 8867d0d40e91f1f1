/**
 * `assembleGateway` on its own: a fully wired gateway with no port, its services, drain and close.
 * Unit tier: nothing here may listen, connect or start a worker (test/setup/unit-tier.ts).
 */
import { describe, expect, it } from 'vitest';
import { assembleGateway } from '../src/assembly.ts';
import { InvocationEvents } from '../src/async/invocation-events.ts';
import { MemoryInvocationStore } from '../src/async/invocation-store.ts';
import { resolveGatewayConfig } from '../src/config.ts';
import { recordingInvoker } from './invocations/fake-invoker.ts';

const AWS = resolveGatewayConfig({ lambda: { kind: 'aws', region: 'eu-west-1' } });

describe('assembleGateway', () => {
  it('wires the services it is handed, and answers through gateway.fetch', async () => {
    const invoker = recordingInvoker();
    const store = new MemoryInvocationStore(60_000);
    const events = new InvocationEvents();
    const assembled = await assembleGateway(AWS, { invoker, store, events });
    try {
      expect(assembled.services).toMatchObject({
        invoker,
        store,
        events,
        rateLimiter: undefined,
        tracing: undefined,
        redisReady: undefined,
      });
      const ready = await assembled.gateway.fetch('http://127.0.0.1/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ ready: true, checks: { lambda: 'reachable', shutdown: 'running' } });
    } finally {
      await assembled.close();
    }
  });

  it('drain: readiness turns false and new work gets 503, before anything is closed', async () => {
    const assembled = await assembleGateway(AWS, { invoker: recordingInvoker() });
    assembled.drain();
    expect(assembled.services.shutdown.aborted).toBe(true);
    expect((await assembled.gateway.fetch('http://127.0.0.1/ready')).status).toBe(503);
    const work = await assembled.gateway.fetch('http://127.0.0.1/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(work.status).toBe(503);
    await assembled.close();
  });

  it('close: drains, then closes the invoker and the store, once however often it is called', async () => {
    let destroyed = 0;
    let storeClosed = 0;
    const invoker = { ...recordingInvoker(), destroy: () => void (destroyed += 1) };
    const store = new MemoryInvocationStore(60_000);
    const closeStore = store.close.bind(store);
    store.close = () => {
      storeClosed += 1;
      return closeStore();
    };
    const assembled = await assembleGateway(AWS, { invoker, store });
    await Promise.all([assembled.close(), assembled.close()]);
    expect(assembled.services.shutdown.aborted).toBe(true);
    expect({ destroyed, storeClosed }).toEqual({ destroyed: 1, storeClosed: 1 });
  });

  it('builds an SDK invoker for AWS or an endpoint itself, without connecting', async () => {
    for (const config of [AWS, resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9' } })]) {
      const assembled = await assembleGateway(config);
      expect(typeof assembled.services.invoker.invoke).toBe('function');
      await assembled.close();
    }
  });

  it('refuses the built-in local Lambda without an invoker: it needs a port, which only startGatewayServer binds', async () => {
    await expect(assembleGateway(resolveGatewayConfig({}))).rejects.toThrow(/startGatewayServer/);
  });
});
