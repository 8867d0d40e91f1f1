/**
 * The one way to invoke a function, whatever asks (`invokeFunction`, `invokeFunctions`, and the
 * next GraphQL fields that invoke): validate → deadline → authorize → idempotency → loader →
 * invoker, then the observers (metrics, activity, async records) told of each outcome. Resolvers
 * only adapt GraphQL input and hand it here, so a new way to invoke gets the access rules,
 * deadlines, idempotency and side effects without copying any of them.
 *
 * Built once per gateway; each request binds it to its caller and its own loader (`forRequest`),
 * so batching never crosses requests and a disconnecting client cancels only its own invocations.
 */
import type { Allowlist } from '../access/allowlist.ts';
import { type ClientContextPolicy, clientContextFor } from '../access/client-context.ts';
import type { IdempotencyStore } from '../idempotency/idempotency-store.ts';
import type { FunctionDeadlines } from '../lambda/deadlines.ts';
import { type InvocationFailure, isInvocationFailure } from '../lambda/errors.ts';
import { Invocation } from '../lambda/invocation.ts';
import type { InvocationLoader, InvocationOutcome } from '../lambda/invocation-loader.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';
import { type InvocationInput, prepareInvokeRequest } from '../lambda/request-checks.ts';
import { invokeIdempotently } from './idempotent-invocation.ts';
import type { Caller, InvocationObserver, ObservedInvocation } from './invocation-observer.ts';
import { InvocationView } from './invocation-view.ts';
import type { Coalescing, InvocationStreamEvent } from './invocation-stream.ts';
import { type StreamBinding, type StreamInvocationInput, streamInvocation } from './stream-invocation.ts';

/** What a caller gets: the invocation as its grants let it see it, or why there is none. */
export type InvocationResult = InvocationView | InvocationFailure;

export interface InvocationServiceOptions {
  /** What may be invoked; every request of a call is checked before any runs. */
  readonly access: Pick<Allowlist, 'authorize'>;
  /** Each function's invocation deadline, carried by its request to the invoker. */
  readonly deadlines: Pick<FunctionDeadlines, 'timeoutMsOf'>;
  readonly idempotency: IdempotencyStore;
  /** What the function receives as `context.clientContext` (pass, drop or sign). */
  readonly clientContext: { readonly policy: ClientContextPolicy; readonly secret: string };
  /** Told of each outcome, in this order. */
  readonly observers: readonly InvocationObserver[];
  /** A stream's coalescing when its subscription does not choose. @default none */
  readonly coalesce?: Coalescing;
  /** Ends every stream when the gateway stops. @default never */
  readonly shutdown?: AbortSignal;
}

/** The service bound to one request: its caller and its loader. */
export interface RequestInvocations {
  invokeOne(input: InvocationInput): Promise<InvocationResult>;
  /** Each input its own outcome, in input order. */
  invokeAll(inputs: readonly InvocationInput[]): Promise<InvocationResult[]>;
  /**
   * InvokeWithResponseStream: validate → deadline → authorize → the invoker's stream; chunks, then
   * one end event (or one typed refusal). Throws FORBIDDEN and BAD_USER_INPUT before any call.
   * Its `return()` aborts the call at once.
   */
  stream(input: StreamInvocationInput): AsyncGenerator<InvocationStreamEvent>;
}

const NO_COALESCING: Coalescing = { maxBytes: 0, maxDelayMs: 0, joinAvailableBytes: 0 };
const NEVER = new AbortController().signal;

export class InvocationService {
  readonly #options: InvocationServiceOptions;

  constructor(options: InvocationServiceOptions) {
    this.#options = options;
  }

  /** `streaming` is what the request's streams run on; without it, `stream` refuses. */
  forRequest(caller: Caller, loader: InvocationLoader, streaming?: StreamBinding): RequestInvocations {
    return {
      stream: (input) =>
        streamInvocation(
          {
            prepare: (each) => this.#prepare(each, caller),
            access: this.#options.access,
            notify: (observed) => this.#notify(observed),
            coalesce: this.#options.coalesce ?? NO_COALESCING,
            shutdown: this.#options.shutdown ?? NEVER,
          },
          input,
          caller,
          streaming,
        ),
      invokeOne: async (input) => {
        const [outcome] = await this.invokeAll([input], caller, loader);
        if (outcome === undefined) throw new Error('one input, one outcome');
        return outcome;
      },
      invokeAll: (inputs) => this.invokeAll(inputs, caller, loader),
    };
  }

  /**
   * Checks every input, then every request against the access rules before anything runs (one
   * refused request refuses the call — the FORBIDDEN error is thrown — with zero calls to
   * Lambda), then invokes each through `loader`. An input that fails its checks is a typed
   * outcome in its slot, not an exception.
   */
  async invokeAll(inputs: readonly InvocationInput[], caller: Caller, loader: InvocationLoader): Promise<InvocationResult[]> {
    const prepared = inputs.map((input) => this.#prepare(input, caller));
    const requests = prepared.filter((p): p is InvokeRequest => !isInvocationFailure(p));
    const grants = this.#options.access.authorize(caller.principal, requests);
    const grantOf = new Map(requests.map((request, i) => [request, grants[i]]));
    return Promise.all(
      prepared.map(async (p, i): Promise<InvocationResult> => {
        const input = inputs[i];
        if (input === undefined) throw new Error('one input per prepared request');
        if (isInvocationFailure(p)) {
          await this.#notify({ caller, input, request: undefined, outcome: p, startedAt: Date.now() });
          return p;
        }
        const outcome = await invokeIdempotently(this.#options.idempotency, caller.principal, input.idempotencyKey, p, () =>
          this.#invoke(p, input, caller, loader),
        );
        return outcome instanceof Invocation ? new InvocationView(outcome, grantOf.get(p)) : outcome;
      }),
    );
  }

  /** Validation, then the function's own deadline. */
  #prepare(input: InvocationInput, caller: Caller): InvokeRequest | InvocationFailure {
    const { policy, secret } = this.#options.clientContext;
    let checked: InvokeRequest;
    try {
      checked = prepareInvokeRequest({
        ...input,
        clientContext: clientContextFor(policy, secret, input.clientContext, caller.principal, caller.requestId),
      });
    } catch (error) {
      if (isInvocationFailure(error)) return error;
      throw error;
    }
    return { ...checked, timeoutMs: this.#options.deadlines.timeoutMsOf(checked.target) };
  }

  /** Through the loader, then told to the observers (whole: the caller's view comes after). */
  async #invoke(request: InvokeRequest, input: InvocationInput, caller: Caller, loader: InvocationLoader): Promise<InvocationOutcome> {
    const startedAt = Date.now();
    const outcome = await loader.load(request);
    await this.#notify({ caller, input, request, outcome, startedAt });
    return outcome;
  }

  async #notify(observed: ObservedInvocation): Promise<void> {
    for (const observer of this.#options.observers) {
      // A synchronous observer stays synchronous: no turn of the event loop between it and the next.
      const pending = observer.onOutcome(observed);
      if (pending !== undefined) await pending;
    }
  }
}
