/**
 * RecordReader (src/invocations/record-reader.ts): what each caller may see of EVENT records —
 * unknown and forbidden look the same to `get`, following a forbidden id is refused, a feed skips
 * what the caller may not see, error details are hidden without the grant, and every follower
 * ends at the gateway's shutdown.
 */
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { Allowlist } from '../../src/access/allowlist.ts';
import type { Principal } from '../../src/auth/authenticator.ts';
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import { InvocationRecords } from '../../src/async/invocation-records.ts';
import { MemoryInvocationStore } from '../../src/async/invocation-store.ts';
import { RecordReader } from '../../src/invocations/record-reader.ts';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';

const OPS: Principal = { kind: 'api-key', id: 'ops', roles: ['ops'] };
const VIEWER: Principal = { kind: 'api-key', id: 'viewer', roles: ['viewer'] };

/** ops sees everything with details; viewer sees `echo` only, without error details. */
const access = new Allowlist([
  { functions: ['*'], roles: ['ops'] },
  { functions: ['echo'], roles: ['viewer'], errorDetails: false },
]);

function failed(requestId: string, functionName: string): DestinationRecord {
  return {
    version: '1.0',
    timestamp: '2026-12-02T12:00:00.000Z',
    requestContext: {
      requestId,
      functionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
    },
    requestPayload: { n: 1 },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    responsePayload: { errorType: 'Error', errorMessage: 'secret detail' },
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

function setUp() {
  const store = new MemoryInvocationStore(60_000);
  const records = new InvocationRecords({ store, events: new InvocationEvents(), expireAfterMs: () => 60_000, unknownIdWaitMs: 60_000 });
  const shutdown = new AbortController();
  cleanups.push(async () => {
    shutdown.abort();
    records.close();
    await store.close();
  });
  return { records, shutdown, reader: new RecordReader(records, access, shutdown.signal) };
}

const accept = (records: InvocationRecords, requestId: string, functionName: string) =>
  records.accept({ requestId, functionName, qualifier: undefined, requestPayload: { n: 1 } });

describe('RecordReader', () => {
  it('answers a record the caller may not see exactly as an unknown one', async () => {
    const { records, reader } = setUp();
    await accept(records, 'r-echo', 'echo');
    await accept(records, 'r-other', 'other');
    expect((await reader.get(VIEWER, 'r-echo'))?.status).toBe('ACCEPTED');
    expect(await reader.get(VIEWER, 'r-other')).toBeUndefined();
    expect(await reader.get(VIEWER, 'r-unknown')).toBeUndefined();
    expect((await reader.get(OPS, 'r-other'))?.status).toBe('ACCEPTED');
  });

  it('hides a failure’s details (and the response) from a caller without the grant', async () => {
    const { records, reader } = setUp();
    await accept(records, 'r1', 'echo');
    await records.complete(failed('r1', 'echo'));
    const viewer = await reader.get(VIEWER, 'r1');
    expect(viewer).toMatchObject({ status: 'FAILED', errorDetailsHidden: true, responsePayload: undefined });
    const ops = await reader.get(OPS, 'r1');
    expect(ops).toMatchObject({ status: 'FAILED', errorDetailsHidden: false, responsePayload: { errorMessage: 'secret detail' } });
  });

  it('refuses to follow an invocation the caller may not see, with FORBIDDEN', async () => {
    const { records, reader } = setUp();
    await accept(records, 'r1', 'other');
    const error = await reader
      .follow(VIEWER, 'r1')
      .next()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(GraphQLError);
    expect((error as GraphQLError).extensions.code).toBe('FORBIDDEN');
  });

  it('follows a visible invocation from its current state to its terminal one', async () => {
    const { records, reader } = setUp();
    await accept(records, 'r1', 'echo');
    const updates = reader.follow(VIEWER, 'r1');
    expect((await updates.next()).value).toMatchObject({ status: 'ACCEPTED' });
    await records.complete(failed('r1', 'echo'));
    expect((await updates.next()).value).toMatchObject({ status: 'FAILED', errorDetailsHidden: true });
    expect((await updates.next()).done).toBe(true);
  });

  it('feeds only the records the caller may see', async () => {
    const { records, reader } = setUp();
    const feed = reader.feed(VIEWER, undefined);
    const first = feed.next();
    await accept(records, 'r-other', 'other');
    await accept(records, 'r-echo', 'echo');
    expect((await first).value).toMatchObject({ requestId: 'r-echo', functionName: 'echo' });
    await feed.return(undefined);
  });

  it('ends every follower when the gateway shuts down', async () => {
    const { reader, shutdown } = setUp();
    const waiting = reader.follow(OPS, 'not-yet-known').next();
    const feeding = reader.feed(OPS, undefined).next();
    shutdown.abort();
    expect((await waiting).done).toBe(true);
    expect((await feeding).done).toBe(true);
  });
});
