/**
 * `Subscription.invokeFunctionStream` in the unit tier: the whole assembled gateway through
 * `gateway.fetch` over yoga's SSE, with a fake invoker whose streams the test writes to. The wire
 * (the SDK's event stream, the local Lambda, graphql-ws and Apollo Client) is the integration
 * tier's (invoke-function-stream.integration.test.ts).
 */
import { print } from 'graphql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InvokeFunctionStreamInput, InvokeFunctionStreamSubscription } from '../../generated/graphql/graphql.ts';
import { FunctionNotFoundError } from '../../src/lambda/errors.ts';
import { FakeStream } from '../invocations/fake-invoker.ts';
import { assembleUnitGateway, GRAPHQL_URL, type UnitGateway, type UnitGatewayOptions } from '../helpers/unit-gateway.ts';
import { InvokeFunctionStreamDocument } from './documents.ts';

type StreamEvent = InvokeFunctionStreamSubscription['invokeFunctionStream'];

const open: UnitGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((gateway) => gateway.close()));
});

async function gatewayWith(options: UnitGatewayOptions = {}): Promise<UnitGateway> {
  const gateway = await assembleUnitGateway(options);
  open.push(gateway);
  return gateway;
}

interface SseSubscription {
  /** Each `next` payload's data (or errors), in order, as they arrive. */
  readonly results: { data?: { invokeFunctionStream: StreamEvent } | null; errors?: { extensions?: { code?: string } }[] }[];
  /** Resolves when the server sends `complete` or closes the stream. */
  readonly done: Promise<void>;
  cancel(): void;
}

/** Subscribes over yoga's SSE (distinct connections) and parses the events as they come. */
function subscribe(gateway: UnitGateway, input: InvokeFunctionStreamInput): SseSubscription {
  const controller = new AbortController();
  const results: SseSubscription['results'] = [];
  const done = (async () => {
    const response = await gateway.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: print(InvokeFunctionStreamDocument), variables: { input } }),
      signal: controller.signal,
    });
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    if (reader === undefined) throw new Error('no body');
    let buffer = '';
    try {
      for (;;) {
        const { value, done: ended } = await reader.read();
        if (ended) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end !== -1) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (/^event: complete/m.test(frame)) return;
          const data = frame
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(5).trim())
            .join('\n');
          if (/^event: next/m.test(frame) && data !== '') results.push(JSON.parse(data) as SseSubscription['results'][number]);
          end = buffer.indexOf('\n\n');
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  done.catch(() => undefined);
  return { results, done, cancel: () => controller.abort() };
}

const events = (subscription: SseSubscription): StreamEvent[] =>
  subscription.results.flatMap((result) => (result.data?.invokeFunctionStream === undefined ? [] : [result.data.invokeFunctionStream]));

describe('Subscription.invokeFunctionStream over SSE', () => {
  it('streams chunks in order, then the end event, and completes', async () => {
    const gateway = await gatewayWith({ streamAnswer: () => new FakeStream('r-1').write('Hello, ').write('wörld').complete() });
    // One event per Lambda chunk asked for: both are written before the stream is read.
    const subscription = subscribe(gateway, { functionName: 'stream', payload: { chunks: 2 }, coalesce: { joinAvailableBytes: 0 } });
    await subscription.done;
    expect(events(subscription)).toEqual([
      { __typename: 'InvocationStreamChunk', requestId: 'r-1', sequence: 0, text: 'Hello, ', base64: null, byteCount: 7 },
      { __typename: 'InvocationStreamChunk', requestId: 'r-1', sequence: 1, text: 'wörld', base64: null, byteCount: 6 },
      expect.objectContaining({ __typename: 'InvocationStreamEnd', requestId: 'r-1', totalBytes: 13, chunkCount: 2, functionError: null }),
    ]);
    expect(gateway.invoker.streams[0]?.request.payload).toEqual(Buffer.from('{"chunks":2}'));
  });

  it('calls Lambda while the operation executes, before the response is handed back', async () => {
    const fake = new FakeStream('r-1');
    const gateway = await gatewayWith({ streamAnswer: () => fake });
    const response = await gateway.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: print(InvokeFunctionStreamDocument), variables: { input: { functionName: 'stream' } } }),
    });
    // Nothing of the body has been read: the call was made by the subscription's set-up, not
    // when the first event was asked for (which would be after the headers were sent).
    expect(gateway.invoker.streams).toHaveLength(1);
    expect(response.status).toBe(200);
    fake.write('x').complete();
    expect(await response.text()).toContain('InvocationStreamEnd');
  });

  it('lets the call to Lambda get on the wire before yoga builds the response', async () => {
    const order: string[] = [];
    const fake = new FakeStream('r-1');
    const gateway = await gatewayWith({
      streamAnswer: () => {
        // What the SDK does between send and the request on the wire: many promise steps
        // (serializing, the endpoint, signing), none of them a timer or I/O.
        void (async () => {
          for (let step = 0; step < 200; step += 1) await Promise.resolve();
          order.push('request sent');
        })();
        return fake;
      },
    });
    const response = await gateway.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: print(InvokeFunctionStreamDocument), variables: { input: { functionName: 'stream' } } }),
    });
    order.push('response headers');
    expect(order).toEqual(['request sent', 'response headers']);
    fake.write('x').complete();
    expect(await response.text()).toContain('InvocationStreamEnd');
  });

  it('by default sends the first chunk at once, then the chunks that arrived meanwhile as one event', async () => {
    const fake = new FakeStream('r-1');
    const gateway = await gatewayWith({ streamAnswer: () => fake });
    const subscription = subscribe(gateway, { functionName: 'stream' });
    fake.write('first ');
    await vi.waitFor(() => expect(events(subscription)).toHaveLength(1));
    // The function has not written anything else yet: the first chunk went out alone.
    expect(events(subscription)[0]).toMatchObject({ sequence: 0, text: 'first ' });
    const burst = Array.from({ length: 200 }, (_, i) => `token-${i} `);
    for (const token of burst) fake.write(token);
    await fake.drained();
    fake.complete();
    await subscription.done;
    const all = events(subscription);
    const chunks = all.flatMap((event) => (event.__typename === 'InvocationStreamChunk' ? [event] : []));
    expect(chunks.map((chunk) => chunk.text).join('')).toBe(`first ${burst.join('')}`);
    expect(chunks.map((chunk) => chunk.sequence)).toEqual(chunks.map((_, i) => i));
    // A subscriber waiting when the burst began takes its first chunk alone, at once; the rest
    // arrived while that event was being sent, and go as one: 201 chunks, at most 3 events.
    expect(chunks.length).toBeLessThanOrEqual(3);
    expect(all.at(-1)).toMatchObject({
      __typename: 'InvocationStreamEnd',
      chunkCount: chunks.length,
      totalBytes: 6 + burst.join('').length,
    });
  });

  it('answers a refusal with one error event of the invokeFunction types', async () => {
    const gateway = await gatewayWith({
      streamAnswer: () => {
        throw new FunctionNotFoundError('Function not found: nope', 'nope', undefined);
      },
    });
    const subscription = subscribe(gateway, { functionName: 'nope' });
    await subscription.done;
    expect(events(subscription)).toEqual([{ __typename: 'FunctionNotFoundError', message: 'Function not found: nope' }]);
  });

  it('shows the log tail and the function error only as the caller’s grants allow', async () => {
    const logResult = Buffer.from('START\nsecret line\nEND\n').toString('base64');
    const answer = () =>
      new FakeStream('r-1')
        .write('x')
        .complete({ errorCode: 'Error', errorDetails: '{"errorType":"Error","errorMessage":"boom"}', logResult });
    const granted = await gatewayWith({ streamAnswer: answer });
    const full = subscribe(granted, { functionName: 'stream', logType: 'TAIL' });
    await full.done;
    expect(events(full).at(-1)).toMatchObject({
      decodedLogs: expect.stringContaining('secret line') as unknown,
      functionError: { kind: 'Unhandled', errorType: 'Error', errorMessage: 'boom' },
    });

    const masked = await gatewayWith({
      streamAnswer: answer,
      config: { access: { allow: [{ functions: ['stream'], errorDetails: false, tailLogs: false }] } },
    });
    const hidden = subscribe(masked, { functionName: 'stream' });
    await hidden.done;
    expect(events(hidden).at(-1)).toMatchObject({ decodedLogs: null, functionError: { errorType: 'Hidden' } });
    const tail = subscribe(masked, { functionName: 'stream', logType: 'TAIL' });
    await tail.done;
    expect(tail.results[0]?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(masked.invoker.streams).toHaveLength(1);
  });

  it('refuses EVENT in the schema: the input type has no such value', async () => {
    const gateway = await gatewayWith();
    const subscription = subscribe(gateway, { functionName: 'stream', invocationType: 'EVENT' as 'DRY_RUN' });
    await subscription.done.catch(() => undefined);
    expect(gateway.invoker.calls).toHaveLength(0);
  });

  it('aborts the call to Lambda when the client leaves mid-stream', async () => {
    const fake = new FakeStream('r-1');
    const gateway = await gatewayWith({ streamAnswer: () => fake });
    const subscription = subscribe(gateway, { functionName: 'stream' });
    fake.write('first');
    await vi.waitFor(() => expect(events(subscription)).toHaveLength(1));
    subscription.cancel();
    await vi.waitFor(() => expect(gateway.invoker.streams[0]?.signal?.aborted).toBe(true));
    await vi.waitFor(() => expect(fake.stopped).toBe(true));
  });

  it('lists the stream on the dashboard’s activity feed, flagged as streamed, and in the metrics', async () => {
    const gateway = await gatewayWith({ streamAnswer: () => new FakeStream('r-1').write('12345').complete() });
    await subscribe(gateway, { functionName: 'stream' }).done;
    const response = await gateway.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ recentInvocations(last: 1) { functionName status streamed streamedBytes } }' }),
    });
    expect(await response.json()).toEqual({
      data: { recentInvocations: [{ functionName: 'stream', status: 'SUCCEEDED', streamed: true, streamedBytes: 5 }] },
    });
    expect(await gateway.metrics()).toMatch(/lambda_response_stream_bytes_total\{function="stream"\} 5/);
  });
});
