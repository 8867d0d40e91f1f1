/**
 * Following one invocation (src/async/follow.ts) over the in-memory store and events: the current
 * state first, then each change, ending at a terminal state; no completion lost to the gap between
 * listening and reading, none delivered twice; and no follower that waits forever.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { followInvocation, type FollowSource, UnknownInvocationError } from '../../src/async/follow.ts';
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import { acceptedRecord, expiredRecord, type InvocationRecord, isOverdue } from '../../src/async/invocation-record.ts';
import { MemoryInvocationStore } from '../../src/async/invocation-store.ts';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';

function destination(requestId: string, condition: DestinationRecord['requestContext']['condition'] = 'Success'): DestinationRecord {
  return {
    version: '1.0',
    timestamp: '2026-12-02T01:00:00.000Z',
    requestContext: {
      requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo:$LATEST',
      condition,
      approximateInvokeCount: 1,
    },
    requestPayload: { n: 1 },
    responsePayload: { ok: true },
  };
}

const accepted = (requestId: string, expireAfterMs = 60_000) =>
  acceptedRecord({ requestId, functionName: 'echo', qualifier: undefined, requestPayload: { n: 1 }, expireAfterMs });

const stores: MemoryInvocationStore[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
});

/** The source the gateway builds, on memory: reads apply expiry, expiring publishes what changed. */
function setUp(options: { unknownIdWaitMs?: number; beforeRead?: () => Promise<void> } = {}) {
  const store = new MemoryInvocationStore(60_000);
  stores.push(store);
  const events = new InvocationEvents();
  const reads: string[] = [];
  const source: FollowSource = {
    events,
    async get(requestId) {
      reads.push(requestId);
      const record = await store.get(requestId);
      // Lets a test land something between the follower's listen and the end of its read.
      await options.beforeRead?.();
      return record !== undefined && isOverdue(record, Date.now()) ? expiredRecord(record, Date.now()) : record;
    },
    async expire(record) {
      const change = await store.expire(record);
      if (change.changed) events.publish(change.record);
      return change.record;
    },
    unknownIdWaitMs: options.unknownIdWaitMs ?? 10_000,
  };
  const complete = async (requestId: string, condition?: DestinationRecord['requestContext']['condition']) => {
    const change = await store.complete(destination(requestId, condition));
    if (change.changed) events.publish(change.record);
    return change.record;
  };
  return { store, events, source, reads, complete };
}

/** Every record the follower delivers until it ends. */
async function collect(followed: AsyncGenerator<InvocationRecord>): Promise<InvocationRecord[]> {
  const records: InvocationRecord[] = [];
  for await (const record of followed) records.push(record);
  return records;
}

const never = new Promise<void>(() => {});

describe('followInvocation', () => {
  it('delivers the current state first, then each change, and ends at the terminal state', async () => {
    const { store, source, complete } = setUp();
    await store.accept(accepted('r-1'));
    const followed = followInvocation(source, 'r-1', never);
    expect((await followed.next()).value).toMatchObject({ requestId: 'r-1', status: 'ACCEPTED' });
    const pending = followed.next();
    await complete('r-1');
    expect((await pending).value).toMatchObject({ status: 'SUCCEEDED', condition: 'Success' });
    expect(await followed.next()).toEqual({ done: true, value: undefined });
  });

  it('delivers an invocation already finished once, and ends', async () => {
    const { store, source, complete } = setUp();
    await store.accept(accepted('r-2'));
    await complete('r-2', 'RetriesExhausted');
    const records = await collect(followInvocation(source, 'r-2', never));
    expect(records.map((r) => r.status)).toEqual(['FAILED']);
  });

  it('misses no completion that lands after it listens but before its read returns', async () => {
    let land: (() => Promise<void>) | undefined;
    const { store, source, complete } = setUp({ beforeRead: () => land?.() ?? Promise.resolve() });
    await store.accept(accepted('r-3'));
    // The read has fetched ACCEPTED; the completion is stored and published before it returns.
    land = async () => {
      land = undefined;
      await complete('r-3');
    };
    const records = await collect(followInvocation(source, 'r-3', never));
    expect(records.map((r) => r.status)).toEqual(['ACCEPTED', 'SUCCEEDED']);
  });

  it('delivers a change that arrives on both the read and the event path once', async () => {
    const { store, events, source, complete } = setUp();
    const record = accepted('r-4');
    await store.accept(record);
    const followed = followInvocation(source, 'r-4', never);
    expect((await followed.next()).value).toMatchObject({ status: 'ACCEPTED' });
    const pending = followed.next();
    // ACCEPTED again (another instance's bookkeeping) is not news.
    events.publish(record);
    const done = await complete('r-4');
    events.publish(done);
    expect((await pending).value).toMatchObject({ status: 'SUCCEEDED' });
    expect((await followed.next()).done).toBe(true);
  });

  it('waits for an id not recorded yet, and delivers it when it arrives', async () => {
    const { store, events, source, complete } = setUp({ unknownIdWaitMs: 5000 });
    const followed = followInvocation(source, 'r-5', never);
    const first = followed.next();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const change = await store.accept(accepted('r-5'));
    events.publish(change.record);
    expect((await first).value).toMatchObject({ status: 'ACCEPTED' });
    const second = followed.next();
    await complete('r-5');
    expect((await second).value).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends with UnknownInvocationError when no record arrives in the wait, reading once more first', async () => {
    const { source, reads } = setUp({ unknownIdWaitMs: 30 });
    const started = Date.now();
    const error: unknown = await collect(followInvocation(source, 'r-unknown', never)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownInvocationError);
    expect(error).toMatchObject({ requestId: 'r-unknown', waitedMs: 30 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(reads).toEqual(['r-unknown', 'r-unknown']);
  });

  it('finds an unknown id stored while events were not flowing, at the end of the wait', async () => {
    const { store, source } = setUp({ unknownIdWaitMs: 30 });
    const followed = followInvocation(source, 'r-6', never);
    const first = followed.next();
    // Stored, never published.
    await store.accept(accepted('r-6'));
    expect((await first).value).toMatchObject({ status: 'ACCEPTED' });
    await followed.return(undefined);
  });

  it('gives an ACCEPTED invocation up at its expiresAt: EXPIRED, stored and delivered', async () => {
    const { store, source } = setUp();
    await store.accept(accepted('r-7', 40));
    const records = await collect(followInvocation(source, 'r-7', never));
    expect(records.map((r) => r.status)).toEqual(['ACCEPTED', 'EXPIRED']);
    expect((await store.get('r-7'))?.status).toBe('EXPIRED');
  });

  it('keeps an outcome that won the race with expiry', async () => {
    const { store, source } = setUp();
    await store.accept(accepted('r-8', 40));
    const followed = followInvocation(source, 'r-8', never);
    expect((await followed.next()).value).toMatchObject({ status: 'ACCEPTED' });
    // Completed in the store without an event reaching this follower.
    await store.complete(destination('r-8'));
    expect((await followed.next()).value).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('re-reads the store after a resync, so a completion published during an outage arrives', async () => {
    const { store, events, source } = setUp();
    await store.accept(accepted('r-9'));
    const followed = followInvocation(source, 'r-9', never);
    expect((await followed.next()).value).toMatchObject({ status: 'ACCEPTED' });
    const pending = followed.next();
    await store.complete(destination('r-9'));
    // Let the follower reach its wait before the resync is announced.
    await new Promise((resolve) => setTimeout(resolve, 0));
    events.resync();
    expect((await pending).value).toMatchObject({ status: 'SUCCEEDED' });
  });

  it('ends as soon as it is stopped, without waiting for an event', async () => {
    const { store, source } = setUp();
    await store.accept(accepted('r-10'));
    const { promise: stopped, resolve: stop } = Promise.withResolvers<void>();
    const followed = followInvocation(source, 'r-10', stopped);
    expect((await followed.next()).value).toMatchObject({ status: 'ACCEPTED' });
    const pending = followed.next();
    stop();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
