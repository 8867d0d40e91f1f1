/**
 * The two ways `bench/stream` reads one streamed invocation of `stream-bytes`, each timed from the
 * moment the request is made to the first chunk of the function's bytes and to the end:
 *
 *   - `sdkStream`: `InvokeWithResponseStreamCommand` on a LambdaClient against the local Lambda —
 *     what a service would do without the gateway;
 *   - `gatewayStream`: `Subscription.invokeFunctionStream` over SSE (yoga's distinct-connections
 *     mode: one POST with `Accept: text/event-stream`), sent with node:http on a keep-alive agent —
 *     the HTTP client the SDK path uses too (its NodeHttpHandler) — and read with a minimal parser
 *     of its `next`/`complete` events. That is the least a GraphQL client can do on this
 *     transport, so the figures are the gateway's cost and not a client library's: `fetch` (undici)
 *     took about 1 ms longer than node:http to put the same request on the wire, and graphql-sse's
 *     client would add its own parsing on top of the same bytes.
 *
 *   - `graphqlWsStream`: the same subscription over graphql-ws, with the `graphql-ws` client on one
 *     WebSocket opened before the rounds and kept (as Apollo's GraphQLWsLink keeps its own): no
 *     HTTP request and no response headers per stream, one WebSocket message per event.
 *
 * The gateway side can read slowly (`bytesPerSecond`): after each read it sleeps until the bytes
 * read so far fit the rate, so the gateway has to hold back or buffer.
 */
import { Agent, type IncomingMessage, request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeWithResponseStreamCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from 'graphql-ws';

export const FUNCTION_NAME = 'stream-bytes';

export interface StreamShape {
  readonly chunks: number;
  readonly chunkBytes: number;
}

export interface StreamReading {
  /** From the request to the first chunk of the function's bytes. */
  readonly firstChunkMs: number;
  /** From the request to the end of the stream. */
  readonly totalMs: number;
  /** The function's bytes received (the gateway side: the chunk events' byteCount). */
  readonly bytes: number;
  /** Chunk events (gateway) or PayloadChunk events (SDK) received. */
  readonly chunks: number;
}

const event = (shape: StreamShape) => ({ chunks: shape.chunks, chunkBytes: shape.chunkBytes, intervalMs: 0 });

function checkComplete(path: string, shape: StreamShape, reading: StreamReading): StreamReading {
  const expected = shape.chunks * shape.chunkBytes;
  if (reading.bytes !== expected) throw new Error(`${path}: ${reading.bytes} bytes streamed, expected ${expected}`);
  return reading;
}

export async function sdkStream(client: LambdaClient, shape: StreamShape): Promise<StreamReading> {
  const started = performance.now();
  const output = await client.send(
    new InvokeWithResponseStreamCommand({ FunctionName: FUNCTION_NAME, Payload: new TextEncoder().encode(JSON.stringify(event(shape))) }),
  );
  if (output.EventStream === undefined) throw new Error(`the SDK call answered status ${output.StatusCode} without a stream`);
  let firstChunkMs = Number.NaN;
  let bytes = 0;
  let chunks = 0;
  for await (const item of output.EventStream) {
    if (item.PayloadChunk?.Payload !== undefined) {
      if (chunks === 0) firstChunkMs = performance.now() - started;
      chunks += 1;
      bytes += item.PayloadChunk.Payload.byteLength;
    } else if (item.InvokeComplete !== undefined && item.InvokeComplete.ErrorCode !== undefined) {
      throw new Error(`the function failed mid-stream: ${item.InvokeComplete.ErrorCode} ${item.InvokeComplete.ErrorDetails ?? ''}`);
    }
  }
  return checkComplete('the SDK', shape, { firstChunkMs, totalMs: performance.now() - started, bytes, chunks });
}

const SUBSCRIPTION = `subscription Stream($input: InvokeFunctionStreamInput!) {
  invokeFunctionStream(input: $input) {
    __typename
    ... on InvocationStreamChunk { sequence byteCount text }
    ... on InvocationStreamEnd { totalBytes chunkCount functionError { errorType errorMessage } }
    ... on Error { message }
  }
}`;

interface StreamEvent {
  readonly __typename: string;
  readonly byteCount?: number;
  readonly totalBytes?: number;
  readonly functionError?: unknown;
  readonly message?: string;
}

export interface GatewayReadOptions {
  /** Read at most this fast (bytes of SSE text per second); undefined: as fast as possible. */
  readonly bytesPerSecond?: number;
  /** Called after each read with the SSE bytes read so far (for memory sampling). */
  readonly onRead?: (sseBytes: number) => void;
}

export interface GatewayReading extends StreamReading {
  /** Bytes of SSE text received: the function's bytes as JSON strings in events. */
  readonly sseBytes: number;
}

export async function gatewayStream(url: string, shape: StreamShape, options: GatewayReadOptions = {}): Promise<GatewayReading> {
  const started = performance.now();
  const response = await post(
    url,
    JSON.stringify({ query: SUBSCRIPTION, variables: { input: { functionName: FUNCTION_NAME, payload: event(shape) } } }),
  );
  if (response.statusCode !== 200) throw new Error(`the gateway answered ${response.statusCode}: ${await text(response)}`);
  const decoder = new TextDecoder();
  let pending = '';
  let firstChunkMs = Number.NaN;
  let bytes = 0;
  let chunks = 0;
  let sseBytes = 0;
  let ended: StreamEvent | undefined;
  // While the loop sleeps nothing is read: the socket's buffers fill and TCP holds the gateway back.
  for await (const value of response as AsyncIterable<Buffer>) {
    sseBytes += value.byteLength;
    pending += decoder.decode(value, { stream: true });
    // SSE events end with a blank line; yoga writes `event: next` then one `data:` line.
    let boundary = pending.indexOf('\n\n');
    while (boundary !== -1) {
      const block = pending.slice(0, boundary);
      pending = pending.slice(boundary + 2);
      boundary = pending.indexOf('\n\n');
      const data = block.split('\n').find((line) => line.startsWith('data:'));
      if (!block.startsWith('event: next') || data === undefined) continue;
      const item = (JSON.parse(data.slice(5)) as { data?: { invokeFunctionStream?: StreamEvent }; errors?: unknown }).data
        ?.invokeFunctionStream;
      if (item === undefined) throw new Error(`the gateway sent ${data.slice(0, 300)}`);
      if (item.__typename === 'InvocationStreamChunk') {
        if (chunks === 0) firstChunkMs = performance.now() - started;
        chunks += 1;
        bytes += item.byteCount ?? 0;
      } else if (item.__typename === 'InvocationStreamEnd') {
        ended = item;
      } else {
        throw new Error(`the gateway refused the stream: ${item.__typename} ${item.message ?? ''}`);
      }
    }
    options.onRead?.(sseBytes);
    if (options.bytesPerSecond !== undefined) {
      const due = (sseBytes / options.bytesPerSecond) * 1000 - (performance.now() - started);
      if (due > 0) await sleep(due);
    }
  }
  if (ended === undefined) throw new Error('the gateway stream ended without an InvocationStreamEnd');
  if (ended.functionError !== null && ended.functionError !== undefined)
    throw new Error(`the function failed mid-stream: ${JSON.stringify(ended.functionError)}`);
  if (ended.totalBytes !== bytes) throw new Error(`InvocationStreamEnd says ${ended.totalBytes} bytes, the chunks carried ${bytes}`);
  return { ...checkComplete('the gateway', shape, { firstChunkMs, totalMs: performance.now() - started, bytes, chunks }), sseBytes };
}

type StreamResult = { data?: { invokeFunctionStream?: StreamEvent } | null; errors?: unknown };

/** The subscription over graphql-ws on `client` (connected), timed as `gatewayStream` is. */
export function graphqlWsStream(client: Client, shape: StreamShape): Promise<StreamReading> {
  const started = performance.now();
  let firstChunkMs = Number.NaN;
  let bytes = 0;
  let chunks = 0;
  let ended: StreamEvent | undefined;
  let failure: Error | undefined;
  const done = Promise.withResolvers<StreamReading>();
  client.subscribe<StreamResult['data']>(
    { query: SUBSCRIPTION, variables: { input: { functionName: FUNCTION_NAME, payload: event(shape) } } },
    {
      next: (result) => {
        const item = result.data?.invokeFunctionStream;
        if (item?.__typename === 'InvocationStreamChunk') {
          if (chunks === 0) firstChunkMs = performance.now() - started;
          chunks += 1;
          bytes += item.byteCount ?? 0;
        } else if (item?.__typename === 'InvocationStreamEnd') ended = item;
        else failure ??= new Error(`the gateway sent ${JSON.stringify(result).slice(0, 300)} over graphql-ws`);
      },
      error: (error) => done.reject(error instanceof Error ? error : new Error(`graphql-ws: ${JSON.stringify(error)}`)),
      complete: () => {
        try {
          if (failure !== undefined) throw failure;
          if (ended === undefined) throw new Error('the graphql-ws stream ended without an InvocationStreamEnd');
          if (ended.totalBytes !== bytes)
            throw new Error(`InvocationStreamEnd says ${ended.totalBytes} bytes, the chunks carried ${bytes}`);
          done.resolve(checkComplete('graphql-ws', shape, { firstChunkMs, totalMs: performance.now() - started, bytes, chunks }));
        } catch (error) {
          done.reject(error);
        }
      },
    },
  );
  return done.promise;
}

/** One stream at a time, on one kept-alive socket, as the SDK client keeps its own. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

/** POSTs `body` in one write with its headers; resolves with the response once its headers arrive. */
function post(url: string, body: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const sent = request(url, {
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), accept: 'text/event-stream' },
    });
    sent.once('response', resolve);
    sent.once('error', reject);
    sent.end(body);
  });
}

async function text(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}
