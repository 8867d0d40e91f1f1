/**
 * InvokeWithResponseStream against the local Lambda with the real `@aws-sdk/client-lambda` (its
 * own event-stream decoder checks every frame's prelude and message CRC) and boto3's
 * `invoke_with_response_stream`: chunks in order as written, the first one before the function
 * finishes, mid-stream failures in InvokeComplete, the refusals before the stream starts, the
 * HttpResponseStream prelude, plain handlers, client aborts and backpressure
 * (docs/lambda-invoke-spec.md §1.4).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandOutput,
  type InvokeWithResponseStreamCompleteEvent,
  type InvokeWithResponseStreamResponseEvent,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { systemTool } from '../setup/system-tools.ts';
import { CHILD_TIMEOUT_MS, runClient } from '../helpers/aws-clients.ts';
import { EXAMPLE_FUNCTIONS, type FixtureLambda, json, lambdaClient, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';
import { startLocalLambda } from '../../src/local-lambda/server.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const BOTO3_SCRIPT = fileURLToPath(new URL('../fixtures/clients/boto3_stream.py', import.meta.url));
const text = (bytes: Uint8Array | undefined): string => Buffer.from(bytes ?? new Uint8Array()).toString('utf8');

let lambda: FixtureLambda;

beforeAll(async () => {
  // No bandwidth cap here, so a stall can only be the reader's backpressure; the limits have
  // their own instance below.
  lambda = await startFixtureLambda({ streaming: { uncappedBytes: 1024 * 1024 * 1024 } });
});
afterAll(() => lambda?.close());

/** The next event of a stream being read by hand, typed (the SDK's iterator result is `any`). */
async function nextEvent(
  iterator: AsyncIterator<InvokeWithResponseStreamResponseEvent> | undefined,
): Promise<InvokeWithResponseStreamResponseEvent | undefined> {
  const next = await iterator?.next();
  return next === undefined || next.done === true ? undefined : next.value;
}

interface Collected {
  readonly chunks: Uint8Array[];
  readonly complete: InvokeWithResponseStreamCompleteEvent | undefined;
  /** Event names in the order they came. */
  readonly order: string[];
}

async function collect(output: InvokeWithResponseStreamCommandOutput): Promise<Collected> {
  const chunks: Uint8Array[] = [];
  const order: string[] = [];
  let complete: InvokeWithResponseStreamCompleteEvent | undefined;
  for await (const event of output.EventStream ?? []) {
    if (event.PayloadChunk !== undefined) {
      order.push('PayloadChunk');
      chunks.push(event.PayloadChunk.Payload ?? new Uint8Array());
    } else if (event.InvokeComplete !== undefined) {
      order.push('InvokeComplete');
      complete = event.InvokeComplete;
    }
  }
  return { chunks, complete, order };
}

function stream(
  functionName: string,
  event: unknown,
  extra: Partial<ConstructorParameters<typeof InvokeWithResponseStreamCommand>[0]> = {},
) {
  return lambda.client.send(new InvokeWithResponseStreamCommand({ FunctionName: functionName, Payload: payloadOf(event), ...extra }));
}

/** A BroadcastChannel shared with a fixture handler in a worker thread of this process. */
function channel(): { name: string; post(message: unknown): void; next(): Promise<unknown>; close(): void } {
  const name = `stream-test-${randomUUID()}`;
  const bc = new BroadcastChannel(name);
  const inbox: unknown[] = [];
  const waiting: Array<(m: unknown) => void> = [];
  bc.onmessage = (event: MessageEvent) => {
    const resolve = waiting.shift();
    if (resolve !== undefined) resolve(event.data);
    else inbox.push(event.data);
  };
  return {
    name,
    post: (message) => bc.postMessage(message),
    next: () => (inbox.length > 0 ? Promise.resolve(inbox.shift()) : new Promise((resolve) => waiting.push(resolve))),
    close: () => bc.close(),
  };
}

describe('InvokeWithResponseStream with the JS SDK', () => {
  it('streams the pieces in order and intact, with the response metadata Invoke has', async () => {
    const pieces = ['alpha ', 'βήτα ', '🚀 ', 'x'.repeat(100_000), ' end'];
    const output = await stream('stream-piped', { pieces });
    expect(output).toMatchObject({
      StatusCode: 200,
      ExecutedVersion: '$LATEST',
      ResponseStreamContentType: 'application/vnd.amazon.eventstream',
    });
    expect(output.$metadata.requestId).toMatch(UUID);
    const { chunks, complete, order } = await collect(output);
    expect(text(Buffer.concat(chunks))).toBe(pieces.join(''));
    expect(order.at(-1)).toBe('InvokeComplete');
    expect(order.filter((e) => e === 'InvokeComplete')).toHaveLength(1);
    expect(complete).toStrictEqual({});
  });

  it('delivers the first piece while the function is still running', async () => {
    const control = channel();
    try {
      const output = await stream('stream-signalled', { channel: control.name });
      const iterator = output.EventStream?.[Symbol.asyncIterator]();
      if (iterator === undefined) throw new Error('no event stream');
      const first = await nextEvent(iterator);
      // The handler cannot finish until it hears from us, and we only tell it now.
      expect(text(first?.PayloadChunk?.Payload)).toBe('first|');
      control.post('go');
      const rest: string[] = [];
      let complete: unknown;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        if (next.value.PayloadChunk !== undefined) rest.push(text(next.value.PayloadChunk.Payload));
        else complete = next.value.InvokeComplete;
      }
      expect(rest.join('')).toBe('second|third');
      expect(complete).toStrictEqual({});
    } finally {
      control.close();
    }
  });

  it('ends a function error mid-stream with InvokeComplete carrying it (HTTP stays 200)', async () => {
    const output = await stream('stream-failing', {});
    expect(output.StatusCode).toBe(200);
    const { chunks, complete } = await collect(output);
    expect(chunks.map(text)).toStrictEqual(['before the failure']);
    expect(complete).toStrictEqual({ ErrorCode: 'TypeError', ErrorDetails: 'failed mid-stream' });
  });

  it('ends a timeout mid-stream with Sandbox.Timedout in InvokeComplete', async () => {
    const output = await stream('stream-hanging', {});
    const id = output.$metadata.requestId ?? '';
    const { chunks, complete } = await collect(output);
    expect(chunks.map(text)).toStrictEqual(['then silence']);
    expect(complete).toStrictEqual({
      ErrorCode: 'Sandbox.Timedout',
      ErrorDetails: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    });
  });

  it('answers DryRun with 204 and no stream, after the same checks', async () => {
    const output = await stream('stream-piped', { pieces: [] }, { InvocationType: 'DryRun' });
    expect(output.StatusCode).toBe(204);
    await expect(stream('nope', {}, { InvocationType: 'DryRun' })).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('refuses Event as AWS does: a ValidationException naming the allowed values', async () => {
    await expect(stream('stream-piped', { pieces: [] }, { InvocationType: 'Event' as 'DryRun' })).rejects.toMatchObject({
      name: 'ValidationException',
      message:
        "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses before the stream as Invoke does: unknown function, bad payload, throttled', async () => {
    await expect(stream('nope', {})).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(
      lambda.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'stream-piped', Payload: Buffer.from('{nope') })),
    ).rejects.toMatchObject({ name: 'InvalidRequestContentException' });
    await expect(stream('throttled', {})).rejects.toMatchObject({
      name: 'TooManyRequestsException',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
  });

  it('returns the log tail in InvokeComplete with LogType Tail', async () => {
    const control = channel();
    try {
      const pending = stream('stream-signalled', { channel: control.name }, { LogType: 'Tail' });
      const output = await pending;
      control.post('go');
      const id = output.$metadata.requestId ?? '';
      const { complete } = await collect(output);
      const log = Buffer.from(complete?.LogResult ?? '', 'base64').toString('utf8');
      const lines = log.split('\n');
      expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
      expect(lines[1]).toMatch(new RegExp(`\\t${id}\\tINFO\\tstreaming to the test$`));
      expect(lines[2]).toBe(`END RequestId: ${id}`);
      expect(lines[3]).toMatch(new RegExp(`^REPORT RequestId: ${id}\\tDuration: `));
    } finally {
      control.close();
    }
  });

  it('passes an HttpResponseStream.from prelude through verbatim: metadata JSON, 8 NUL bytes, body', async () => {
    const { chunks } = await collect(await stream('stream-http', {}));
    const bytes = Buffer.concat(chunks);
    const metadata = JSON.stringify({ statusCode: 201, headers: { 'x-demo': 'yes' } });
    expect(bytes.equals(Buffer.concat([Buffer.from(metadata), Buffer.alloc(8), Buffer.from('<p>hello</p>')]))).toBe(true);
  });

  it('answers a plain handler with its whole JSON result as one chunk, its error in InvokeComplete', async () => {
    const ok = await collect(await stream('echo', { hello: 'plain' }));
    expect(ok.order).toStrictEqual(['PayloadChunk', 'InvokeComplete']);
    expect(json(ok.chunks[0])).toStrictEqual({ hello: 'plain' });
    expect(ok.complete).toStrictEqual({});
    const failed = await collect(await stream('fail', { message: 'plain failure' }));
    expect(failed.chunks).toStrictEqual([]);
    expect(failed.complete).toStrictEqual({ ErrorCode: 'FixtureError', ErrorDetails: 'plain failure' });
  });

  it('answers plain Invoke of a streaming handler with the streamed bytes, buffered', async () => {
    const output = await lambda.client.send(
      new InvokeCommand({ FunctionName: 'stream-piped', Payload: payloadOf({ pieces: ['a', 'b', 'c'] }) }),
    );
    expect(output.StatusCode).toBe(200);
    expect(output.FunctionError).toBeUndefined();
    expect(text(output.Payload)).toBe('abc');
  });

  it('closes the handler’s stream when the client aborts, and the environment serves again', async () => {
    /** Starts `stream-endless`, aborts once it has streamed, and returns what the handler saw. */
    const abortOnce = async (): Promise<{ closed: boolean; written: number }> => {
      const control = channel();
      try {
        const abort = new AbortController();
        const output = await lambda.client.send(
          new InvokeWithResponseStreamCommand({ FunctionName: 'stream-endless', Payload: payloadOf({ channel: control.name }) }),
          { abortSignal: abort.signal },
        );
        expect(await control.next()).toStrictEqual({ started: true });
        const iterator = output.EventStream?.[Symbol.asyncIterator]();
        expect(text((await nextEvent(iterator))?.PayloadChunk?.Payload)).toBe('piece 0\n');
        abort.abort();
        await iterator?.next().catch(() => undefined);
        return (await control.next()) as { closed: boolean; written: number };
      } finally {
        control.close();
      }
    };
    expect(await abortOnce()).toMatchObject({ closed: true });
    await expect.poll(() => lambda.running.lambda.inFlight('stream-endless')).toBe(0);
    const environments = lambda.running.lambda.stats().environments;
    // The environment went back warm: the next call runs in it, no new one starts.
    expect(await abortOnce()).toMatchObject({ closed: true });
    await expect.poll(() => lambda.running.lambda.inFlight('stream-endless')).toBe(0);
    expect(lambda.running.lambda.stats().environments).toBe(environments);
  });

  it('acknowledges a burst of small writes in a few messages to the handler’s thread, every byte of it', async () => {
    const control = channel();
    const total = 2000 * 16;
    const posted = vi.spyOn(Worker.prototype, 'postMessage');
    try {
      const { chunks } = await collect(await stream('stream-flood', { channel: control.name, total, chunkBytes: 16 }));
      expect(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0)).toBe(total);
      const acks = () =>
        posted.mock.calls.map(([message]) => message as { type?: string; bytes?: number }).filter((message) => message.type === 'ack');
      // The last acknowledgement leaves after the stream's end: the turn it was passed on in ends first.
      await expect.poll(() => acks().reduce((sum, ack) => sum + (ack.bytes ?? 0), 0)).toBe(total);
      // 2,000 writes; one acknowledgement per turn of the local Lambda's loop, not one per write.
      expect(acks().length).toBeLessThan(200);
    } finally {
      posted.mockRestore();
      control.post('stop');
      control.close();
    }
  });

  it('holds a fast writer to a slow reader: writes wait, memory stays bounded, nothing is lost', async () => {
    const control = channel();
    const total = 64 * 1024 * 1024;
    const chunkBytes = 64 * 1024;
    try {
      // Warm first, so a new environment's own memory is not counted below.
      await collect(await stream('stream-flood', { channel: control.name, total: chunkBytes, chunkBytes }));
      globalThis.gc?.();
      const rssBefore = process.memoryUsage().rss;
      const output = await stream('stream-flood', { channel: control.name, total, chunkBytes });
      const iterator = output.EventStream?.[Symbol.asyncIterator]();
      if (iterator === undefined) throw new Error('no event stream');
      let received = (await nextEvent(iterator))?.PayloadChunk?.Payload?.byteLength ?? 0;
      // Not reading now. The handler's progress stops well short of the total.
      const progress = async (): Promise<{ written: number; done: boolean }> => {
        control.post('how far?');
        return (await control.next()) as { written: number; done: boolean };
      };
      let last = await progress();
      for (;;) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        const now = await progress();
        if (now.written === last.written) break;
        last = now;
      }
      expect(last.done).toBe(false);
      expect(last.written).toBeLessThan(16 * 1024 * 1024);
      // What is held is in socket and stream buffers, a few MB: nowhere near the 64 MiB written.
      expect(process.memoryUsage().rss - rssBefore).toBeLessThan(32 * 1024 * 1024);
      // Reading again, everything arrives.
      let complete: unknown;
      for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
        if (next.value.PayloadChunk !== undefined) received += next.value.PayloadChunk.Payload?.byteLength ?? 0;
        else complete = next.value.InvokeComplete;
      }
      expect(received).toBe(total);
      expect(complete).toStrictEqual({});
    } finally {
      control.post('stop');
      control.close();
    }
  });
});

describe('the demo function stream', () => {
  it('streams event.chunks pieces of text, one PayloadChunk each', async () => {
    const running = await startLocalLambda({ functions: EXAMPLE_FUNCTIONS });
    const client = lambdaClient(running.endpoint);
    try {
      const output = await client.send(
        new InvokeWithResponseStreamCommand({ FunctionName: 'stream', Payload: payloadOf({ chunks: 4, intervalMs: 5 }) }),
      );
      const { chunks, complete } = await collect(output);
      expect(chunks.map(text)).toStrictEqual(['the ', 'quick ', 'brown ', 'fox\n']);
      expect(complete).toStrictEqual({});
    } finally {
      client.destroy();
      await running.close(100);
    }
  });
});

describe('InvokeWithResponseStream limits', () => {
  let limited: FixtureLambda;
  const limits = { maxResponseBytes: 200_000, uncappedBytes: 50_000, bytesPerSecond: 200_000 };
  beforeAll(async () => {
    limited = await startFixtureLambda({ streaming: limits });
  });
  afterAll(() => limited?.close());

  it('cuts a response over the size limit with Function.ResponseSizeTooLarge', async () => {
    const control = channel();
    try {
      const output = await limited.client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: 'stream-flood',
          Payload: payloadOf({ channel: control.name, total: 1_000_000, chunkBytes: 10_000 }),
        }),
      );
      const { chunks, complete } = await collect(output);
      const received = chunks.reduce((sum, c) => sum + c.byteLength, 0);
      expect(received).toBeLessThanOrEqual(limits.maxResponseBytes);
      expect(complete).toStrictEqual({
        ErrorCode: 'Function.ResponseSizeTooLarge',
        ErrorDetails: `Response payload size exceeded maximum allowed payload size (${limits.maxResponseBytes} bytes).`,
      });
    } finally {
      control.post('stop');
      control.close();
    }
  });

  it('caps the bandwidth once the uncapped part has gone out', async () => {
    const control = channel();
    try {
      const started = performance.now();
      const output = await limited.client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: 'stream-flood',
          Payload: payloadOf({ channel: control.name, total: 150_000, chunkBytes: 10_000 }),
        }),
      );
      const { chunks, complete } = await collect(output);
      expect(chunks.reduce((sum, c) => sum + c.byteLength, 0)).toBe(150_000);
      expect(complete).toStrictEqual({});
      // 100,000 capped bytes at 200,000 B/s cannot take less than half a second.
      expect(performance.now() - started).toBeGreaterThanOrEqual(490);
    } finally {
      control.post('stop');
      control.close();
    }
  });
});

describe('invoke_with_response_stream with boto3', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  let python: string;
  let home: string;
  beforeAll(async () => {
    python = systemTool('boto3');
    home = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-stream-'));
  });
  afterAll(async () => {
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  async function boto3(...args: string[]): Promise<Record<string, unknown>> {
    const result = await runClient(python, [BOTO3_SCRIPT, lambda.endpoint, ...args], home);
    expect(result, result.stderr).toMatchObject({ code: 0 });
    return JSON.parse(result.stdout) as Record<string, unknown>;
  }

  it('reads the chunks in order, then InvokeComplete with the log tail', async () => {
    const out = await boto3('stream-piped', '--payload', JSON.stringify({ pieces: ['one ', 'two ', 'three'] }), '--log-type', 'Tail');
    expect(out).toMatchObject({ status: 200, executedVersion: '$LATEST', contentType: 'application/vnd.amazon.eventstream' });
    expect(out.requestId).toMatch(UUID);
    const events = out.events as Array<{ chunk?: string; complete?: { LogResult?: string } }>;
    expect(
      events
        .filter((e) => e.chunk !== undefined)
        .map((e) => Buffer.from(e.chunk ?? '', 'base64').toString('utf8'))
        .join(''),
    ).toBe('one two three');
    const complete = events.at(-1)?.complete;
    expect(Buffer.from(complete?.LogResult ?? '', 'base64').toString('utf8')).toMatch(
      new RegExp(`^START RequestId: ${String(out.requestId)} Version: \\$LATEST\\n`),
    );
  });

  it('sees a mid-stream error in InvokeComplete', async () => {
    const out = await boto3('stream-failing', '--payload', '{}');
    expect((out.events as unknown[]).at(-1)).toStrictEqual({ complete: { ErrorCode: 'TypeError', ErrorDetails: 'failed mid-stream' } });
  });

  it('gets Event refused as ValidationException and DryRun as 204', async () => {
    expect(await boto3('stream-piped', '--invocation-type', 'Event')).toMatchObject({ code: 'ValidationException', status: 400 });
    expect(await boto3('stream-piped', '--invocation-type', 'DryRun')).toMatchObject({ status: 204, events: [] });
  });
});
