/**
 * One invocation from the platform's point of view: platform log lines around the function's
 * output, the REPORT figures, the response size limit, and the payload Lambda answers with.
 * Shared by synchronous invokes and the async queue.
 */
import { MAX_RESPONSE_BYTES } from '../protocol/limits.ts';
import type { ExecutionSlot } from './execution-pool.ts';
import { billedDurationMs, formatReportLine } from '../protocol/report-line.ts';
import { endLine, LogTail, startLine } from './log-format.ts';
import type { ResolvedFunction } from './registry.ts';
import type { FunctionErrorShape } from './worker-protocol.ts';

/** Receives every piece of the execution log as it is written (START, output, END, REPORT). */
export type LogSink = (entry: { readonly functionName: string; readonly requestId: string; readonly text: string }) => void;

/**
 * One run of a function as the local Lambda's platform sees it. Named apart from the gateway's
 * `InvocationInput` (src/lambda/request-checks.ts, the caller's GraphQL input): a different shape.
 */
export interface RunInput {
  readonly fn: ResolvedFunction;
  readonly requestId: string;
  /** Validated UTF-8 JSON. Transferred to the worker: the caller must not read it afterwards. */
  readonly payload: Uint8Array;
  readonly clientContext: unknown;
  /** Whether to keep the log tail for `X-Amz-Log-Result`. */
  readonly tail: boolean;
  /**
   * For InvokeWithResponseStream: where a streaming handler's bytes go as they are written.
   * Without it (Invoke, Event) they are buffered into the payload, within the 6 MB limit, as
   * Lambda answers a streamified function invoked the buffered way.
   */
  readonly stream?: {
    readonly onChunk: (payload: Uint8Array, passedOn: () => void) => void;
    readonly signal: AbortSignal;
  };
}

export interface RunResult {
  /** The response body: the function's JSON result, or its error object. */
  readonly payload: Buffer;
  /** Set when the function (or its runtime) failed; Lambda flags these as `Unhandled`. */
  readonly functionError: FunctionErrorShape | undefined;
  /** Base64 of the last 4 KB of the log, when asked for. */
  readonly logResult: string | undefined;
  /** The handler streamed, to `input.stream`: `payload` is empty then. */
  readonly streamed: boolean;
}

/** A streamed response collected for a buffered answer; past the limit only counted. */
class BufferedStream {
  readonly #chunks: Uint8Array[] = [];
  size = 0;

  add(payload: Uint8Array): void {
    this.size += payload.byteLength;
    if (this.size <= MAX_RESPONSE_BYTES) this.#chunks.push(payload);
  }

  bytes(): Buffer {
    return Buffer.concat(this.#chunks, this.size);
  }
}

export async function runInvocation(slot: ExecutionSlot, input: RunInput, sink: LogSink | undefined): Promise<RunResult> {
  const { fn, requestId } = input;
  const tail = input.tail ? new LogTail() : undefined;
  // With no tail wanted and no sink, the platform lines are not even formatted.
  const logging = tail !== undefined || sink !== undefined;
  const log = (text: string): void => {
    tail?.append(text);
    sink?.({ functionName: fn.definition.name, requestId, text });
  };
  if (logging) log(startLine(requestId, fn.executedVersion));
  const buffered = input.stream === undefined ? new BufferedStream() : undefined;
  const { outcome, initDurationMs } = await slot.run({
    onChunk:
      input.stream?.onChunk ??
      ((payload, passedOn) => {
        buffered?.add(payload);
        passedOn();
      }),
    signal: input.stream?.signal,
    requestId,
    payload: input.payload,
    timeoutMs: fn.code.timeoutSeconds * 1000,
    invokedFunctionArn: fn.invokedFunctionArn,
    clientContext: input.clientContext,
    onLog: log,
  });

  let payload: Buffer;
  let functionError: FunctionErrorShape | undefined;
  const size =
    outcome.kind === 'success' && outcome.streamed ? (buffered?.size ?? 0) : outcome.kind === 'success' ? outcome.payload.byteLength : 0;
  const streamed = outcome.kind === 'success' && outcome.streamed && input.stream !== undefined;
  if (outcome.kind === 'success' && !streamed && size > MAX_RESPONSE_BYTES) {
    functionError = {
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`,
    };
    // Key order as AWS writes this one: message first.
    payload = Buffer.from(JSON.stringify({ errorMessage: functionError.errorMessage, errorType: functionError.errorType }));
  } else if (outcome.kind === 'success' && outcome.streamed) {
    payload = buffered?.bytes() ?? Buffer.alloc(0);
  } else if (outcome.kind === 'success') {
    payload = Buffer.from(outcome.payload.buffer, outcome.payload.byteOffset, outcome.payload.byteLength);
  } else {
    functionError = outcome.error;
    payload =
      outcome.body === undefined
        ? Buffer.from(JSON.stringify(outcome.error))
        : Buffer.from(outcome.body.buffer, outcome.body.byteOffset, outcome.body.byteLength);
  }

  if (!logging) return { payload, functionError, logResult: undefined, streamed };
  log(endLine(requestId));
  log(
    formatReportLine(requestId, {
      durationMs: outcome.durationMs,
      billedDurationMs: billedDurationMs(outcome.durationMs, initDurationMs),
      memorySizeMb: fn.code.memorySizeMb,
      maxMemoryUsedMb: outcome.maxMemoryUsedMb,
      initDurationMs,
      status: outcome.kind === 'error' ? outcome.status : undefined,
      errorType: outcome.kind === 'error' ? outcome.error.errorType : undefined,
    }),
  );
  return { payload, functionError, logResult: tail?.toBase64(), streamed };
}
