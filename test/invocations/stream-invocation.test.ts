/**
 * The invocation service's streams on their own: a fake invoker whose streams the test writes to,
 * event by event, the real policies and observers. No ports, no workers, no sleeps: time is fake
 * where coalescing waits for it.
 */
import { GraphQLError } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Allowlist, type AllowRule } from '../../src/access/allowlist.ts';
import { ANONYMOUS } from '../../src/auth/authenticator.ts';
import { MemoryIdempotencyStore } from '../../src/idempotency/idempotency-store.ts';
import type { ObservedInvocation } from '../../src/invocations/invocation-observer.ts';
import { InvocationService } from '../../src/invocations/invocation-service.ts';
import { type InvocationStreamEvent, StreamChunk, StreamEnd } from '../../src/invocations/invocation-stream.ts';
import { activityObserver, metricsObserver } from '../../src/invocations/observers.ts';
import type { StreamInvocationInput } from '../../src/invocations/stream-invocation.ts';
import { FunctionDeadlines } from '../../src/lambda/deadlines.ts';
import { FunctionNotFoundError, InvalidInvocationError, InvocationTimeoutError, LambdaServiceError } from '../../src/lambda/errors.ts';
import { createInvocationLoader } from '../../src/lambda/invocation-loader.ts';
import { InvocationActivity } from '../../src/observability/invocation-activity.ts';
import { InvocationMetrics } from '../../src/observability/invocation-metrics.ts';
import { Registry } from 'prom-client';
import { FakeStream, recordingInvoker, type StreamAnswer } from './fake-invoker.ts';

const CALLER = { principal: ANONYMOUS, requestId: 'gateway-request-1' };

function input(more: Partial<StreamInvocationInput> = {}): StreamInvocationInput {
  return { functionName: 'stream', invocationType: 'RequestResponse', logType: 'None', ...more };
}

function setUp(options: { answer?: StreamAnswer; rules?: readonly AllowRule[] } = {}) {
  const invoker = recordingInvoker(undefined, options.answer);
  const observed: ObservedInvocation[] = [];
  const activity = new InvocationActivity(10);
  const registry = new Registry();
  const metrics = new InvocationMetrics(registry);
  const service = new InvocationService({
    access: new Allowlist(options.rules),
    deadlines: new FunctionDeadlines([], 5000),
    idempotency: new MemoryIdempotencyStore(60_000),
    clientContext: { policy: 'pass', secret: '' },
    observers: [{ onOutcome: (o) => void observed.push(o) }, metricsObserver(metrics), activityObserver(activity)],
  });
  const stream = (each: StreamInvocationInput) =>
    service.forRequest(CALLER, createInvocationLoader(invoker, undefined), { invoker, signal: undefined }).stream(each);
  return { invoker, observed, activity, registry, stream };
}

/** Reads `events` to its end. */
async function all(events: AsyncGenerator<InvocationStreamEvent>): Promise<InvocationStreamEvent[]> {
  const read: InvocationStreamEvent[] = [];
  for await (const event of events) read.push(event);
  return read;
}

function chunks(events: readonly InvocationStreamEvent[]): StreamChunk[] {
  return events.filter((event): event is StreamChunk => event instanceof StreamChunk);
}

const bytes = (...values: number[]) => Uint8Array.from(values);

/**
 * One macrotask turn. The fake stream answers every read in microtasks, so after this the gateway
 * has read all it is going to read ahead of its subscriber: the test then sees what it joined.
 */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

afterEach(() => {
  vi.useRealTimers();
});

describe('InvocationService.stream: chunks', () => {
  it('delivers chunks in order, numbered from 0, then one end event with the totals', async () => {
    const { stream, observed } = setUp({ answer: () => new FakeStream('r-1').write('one ').write('two ').write('three').complete() });
    const events = await all(stream(input()));
    expect(events.map((event) => event.constructor.name)).toEqual(['StreamChunk', 'StreamChunk', 'StreamChunk', 'StreamEnd']);
    expect(chunks(events).map((chunk) => [chunk.sequence, chunk.text, chunk.byteCount, chunk.requestId])).toEqual([
      [0, 'one ', 4, 'r-1'],
      [1, 'two ', 4, 'r-1'],
      [2, 'three', 5, 'r-1'],
    ]);
    const end = events.at(-1) as StreamEnd;
    expect([end.requestId, end.executedVersion, end.totalBytes, end.chunkCount, end.functionError]).toEqual([
      'r-1',
      '$LATEST',
      13,
      3,
      undefined,
    ]);
    expect(observed).toHaveLength(1);
    expect(observed[0]?.streamed).toEqual({ totalBytes: 13 });
  });

  it('delivers each chunk as it arrives, before the function has finished', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(input());
    const first = events.next();
    fake.write('first');
    expect(((await first).value as StreamChunk).text).toBe('first');
    const second = events.next();
    fake.write('second').complete();
    expect(((await second).value as StreamChunk).text).toBe('second');
    expect((await events.next()).value).toBeInstanceOf(StreamEnd);
    expect((await events.next()).done).toBe(true);
  });

  it('decodes UTF-8 split across chunks: a character belongs to the chunk with its last byte', async () => {
    const text = 'hé€!';
    const encoded = new TextEncoder().encode(text); // h, é (2 bytes), € (3 bytes), !
    const { stream } = setUp({
      answer: () =>
        new FakeStream('r-1')
          .write(encoded.slice(0, 2)) // h + first byte of é
          .write(encoded.slice(2, 4)) // last byte of é + first of €
          .write(encoded.slice(4, 7)) // the rest of €, !
          .complete(),
    });
    const read = chunks(await all(stream(input())));
    expect(read.map((chunk) => chunk.text)).toEqual(['h', 'é', '€!']);
    expect(read.map((chunk) => chunk.byteCount)).toEqual([2, 2, 3]);
    expect(read.map((chunk) => chunk.base64)).toEqual([undefined, undefined, undefined]);
    expect(read.map((chunk) => chunk.text).join('')).toBe(text);
  });

  it('gives bytes that are not UTF-8 as base64, and every chunk after them too', async () => {
    const { stream } = setUp({
      answer: () =>
        new FakeStream('r-1')
          .write('ok')
          .write(bytes(0xff, 0x00, 0xfe))
          .write('text again')
          .complete(),
    });
    const read = chunks(await all(stream(input())));
    expect(read.map((chunk) => chunk.text)).toEqual(['ok', undefined, undefined]);
    expect(read[1]?.base64).toBe(Buffer.from([0xff, 0x00, 0xfe]).toString('base64'));
    expect(Buffer.from(read[2]?.base64 ?? '', 'base64').toString('utf8')).toBe('text again');
  });
});

describe('InvocationService.stream: the end', () => {
  const logs = Buffer.from('START RequestId: r-1\nwriting\nEND RequestId: r-1\n').toString('base64');
  const failing = () =>
    new FakeStream('r-1').write('partial').complete({
      errorCode: 'Error',
      errorDetails: JSON.stringify({ errorType: 'Error', errorMessage: 'boom', trace: ['at x'] }),
      logResult: logs,
    });

  it('reports a function error from ErrorCode and ErrorDetails, and the log tail', async () => {
    const { stream, activity } = setUp({ answer: failing });
    const end = (await all(stream(input({ logType: 'Tail' })))).at(-1) as StreamEnd;
    expect(end.functionError).toEqual({ kind: 'Unhandled', errorType: 'Error', errorMessage: 'boom', stackTrace: ['at x'] });
    expect(end.decodedLogs).toContain('writing');
    const [entry] = activity.recent(1, () => true);
    expect([entry?.status, entry?.streamed, entry?.functionError?.errorMessage]).toEqual(['FAILED', { totalBytes: 7 }, 'boom']);
  });

  it('takes a bare ErrorDetails message as the error message', async () => {
    const { stream } = setUp({
      answer: () => new FakeStream('r-1').complete({ errorCode: 'Sandbox.Timedout', errorDetails: 'Task timed out after 1.00 seconds' }),
    });
    const end = (await all(stream(input()))).at(-1) as StreamEnd;
    expect(end.functionError).toMatchObject({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
  });

  it('hides the error details from a caller without the grant', async () => {
    const { stream } = setUp({ answer: failing, rules: [{ functions: ['stream'], errorDetails: false }] });
    const end = (await all(stream(input()))).at(-1) as StreamEnd;
    expect(end.functionError).toMatchObject({ kind: 'Unhandled', errorType: 'Hidden' });
    expect(end.functionError?.errorMessage).toContain('r-1');
  });

  it('refuses tail logs the rules do not grant (FORBIDDEN), before any call', () => {
    const { stream, invoker } = setUp({ answer: failing, rules: [{ functions: ['stream'], tailLogs: false }] });
    expect(() => stream(input({ logType: 'Tail' }))).toThrow(GraphQLError);
    expect(invoker.calls).toHaveLength(0);
  });

  it('ends a DryRun (204, no body) with an end event and no chunks', async () => {
    const { stream, invoker } = setUp({ answer: () => new FakeStream('r-1', { statusCode: 204, executedVersion: undefined }).end() });
    const events = await all(stream(input({ invocationType: 'DryRun' })));
    expect(events).toHaveLength(1);
    expect((events[0] as StreamEnd).totalBytes).toBe(0);
    expect(invoker.calls[0]?.request.invocationType).toBe('DryRun');
  });

  it('after the chunks that arrived, ends a stream that breaks with the typed failure', async () => {
    const { stream, observed } = setUp({ answer: () => new FakeStream('r-1').write('a').fail(new InvocationTimeoutError(100)) });
    const events = await all(stream(input()));
    expect(events.map((event) => event.constructor.name)).toEqual(['StreamChunk', 'InvocationTimeoutError']);
    expect(observed[0]?.outcome).toBeInstanceOf(InvocationTimeoutError);
  });

  it('reports a body cut short (no InvokeComplete) as a service error, not a success', async () => {
    const { stream } = setUp({ answer: () => new FakeStream('r-1').write('a').end() });
    const last = (await all(stream(input()))).at(-1);
    expect(last).toBeInstanceOf(LambdaServiceError);
    expect((last as LambdaServiceError).code).toBe('IncompleteResponseStream');
  });
});

describe('InvocationService.stream: refusals', () => {
  it('answers a refusal before the stream with one event of the same error types as invokeFunction', async () => {
    const { stream, observed } = setUp({
      answer: () => {
        throw new FunctionNotFoundError('Function not found: stream', 'stream', undefined);
      },
    });
    const events = await all(stream(input()));
    expect(events).toHaveLength(1);
    expect(events[0]).toBeInstanceOf(FunctionNotFoundError);
    expect(observed.map((o) => o.outcome)).toEqual(events);
  });

  it('answers an input that fails its checks, and EVENT, with InvalidInvocationError and no call', async () => {
    const { stream, invoker } = setUp();
    const [bad] = await all(stream(input({ functionName: 'not a name!' })));
    const [event] = await all(stream(input({ invocationType: 'Event' })));
    expect(bad).toBeInstanceOf(InvalidInvocationError);
    expect(event).toBeInstanceOf(InvalidInvocationError);
    expect((event as InvalidInvocationError).message).toContain('Event');
    expect(invoker.calls).toHaveLength(0);
  });

  it('refuses a function the rules do not allow with FORBIDDEN, before any call', () => {
    const { stream, invoker, observed } = setUp({ rules: [{ functions: ['echo'] }] });
    let refusal: unknown;
    try {
      stream(input());
    } catch (error) {
      refusal = error;
    }
    expect((refusal as GraphQLError).extensions).toMatchObject({ code: 'FORBIDDEN' });
    expect(invoker.calls).toHaveLength(0);
    expect(observed).toHaveLength(0);
  });

  it('refuses coalescing bounds out of range with BAD_USER_INPUT', () => {
    const { stream } = setUp();
    expect(() => stream(input({ coalesce: { maxBytes: 10_000_000 } }))).toThrow(/coalesce.maxBytes/);
    expect(() => stream(input({ coalesce: { maxDelayMs: -1 } }))).toThrow(/coalesce.maxDelayMs/);
  });
});

describe('InvocationService.stream: joining the chunks already here (joinAvailableBytes)', () => {
  const joining = (joinAvailableBytes: number) => input({ coalesce: { joinAvailableBytes } });

  it('sends the first chunk alone, at once, and the burst that arrived behind it as one event', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(65_536));
    const first = events.next();
    fake.write('first ');
    expect(((await first).value as StreamChunk).text).toBe('first ');
    // A burst while the subscriber is busy with the first event: read ahead, not yet sent.
    for (let i = 0; i < 100; i++) fake.write(`t${i} `);
    await fake.drained();
    const burst = (await events.next()).value as StreamChunk;
    expect([burst.sequence, burst.byteCount]).toEqual([1, 390]);
    expect(burst.text).toBe(Array.from({ length: 100 }, (_, i) => `t${i} `).join(''));
    fake.complete();
    const end = (await events.next()).value as StreamEnd;
    expect([end.chunkCount, end.totalBytes]).toEqual([2, 396]);
    expect((await events.next()).done).toBe(true);
  });

  it('decodes nothing behind the first chunk until its event has had its turn, then reads on', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(65_536));
    const first = events.next();
    for (let i = 0; i < 20; i++) fake.write(`t${i} `);
    expect(((await first).value as StreamChunk).text).toBe('t0 ');
    // Every promise step the first event's delivery may take: none of them shares its turn with
    // reading the burst behind it.
    for (let step = 0; step < 100; step++) await Promise.resolve();
    expect(fake.reads).toBe(1);
    await settle();
    expect(fake.reads).toBeGreaterThan(1);
    const burst = (await events.next()).value as StreamChunk;
    expect(burst.text).toBe(Array.from({ length: 19 }, (_, i) => `t${i + 1} `).join(''));
    await events.return(undefined);
  });

  it('never joins more than joinAvailableBytes, and never splits a chunk', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(4));
    const first = events.next();
    fake.write('a');
    expect(((await first).value as StreamChunk).text).toBe('a');
    fake.write('bb').write('cc').write('d').write('eeeeee').write('f').complete();
    const read: StreamChunk[] = [];
    for (;;) {
      await settle();
      const next = await events.next();
      if (next.done === true) break;
      if (next.value instanceof StreamChunk) read.push(next.value);
    }
    expect(read.map((chunk) => [chunk.sequence, chunk.text])).toEqual([
      [1, 'bbcc'],
      [2, 'd'],
      [3, 'eeeeee'],
      [4, 'f'],
    ]);
  });

  it('reads at most joinAvailableBytes ahead of a subscriber that does not ask, so backpressure holds', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(4));
    const first = events.next();
    for (let i = 0; i < 20; i++) fake.write('xx');
    await first;
    await settle();
    // The first chunk, then two more (4 bytes) queued: the other 17 are still the function's.
    expect(fake.reads).toBe(3);
    await events.return(undefined);
  });

  it('keeps the bytes and their order whatever the joining: base64 and UTF-8 split across joined chunks', async () => {
    const encoded = new TextEncoder().encode('hé€!');
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(65_536));
    const first = events.next();
    fake.write(encoded.slice(0, 2));
    expect(((await first).value as StreamChunk).text).toBe('h');
    fake.write(encoded.slice(2, 4)).write(encoded.slice(4, 7));
    await fake.drained();
    expect(((await events.next()).value as StreamChunk).text).toBe('é€!');
    fake.write(bytes(0xff)).write(bytes(0x00, 0x01)).complete();
    await settle();
    const rest = chunks(await all(events));
    expect(rest.map((chunk) => [chunk.sequence, chunk.text, chunk.base64])).toEqual([
      [2, undefined, Buffer.from([0xff, 0, 1]).toString('base64')],
    ]);
  });

  it('sends every chunk that arrived before a failure, then the failure', async () => {
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(joining(65_536));
    const first = events.next();
    fake.write('one ');
    await first;
    fake.write('two ').write('three').fail(new InvocationTimeoutError(5000));
    await settle();
    const rest = await all(events);
    expect(rest.map((event) => (event instanceof StreamChunk ? event.text : event.constructor.name))).toEqual([
      'two three',
      'InvocationTimeoutError',
    ]);
  });

  it('refuses joinAvailableBytes out of range with BAD_USER_INPUT naming the limit', () => {
    const { stream } = setUp();
    expect(() => stream(joining(2_000_000))).toThrow('coalesce.joinAvailableBytes must be between 0 and 1048576; got 2000000');
    expect(() => stream(joining(-1))).toThrow(/coalesce.joinAvailableBytes/);
  });
});

describe('InvocationService.stream: coalescing', () => {
  it('joins chunks until maxBytes are held, and sends what is left at the end', async () => {
    const { stream } = setUp({ answer: () => new FakeStream('r-1').write('aaaa').write('bbbb').write('cccc').write('dd').complete() });
    const read = chunks(await all(stream(input({ coalesce: { maxBytes: 10 } }))));
    expect(read.map((chunk) => [chunk.sequence, chunk.text])).toEqual([
      [0, 'aaaabbbbcccc'],
      [1, 'dd'],
    ]);
  });

  it('sends what it holds once maxDelayMs have passed since the first chunk held', async () => {
    vi.useFakeTimers();
    const fake = new FakeStream('r-1');
    const { stream } = setUp({ answer: () => fake });
    const events = stream(input({ coalesce: { maxDelayMs: 50 } }));
    let delivered: IteratorResult<InvocationStreamEvent> | undefined;
    const first = events.next().then((result) => (delivered = result));
    fake.write('a');
    await vi.advanceTimersByTimeAsync(20);
    fake.write('b');
    await vi.advanceTimersByTimeAsync(20);
    expect(delivered).toBeUndefined();
    await vi.advanceTimersByTimeAsync(10);
    await first;
    expect((delivered?.value as StreamChunk).text).toBe('ab');
    // The next chunk starts a new wait; the end sends it at once.
    const second = events.next();
    fake.write('c').complete();
    expect(((await second).value as StreamChunk).text).toBe('c');
    expect((await events.next()).value).toBeInstanceOf(StreamEnd);
  });

  it('uses the gateway’s default when the subscription does not choose', async () => {
    const invoker = recordingInvoker(undefined, () => new FakeStream('r-1').write('ab').write('cd').complete());
    const service = new InvocationService({
      access: new Allowlist(undefined),
      deadlines: new FunctionDeadlines([], 5000),
      idempotency: new MemoryIdempotencyStore(60_000),
      clientContext: { policy: 'pass', secret: '' },
      observers: [],
      coalesce: { maxBytes: 4, maxDelayMs: 0, joinAvailableBytes: 0 },
    });
    const events = service.forRequest(CALLER, createInvocationLoader(invoker, undefined), { invoker, signal: undefined }).stream(input());
    expect(chunks(await all(events)).map((chunk) => chunk.text)).toEqual(['abcd']);
  });
});

describe('InvocationService.stream: cancellation and observers', () => {
  it('aborts the invoker’s signal at once when the reader stops, even while waiting for a chunk', async () => {
    const fake = new FakeStream('r-1');
    const { stream, invoker, observed } = setUp({ answer: () => fake });
    const events = stream(input());
    const first = events.next();
    fake.write('one');
    await first;
    const waiting = events.next();
    await events.return(undefined);
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
    expect(fake.stopped).toBe(true);
    expect((await waiting).done).toBe(true);
    expect(observed).toHaveLength(1);
    expect((observed[0]?.outcome as LambdaServiceError).code).toBe('ClientClosedRequest');
  });

  it('leaves the invoker’s signal alone when the stream runs to its own end (nothing to abort)', async () => {
    const { stream, invoker, observed } = setUp({ answer: () => new FakeStream('r-1').write('one').complete() });
    const events = await all(stream(input()));
    expect(events.at(-1)).toBeInstanceOf(StreamEnd);
    // The end is reported once the generator finished; a turn later any abort would have run.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(observed).toHaveLength(1);
    expect(invoker.calls[0]?.signal?.aborted).toBe(false);
  });

  it('starts the call to Lambda as the subscription is set up, before its first event is asked for', () => {
    const { stream, invoker } = setUp({ answer: () => new FakeStream('r-1').write('x').complete() });
    void stream(input());
    // Synchronously: yoga asks for the first event only once it has built its response.
    expect(invoker.calls).toHaveLength(1);
  });

  it('ends and reports the call of a subscription left before its first event was asked for', async () => {
    const fake = new FakeStream('r-1');
    const { stream, invoker, observed } = setUp({ answer: () => fake });
    const events = stream(input());
    await events.return(undefined);
    await vi.waitFor(() => expect(observed).toHaveLength(1));
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
    expect(fake.stopped).toBe(true);
    expect((observed[0]?.outcome as LambdaServiceError).code).toBe('ClientClosedRequest');
  });

  it('aborts when the request’s own signal aborts (the client disconnected)', async () => {
    const fake = new FakeStream('r-1');
    const invoker = recordingInvoker(undefined, () => fake);
    const service = new InvocationService({
      access: new Allowlist(undefined),
      deadlines: new FunctionDeadlines([], 5000),
      idempotency: new MemoryIdempotencyStore(60_000),
      clientContext: { policy: 'pass', secret: '' },
      observers: [],
    });
    const disconnected = new AbortController();
    const events = service
      .forRequest(CALLER, createInvocationLoader(invoker, undefined), { invoker, signal: disconnected.signal })
      .stream(input());
    const waiting = events.next();
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    disconnected.abort();
    expect((await waiting).done).toBe(true);
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
  });

  it('ends the stream, aborting the call, when the gateway shuts down', async () => {
    const fake = new FakeStream('r-1');
    const invoker = recordingInvoker(undefined, () => fake);
    const shutdown = new AbortController();
    const service = new InvocationService({
      access: new Allowlist(undefined),
      deadlines: new FunctionDeadlines([], 5000),
      idempotency: new MemoryIdempotencyStore(60_000),
      clientContext: { policy: 'pass', secret: '' },
      observers: [],
      shutdown: shutdown.signal,
    });
    const events = service.forRequest(CALLER, createInvocationLoader(invoker, undefined), { invoker, signal: undefined }).stream(input());
    const waiting = events.next();
    await vi.waitFor(() => expect(invoker.calls).toHaveLength(1));
    shutdown.abort();
    expect((await waiting).done).toBe(true);
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
    expect(fake.stopped).toBe(true);
  });

  it('counts the stream in the metrics and the activity log, with its bytes and the streamed flag', async () => {
    const { stream, registry, activity } = setUp({ answer: () => new FakeStream('r-1').write('12345').complete() });
    await all(stream(input()));
    const text = await registry.metrics();
    expect(text).toMatch(/lambda_invocations_total\{function="stream",invocation_type="RequestResponse",outcome="success"\} 1/);
    expect(text).toMatch(/lambda_response_stream_bytes_total\{function="stream"\} 5/);
    const [entry] = activity.recent(1, () => true);
    expect([entry?.status, entry?.requestId, entry?.streamed]).toEqual(['SUCCEEDED', 'r-1', { totalBytes: 5 }]);
  });
});
