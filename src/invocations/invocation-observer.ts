/**
 * What happens beside an invocation — metrics, the activity log, the asynchronous record — is an
 * observer of its outcome, not a line in the pipeline: a new side effect (an audit log, say) is one
 * more observer, and the pipeline stays the same for every way of invoking.
 */
import type { Principal } from '../auth/authenticator.ts';
import type { InvocationOutcome } from '../lambda/invocation-loader.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';
import type { InvocationInput } from '../lambda/request-checks.ts';

/** Who is invoking: the request's principal and its `x-request-id`. */
export interface Caller {
  readonly principal: Principal;
  readonly requestId: string;
}

export interface ObservedInvocation {
  readonly caller: Caller;
  /** As the caller gave it (GraphQL defaults applied). */
  readonly input: InvocationInput;
  /** The checked request; undefined when the input was refused before it became one. */
  readonly request: InvokeRequest | undefined;
  /** What Lambda answered, or why it was not asked (before any error details are hidden). */
  readonly outcome: InvocationOutcome;
  /** Epoch milliseconds: when the call to Lambda started, or when the input was refused. */
  readonly startedAt: number;
  /** Set for InvokeWithResponseStream, told once the stream is over: the bytes it carried. */
  readonly streamed?: { readonly totalBytes: number };
}

export interface InvocationObserver {
  /**
   * Told once of each outcome the pipeline produced — a refused input, or what the loader
   * returned (a batch's outcomes arrive together, so in input order); not of an idempotent replay
   * or conflict, which invoked nothing. The caller gets the outcome once every observer has
   * returned (a promise is awaited). An observer that fails fails that invocation's result, so one
   * that must hold before the caller hears back (the asynchronous record) may rely on it.
   */
  onOutcome(observed: ObservedInvocation): void | Promise<void>;
}
