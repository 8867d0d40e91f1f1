/**
 * `Subscription.invokeFunctionStream` on the wire: the real gateway on port 0, the real SDK's
 * InvokeWithResponseStream against the built-in local Lambda, and each transport a client would
 * use — graphql-sse (distinct and single connection), graphql-ws, and Apollo Client over
 * GraphQLWsLink and over HttpLink's multipart subscriptions. What the tests show is order, not
 * timing: the fixture function (test/fixtures/functions/stream.ts) writes its first chunk and then
 * waits for a file the test creates only once that chunk has arrived, and it records in a file how
 * far it got when its stream was closed.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayClient, type GatewayClient, type SubscriptionTransport } from '../../examples/apollo-client/client.ts';
import { ExampleStreamDocument } from '../../examples/apollo-client/operations.ts';
import type { InvokeFunctionStreamSubscription } from '../../generated/graphql/graphql.ts';
import { DEMO_FUNCTIONS } from '../../src/config.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { subscribeWith, type Transport } from '../helpers/subscriptions.ts';
import { InvokeFunctionStreamDocument } from './documents.ts';

type StreamEvent = InvokeFunctionStreamSubscription['invokeFunctionStream'];

let gateway: TestGateway;
let directory: string;
let files = 0;
const file = (name: string): string => join(directory, `${name}-${++files}`);

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'stream-test-'));
  gateway = await startTestGateway({ multipartSubscriptions: { heartbeatIntervalMs: 20 } });
});
afterAll(async () => {
  await gateway.close();
  rmSync(directory, { recursive: true, force: true });
});

const texts = (events: readonly StreamEvent[]): (string | null | undefined)[] =>
  events.map((event) => (event.__typename === 'InvocationStreamChunk' ? event.text : event.__typename));

/**
 * The stream as its contract has it: the chunks' text joined, in order, then what ended it.
 * Chunks that reach the gateway together may be one event (`joinAvailableBytes`), so how many
 * events carry the text depends on the machine's timing; the sequence numbers must still be
 * 0, 1, 2, … with none skipped or repeated, and the end event must count the chunk events sent.
 */
function streamed(events: readonly StreamEvent[]): { readonly text: string; readonly last: string | undefined } {
  const chunks = events.flatMap((event) => (event.__typename === 'InvocationStreamChunk' ? [event] : []));
  expect(chunks.map((chunk) => chunk.sequence)).toEqual(chunks.map((_, index) => index));
  const last = events.at(-1);
  if (last?.__typename === 'InvocationStreamEnd' && 'chunkCount' in last) expect(last.chunkCount).toBe(chunks.length);
  return { text: chunks.map((chunk) => chunk.text).join(''), last: last?.__typename };
}

/** Waits until `values` holds `count` values, failing with what did arrive. */
async function received(values: readonly unknown[], count: number): Promise<void> {
  await expect.poll(() => values.length, { timeout: 15_000 }).toBeGreaterThanOrEqual(count);
}

describe.each<Transport>(['graphql-sse', 'graphql-sse-single', 'graphql-ws'])('invokeFunctionStream over %s', (transport) => {
  it('delivers the first chunk before the function finishes, then every chunk in order, then the end', async () => {
    const release = file('release');
    const subscription = subscribeWith(transport, gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 3, intervalMs: 5, release } },
    });
    await received(subscription.values, 1);
    // The function is still waiting for the release file: nothing else can have been sent.
    expect(subscription.values.map((value) => value.invokeFunctionStream)).toEqual([
      expect.objectContaining({ __typename: 'InvocationStreamChunk', sequence: 0, text: 'first ', byteCount: 6 }),
    ]);
    writeFileSync(release, '');
    await subscription.completed;
    const events = subscription.values.map((value) => value.invokeFunctionStream);
    expect(streamed(events)).toEqual({ text: 'first chunk-1 chunk-2 chunk-3 ', last: 'InvocationStreamEnd' });
    expect(events.at(-1)).toMatchObject({
      __typename: 'InvocationStreamEnd',
      executedVersion: '$LATEST',
      totalBytes: 30,
      functionError: null,
    });
  });

  it('stops the function when the client unsubscribes mid-stream', async () => {
    const stopped = file('stopped');
    const subscription = subscribeWith(transport, gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 1000, intervalMs: 10, stopped } },
    });
    await received(subscription.values, 1);
    subscription.dispose();
    await expect.poll(() => existsSync(stopped), { timeout: 15_000 }).toBe(true);
    expect(Number(readFileSync(stopped, 'utf8'))).toBeLessThan(1000);
  });
});

describe('invokeFunctionStream: outcomes', () => {
  it('ends with the function’s error when it fails mid-stream, after the chunks it wrote', async () => {
    const subscription = subscribeWith('graphql-sse', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 1, fail: 'broke mid-stream' }, logType: 'TAIL' },
    });
    await subscription.completed;
    const events = subscription.values.map((value) => value.invokeFunctionStream);
    expect(streamed(events)).toEqual({ text: 'first chunk-1 ', last: 'InvocationStreamEnd' });
    expect(events.at(-1)).toMatchObject({
      functionError: { kind: 'Unhandled', errorType: 'Error', errorMessage: 'broke mid-stream' },
      decodedLogs: expect.stringContaining('END RequestId') as unknown,
    });
  });

  it('sends one event per chunk Lambda sent when the subscription asks for it (joinAvailableBytes: 0)', async () => {
    const subscription = subscribeWith('graphql-sse', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 50, intervalMs: 0 }, coalesce: { joinAvailableBytes: 0 } },
    });
    await subscription.completed;
    const events = subscription.values.map((value) => value.invokeFunctionStream);
    const written = ['first ', ...Array.from({ length: 50 }, (_, index) => `chunk-${index + 1} `)];
    expect(texts(events)).toEqual([...written, 'InvocationStreamEnd']);
    expect(streamed(events).text).toBe(written.join(''));
  });

  it('answers a function Lambda does not know with one FunctionNotFoundError event', async () => {
    const subscription = subscribeWith('graphql-ws', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'no-such-function' },
    });
    await subscription.completed;
    expect(subscription.values.map((value) => value.invokeFunctionStream.__typename)).toEqual(['FunctionNotFoundError']);
  });

  it('answers a throttle with one ThrottledError event, as invokeFunction does', async () => {
    const subscription = subscribeWith('graphql-sse', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'throttled' },
    });
    await subscription.completed;
    expect(subscription.values.map((value) => value.invokeFunctionStream.__typename)).toEqual(['ThrottledError']);
  });

  it('answers DRY_RUN with an end event and no chunks', async () => {
    const subscription = subscribeWith('graphql-sse', gateway.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', invocationType: 'DRY_RUN' },
    });
    await subscription.completed;
    expect(subscription.values.map((value) => value.invokeFunctionStream)).toEqual([
      expect.objectContaining({ __typename: 'InvocationStreamEnd', totalBytes: 0, chunkCount: 0 }),
    ]);
  });
});

describe.each<SubscriptionTransport>(['websocket', 'http'])('invokeFunctionStream with Apollo Client (%s)', (subscriptions) => {
  let apollo: GatewayClient;
  beforeAll(() => {
    apollo = createGatewayClient({ url: gateway.running.url, subscriptions });
  });
  afterAll(async () => {
    await apollo.close();
  });

  function collect(variables: { input: { functionName: string; payload: unknown } }) {
    const values: StreamEvent[] = [];
    const settled = Promise.withResolvers<void>();
    const subscription = apollo.client.subscribe({ query: ExampleStreamDocument, variables }).subscribe({
      next: (result) => {
        if (result.error !== undefined) settled.reject(result.error);
        else if (result.data !== undefined) values.push(result.data.invokeFunctionStream as StreamEvent);
      },
      error: (error: unknown) => settled.reject(error),
      complete: () => settled.resolve(),
    });
    settled.promise.catch(() => undefined);
    return { values, done: settled.promise, unsubscribe: () => subscription.unsubscribe() };
  }

  it('delivers the first chunk before the function finishes, then the rest in order', async () => {
    const release = file('release');
    const stream = collect({ input: { functionName: 'stream', payload: { chunks: 2, intervalMs: 5, release } } });
    await received(stream.values, 1);
    expect(stream.values).toEqual([expect.objectContaining({ __typename: 'InvocationStreamChunk', sequence: 0, text: 'first ' })]);
    writeFileSync(release, '');
    await stream.done;
    expect(streamed(stream.values)).toEqual({ text: 'first chunk-1 chunk-2 ', last: 'InvocationStreamEnd' });
  });

  it('stops the function when the client unsubscribes', async () => {
    const stopped = file('stopped');
    const stream = collect({ input: { functionName: 'stream', payload: { chunks: 1000, intervalMs: 10, stopped } } });
    await received(stream.values, 1);
    stream.unsubscribe();
    await expect.poll(() => existsSync(stopped), { timeout: 15_000 }).toBe(true);
    expect(Number(readFileSync(stopped, 'utf8'))).toBeLessThan(1000);
  });
});

describe('invokeFunctionStream: resources', () => {
  it('gives back every concurrency slot once its streams are over, finished or cancelled', async () => {
    const metrics = async () => (await fetch(new URL('/metrics', gateway.running.url))).text();
    await expect.poll(metrics, { timeout: 15_000 }).toMatch(/^lambda_invocations_in_flight 0$/m);
    expect(await metrics()).toMatch(/^lambda_response_stream_bytes_total\{function="stream"\} \d+$/m);
  });
});

describe('invokeFunctionStream: the function’s deadline', () => {
  let strict: TestGateway;
  beforeAll(async () => {
    strict = await startTestGateway({ functionTimeouts: [{ functions: ['stream'], timeoutMs: 500 }] });
  });
  afterAll(async () => {
    await strict.close();
  });

  it('covers the whole stream: the chunks that arrived, then InvocationTimeoutError, and the function stopped', async () => {
    const stopped = file('stopped');
    const subscription = subscribeWith('graphql-sse', strict.running.url, InvokeFunctionStreamDocument, {
      // Never released: the function writes its first chunk, then waits past the deadline.
      input: { functionName: 'stream', payload: { release: file('never'), stopped } },
    });
    await subscription.completed;
    expect(texts(subscription.values.map((value) => value.invokeFunctionStream))).toEqual(['first ', 'InvocationTimeoutError']);
    await expect.poll(() => existsSync(stopped), { timeout: 15_000 }).toBe(true);
  });
});

describe('invokeFunctionStream: the demo function', () => {
  let demo: TestGateway;
  beforeAll(async () => {
    demo = await startTestGateway({ lambda: { kind: 'local', functions: DEMO_FUNCTIONS } });
  });
  afterAll(async () => {
    await demo.close();
  });

  it('streams `stream`’s words as it writes them', async () => {
    const subscription = subscribeWith('graphql-sse', demo.running.url, InvokeFunctionStreamDocument, {
      input: { functionName: 'stream', payload: { chunks: 4, intervalMs: 1 } },
    });
    await subscription.completed;
    expect(streamed(subscription.values.map((value) => value.invokeFunctionStream))).toEqual({
      text: 'the quick brown fox\n',
      last: 'InvocationStreamEnd',
    });
  });
});
