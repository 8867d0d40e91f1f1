/**
 * The `awslambda` global of Node's Lambda runtime, inside the worker: `streamifyResponse` marks a
 * handler as streaming, and the `responseStream` it receives is a Node Writable whose bytes go to
 * the local Lambda as they are written. `HttpResponseStream.from` writes the JSON metadata prelude
 * and its 8 NUL separator first, as the runtime does (function URLs strip it; the
 * InvokeWithResponseStream API passes it through).
 *
 * Backpressure is credit based: at most `WINDOW_BYTES` may be posted and not yet acknowledged;
 * beyond that a write's callback is held until the local Lambda acknowledges bytes it has passed
 * on (to the socket, whose own backpressure therefore reaches the handler), so a slow reader
 * stalls the handler's `write`/`pipeline` instead of growing a buffer anywhere.
 */
import { Writable } from 'node:stream';

/** Bytes in flight between the worker and the socket before writes wait. */
const WINDOW_BYTES = 256 * 1024;
const STREAMING = Symbol('local-lambda.streaming-handler');
const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';

export type StreamingHandler = (event: unknown, responseStream: ResponseStream, context: unknown) => unknown;

export function isStreamingHandler(handler: unknown): handler is StreamingHandler {
  return typeof handler === 'function' && (handler as { [STREAMING]?: true })[STREAMING] === true;
}

export class ResponseStream extends Writable {
  readonly #send: (bytes: Uint8Array) => void;
  #unacked = 0;
  #held: (() => void) | undefined;
  #contentType = 'application/octet-stream';

  constructor(send: (bytes: Uint8Array) => void) {
    super({ highWaterMark: 64 * 1024 });
    this.#send = send;
  }

  /** The runtime's API; the content type only matters to function URLs. */
  setContentType(contentType: string): void {
    this.#contentType = contentType;
  }

  get contentType(): string {
    return this.#contentType;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (chunk.byteLength === 0) {
      callback();
      return;
    }
    // A copy that owns its buffer, so it can be transferred (a Buffer may share Node's pool).
    const bytes = new Uint8Array(chunk);
    this.#unacked += bytes.byteLength;
    this.#send(bytes);
    if (this.#unacked <= WINDOW_BYTES) callback();
    else this.#held = callback;
  }

  /** The local Lambda passed on `bytes`: a held write may complete. */
  ack(bytes: number): void {
    this.#unacked -= bytes;
    const held = this.#held;
    if (held !== undefined && this.#unacked <= WINDOW_BYTES) {
      this.#held = undefined;
      held();
    }
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    // A write held for credit fails with the stream, rather than hanging.
    const held = this.#held;
    this.#held = undefined;
    held?.();
    callback(error);
  }
}

/** `awslambda.HttpResponseStream`, for handlers written for function URLs. */
class HttpResponseStream {
  static from(stream: ResponseStream, metadata: unknown): ResponseStream {
    stream.setContentType(HTTP_INTEGRATION_CONTENT_TYPE);
    stream.write(JSON.stringify(metadata));
    stream.write(new Uint8Array(8));
    return stream;
  }
}

export function installAwsLambdaGlobal(): void {
  // Writable and extensible, as the runtime's own: the SDK v3 (`@aws/lambda-invoke-store`)
  // assigns `globalThis.awslambda` and adds `InvokeStore` to it when it loads.
  Object.defineProperty(globalThis, 'awslambda', {
    value: {
      streamifyResponse<H extends StreamingHandler>(handler: H): H {
        Object.defineProperty(handler, STREAMING, { value: true });
        return handler;
      },
      HttpResponseStream,
    },
    enumerable: false,
    configurable: true,
    writable: true,
  });
}
