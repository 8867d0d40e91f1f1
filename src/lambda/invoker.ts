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
   * Whether Lambda answers at all (any answer, even a refusal, proves it reachable), or why
   * nothing could be sent; for the readiness check.
   */
  reachability(): Promise<LambdaReachability>;
  /** Closes the connections. */
  destroy(): void;
  /** Its concurrency limits, for the metrics; absent when it has none of its own. */
  readonly concurrency?: ConcurrencyView;
}
