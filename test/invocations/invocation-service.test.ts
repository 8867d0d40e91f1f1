/**
 * The invocation service on its own: a fake invoker, the real loader and policies, recording
 * observers. No ports, no workers.
 */
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it } from 'vitest';
import { Allowlist, type AllowRule } from '../../src/access/allowlist.ts';
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import { InvocationRecords } from '../../src/async/invocation-records.ts';
import { MemoryInvocationStore } from '../../src/async/invocation-store.ts';
import { ANONYMOUS } from '../../src/auth/authenticator.ts';
import { MemoryIdempotencyStore } from '../../src/idempotency/idempotency-store.ts';
import type { InvocationObserver, ObservedInvocation } from '../../src/invocations/invocation-observer.ts';
import { InvocationService, type InvocationServiceOptions } from '../../src/invocations/invocation-service.ts';
import { InvocationView } from '../../src/invocations/invocation-view.ts';
import { activityObserver, asyncRecordsObserver } from '../../src/invocations/observers.ts';
import { FunctionDeadlines } from '../../src/lambda/deadlines.ts';
import { FunctionNotFoundError, IdempotencyConflictError, InvalidInvocationError } from '../../src/lambda/errors.ts';
import { Invocation } from '../../src/lambda/invocation.ts';
import { createInvocationLoader } from '../../src/lambda/invocation-loader.ts';
import type { InvokeResponse } from '../../src/lambda/invoker.ts';
import type { InvocationInput } from '../../src/lambda/request-checks.ts';
import { InvocationActivity } from '../../src/observability/invocation-activity.ts';
import { accepted, type RecordingInvoker, recordingInvoker } from './fake-invoker.ts';

const CALLER = { principal: ANONYMOUS, requestId: 'gateway-request-1' };

function input(functionName: string, more: Partial<InvocationInput> = {}): InvocationInput {
  return { functionName, invocationType: 'RequestResponse', logType: 'None', ...more };
}

/** Remembers every outcome it is told of, tagged with its name (to check the observers' order). */
function recordingObserver(name: string, log: { name: string; observed: ObservedInvocation }[]): InvocationObserver {
  return { onOutcome: (observed) => void log.push({ name, observed }) };
}

function setUp(options: { rules?: readonly AllowRule[]; invoker?: RecordingInvoker; more?: Partial<InvocationServiceOptions> } = {}) {
  const invoker = options.invoker ?? recordingInvoker();
  const observed: { name: string; observed: ObservedInvocation }[] = [];
  const service = new InvocationService({
    access: new Allowlist(options.rules),
    deadlines: new FunctionDeadlines([{ functions: ['slow-*'], timeoutMs: 60_000 }], 5000),
    idempotency: new MemoryIdempotencyStore(60_000),
    clientContext: { policy: 'pass', secret: '' },
    observers: [recordingObserver('first', observed), recordingObserver('second', observed)],
    ...options.more,
  });
  // A new loader per "request", as each request's context makes one.
  const request = () => service.forRequest(CALLER, createInvocationLoader(invoker, undefined));
  return { invoker, observed, service, request };
}

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

describe('InvocationService: the pipeline', () => {
  it('refuses the whole call when one request is not allowed: nothing reaches the invoker, nothing is observed', async () => {
    const { invoker, observed, request } = setUp({ rules: [{ functions: ['echo'] }] });
    const refusal = await request()
      .invokeAll([input('echo'), input('secret')])
      .catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({ code: 'FORBIDDEN', http: { status: 403 } });
    expect((refusal as GraphQLError).message).toContain('secret');
    expect(invoker.calls).toHaveLength(0);
    expect(observed).toHaveLength(0);
  });

  it('refuses tail logs the rules do not grant, before any call', async () => {
    const { invoker, request } = setUp({ rules: [{ functions: ['echo'], tailLogs: false }] });
    await expect(request().invokeOne(input('echo', { logType: 'Tail' }))).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(invoker.calls).toHaveLength(0);
  });

  it('answers an input that fails its checks with a typed outcome in its slot; the others still run', async () => {
    const { invoker, observed, request } = setUp();
    const [bad, good] = await request().invokeAll([input('not a name!'), input('echo', { payload: { n: 1 } })]);
    expect(bad).toBeInstanceOf(InvalidInvocationError);
    expect(good).toBeInstanceOf(InvocationView);
    expect(invoker.calls.map((call) => call.request.functionName)).toEqual(['echo']);
    // The refusal is observed too, without a request, under the name the caller wrote.
    const firsts = observed.filter((o) => o.name === 'first').map((o) => o.observed);
    expect(firsts.map((o) => [o.input.functionName, o.request === undefined])).toEqual([
      ['not a name!', true],
      ['echo', false],
    ]);
  });

  it('passes each function its own deadline, and the request signal, down to the invoker', async () => {
    const invoker = recordingInvoker();
    const { service } = setUp({ invoker });
    const aborted = new AbortController();
    await service.forRequest(CALLER, createInvocationLoader(invoker, aborted.signal)).invokeAll([input('slow-report'), input('echo')]);
    expect(invoker.calls.map((call) => [call.request.target.name, call.request.timeoutMs])).toEqual([
      ['slow-report', 60_000],
      ['echo', 5000],
    ]);
    // One signal for the request's calls, following the request's (invocation-loader.ts).
    const signal = invoker.calls[0]?.signal;
    expect(invoker.calls.every((call) => call.signal === signal)).toBe(true);
    aborted.abort();
    expect(signal?.aborted).toBe(true);
  });

  it('hands the function the client context its policy decides', async () => {
    const { invoker, request } = setUp({ more: { clientContext: { policy: 'drop', secret: '' } } });
    await request().invokeOne(input('echo', { clientContext: { custom: { a: 1 } } }));
    expect(invoker.calls[0]?.request.clientContext).toBeUndefined();
  });
});

describe('InvocationService: idempotency', () => {
  it('replays the remembered outcome without invoking or observing again', async () => {
    const { invoker, observed, request } = setUp();
    const first = await request().invokeOne(input('echo', { idempotencyKey: 'k', payload: { n: 1 } }));
    const replay = await request().invokeOne(input('echo', { idempotencyKey: 'k', payload: { n: 1 } }));
    expect(invoker.calls).toHaveLength(1);
    expect(replay).toBeInstanceOf(InvocationView);
    expect((replay as InvocationView).invocation.replayed).toBe(true);
    expect((replay as InvocationView).invocation.requestId).toBe((first as InvocationView).invocation.requestId);
    expect(observed.filter((o) => o.name === 'first')).toHaveLength(1);
  });

  it('refuses another request under the same key as a conflict, without invoking', async () => {
    const { invoker, request } = setUp();
    await request().invokeOne(input('echo', { idempotencyKey: 'k', payload: { n: 1 } }));
    const conflict = await request().invokeOne(input('echo', { idempotencyKey: 'k', payload: { n: 2 } }));
    expect(conflict).toBeInstanceOf(IdempotencyConflictError);
    expect(invoker.calls).toHaveLength(1);
  });

  it('releases the key when Lambda refused the invocation, so the caller may retry with it', async () => {
    const invoker = recordingInvoker((request, call) =>
      call === 1
        ? Promise.reject(new FunctionNotFoundError('Function not found', 'echo', undefined))
        : Promise.resolve(accepted(request, `request-${call}`)),
    );
    const { request } = setUp({ invoker });
    expect(await request().invokeOne(input('echo', { idempotencyKey: 'k' }))).toBeInstanceOf(FunctionNotFoundError);
    const retried = await request().invokeOne(input('echo', { idempotencyKey: 'k' }));
    expect(retried).toBeInstanceOf(InvocationView);
    expect((retried as InvocationView).invocation.replayed).toBe(false);
    expect(invoker.calls).toHaveLength(2);
  });

  it('refuses a key of the wrong length as invalid input, without invoking', async () => {
    const { invoker, request } = setUp();
    expect(await request().invokeOne(input('echo', { idempotencyKey: '' }))).toBeInstanceOf(InvalidInvocationError);
    expect(await request().invokeOne(input('echo', { idempotencyKey: 'x'.repeat(256) }))).toBeInstanceOf(InvalidInvocationError);
    expect(invoker.calls).toHaveLength(0);
  });
});

describe('InvocationService: observers', () => {
  it('tells every observer once of each outcome, observers in their order, outcomes in input order', async () => {
    const { observed, request } = setUp();
    const before = Date.now();
    await request().invokeAll([input('a'), input('b'), input('c', { invocationType: 'DryRun' })]);
    expect(observed.map((o) => `${o.name}:${o.observed.input.functionName}`)).toEqual([
      'first:a',
      'second:a',
      'first:b',
      'second:b',
      'first:c',
      'second:c',
    ]);
    for (const { observed: o } of observed) {
      expect(o.caller).toBe(CALLER);
      expect(o.outcome).toBeInstanceOf(Invocation);
      expect(o.startedAt).toBeGreaterThanOrEqual(before);
    }
  });

  it('tells of a batch in input order, even when a later input’s call returns first', async () => {
    let finishSlow: (response: InvokeResponse) => void = () => undefined;
    const invoker = recordingInvoker((request, call) =>
      request.functionName === 'slow'
        ? new Promise((resolve) => (finishSlow = resolve))
        : Promise.resolve(accepted(request, `request-${call}`)),
    );
    const { observed, request } = setUp({ invoker });
    const all = request().invokeAll([input('slow'), input('fast')]);
    await expect.poll(() => invoker.calls.length).toBe(2);
    // The loader hands a tick's batch over when all of it has settled: nothing is observed yet.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(observed).toHaveLength(0);
    const slowRequest = invoker.calls.find((call) => call.request.functionName === 'slow')?.request;
    if (slowRequest === undefined) throw new Error('slow was not invoked');
    finishSlow(accepted(slowRequest, 'request-slow'));
    const outcomes = await all;
    expect(outcomes.map((o) => (o as InvocationView).invocation.request.functionName)).toEqual(['slow', 'fast']);
    expect(observed.filter((o) => o.name === 'first').map((o) => o.observed.input.functionName)).toEqual(['slow', 'fast']);
  });

  it('waits for an observer that returns a promise before the caller gets the outcome, and fails that outcome with it', async () => {
    const failing: InvocationObserver = { onOutcome: () => Promise.reject(new Error('store unreachable')) };
    const { request } = setUp({ more: { observers: [failing] } });
    await expect(request().invokeOne(input('echo'))).rejects.toThrow('store unreachable');
  });

  it('observes the whole outcome, then hides error details from a caller the rules do not show them to', async () => {
    const invoker = recordingInvoker((request) =>
      Promise.resolve({
        ...accepted(request, 'request-1'),
        functionError: 'Unhandled',
        payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'secret detail' })),
      }),
    );
    const activity = new InvocationActivity(10);
    const { request } = setUp({
      invoker,
      rules: [{ functions: ['echo'], errorDetails: false }],
      more: { observers: [activityObserver(activity)] },
    });
    const outcome = await request().invokeOne(input('echo', { idempotencyKey: 'k' }));
    expect(outcome).toBeInstanceOf(InvocationView);
    const view = outcome as InvocationView;
    expect(view.functionError).toMatchObject({ errorType: 'Hidden', errorMessage: expect.stringContaining('request-1') as string });
    expect([view.payloadText, view.payloadJson]).toEqual([undefined, undefined]);
    // The invocation itself stays whole, and so does what the activity log keeps of it.
    expect(view.invocation.functionError).toMatchObject({ errorType: 'Error', errorMessage: 'secret detail' });
    const [entry] = activity.recent(1, () => true);
    expect(entry?.functionError).toMatchObject({ errorType: 'Error', errorMessage: 'secret detail' });
    expect(entry?.gatewayRequestId).toBe(CALLER.requestId);
    // A replay is viewed under the same grants: the remembered details stay hidden.
    const replay = (await request().invokeOne(input('echo', { idempotencyKey: 'k' }))) as InvocationView;
    expect(replay.invocation.replayed).toBe(true);
    expect(replay.functionError).toMatchObject({ errorType: 'Hidden' });
    expect(replay.payloadText).toBeUndefined();
  });

  it('shows everything to a caller the rules show error details to', async () => {
    const invoker = recordingInvoker((request) =>
      Promise.resolve({
        ...accepted(request, 'request-1'),
        functionError: 'Unhandled',
        payload: Buffer.from(JSON.stringify({ errorType: 'Error', errorMessage: 'detail' })),
      }),
    );
    const { request } = setUp({ invoker, rules: [{ functions: ['echo'] }] });
    const view = (await request().invokeOne(input('echo'))) as InvocationView;
    expect(view.functionError).toMatchObject({ errorType: 'Error', errorMessage: 'detail' });
    expect(view.payloadJson).toEqual({ errorType: 'Error', errorMessage: 'detail' });
  });

  it('logs a refused input under the name the caller wrote, an invocation under the function’s own name', async () => {
    const activity = new InvocationActivity(10);
    const { request } = setUp({ more: { observers: [activityObserver(activity)] } });
    await request().invokeAll([input('not a name!'), input('arn:aws:lambda:us-east-1:123456789012:function:echo:live')]);
    expect(activity.recent(2, () => true).map((entry) => [entry.functionName, entry.qualifier, entry.status])).toEqual([
      ['echo', 'live', 'SUCCEEDED'],
      ['not a name!', undefined, 'REFUSED'],
    ]);
  });
});

describe('InvocationService: asynchronous records', () => {
  function records(): InvocationRecords {
    const store = new MemoryInvocationStore(60_000);
    const made = new InvocationRecords({ store, events: new InvocationEvents(), expireAfterMs: () => 60_000, unknownIdWaitMs: 1000 });
    closers.push(() => {
      made.close();
      void store.close();
    });
    return made;
  }

  it('records an accepted EVENT before the caller has its request id, under the function’s own name', async () => {
    const owner = records();
    const { request } = setUp({ more: { observers: [asyncRecordsObserver(owner)] } });
    const outcome = await request().invokeOne(
      input('arn:aws:lambda:us-east-1:123456789012:function:echo:live', { invocationType: 'Event', payload: { n: 1 } }),
    );
    expect(outcome).toBeInstanceOf(InvocationView);
    const record = await owner.get((outcome as InvocationView).invocation.requestId);
    expect(record).toMatchObject({
      functionName: 'echo',
      qualifier: 'live',
      status: 'ACCEPTED',
      startedByGateway: true,
      requestPayload: { n: 1 },
    });
  });

  it('records nothing for a synchronous invocation, a refused one, or an EVENT without a request id', async () => {
    const owner = records();
    const invoker = recordingInvoker((request, call) =>
      Promise.resolve({
        ...accepted(request, `request-${call}`),
        requestId: request.functionName === 'no-id' ? undefined : `request-${call}`,
      }),
    );
    const { request } = setUp({ invoker, more: { observers: [asyncRecordsObserver(owner)] } });
    const outcomes = await request().invokeAll([
      input('echo'),
      input('not a name!', { invocationType: 'Event' }),
      input('no-id', { invocationType: 'Event' }),
    ]);
    expect(await owner.get('request-1')).toBeUndefined();
    expect(outcomes[1]).toBeInstanceOf(InvalidInvocationError);
    expect((outcomes[2] as InvocationView).invocation.requestId).toBe('');
  });
});
