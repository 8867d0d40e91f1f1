/**
 * InvokeWithResponseStream: `POST /2021-11-15/functions/{name}/response-streaming-invocations`.
 * Everything up to the start of the stream is checked as Invoke checks it, and refused with the
 * same error responses; from then on the answer is HTTP 200 and event-stream frames: one
 * `PayloadChunk` per piece the handler wrote, forwarded as it arrives, then one `InvokeComplete`
 * carrying a mid-stream failure (function error, timeout, size limit) and the log tail.
 *
 * Each piece is acknowledged to the worker only once the socket has taken it (the write
 * callback), after any hold the bandwidth cap imposes, so a slow reader or the cap stalls the
 * handler's writes and nothing queues up here beyond the worker's credit window.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_STREAM_CONTENT_TYPE, type InvokeComplete, invokeCompleteFrame, payloadChunkFrame } from '../protocol/event-stream.ts';
import { decodeNameLabel, STREAM_INVOCATION_TYPES, validateRequestLine } from '../protocol/function-name.ts';
import { StreamBudget } from '../protocol/stream-limits.ts';
import { parseClientContext, parsePayload, readPayload } from './request-body.ts';
import type { RouteDependencies } from './routes.ts';
import { runInvocation } from './run-invocation.ts';
import { throttled } from './wire-errors.ts';
import { headerValue, traceId } from './wire-headers.ts';

export async function handleInvokeWithResponseStream(
  deps: RouteDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  encodedName: string,
  qualifier: string | null,
): Promise<void> {
  const line = validateRequestLine(
    {
      functionName: decodeNameLabel(encodedName),
      qualifier,
      invocationType: headerValue(request, 'x-amz-invocation-type'),
      logType: headerValue(request, 'x-amz-log-type'),
    },
    STREAM_INVOCATION_TYPES,
  );
  const fn = deps.registry.resolve(line.target);
  const body = await readPayload(request, false).catch((error: unknown) => {
    response.setHeader('connection', 'close');
    throw error;
  });
  const clientContext = parseClientContext(headerValue(request, 'x-amz-client-context'));
  parsePayload(body);

  if (line.invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-requestid': requestId });
    response.end();
    return;
  }
  const slot = deps.pool.tryAcquire(fn);
  if (typeof slot === 'string') throw throttled(slot);

  response.writeHead(200, {
    'content-type': EVENT_STREAM_CONTENT_TYPE,
    'x-amzn-requestid': requestId,
    'x-amzn-remapped-content-length': '0',
    'x-amz-executed-version': fn.executedVersion,
    'x-amzn-trace-id': traceId(),
  });
  // The client learns the call was accepted before the function writes anything.
  response.flushHeaders();

  const limits = deps.config.streaming;
  const budget = new StreamBudget(limits);
  const stop = new AbortController();
  let clientGone = false;
  let tooLarge = false;
  response.once('close', () => {
    if (response.writableFinished) return;
    clientGone = true;
    stop.abort();
  });

  // Pieces go out in order; one held by the bandwidth cap holds those behind it.
  let sending: Promise<void> = Promise.resolve();
  const forward = (payload: Uint8Array, passedOn: () => void): void => {
    if (clientGone || tooLarge) {
      passedOn();
      return;
    }
    const admission = budget.admit(payload.byteLength, Date.now());
    if (!admission.ok) {
      // Lambda cuts the stream at the limit; the handler's stream closes.
      tooLarge = true;
      stop.abort();
      passedOn();
      return;
    }
    const dueAt = Date.now() + admission.delayMs;
    sending = sending.then(async () => {
      const wait = dueAt - Date.now();
      if (wait > 0) await sleep(wait);
      if (clientGone) {
        passedOn();
        return;
      }
      response.write(payloadChunkFrame(payload), () => passedOn());
    });
  };

  const result = await runInvocation(
    slot,
    { fn, requestId, payload: body, clientContext, tail: line.logType === 'Tail', stream: { onChunk: forward, signal: stop.signal } },
    deps.config.logSink,
  );
  // A plain handler's result is the whole response, as one piece.
  if (!result.streamed && result.functionError === undefined) forward(result.payload, () => undefined);
  await sending;
  if (clientGone) return;

  const complete: { -readonly [K in keyof InvokeComplete]: InvokeComplete[K] } = {};
  if (tooLarge) {
    complete.ErrorCode = 'Function.ResponseSizeTooLarge';
    complete.ErrorDetails = `Response payload size exceeded maximum allowed payload size (${limits.maxResponseBytes} bytes).`;
  } else if (result.functionError !== undefined) {
    complete.ErrorCode = result.functionError.errorType;
    complete.ErrorDetails = result.functionError.errorMessage;
  }
  if (result.logResult !== undefined) complete.LogResult = result.logResult;
  response.end(invokeCompleteFrame(complete));
}
