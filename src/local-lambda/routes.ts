/**
 * The HTTP face of the local Lambda: Lambda's REST-JSON routes, answered with the headers, status
 * codes and error shapes the AWS SDKs expect.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { REPLY_SECRET_HEADER, REPLY_URL_HEADER } from '../protocol/destination-headers.ts';
import type { AsyncInvocationQueue, InvokingGateway } from './async-queue.ts';
import type { ResolvedLocalLambdaConfig } from './config.ts';
import type { ExecutionPool } from './execution-pool.ts';
import { decodeNameLabel, InvokeRequestError, validateRequestLine } from '../protocol/function-name.ts';
import { handleCatalogRequest } from './catalog-routes.ts';
import { runInvocation } from './run-invocation.ts';
import type { FunctionRegistry } from './registry.ts';
import { parseClientContext, parsePayload, readPayload } from './request-body.ts';
import { handleInvokeWithResponseStream } from './stream-route.ts';
import { LambdaWireError, throttled } from './wire-errors.ts';
import { headerValue, traceId } from './wire-headers.ts';

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations\/?$/;
const STREAM_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations\/?$/;

export interface RouteDependencies {
  readonly config: ResolvedLocalLambdaConfig;
  readonly registry: FunctionRegistry;
  readonly pool: ExecutionPool;
  readonly queue: AsyncInvocationQueue;
  /** False once shutdown began: new requests are refused. */
  readonly accepting: () => boolean;
  /** Told of every request being answered, so shutdown can wait for them. */
  readonly track: (answered: Promise<void>) => void;
}

export type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

export function createRequestListener(deps: RouteDependencies): RequestListener {
  return (request, response) => {
    const requestId = randomUUID();
    const answered = route(deps, request, response, requestId).catch((error: unknown) => {
      if (error instanceof LambdaWireError) {
        sendError(response, requestId, error);
        return;
      }
      if (error instanceof InvokeRequestError) {
        sendError(response, requestId, new LambdaWireError(error.code, error.message));
        return;
      }
      deps.config.logger.error({ requestId, error: String((error as Error).stack ?? error) }, 'unexpected error in the local Lambda');
      sendError(response, requestId, new LambdaWireError('ServiceException', `Internal error while executing the request (${requestId})`));
    });
    deps.track(answered);
  };
}

async function route(deps: RouteDependencies, request: IncomingMessage, response: ServerResponse, requestId: string): Promise<void> {
  if (!deps.accepting()) {
    response.setHeader('connection', 'close');
    throw new LambdaWireError('ServiceException', 'The local Lambda is shutting down.');
  }
  // Split by hand: a WHATWG URL per request costs more than the rest of the routing together.
  const target = request.url ?? '/';
  const queryStart = target.indexOf('?');
  const pathname = queryStart < 0 ? target : target.slice(0, queryStart);
  const invoke = INVOKE_PATH.exec(pathname);
  if (invoke !== null && request.method === 'POST') {
    const qualifier = queryStart < 0 ? null : new URLSearchParams(target.slice(queryStart + 1)).get('Qualifier');
    await handleInvoke(deps, request, response, requestId, invoke[1] ?? '', qualifier);
    return;
  }
  const stream = STREAM_PATH.exec(pathname);
  if (stream !== null && request.method === 'POST') {
    const qualifier = queryStart < 0 ? null : new URLSearchParams(target.slice(queryStart + 1)).get('Qualifier');
    await handleInvokeWithResponseStream(deps, request, response, requestId, stream[1] ?? '', qualifier);
    return;
  }
  const query = new URLSearchParams(queryStart < 0 ? '' : target.slice(queryStart + 1));
  if (handleCatalogRequest(deps.registry, { method: request.method, pathname, query }, response, requestId)) return;
  throw new LambdaWireError('UnknownOperationException', `No Lambda operation at ${request.method ?? ''} ${pathname}`);
}

async function handleInvoke(
  deps: RouteDependencies,
  request: IncomingMessage,
  response: ServerResponse,
  requestId: string,
  encodedName: string,
  qualifier: string | null,
): Promise<void> {
  const line = validateRequestLine({
    functionName: decodeNameLabel(encodedName),
    qualifier,
    invocationType: headerValue(request, 'x-amz-invocation-type'),
    logType: headerValue(request, 'x-amz-log-type'),
  });
  const fn = deps.registry.resolve(line.target);
  const event = line.invocationType === 'Event';
  const body = await readPayload(request, event).catch((error: unknown) => {
    // An oversized body is not read to the end; the connection cannot be reused.
    response.setHeader('connection', 'close');
    throw error;
  });
  const clientContext = parseClientContext(headerValue(request, 'x-amz-client-context'));
  const requestPayload = parsePayload(body);

  if (line.invocationType === 'DryRun') {
    response.writeHead(204, { 'x-amzn-requestid': requestId });
    response.end();
    return;
  }
  if (event) {
    deps.queue.enqueue(fn, requestId, body, requestPayload, invokingGateway(deps, request, requestId));
    response.writeHead(202, {
      'content-length': '0',
      'x-amzn-requestid': requestId,
      'x-amzn-remapped-content-length': '0',
      'x-amzn-trace-id': traceId(),
    });
    response.end();
    return;
  }

  const slot = deps.pool.tryAcquire(fn);
  if (typeof slot === 'string') throw throttled(slot);
  const result = await runInvocation(
    slot,
    { fn, requestId, payload: body, clientContext, tail: line.logType === 'Tail' },
    deps.config.logSink,
  );
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(result.payload.byteLength),
    'x-amzn-requestid': requestId,
    'x-amzn-remapped-content-length': '0',
    'x-amz-executed-version': fn.executedVersion,
    'x-amzn-trace-id': traceId(),
  };
  if (result.functionError !== undefined) headers['x-amz-function-error'] = 'Unhandled';
  if (result.logResult !== undefined) headers['x-amz-log-result'] = result.logResult;
  response.writeHead(200, headers);
  response.end(result.payload);
}

function sendError(response: ServerResponse, requestId: string, error: LambdaWireError): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const body = JSON.stringify(error.body());
  response.writeHead(error.status, {
    ...error.headers,
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': requestId,
    'x-amzn-errortype': error.name,
  });
  response.end(body);
}

/**
 * Where the invoking gateway takes destination records, when it said so (see
 * protocol/destination-headers.ts). A URL that is not http(s) is ignored, with a warning: the
 * record then goes where it would have without it.
 */
function invokingGateway(deps: RouteDependencies, request: IncomingMessage, requestId: string): InvokingGateway | undefined {
  const url = headerValue(request, REPLY_URL_HEADER);
  if (url === undefined) return undefined;
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    deps.config.logger.warn({ requestId, url }, `ignoring ${REPLY_URL_HEADER}: not an http(s) URL`);
    return undefined;
  }
  return { url, secret: headerValue(request, REPLY_SECRET_HEADER) };
}
