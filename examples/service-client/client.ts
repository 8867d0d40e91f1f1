/**
 * A small typed GraphQL client for Node services calling the gateway: an API key on every request,
 * typed documents from codegen (optionally sent by their persisted hash alone), results typed down
 * to the union member, and retries only where they cannot make anything run twice.
 *
 * When is a retry safe?
 * - The request never left (connection refused, host not found): any operation.
 * - The gateway refused it before running anything and said when to come back — 429 (rate limit)
 *   or 503 (draining) with `Retry-After`: any operation, after that delay.
 * - Anything else that went wrong in transit (a reset, a timeout, a 502/504, a 503 without
 *   `Retry-After` from a proxy): only queries, which change nothing. A mutation that may have run
 *   is never sent again; its error says so (`mayHaveRun`). Give it an `idempotencyKey` and a retry
 *   of your own becomes safe: the gateway replays the first outcome instead of invoking again.
 * - A GraphQL answer (even one with errors) is final: the same request would get the same answer.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, type GraphQLFormattedError, getOperationAST, print } from 'graphql';

export interface ServiceClientOptions {
  /** The gateway's GraphQL endpoint, e.g. https://gateway.internal/graphql */
  readonly url: string;
  /** Sent as `x-api-key`. */
  readonly apiKey: string;
  /**
   * Send operations by their persisted hash only (`extensions.persistedQuery`), for a gateway that
   * runs only the operations of its manifest. @default false
   */
  readonly persisted?: boolean;
  /** Attempts per operation, the first included. @default 3 */
  readonly maxAttempts?: number;
  /** Wait before retrying a query after a transport failure (doubled each time). @default 100 */
  readonly retryDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the error is returned instead. @default 30000 */
  readonly maxRetryAfterMs?: number;
  /** Deadline of one attempt. @default 60000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** How the client waits between attempts. @default a timer */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Why an operation failed, after whatever retries were safe. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  /** `extensions.code` of the first GraphQL error, `HTTP_<status>`, or `NETWORK_ERROR`. */
  readonly code: string;
  /** The HTTP status, when there was an answer. */
  readonly status: number | undefined;
  /** How many times the request was sent. */
  readonly attempts: number;
  /** Whether the operation may have run on the gateway (only ever true for a failure in transit). */
  readonly mayHaveRun: boolean;
  /** The GraphQL errors, when the gateway answered with some. */
  readonly errors: readonly GraphQLFormattedError[];

  constructor(
    message: string,
    code: string,
    status: number | undefined,
    attempts: number,
    mayHaveRun: boolean,
    errors: readonly GraphQLFormattedError[] = [],
  ) {
    super(message);
    this.code = code;
    this.status = status;
    this.attempts = attempts;
    this.mayHaveRun = mayHaveRun;
    this.errors = errors;
  }
}

type Outcome<R> =
  | { readonly kind: 'answer'; readonly data: R }
  | { readonly kind: 'refused'; readonly error: GatewayRequestError; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'failed-in-transit'; readonly error: GatewayRequestError }
  | { readonly kind: 'never-sent'; readonly error: GatewayRequestError };

/** Connection errors that mean the request never reached the server. */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function causeCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown; errors?: Array<{ code?: unknown }> } }).cause;
  const code = cause?.code ?? cause?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

/** `Retry-After` in milliseconds: delay-seconds or an HTTP date. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}

interface GraphQLBody<R> {
  readonly data?: R | null;
  readonly errors?: readonly GraphQLFormattedError[];
}

export class ServiceClient {
  readonly #options: Required<Omit<ServiceClientOptions, 'fetch' | 'sleep'>> & Pick<ServiceClientOptions, 'fetch' | 'sleep'>;
  readonly #printed = new WeakMap<DocumentNode, string>();

  constructor(options: ServiceClientOptions) {
    this.#options = { persisted: false, maxAttempts: 3, retryDelayMs: 100, maxRetryAfterMs: 30_000, timeoutMs: 60_000, ...options };
  }

  /** Runs a query or mutation; resolves with its data, or rejects with a GatewayRequestError. */
  async request<R, V extends Record<string, unknown>>(document: TypedDocumentNode<R, V>, variables: V): Promise<R> {
    const operation = getOperationAST(document);
    if (operation === null || operation === undefined) throw new TypeError('the document must hold exactly one operation');
    if (operation.operation === 'subscription') throw new TypeError('subscriptions need a streaming transport: use graphql-ws');
    const body = JSON.stringify(this.#body(document, operation.name?.value, variables));
    const sleep = this.#options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    let backoff = this.#options.retryDelayMs;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.#attempt<R>(body, attempt);
      if (outcome.kind === 'answer') return outcome.data;
      const last = attempt >= this.#options.maxAttempts;
      if (outcome.kind === 'never-sent' && !last) {
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      if (
        outcome.kind === 'refused' &&
        !last &&
        outcome.retryAfterMs !== undefined &&
        outcome.retryAfterMs <= this.#options.maxRetryAfterMs
      ) {
        await sleep(outcome.retryAfterMs);
        continue;
      }
      if (outcome.kind === 'failed-in-transit' && operation.operation === 'query' && !last) {
        await sleep(backoff);
        backoff *= 2;
        continue;
      }
      throw outcome.error;
    }
  }

  #body(document: DocumentNode, operationName: string | undefined, variables: Record<string, unknown>): Record<string, unknown> {
    const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
    if (this.#options.persisted) {
      if (typeof hash !== 'string')
        throw new TypeError('persisted: true needs documents generated with the client preset’s persistedDocuments option');
      return { operationName, variables, extensions: { persistedQuery: { version: 1, sha256Hash: hash.replace(/^sha256:/, '') } } };
    }
    let query = this.#printed.get(document);
    if (query === undefined) {
      query = print(document);
      this.#printed.set(document, query);
    }
    return { query, operationName, variables };
  }

  async #attempt<R>(body: string, attempt: number): Promise<Outcome<R>> {
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(this.#options.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          'x-api-key': this.#options.apiKey,
        },
        body,
        signal: AbortSignal.timeout(this.#options.timeoutMs),
      });
    } catch (error) {
      const code = causeCode(error);
      if (code !== undefined && NEVER_SENT.has(code)) {
        return {
          kind: 'never-sent',
          error: new GatewayRequestError(`the gateway could not be reached (${code})`, 'NETWORK_ERROR', undefined, attempt, false),
        };
      }
      const reason = code ?? (error instanceof Error ? error.message : String(error));
      return {
        kind: 'failed-in-transit',
        error: new GatewayRequestError(`the request failed in transit (${reason})`, 'NETWORK_ERROR', undefined, attempt, true),
      };
    }
    let parsed: GraphQLBody<R> | undefined;
    try {
      parsed = (await response.json()) as GraphQLBody<R>;
    } catch {
      parsed = undefined;
    }
    const errors = parsed?.errors ?? [];
    const first = errors[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : `HTTP_${response.status}`;
    const message = first?.message ?? `the gateway answered ${response.status}`;
    if ((response.status === 429 || response.status === 503) && response.headers.has('retry-after')) {
      // Refused before anything ran (rate limit, draining).
      return {
        kind: 'refused',
        error: new GatewayRequestError(message, code, response.status, attempt, false, errors),
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    }
    if (parsed === undefined || (response.status >= 500 && parsed.data === undefined)) {
      // Not a GraphQL answer: a proxy's or a crash's. The operation may have run.
      return { kind: 'failed-in-transit', error: new GatewayRequestError(message, code, response.status, attempt, true, errors) };
    }
    if (errors.length > 0 || parsed.data === undefined || parsed.data === null) {
      return {
        kind: 'refused',
        error: new GatewayRequestError(message, code, response.status, attempt, false, errors),
        retryAfterMs: undefined,
      };
    }
    return { kind: 'answer', data: parsed.data };
  }
}
