/**
 * `LambdaInvoker` on `@aws-sdk/client-lambda`: one client per target, created once, keep-alive
 * sockets sized to the gateway-wide concurrency limit, per-function caps (concurrency-limits.ts),
 * an explicit deadline per call that covers the time queued for a slot, and retries limited to
 * failures after which the function certainly did not run.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  GetAccountSettingsCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  InvokeWithResponseStreamCommand,
  LambdaClient,
  LambdaServiceException,
} from '@aws-sdk/client-lambda';
import { HttpRequest } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity } from '@smithy/types';
import { REPLY_SECRET_HEADER, REPLY_URL_HEADER } from '../protocol/destination-headers.ts';
import type { ConcurrencyLimits } from './concurrency-limits.ts';
import { InvalidInvocationError, InvocationTimeoutError, isInvocationFailure, LambdaServiceError } from './errors.ts';
import { GATEWAY_VALIDATION } from './request-checks.ts';
import type { InvokeRequest, InvokeResponse, LambdaInvoker, LambdaReachability, StreamEvent, StreamingInvocation } from './invoker.ts';
import { isMissingCredentials, missingCredentialsMessage } from './missing-credentials.ts';
import { ReservedConcurrencyLearner } from './reserved-concurrency.ts';
import { SafeInvokeRetryStrategy, toInvocationError } from './sdk-errors.ts';

const REACHABILITY_CACHE_MS = 2000;
const REACHABILITY_TIMEOUT_MS = 2000;

export interface SdkInvokerOptions {
  readonly region: string;
  /** Any Lambda-compatible endpoint; absent means AWS itself. */
  readonly endpoint: string | undefined;
  /** Fixed credentials (the local Lambda takes any); absent means the SDK's default chain. */
  readonly credentials: AwsCredentialIdentity | undefined;
  /** Invocations in flight at once, per function and in total (the socket pool's size). */
  readonly concurrency: ConcurrencyLimits;
  /** Deadline of one invocation, retries included; the SDK has none by default. */
  readonly timeoutMs: number;
  /** Attempts for an invocation that was refused before it could run. @default 3 */
  readonly maxAttempts?: number;
  /**
   * Only for an endpoint that is this project's local Lambda: sent with every Event invocation,
   * so its destination record comes back to this gateway (protocol/destination-headers.ts).
   * Never set for AWS: the headers carry the gateway's secret. @default none
   */
  readonly eventDestination?: { readonly url: string; readonly secret: string } | undefined;
  /**
   * Ask Lambda for each invoked function's reserved concurrency (GetFunctionConcurrency) and cap
   * the function at it (reserved-concurrency.ts). @default false
   */
  readonly reservedFromLambda?: boolean;
}

/**
 * The abort signal of the call being sent. The SDK can reuse one resolved middleware chain for
 * every call (`cacheMiddleware`) only when `send` gets no per-call options, so the signal reaches
 * the HTTP handler through the call's async context instead (see `CallSignalHttpHandler`).
 */
const callSignal = new AsyncLocalStorage<AbortSignal>();

/** Node's HTTP handler, aborting each request with the signal of the call that sent it. */
class CallSignalHttpHandler extends NodeHttpHandler {
  override handle(...[request, handlerOptions]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const abortSignal = callSignal.getStore();
    return super.handle(request, abortSignal === undefined ? handlerOptions : { ...handlerOptions, abortSignal });
  }
}

/** The SDK invoker, with its client: the gateway's other reads of Lambda share its sockets. */
export interface SdkInvoker extends LambdaInvoker {
  readonly client: LambdaClient;
}

/**
 * The input Invoke and InvokeWithResponseStream both take. Lambda's defaults (RequestResponse, no
 * log) are left out rather than sent: each header is one more to sign, send and parse per call,
 * and Lambda treats an absent header exactly as its default (lambda-invoke-spec.md §1.1).
 */
function commandInput(request: InvokeRequest) {
  return {
    FunctionName: request.functionName,
    Qualifier: request.qualifier,
    InvocationType: request.invocationType === 'RequestResponse' ? undefined : request.invocationType,
    LogType: request.logType === 'None' ? undefined : request.logType,
    ClientContext: request.clientContext,
    Payload: request.payload,
  };
}

/**
 * One call's deadline, abort and concurrency slot, from its start to `end` — the headers for
 * Invoke, the last event for a stream. One controller per call, its timer cleared when the call
 * ends: AbortSignal.timeout() would keep a timer alive for the whole deadline after every call,
 * and AbortSignal.any() would keep each call's signal reachable from the request's.
 */
class CallScope {
  readonly timeoutMs: number;
  readonly #controller = new AbortController();
  readonly #limits: ConcurrencyLimits;
  readonly #functionName: string;
  readonly #timer: NodeJS.Timeout;
  readonly #client: AbortSignal | undefined;
  readonly #clientGone = (): void => this.#controller.abort();
  #timedOut = false;
  #holding = false;
  #ended = false;

  constructor(limits: ConcurrencyLimits, functionName: string, timeoutMs: number, client: AbortSignal | undefined) {
    this.#limits = limits;
    this.#functionName = functionName;
    this.timeoutMs = timeoutMs;
    this.#client = client;
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort();
    }, timeoutMs);
    if (client?.aborted === true) this.#controller.abort();
    else client?.addEventListener('abort', this.#clientGone, { once: true });
  }

  /** Aborted at the deadline, when the client leaves, or when the call is cut off. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** Takes the function's slot, waiting in its queue (within the deadline) when it is full. */
  async acquire(): Promise<void> {
    if (!this.#limits.tryAcquire(this.#functionName)) await this.#limits.wait(this.#functionName, this.signal);
    this.#holding = true;
  }

  /** Once: gives the slot back and stops the timer; `abort` also cuts the HTTP request off. */
  end(abort: boolean): void {
    if (this.#ended) return;
    this.#ended = true;
    if (abort) this.#controller.abort();
    if (this.#holding) this.#limits.release(this.#functionName);
    clearTimeout(this.#timer);
    this.#client?.removeEventListener('abort', this.#clientGone);
  }
}

export function createSdkInvoker(options: SdkInvokerOptions): SdkInvoker {
  const limits = options.concurrency;
  // As many sockets as invocations may be in flight, so no request ever queues inside the agent,
  // where neither the deadline nor the queue metrics could see it.
  const sockets = { keepAlive: true, maxSockets: limits.total, maxFreeSockets: limits.total };
  const client = new LambdaClient({
    region: options.region,
    ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    retryStrategy: new SafeInvokeRetryStrategy(options.maxAttempts ?? 3),
    // Resolving the middleware stack anew for every call (the default) is a measurable share of
    // the gateway's CPU per invocation; the stack never changes after start.
    cacheMiddleware: true,
    requestHandler: new CallSignalHttpHandler({
      httpAgent: new HttpAgent(sockets),
      httpsAgent: new HttpsAgent(sockets),
      connectionTimeout: Math.min(5000, options.timeoutMs),
    }),
  });
  if (options.eventDestination !== undefined) addEventDestination(client, options.eventDestination);
  const learner =
    options.reservedFromLambda === true
      ? new ReservedConcurrencyLearner(
          async (functionName, signal) =>
            (await client.send(new GetFunctionConcurrencyCommand({ FunctionName: functionName }), { abortSignal: signal }))
              .ReservedConcurrentExecutions,
          limits,
        )
      : undefined;
  /** A function of the client's own account and region, by name: one whose reserved concurrency can be asked for by that name. */
  const learnAbout = ({ target }: InvokeRequest): void => {
    if (target.account === undefined && target.region === undefined) learner?.observe(target.name);
  };

  /** What a failed call was, as the gateway's typed failures (the deadline's own error first). */
  const failureOf = (error: unknown, request: InvokeRequest, call: CallScope): unknown => {
    if (call.timedOut) return new InvocationTimeoutError(call.timeoutMs);
    if (isInvocationFailure(error)) return error;
    if (isMissingCredentials(error)) {
      return new LambdaServiceError(
        missingCredentialsMessage(options.endpoint, options.region, error.message),
        error.name,
        undefined,
        undefined,
      );
    }
    return toInvocationError(error, request);
  };
  const scopeOf = (request: InvokeRequest, signal: AbortSignal | undefined) =>
    new CallScope(limits, request.target.name, request.timeoutMs ?? options.timeoutMs, signal);

  const invoke = async (request: InvokeRequest, signal?: AbortSignal): Promise<InvokeResponse> => {
    const call = scopeOf(request, signal);
    try {
      learnAbout(request);
      await call.acquire();
      const output = await callSignal.run(call.signal, () => client.send(new InvokeCommand(commandInput(request))));
      return {
        requestId: output.$metadata.requestId,
        statusCode: output.StatusCode ?? output.$metadata.httpStatusCode ?? 200,
        executedVersion: output.ExecutedVersion,
        functionError: output.FunctionError,
        logResult: output.LogResult,
        payload: output.Payload === undefined || output.Payload === null || output.Payload.byteLength === 0 ? undefined : output.Payload,
      };
    } catch (error) {
      throw failureOf(error, request, call);
    } finally {
      call.end(false);
    }
  };

  /**
   * As `invoke`, but the deadline, the concurrency slot and the abort listener last until the
   * stream ends (or its reader stops), not until the headers arrive: a stream in flight is an
   * invocation in flight. The SDK decodes the event stream; nothing is buffered here.
   */
  const invokeStream = async (request: InvokeRequest, signal?: AbortSignal): Promise<StreamingInvocation> => {
    const call = scopeOf(request, signal);
    // A stream read to its end leaves its socket to the pool; one left early is cut off.
    const finish = (abort: boolean): void => call.end(abort);
    const failure = (error: unknown): unknown => failureOf(error, request, call);
    try {
      const { invocationType } = request;
      if (invocationType === 'Event') {
        throw new InvalidInvocationError(
          'InvokeWithResponseStream takes RequestResponse or DryRun, not Event',
          GATEWAY_VALIDATION,
          undefined,
        );
      }
      learnAbout(request);
      await call.acquire();
      const output = await callSignal.run(call.signal, () =>
        client.send(new InvokeWithResponseStreamCommand({ ...commandInput(request), InvocationType: invocationType })),
      );
      const source = output.EventStream;
      async function* decoded(): AsyncGenerator<StreamEvent> {
        try {
          if (source === undefined) return;
          for await (const event of source) {
            if (event.PayloadChunk?.Payload !== undefined) yield { kind: 'chunk', bytes: event.PayloadChunk.Payload };
            else if (event.InvokeComplete !== undefined) {
              const { ErrorCode, ErrorDetails, LogResult } = event.InvokeComplete;
              yield { kind: 'complete', errorCode: ErrorCode, errorDetails: ErrorDetails, logResult: LogResult };
            }
          }
        } catch (error) {
          finish(true);
          throw failure(error);
        } finally {
          finish(false);
        }
      }
      const generator = decoded();
      // A reader that stops early ends the call at once: `return()` on a generator waiting for the
      // next frame would only be seen when that frame arrived (or never, for a silent function).
      const events: AsyncIterableIterator<StreamEvent> = {
        next: () => generator.next(),
        return: (value?: unknown) => {
          finish(true);
          return generator.return(value);
        },
        [Symbol.asyncIterator]: () => events,
      };
      return {
        requestId: output.$metadata.requestId,
        statusCode: output.StatusCode ?? output.$metadata.httpStatusCode ?? 200,
        executedVersion: output.ExecutedVersion,
        events,
      };
    } catch (error) {
      finish(true);
      throw failure(error);
    }
  };

  const probe = async (): Promise<LambdaReachability> => {
    // Credentials first, so that missing ones are named as such rather than taken for an
    // endpoint that does not answer; nothing is sent without them.
    try {
      await client.config.credentials();
    } catch (error) {
      if (isMissingCredentials(error))
        return { state: 'no-credentials', message: missingCredentialsMessage(options.endpoint, options.region, error.message) };
      return { state: 'unreachable' };
    }
    try {
      await client.send(new GetAccountSettingsCommand({}), { abortSignal: AbortSignal.timeout(REACHABILITY_TIMEOUT_MS) });
      return { state: 'reachable' };
    } catch (error) {
      // A refusal (access denied, an emulator without this operation) is still an answer.
      const answered = error instanceof LambdaServiceException && error.$metadata.httpStatusCode !== undefined;
      return { state: answered ? 'reachable' : 'unreachable' };
    }
  };
  // Probes are cached briefly: a load balancer may ask every second.
  let lastProbe: { at: number; reachability: Promise<LambdaReachability> } | undefined;
  const reachability = (): Promise<LambdaReachability> => {
    const now = Date.now();
    if (lastProbe !== undefined && now - lastProbe.at < REACHABILITY_CACHE_MS) return lastProbe.reachability;
    lastProbe = { at: now, reachability: probe() };
    return lastProbe.reachability;
  };

  return {
    client,
    invoke,
    invokeStream,
    concurrency: limits,
    reachability,
    destroy: () => {
      learner?.close();
      client.destroy();
    },
  };
}

/**
 * Adds the invoking gateway's destination to Event invocations, after serialisation (the request
 * exists) and before signing (the headers are signed like any other).
 */
function addEventDestination(client: LambdaClient, destination: { readonly url: string; readonly secret: string }): void {
  client.middlewareStack.add(
    (next) => (args) => {
      const { request } = args;
      if (HttpRequest.isInstance(request) && request.headers['x-amz-invocation-type'] === 'Event') {
        request.headers[REPLY_URL_HEADER] = destination.url;
        request.headers[REPLY_SECRET_HEADER] = destination.secret;
      }
      return next(args);
    },
    { step: 'build', name: 'localLambdaEventDestination' },
  );
}
