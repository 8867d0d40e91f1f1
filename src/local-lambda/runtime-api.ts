/**
 * Lambda's Runtime API (version 2018-06-01) for one execution environment: the HTTP endpoint a
 * runtime process finds in `AWS_LAMBDA_RUNTIME_API`, polls for its next invocation and posts
 * results, errors and init failures to.
 *
 * One server per environment, each on its own port 0 of 127.0.0.1, rather than one shared server
 * routing by a token in the path: Runtime API clients build their URLs as
 * `http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/…`, and some (Rust's, Go's) parse the variable as
 * a bare host:port, so a path token would break them; with a server of its own, an environment's
 * process cannot see or answer another environment's invocations, as on AWS. A listening socket
 * per environment costs a file descriptor, and the server closes with the environment.
 *
 * Written on node:http rather than a framework: four routes, long-polled `next` requests held
 * open, request bodies counted against the 6 MB limit as they arrive, and chunked bodies with
 * trailers for streaming — which is node:http's own ground.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MAX_RESPONSE_BYTES } from '../protocol/limits.ts';

/** What the runtime is told about one invocation, in `next`'s headers and body. */
export interface RuntimeInvocation {
  readonly requestId: string;
  readonly payload: Uint8Array;
  /** Epoch milliseconds. */
  readonly deadlineMs: number;
  readonly invokedFunctionArn: string;
  readonly traceId: string;
  /** JSON text of the client context, when the caller sent one. */
  readonly clientContext: string | undefined;
  /** JSON text of the Cognito identity, when there is one. */
  readonly cognitoIdentity: string | undefined;
}

/** An error the runtime reported: the body as posted, and its type (header, else the body's `errorType`). */
export interface ReportedError {
  readonly errorType: string;
  readonly errorMessage: string;
  /** The body exactly as posted: the invocation answers with it, as Lambda does. */
  readonly body: Uint8Array;
}

export interface RuntimeApiEvents {
  /** The first `next`: init is over. */
  onReady(): void;
  onInitError(error: ReportedError): void;
  /** The whole (buffered) response of the invocation handed out. */
  onResponse(requestId: string, payload: Uint8Array): void;
  /** The response exceeded 6 MB; the runtime was answered 413. */
  onResponseTooLarge(requestId: string): void;
  onInvocationError(requestId: string, error: ReportedError): void;
  /**
   * A piece of a streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`);
   * `passedOn` once it has gone on, which lets the runtime send more.
   */
  onStreamChunk(requestId: string, chunk: Uint8Array, passedOn: () => void): void;
  /** A streamed response ended: with the error its trailers report, if any. */
  onStreamEnd(requestId: string, error: ReportedError | undefined): void;
}

const PREFIX = '/2018-06-01/runtime';
const INVOCATION_ROUTE = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/;
/** Unacknowledged streamed bytes at most before the runtime's upload is paused. */
const STREAM_CREDIT_BYTES = 256 * 1024;

const ACCEPTED = JSON.stringify({ status: 'OK' });

export class RuntimeApi {
  readonly #server: Server;
  readonly #events: RuntimeApiEvents;
  #ready = false;
  /** The invocation offered, until the runtime answers it. */
  #current: RuntimeInvocation | undefined;
  /** Whether `#current` has been handed to the runtime by a `next`. */
  #handedOut = false;
  /** A `next` waiting for an invocation. */
  #waiting: ServerResponse | undefined;
  #closed = false;

  private constructor(server: Server, events: RuntimeApiEvents) {
    this.#server = server;
    this.#events = events;
  }

  /** Listens on 127.0.0.1, port 0. */
  static async listen(events: RuntimeApiEvents): Promise<RuntimeApi> {
    const server = createServer({ keepAlive: true });
    // `next` is long-polled for as long as the environment idles: no server-side timeouts.
    server.requestTimeout = 0;
    server.headersTimeout = 0;
    server.keepAliveTimeout = 0;
    server.timeout = 0;
    const api = new RuntimeApi(server, events);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => api.#route(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return api;
  }

  /** `host:port`, as `AWS_LAMBDA_RUNTIME_API` gives it. */
  get address(): string {
    const { address, port } = this.#server.address() as AddressInfo;
    return `${address}:${port}`;
  }

  /** Makes `invocation` the next one; a `next` already waiting receives it at once. */
  offer(invocation: RuntimeInvocation): void {
    this.#current = invocation;
    this.#handedOut = false;
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      this.#handOut(waiting);
    }
  }

  /** Forgets the current invocation (it timed out or ended otherwise): answers for it are refused. */
  withdraw(): void {
    this.#current = undefined;
    this.#handedOut = false;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#waiting?.destroy();
    this.#waiting = undefined;
    this.#server.close();
    this.#server.closeAllConnections();
  }

  #route(request: IncomingMessage, response: ServerResponse): void {
    const url = request.url ?? '';
    const pathname = url.split('?', 1)[0] ?? '';
    if (request.method === 'GET' && pathname === `${PREFIX}/invocation/next`) {
      this.#next(response);
      return;
    }
    if (request.method === 'POST' && pathname === `${PREFIX}/init/error`) {
      this.#initError(request, response);
      return;
    }
    const match = request.method === 'POST' ? INVOCATION_ROUTE.exec(pathname) : null;
    if (match === null) {
      drain(request);
      reply(response, 404, { errorMessage: `No route for ${request.method ?? ''} ${pathname}`, errorType: 'NotFound' });
      return;
    }
    const requestId = decodeURIComponent(match[1] ?? '');
    if (this.#current?.requestId !== requestId || !this.#handedOut) {
      // What Lambda answers a runtime posting for an invocation it is not running.
      drain(request);
      reply(response, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
      return;
    }
    if (match[2] === 'error') {
      this.#invocationError(requestId, request, response);
    } else if (headerText(request, 'lambda-runtime-function-response-mode')?.toLowerCase() === 'streaming') {
      this.#streamedResponse(requestId, request, response);
    } else {
      this.#bufferedResponse(requestId, request, response);
    }
  }

  #next(response: ServerResponse): void {
    if (!this.#ready) {
      this.#ready = true;
      this.#events.onReady();
    }
    // A second poll replaces the first (the runtime gave up on it).
    this.#waiting?.destroy();
    this.#waiting = undefined;
    if (this.#current !== undefined && !this.#handedOut) this.#handOut(response);
    else this.#waiting = response;
  }

  #handOut(response: ServerResponse): void {
    const invocation = this.#current;
    if (invocation === undefined) return;
    this.#handedOut = true;
    const headers: Record<string, string | number> = {
      'Content-Type': 'application/json',
      'Content-Length': invocation.payload.byteLength,
      'Lambda-Runtime-Aws-Request-Id': invocation.requestId,
      'Lambda-Runtime-Deadline-Ms': invocation.deadlineMs,
      'Lambda-Runtime-Invoked-Function-Arn': invocation.invokedFunctionArn,
      'Lambda-Runtime-Trace-Id': invocation.traceId,
    };
    if (invocation.clientContext !== undefined) headers['Lambda-Runtime-Client-Context'] = invocation.clientContext;
    if (invocation.cognitoIdentity !== undefined) headers['Lambda-Runtime-Cognito-Identity'] = invocation.cognitoIdentity;
    response.writeHead(200, headers);
    response.end(invocation.payload);
  }

  #initError(request: IncomingMessage, response: ServerResponse): void {
    if (this.#ready) {
      drain(request);
      reply(response, 403, { errorMessage: 'Init error reported after init finished', errorType: 'InvalidStateTransition' });
      return;
    }
    void readBody(request).then((body) => {
      if (body === undefined) {
        reply(response, 413, tooLargeForRuntime());
        return;
      }
      reply(response, 202, undefined);
      this.#events.onInitError(reportedError(body, headerText(request, 'lambda-runtime-function-error-type')));
    });
  }

  #invocationError(requestId: string, request: IncomingMessage, response: ServerResponse): void {
    void readBody(request).then((body) => {
      if (this.#current?.requestId !== requestId) {
        reply(response, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      if (body === undefined) {
        reply(response, 413, tooLargeForRuntime());
        this.#current = undefined;
        this.#events.onResponseTooLarge(requestId);
        return;
      }
      this.#current = undefined;
      reply(response, 202, undefined);
      this.#events.onInvocationError(requestId, reportedError(body, headerText(request, 'lambda-runtime-function-error-type')));
    });
  }

  #bufferedResponse(requestId: string, request: IncomingMessage, response: ServerResponse): void {
    void readBody(request).then((body) => {
      if (this.#current?.requestId !== requestId) {
        reply(response, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      this.#current = undefined;
      if (body === undefined) {
        reply(response, 413, tooLargeForRuntime());
        this.#events.onResponseTooLarge(requestId);
        return;
      }
      reply(response, 202, undefined);
      this.#events.onResponse(requestId, body);
    });
  }

  /**
   * A chunked body passed on piece by piece; the runtime's upload pauses while too much of it is
   * unacknowledged, so a slow reader holds the runtime's writes. An error after the first bytes
   * comes in the trailers (`Lambda-Runtime-Function-Error-Type`, `-Error-Body` in base64).
   */
  #streamedResponse(requestId: string, request: IncomingMessage, response: ServerResponse): void {
    let unacknowledged = 0;
    request.on('data', (chunk: Buffer) => {
      if (this.#current?.requestId !== requestId) return;
      unacknowledged += chunk.byteLength;
      if (unacknowledged > STREAM_CREDIT_BYTES) request.pause();
      let passed = false;
      this.#events.onStreamChunk(requestId, chunk, () => {
        if (passed) return;
        passed = true;
        unacknowledged -= chunk.byteLength;
        if (unacknowledged <= STREAM_CREDIT_BYTES && request.isPaused()) request.resume();
      });
    });
    request.once('end', () => {
      if (this.#current?.requestId !== requestId) {
        reply(response, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' });
        return;
      }
      this.#current = undefined;
      reply(response, 202, undefined);
      const type = request.trailers['lambda-runtime-function-error-type'];
      const encoded = request.trailers['lambda-runtime-function-error-body'];
      const error =
        type === undefined && encoded === undefined
          ? undefined
          : reportedError(new Uint8Array(Buffer.from(encoded ?? '', 'base64')), type ?? 'Runtime.StreamError');
      this.#events.onStreamEnd(requestId, error);
    });
    // A runtime that dies mid-stream: the process's exit ends the invocation.
    request.once('error', () => undefined);
  }
}

/** AWS's answer to a runtime posting more than 6 MB. */
function tooLargeForRuntime(): object {
  return { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' };
}

/**
 * An error body as the runtime posted it; its type from the header, else from the body. A body
 * that is not JSON is kept as posted (the caller receives it as it is), its type `Unknown` unless
 * the header said otherwise.
 */
export function reportedError(body: Uint8Array, headerType: string | undefined): ReportedError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const field = (name: string): string | undefined => {
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const value: unknown = (parsed as Record<string, unknown>)[name];
    return typeof value === 'string' ? value : undefined;
  };
  const errorType = headerType !== undefined && headerType !== '' ? headerType : (field('errorType') ?? 'Unknown');
  const errorMessage = field('errorMessage') ?? '';
  // Lambda builds the body from the header when the runtime sent none.
  const answered = body.byteLength > 0 ? body : new Uint8Array(Buffer.from(JSON.stringify({ errorMessage, errorType })));
  return { errorType, errorMessage, body: answered };
}

function headerText(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The whole body, or undefined past 6 MB (the rest is read and dropped, so the connection stays
 * usable). Never settles when the connection breaks mid-body: the process's exit ends the
 * invocation then.
 */
function readBody(request: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk);
    });
    request.once('end', () => resolve(size > MAX_RESPONSE_BYTES ? undefined : new Uint8Array(Buffer.concat(chunks, size))));
    request.once('error', () => undefined);
  });
}

function drain(request: IncomingMessage): void {
  request.resume();
}

function reply(response: ServerResponse, status: number, body: object | undefined): void {
  const text = body === undefined ? ACCEPTED : JSON.stringify(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  response.end(text);
}
