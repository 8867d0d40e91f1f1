/**
 * A response stream as `Subscription.invokeFunctionStream` delivers it: Lambda's chunks, coalesced
 * if asked, numbered from 0 and decoded as UTF-8 while they stay valid, then one end event — or,
 * when the stream breaks (the deadline, the connection), one typed failure after the chunks that
 * did arrive. Nothing is reordered or dropped: events leave in the order the bytes arrived, and
 * coalescing only joins neighbours.
 */
import type { Grants } from '../access/allowlist.ts';
import { decodeLogResult } from '../lambda/execution-log.ts';
import { type InvocationFailure, isInvocationFailure, LambdaServiceError } from '../lambda/errors.ts';
import { type FunctionErrorDetails, Invocation } from '../lambda/invocation.ts';
import type { InvokeRequest, StreamEvent, StreamingInvocation } from '../lambda/invoker.ts';
import { InvocationView } from './invocation-view.ts';
import { ReadAhead, type ReadAheadBatch } from './read-ahead.ts';

/**
 * The most a subscription may ask to hold back: coalescing bounds the event rate, and must not
 * turn a stream into a buffer of up to 20 MB per subscriber, or hold its first bytes for long.
 */
export const MAX_COALESCE_BYTES = 1_048_576;
export const MAX_COALESCE_MS = 10_000;

/**
 * How much of what has already arrived one event may carry by default: a 64 KiB chunk (the size
 * the SDK's socket reads come in) stays one event, a burst of small ones becomes a few.
 */
export const DEFAULT_JOIN_AVAILABLE_BYTES = 65_536;

/**
 * Join chunks until `maxBytes` are held or `maxDelayMs` have passed since the first; 0 turns a
 * bound off. Apart from those bounds, the chunks that have already arrived when the subscriber
 * takes its next event are joined, up to `joinAvailableBytes` (read-ahead.ts; 0: one event per
 * Lambda chunk).
 */
export interface Coalescing {
  readonly maxBytes: number;
  readonly maxDelayMs: number;
  readonly joinAvailableBytes: number;
}

/** Some of the stream's bytes, in order. */
export class StreamChunk {
  readonly requestId: string;
  /** 0 for the first chunk, then one more for each. */
  readonly sequence: number;
  readonly bytes: Uint8Array;
  /**
   * The text that ends in this chunk's bytes: a character split across chunks belongs to the
   * chunk holding its last byte. Undefined once the stream has not been valid UTF-8.
   */
  readonly text: string | undefined;

  constructor(requestId: string, sequence: number, bytes: Uint8Array, text: string | undefined) {
    this.requestId = requestId;
    this.sequence = sequence;
    this.bytes = bytes;
    this.text = text;
  }

  /** This chunk's own bytes, when they are not given as text. */
  get base64(): string | undefined {
    return this.text === undefined
      ? Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.byteLength).toString('base64')
      : undefined;
  }

  get byteCount(): number {
    return this.bytes.byteLength;
  }
}

/** The stream is over: what Lambda said in its last event, as the caller's grants let it see it. */
export class StreamEnd {
  readonly view: InvocationView;
  readonly totalBytes: number;
  readonly chunkCount: number;
  readonly #tailLogs: boolean;

  constructor(view: InvocationView, totalBytes: number, chunkCount: number, grants: Grants | undefined) {
    this.view = view;
    this.totalBytes = totalBytes;
    this.chunkCount = chunkCount;
    this.#tailLogs = grants?.tailLogs ?? true;
  }

  get requestId(): string {
    return this.view.invocation.requestId;
  }

  get executedVersion(): string | undefined {
    return this.view.invocation.response.executedVersion;
  }

  get functionError(): FunctionErrorDetails | undefined {
    return this.view.functionError;
  }

  get decodedLogs(): string | undefined {
    return this.#tailLogs ? decodeLogResult(this.view.invocation.response.logResult) : undefined;
  }

  get durationMs(): number {
    return this.view.invocation.durationMs;
  }
}

export type InvocationStreamEvent = StreamChunk | StreamEnd | InvocationFailure;

/** How the stream ended, for the observers: the invocation as Lambda reported it, or the failure. */
export interface StreamSummary {
  readonly outcome: Invocation | InvocationFailure;
  readonly totalBytes: number;
}

/**
 * A function error reported mid-stream, as the error object Invoke would have returned as the
 * payload, so everything that reads a failed invocation (the view's grants, the activity log)
 * reads a streamed one the same way. `ErrorDetails` is that object's JSON when the runtime sent
 * one, or a bare message.
 */
function errorPayload(errorCode: string, errorDetails: string | undefined): Uint8Array {
  let details: Record<string, unknown> = {};
  if (errorDetails !== undefined) {
    try {
      const parsed: unknown = JSON.parse(errorDetails);
      details =
        typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
          ? (parsed as Record<string, unknown>)
          : { errorMessage: errorDetails };
    } catch {
      details = { errorMessage: errorDetails };
    }
  }
  return Buffer.from(JSON.stringify({ errorType: errorCode, ...details }));
}

/** The invocation a completed stream amounts to: Lambda's headers and last event, no payload kept. */
function completedInvocation(
  request: InvokeRequest,
  streaming: StreamingInvocation,
  complete: Extract<StreamEvent, { kind: 'complete' }> | undefined,
  durationMs: number,
): Invocation {
  const errorCode = complete?.errorCode;
  return new Invocation(
    request,
    {
      requestId: streaming.requestId,
      statusCode: streaming.statusCode,
      executedVersion: streaming.executedVersion,
      // Lambda reports only unhandled errors mid-stream (there is no X-Amz-Function-Error header).
      functionError: errorCode === undefined ? undefined : 'Unhandled',
      logResult: complete?.logResult,
      payload: errorCode === undefined ? undefined : errorPayload(errorCode, complete?.errorDetails),
    },
    durationMs,
  );
}

/**
 * Turns Lambda's events into the subscription's. `startedAt` is `performance.now()` when the call
 * began; `done` is told how it ended, once, whether it ran to its end, broke, or its reader left.
 */
export async function* streamEvents(
  request: InvokeRequest,
  streaming: StreamingInvocation,
  options: {
    readonly coalesce: Coalescing;
    readonly grants: Grants | undefined;
    readonly startedAt: number;
    /** Aborted when the reader leaves (unsubscribe, disconnect, shutdown). */
    readonly stopped: AbortSignal;
    readonly done: (summary: StreamSummary) => Promise<void>;
  },
): AsyncGenerator<InvocationStreamEvent> {
  const requestId = streaming.requestId ?? '';
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let utf8 = true;
  let sequence = 0;
  let totalBytes = 0;
  let reported = false;
  const report = async (outcome: Invocation | InvocationFailure): Promise<void> => {
    if (reported) return;
    reported = true;
    await options.done({ outcome, totalBytes });
  };
  const chunk = (bytes: Uint8Array): StreamChunk => {
    let text: string | undefined;
    if (utf8) {
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        // Not text after all: from here on every chunk is base64, so bytes are never half in each.
        utf8 = false;
      }
    }
    return new StreamChunk(requestId, sequence++, bytes, text);
  };
  const held = new Holding(options.coalesce);
  const source = streaming.events;
  const reader = new ReadAhead(source, options.coalesce.joinAvailableBytes);
  let pending: Promise<ReadAheadBatch> | undefined;
  try {
    for (;;) {
      pending ??= reader.next();
      const due = held.due();
      const next = due === undefined ? await pending : await Promise.race([pending, due]);
      if (next === TIME_UP) {
        const bytes = held.take();
        if (bytes !== undefined) yield chunk(bytes);
        continue;
      }
      pending = undefined;
      if (next.kind === 'end') {
        const bytes = held.take();
        if (bytes !== undefined) yield chunk(bytes);
        const { complete } = next;
        // InvokeComplete is the last frame: reading on to the body's end lets the call finish as
        // done (its connection reused, its span ended) rather than be aborted.
        if (complete !== undefined) while ((await source.next()).done !== true);
        if (complete === undefined && streaming.statusCode !== 204) {
          // The SDK ended the body without Lambda's last event: the stream was cut short.
          throw new LambdaServiceError(
            'Lambda’s response stream ended before its InvokeComplete event',
            'IncompleteResponseStream',
            undefined,
            undefined,
          );
        }
        const invocation = completedInvocation(request, streaming, complete, performance.now() - options.startedAt);
        await report(invocation);
        yield new StreamEnd(new InvocationView(invocation, options.grants), totalBytes, sequence, options.grants);
        return;
      }
      totalBytes += next.bytes;
      if (held.passesThrough) {
        // No size or time bound asked for: the chunks that were already here are one event.
        yield chunk(next.parts.length === 1 ? (next.parts[0] as Uint8Array) : Buffer.concat(next.parts, next.bytes));
        continue;
      }
      for (const part of next.parts) {
        const ready = held.add(part);
        if (ready !== undefined) yield chunk(ready);
      }
    }
  } catch (error) {
    // The reader left and the call was aborted for it: nobody is there to tell (see finally).
    if (options.stopped.aborted) return;
    if (!isInvocationFailure(error)) throw error;
    // What did arrive is delivered before the reason the rest did not.
    const bytes = held.take();
    if (bytes !== undefined) yield chunk(bytes);
    await report(error);
    yield error;
  } finally {
    held.clear();
    reader.stop();
    // A read abandoned to the timer, or cut by the abort, rejects with nobody awaiting it.
    pending?.catch(() => undefined);
    // Ends the call if it is still open (the reader left); a finished one is unaffected.
    await source.return?.(undefined);
    if (!reported) {
      await report(
        new LambdaServiceError(
          'The stream was cancelled because the client went away',
          'ClientClosedRequest',
          undefined,
          requestId || undefined,
        ),
      );
    }
  }
}

const TIME_UP = Symbol('coalescing delay passed');

/** The chunks held back by coalescing, and the timer that lets them go. */
class Holding {
  readonly #coalesce: Coalescing;
  #parts: Uint8Array[] = [];
  #bytes = 0;
  #due: Promise<typeof TIME_UP> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(coalesce: Coalescing) {
    this.#coalesce = coalesce;
  }

  /** Resolves when the held bytes must go; undefined when nothing is held (or time is no bound). */
  due(): Promise<typeof TIME_UP> | undefined {
    return this.#due;
  }

  /** Neither bound is on: every chunk goes as it comes. */
  get passesThrough(): boolean {
    return this.#coalesce.maxBytes === 0 && this.#coalesce.maxDelayMs === 0;
  }

  /** Holds `bytes`; returns what must go now (all held bytes, these included), if anything. */
  add(bytes: Uint8Array): Uint8Array | undefined {
    const { maxBytes, maxDelayMs } = this.#coalesce;
    if (maxBytes === 0 && maxDelayMs === 0) return bytes;
    this.#parts.push(bytes);
    this.#bytes += bytes.byteLength;
    if (maxBytes > 0 && this.#bytes >= maxBytes) return this.take();
    if (maxDelayMs > 0 && this.#due === undefined) {
      this.#due = new Promise((resolve) => {
        this.#timer = setTimeout(() => resolve(TIME_UP), maxDelayMs);
      });
    }
    return undefined;
  }

  /** Everything held, as one chunk; undefined when nothing is. */
  take(): Uint8Array | undefined {
    this.clear();
    const parts = this.#parts;
    this.#parts = [];
    this.#bytes = 0;
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
  }

  /** Stops the timer (the held bytes stay). */
  clear(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#due = undefined;
  }
}
