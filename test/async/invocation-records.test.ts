/** InvocationRecords, the records' one owner: accept and complete publish, and tell outcome readers. */
import { afterEach, describe, expect, it } from 'vitest';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import type { InvocationRecord } from '../../src/async/invocation-record.ts';
import { InvocationRecords } from '../../src/async/invocation-records.ts';
import { MemoryInvocationStore } from '../../src/async/invocation-store.ts';

function destination(requestId: string): DestinationRecord {
  return {
    version: '1.0',
    timestamp: '2026-11-24T12:00:00.000Z',
    requestContext: {
      requestId,
      functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:echo',
      condition: 'Success',
      approximateInvokeCount: 1,
    },
    requestPayload: { n: 1 },
    responsePayload: { ok: true },
  };
}

const accepted = (requestId: string) => ({ requestId, functionName: 'echo', qualifier: undefined, requestPayload: { n: 1 } });

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setUp() {
  const store = new MemoryInvocationStore(60_000);
  const events = new InvocationEvents();
  const settled: InvocationRecord[] = [];
  const records = new InvocationRecords({
    store,
    events,
    expireAfterMs: () => 60_000,
    unknownIdWaitMs: 1000,
    onSettled: (record) => settled.push(record),
  });
  const stop = new AbortController();
  const outcomes: InvocationRecord[] = [];
  records.followOutcomes((record) => outcomes.push(record), stop.signal);
  cleanups.push(async () => {
    stop.abort();
    records.close();
    await store.close();
  });
  return { records, events, settled, outcomes, stop };
}

describe('InvocationRecords', () => {
  it('publishes an acceptance and a completion, and tells outcome readers of the completion once', async () => {
    const { records, events, settled, outcomes } = setUp();
    const published: InvocationRecord[] = [];
    const all = events.listenAll();
    void (async () => {
      for (;;) {
        const next = await all.next();
        if (next.done === true) return;
        published.push(next.value);
      }
    })();
    await records.accept(accepted('a'));
    const change = await records.complete(destination('a'));
    expect(change.changed).toBe(true);
    await expect.poll(() => published.map((record) => record.status)).toEqual(['ACCEPTED', 'SUCCEEDED']);
    await expect.poll(() => outcomes.map((record) => [record.requestId, record.status])).toEqual([['a', 'SUCCEEDED']]);
    expect(settled.map((record) => record.status)).toEqual(['SUCCEEDED']);
    await all.return?.();
  });

  it('tells outcome readers of an outcome stored before the acceptance, when the acceptance comes', async () => {
    const { records, outcomes } = setUp();
    await records.complete(destination('fast'));
    await expect.poll(() => outcomes.length).toBe(1);
    const change = await records.accept(accepted('fast'));
    expect(change.changed).toBe(false);
    expect(change.record.status).toBe('SUCCEEDED');
    // Once from the completion's publication, once more on the late acceptance: the activity log
    // only had an entry to update the second time.
    expect(outcomes.map((record) => [record.requestId, record.status])).toEqual([
      ['fast', 'SUCCEEDED'],
      ['fast', 'SUCCEEDED'],
    ]);
  });

  it('stops telling a reader once its signal aborts', async () => {
    const { records, outcomes, stop } = setUp();
    stop.abort();
    await records.complete(destination('late'));
    await records.accept(accepted('late'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(outcomes).toHaveLength(0);
  });
});
