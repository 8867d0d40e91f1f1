/** A LambdaInvoker that records its calls and answers as the test says: no ports, no workers. */
import { FunctionNotFoundError, ThrottledError } from '../../src/lambda/errors.ts';
import type { InvokeRequest, InvokeResponse, LambdaInvoker, StreamEvent, StreamingInvocation } from '../../src/lambda/invoker.ts';

export interface RecordingInvoker extends LambdaInvoker {
  readonly calls: { readonly request: InvokeRequest; readonly signal: AbortSignal | undefined }[];
  /** Every streaming call, in order, with the stream the test drives. */
  readonly streams: { readonly request: InvokeRequest; readonly signal: AbortSignal | undefined; readonly stream: FakeStream }[];
}

/** How the fake answers a streaming call: a stream the test drives, or a refusal (throw). */
export type StreamAnswer = (request: InvokeRequest, call: number) => FakeStream;

/**
 * A response stream the test writes to, event by event, as a streaming function would; reading
 * waits for the next write, so the test decides exactly what has arrived when.
 */
export class FakeStream {
  readonly requestId: string;
  readonly executedVersion: string | undefined;
  readonly statusCode: number;
  readonly #queue: (StreamEvent | Error)[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  /** Set when the reader stopped early (its `return()`), or the call's signal aborted. */
  stopped = false;
  /** How many times the reader asked for an event. */
  reads = 0;
  #drained = Promise.withResolvers<void>();

  constructor(requestId: string, more: { executedVersion?: string; statusCode?: number } = {}) {
    this.requestId = requestId;
    this.executedVersion = more.executedVersion ?? '$LATEST';
    this.statusCode = more.statusCode ?? 200;
  }

  write(text: string | Uint8Array): this {
    return this.#push({ kind: 'chunk', bytes: typeof text === 'string' ? new TextEncoder().encode(text) : text });
  }

  /** InvokeComplete, and the end of the body (nothing follows it on the wire). */
  complete(more: { errorCode?: string; errorDetails?: string; logResult?: string } = {}): this {
    this.#push({ kind: 'complete', ...more });
    return this.end();
  }

  /** The stream breaks (a deadline, a connection) with `error`. */
  fail(error: Error): this {
    return this.#push(error);
  }

  /**
   * Resolves once the reader has taken everything written so far and asks for more: what a test
   * waits on before it looks at what the gateway made of the writes (read-ahead.ts).
   */
  drained(): Promise<void> {
    return this.#drained.promise;
  }

  /** The body ends with no InvokeComplete (DryRun's 204 has none). */
  end(): this {
    this.#ended = true;
    this.#wake?.();
    return this;
  }

  #push(event: StreamEvent | Error): this {
    this.#queue.push(event);
    this.#drained = Promise.withResolvers<void>();
    this.#wake?.();
    return this;
  }

  /** The invocation the invoker resolves with, reading this stream until `signal` aborts. */
  invocation(signal: AbortSignal | undefined): StreamingInvocation {
    const next = async (): Promise<IteratorResult<StreamEvent>> => {
      this.reads += 1;
      for (;;) {
        if (this.stopped || signal?.aborted === true) {
          this.stopped = true;
          throw Object.assign(new Error('aborted'), { name: 'AbortError' });
        }
        const event = this.#queue.shift();
        if (event instanceof Error) throw event;
        if (event !== undefined) return { done: false, value: event };
        if (this.#ended) return { done: true, value: undefined };
        this.#drained.resolve();
        const { promise, resolve } = Promise.withResolvers<void>();
        this.#wake = resolve;
        signal?.addEventListener('abort', () => resolve(), { once: true });
        await promise;
      }
    };
    const events: AsyncIterableIterator<StreamEvent> = {
      next,
      return: () => {
        this.stopped = true;
        this.#wake?.();
        return Promise.resolve({ done: true, value: undefined });
      },
      [Symbol.asyncIterator]: () => events,
    };
    return { requestId: this.requestId, statusCode: this.statusCode, executedVersion: this.executedVersion, events };
  }
}

/** What Lambda answers a successful call: 200 with the payload echoed, 202 for Event, 204 for DryRun. */
export function accepted(request: InvokeRequest, requestId: string): InvokeResponse {
  const statusCode = request.invocationType === 'Event' ? 202 : request.invocationType === 'DryRun' ? 204 : 200;
  return {
    requestId,
    statusCode,
    executedVersion: statusCode === 200 ? '$LATEST' : undefined,
    functionError: undefined,
    logResult: undefined,
    payload: statusCode === 200 ? request.payload : undefined,
  };
}

export function recordingInvoker(
  answer?: (request: InvokeRequest, call: number) => Promise<InvokeResponse>,
  streamAnswer?: StreamAnswer,
): RecordingInvoker {
  const calls: { request: InvokeRequest; signal: AbortSignal | undefined }[] = [];
  const streams: RecordingInvoker['streams'] = [];
  return {
    calls,
    streams,
    invokeStream(request, signal) {
      calls.push({ request, signal });
      try {
        const stream =
          streamAnswer === undefined
            ? new FakeStream(`request-${calls.length}`).write('hello').complete()
            : streamAnswer(request, calls.length);
        streams.push({ request, signal, stream });
        return Promise.resolve(stream.invocation(signal));
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
    invoke(request, signal) {
      calls.push({ request, signal });
      return answer === undefined ? Promise.resolve(accepted(request, `request-${calls.length}`)) : answer(request, calls.length);
    },
    reachability: () => Promise.resolve({ state: 'reachable' }),
    destroy: () => undefined,
  };
}

/**
 * A fake Lambda that answers as the fixture functions (test/fixtures/functions) answer the local
 * Lambda, for the few the unit tier's gateway tests name; any other name is not found. It lets a
 * test that moved from the integration tier keep its function names and its expectations.
 * - echo: its payload; noop: null; counter: how many times it ran
 * - fail: an Unhandled FixtureError carrying the payload's `message`
 * - sleep: its payload's `ms` later, `{ sleptMs }`
 * - context: the client context it was sent, decoded, as `{ clientContext }`
 * - logs: `{ printed: 3 }`, with a log tail ending in a REPORT line when asked for one
 * - throttled: refused as a function with reserved concurrency 0 is
 */
export function fixtureLambda(): (request: InvokeRequest, call: number) => Promise<InvokeResponse> {
  const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  const event = (request: InvokeRequest) => JSON.parse(new TextDecoder().decode(request.payload)) as Record<string, unknown> | null;
  let counted = 0;
  return async (request, call) => {
    const requestId = `request-${call}`;
    const answer = (payload: unknown, more: Partial<InvokeResponse> = {}): InvokeResponse => {
      const base = accepted(request, requestId);
      return { ...base, ...(base.statusCode === 200 ? { payload: json(payload) } : {}), ...more };
    };
    const name = request.target.name;
    switch (name) {
      case 'echo':
        return accepted(request, requestId);
      case 'noop':
        return answer(null);
      case 'counter':
        counted += 1;
        return answer({ environmentId: 'fake-environment', invocations: counted });
      case 'fail': {
        const message = event(request)?.message;
        const failure = { errorType: 'FixtureError', errorMessage: typeof message === 'string' ? message : 'fixture failure', trace: [] };
        return answer(failure, { functionError: 'Unhandled' });
      }
      case 'sleep': {
        const ms = Number(event(request)?.ms ?? 0);
        if (request.invocationType === 'RequestResponse') await new Promise((resolve) => setTimeout(resolve, ms));
        return answer({ sleptMs: ms });
      }
      case 'context': {
        const sent =
          request.clientContext === undefined
            ? null
            : (JSON.parse(Buffer.from(request.clientContext, 'base64').toString('utf8')) as unknown);
        return answer({ clientContext: sent });
      }
      case 'logs': {
        const report = `REPORT RequestId: ${requestId}\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n`;
        const log = `START RequestId: ${requestId} Version: $LATEST\nline 1\nEND RequestId: ${requestId}\n${report}`;
        return answer({ printed: 3 }, { logResult: request.logType === 'Tail' ? Buffer.from(log).toString('base64') : undefined });
      }
      case 'throttled':
        throw new ThrottledError('Rate Exceeded.', 'ReservedFunctionConcurrentInvocationLimitExceeded', undefined);
      default:
        throw new FunctionNotFoundError(
          `Function not found: arn:aws:lambda:us-east-1:123456789012:function:${name}:${request.target.qualifier ?? '$LATEST'}`,
          name,
          request.target.qualifier,
        );
    }
  };
}
