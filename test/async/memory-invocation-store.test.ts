/** The in-memory invocation store: merge rules and expiry. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import { acceptedRecord } from '../../src/async/invocation-record.ts';
import { MemoryInvocationStore } from '../../src/async/invocation-store.ts';

function destination(requestId: string, condition: DestinationRecord['requestContext']['condition']): DestinationRecord {
  return {
    version: '1.0',
    timestamp: '2026-11-24T12:00:00.000Z',
    requestContext: {
      requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo:7',
      condition,
      approximateInvokeCount: 2,
    },
    requestPayload: { n: 1 },
  };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('MemoryInvocationStore', () => {
  it('records a completion for an invocation it never saw start, from the ARN', async () => {
    const store = new MemoryInvocationStore(60_000);
    const { record, changed } = await store.complete(destination('x', 'ZeroReservedConcurrency'));
    expect(changed).toBe(true);
    expect(record).toMatchObject({
      functionName: 'echo',
      qualifier: '7',
      status: 'FAILED',
      startedByGateway: false,
      attempts: 2,
      executedVersion: undefined,
    });
    await store.close();
  });

  it('forgets a record once its time to live has passed since the last change', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    const store = new MemoryInvocationStore(1000);
    await store.accept(
      acceptedRecord({ requestId: 'y', functionName: 'echo', qualifier: undefined, requestPayload: {}, expireAfterMs: 60_000 }),
    );
    vi.advanceTimersByTime(900);
    await store.complete(destination('y', 'Success'));
    vi.advanceTimersByTime(900);
    expect((await store.get('y'))?.status).toBe('SUCCEEDED');
    vi.advanceTimersByTime(101);
    expect(await store.get('y')).toBeUndefined();
    await store.close();
  });

  it('expires an ACCEPTED record once, keeps a terminal one, and lets a late destination record replace EXPIRED', async () => {
    const store = new MemoryInvocationStore(60_000);
    const accepted = acceptedRecord({ requestId: 'z', functionName: 'echo', qualifier: undefined, requestPayload: {}, expireAfterMs: 1 });
    await store.accept(accepted);
    const expired = await store.expire(accepted);
    expect(expired).toMatchObject({ changed: true, record: { status: 'EXPIRED', expiresAt: accepted.expiresAt, startedByGateway: true } });
    expect((await store.expire(accepted)).changed).toBe(false);
    const late = await store.complete(destination('z', 'Success'));
    expect(late).toMatchObject({ changed: true, record: { status: 'SUCCEEDED', startedByGateway: true, expiresAt: accepted.expiresAt } });
    expect((await store.expire(accepted)).record.status).toBe('SUCCEEDED');
    await store.close();
  });

  it('writes back a record that was lost before it expired', async () => {
    const store = new MemoryInvocationStore(60_000);
    const forgotten = acceptedRecord({
      requestId: 'w',
      functionName: 'echo',
      qualifier: 'live',
      requestPayload: { n: 1 },
      expireAfterMs: 1,
    });
    expect(await store.expire(forgotten)).toMatchObject({
      changed: true,
      record: { requestId: 'w', status: 'EXPIRED', qualifier: 'live' },
    });
    expect((await store.get('w'))?.status).toBe('EXPIRED');
    await store.close();
  });
});
