/**
 * ActivityReader (src/invocations/activity-reader.ts): what each caller may see of the activity
 * log — entries of functions it may not see left out, error details and log tails only with their
 * grants, counts checked against the log's size, and a live feed that sends the snapshot, then
 * each new entry once, and ends at the gateway's shutdown.
 */
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { Allowlist } from '../../src/access/allowlist.ts';
import type { Principal } from '../../src/auth/authenticator.ts';
import { ActivityReader, type ActivitySummary } from '../../src/invocations/activity-reader.ts';
import { Invocation } from '../../src/lambda/invocation.ts';
import type { InvokeRequest } from '../../src/lambda/invoker.ts';
import { InvocationActivity } from '../../src/observability/invocation-activity.ts';

const OPS: Principal = { kind: 'api-key', id: 'ops', roles: ['ops'] };
const VIEWER: Principal = { kind: 'api-key', id: 'viewer', roles: ['viewer'] };
const access = new Allowlist([
  { functions: ['*'], roles: ['ops'] },
  { functions: ['echo', 'fail'], roles: ['viewer'], errorDetails: false, tailLogs: false },
]);

const LOG = Buffer.from('START RequestId: r\nsecret log line\n').toString('base64');

function request(functionName: string): InvokeRequest {
  return {
    functionName,
    qualifier: undefined,
    target: { name: functionName, qualifier: undefined, region: undefined, account: undefined },
    invocationType: 'RequestResponse',
    logType: 'Tail',
    payload: new Uint8Array(),
    clientContext: undefined,
  };
}

function record(activity: InvocationActivity, functionName: string, functionError?: string): void {
  const payload = new TextEncoder().encode(JSON.stringify(functionError ? { errorType: 'Boom', errorMessage: 'secret' } : { ok: 1 }));
  const outcome = new Invocation(
    request(functionName),
    { requestId: `${functionName}-id`, statusCode: 200, executedVersion: '$LATEST', functionError, logResult: LOG, payload },
    1,
  );
  activity.record({
    gatewayRequestId: 'g',
    functionName,
    qualifier: undefined,
    invocationType: 'RequestResponse',
    startedAt: Date.now(),
    outcome,
  });
}

function setUp(capacity = 10) {
  const activity = new InvocationActivity(capacity);
  const shutdown = new AbortController();
  return { activity, shutdown, reader: new ActivityReader(activity, access, shutdown.signal) };
}

describe('ActivityReader', () => {
  it('leaves out invocations of functions the caller may not see', () => {
    const { activity, reader } = setUp();
    record(activity, 'echo');
    record(activity, 'other');
    expect(reader.recent(VIEWER, undefined, 10).map((s) => s.entry.functionName)).toEqual(['echo']);
    expect(reader.recent(OPS, undefined, 10).map((s) => s.entry.functionName)).toEqual(['other', 'echo']);
    const otherId = reader.recent(OPS, 'other', 1)[0]?.entry.id ?? '';
    expect(reader.get(VIEWER, otherId)).toBeUndefined();
    expect(reader.get(OPS, otherId)?.entry.functionName).toBe('other');
  });

  it('shows error details and log tails only with their grants', () => {
    const { activity, reader } = setUp();
    record(activity, 'fail', 'Unhandled');
    const [viewer] = reader.recent(VIEWER, 'fail', 1);
    const [ops] = reader.recent(OPS, 'fail', 1);
    expect(viewer?.functionError?.errorType).toBe('Hidden');
    expect(viewer?.functionError?.errorMessage).not.toContain('secret');
    expect(viewer?.hasLogs).toBe(false);
    expect(viewer?.decodedLogs).toBeUndefined();
    expect(ops?.functionError).toMatchObject({ errorType: 'Boom', errorMessage: 'secret' });
    expect(ops?.hasLogs).toBe(true);
    expect(ops?.decodedLogs).toContain('secret log line');
  });

  it('refuses a count beyond the log’s size, naming the limit', () => {
    const { reader } = setUp(5);
    const refusal = (() => {
      try {
        reader.recent(OPS, undefined, 6);
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      limit: 5,
      limitName: 'activityLogSize',
      actual: 6,
    });
    expect(() => reader.feed(OPS, undefined, -1)).toThrow(/between 0 and 5/);
  });

  it('feeds the snapshot oldest first, then each new visible entry once, and ends at shutdown', async () => {
    const { activity, reader, shutdown } = setUp();
    record(activity, 'echo');
    record(activity, 'fail');
    const feed = reader.feed(VIEWER, undefined, 2);
    const nameOf = (result: IteratorResult<ActivitySummary>) => (result.done === true ? undefined : result.value.entry.functionName);
    expect(nameOf(await feed.next())).toBe('echo');
    expect(nameOf(await feed.next())).toBe('fail');
    const next = feed.next();
    record(activity, 'other');
    record(activity, 'echo');
    expect(nameOf(await next)).toBe('echo');
    const ended = feed.next();
    shutdown.abort();
    expect((await ended).done).toBe(true);
  });
});
