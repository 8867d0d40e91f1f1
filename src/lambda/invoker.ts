/**
 * The one seam between the gateway and Lambda. The SDK implementation (sdk-invoker.ts) is the
 * only one: the same code talks to AWS, LocalStack or the built-in local Lambda.
 */
import type { InvocationType, InvokeTarget, LogType } from '../protocol/function-name.ts';
import type { ConcurrencyView } from './concurrency-limits.ts';

/** A checked request, ready for the wire (request-checks.ts builds it from GraphQL input). */
export interface InvokeRequest {
  /** As the caller wrote it (name, `name:qualifier`, partial or full ARN). */
  readonly functionName: string;
  readonly qualifier: string | undefined;
  /** The function's own name and effective qualifier, parsed once from the two above. */
  readonly target: InvokeTarget;
  readonly invocationType: InvocationType;
  readonly logType: LogType;
  /** Serialised JSON. */
  readonly payload: Uint8Array;
  /** Base64 of the client context JSON. */
  readonly clientContext: string | undefined;
  /** This invocation's own deadline (per-function configuration); absent means the invoker's. */
  readonly timeoutMs?: number;
}

/** What Lambda answered when it accepted the request (200, 202 or 204). */
export interface InvokeResponse {
  readonly requestId: string | undefined;
  readonly statusCode: number;
  readonly executedVersion: string | undefined;
  /** `Unhandled` (or the legacy `Handled`) when the function failed. */
  readonly functionError: string | undefined;
  /** Base64 of the last 4 KB of the log (Tail only). */
  readonly logResult: string | undefined;
  readonly payload: Uint8Array | undefined;
}

/** One event of a response stream, as Lambda's event stream carries it. */
export type StreamEvent =
  /** Bytes exactly as the function wrote them; a chunk boundary means nothing (UTF-8 may be split). */
  | { readonly kind: 'chunk'; readonly bytes: Uint8Array }
  /** The last event: the function finished, or failed mid-stream (`errorCode` set). */
  | {
      readonly kind: 'complete';
      readonly errorCode?: string | undefined;
      readonly errorDetails?: string | undefined;
      /** Base64 of the last 4 KB of the log (Tail only). */
      readonly logResult?: string | undefined;
    };

/**
 * What Lambda answered when it accepted a streaming request (200, or 204 for DryRun): the headers
 * at once, the body as it arrives. `events` is read once; it ends after its `complete` event, and
 * rejects with an `InvocationError` when the stream breaks (deadline, connection) before that.
 */
export interface StreamingInvocation {
  readonly requestId: string | undefined;
  readonly statusCode: number;
  readonly executedVersion: string | undefined;
  /** Its `return()` ends the call at once, even while waiting for the next event. */
  readonly events: AsyncIterableIterator<StreamEvent>;
}

/** What the readiness check learns about Lambda. */
export type LambdaReachability =
  | { readonly state: 'reachable' }
  | { readonly state: 'unreachable' }
  /** The SDK's credential chain found none, so nothing was sent; `message` says what to set. */
  | { readonly state: 'no-credentials'; readonly message: string };

export interface LambdaInvoker {
  /**
   * Invokes once (retrying only what cannot have run). Resolves with Lambda's answer; rejects with
   * an `InvocationError` for every refusal, and with anything else only for bugs.
   */
  invoke(request: InvokeRequest, signal?: AbortSignal): Promise<InvokeResponse>;
  /**
   * InvokeWithResponseStream: resolves once Lambda has accepted the request (headers), rejecting
   * with an `InvocationError` for every refusal before the stream, as `invoke` does. Aborting
   * `signal` aborts the HTTP request at once, whether the headers have arrived or not; the
   * request's deadline covers the whole stream. Absent on an invoker that cannot stream.
   */
  invokeStream?(request: InvokeRequest, signal?: AbortSignal): Promise<StreamingInvocation>;
  /**
   * Whether Lambda answers at all (any answer, even a refusal, proves it reachable), or why
   * nothing could be sent; for the readiness check.
   */
  reachability(): Promise<LambdaReachability>;
  /** Closes the connections. */
  destroy(): void;
  /** Its concurrency limits, for the metrics; absent when it has none of its own. */
  readonly concurrency?: ConcurrencyView;
}
