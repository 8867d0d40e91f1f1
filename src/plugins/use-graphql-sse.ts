/**
 * GraphQL over SSE with graphql-sse's protocol at a path of its own (`/graphql/stream`, where
 * graphql-sse clients look), in both of its modes. Distinct connections: one stream per operation,
 * as yoga serves at /graphql. Single connection: one stream carries the results of every operation
 * of a client, which POSTs each operation with the stream's token and stops it with a DELETE.
 * Browsers on HTTP/1.1 open about six connections per origin, so one stream per subscription runs
 * out at the seventh.
 *
 * Every operation runs through yoga's envelop, as graphql-ws does (transport/graphql-ws.ts): the
 * same schema, context (authentication, rate limit), operation limits, persisted-operation rule and
 * error masking as /graphql. CSRF prevention, the body limit and the drain are yoga plugins that
 * see these requests before this one.
 *
 * Built on graphql-sse's own handler rather than taken from @graphql-yoga/plugin-graphql-sse
 * 3.24.1. Tried with this gateway, that adapter answers a syntax error, several operations without
 * an operationName, or missing credentials with 500 and a stack trace (its onSubscribe lets the
 * error escape the handler), and a validation or variable error with 400 "Unable to detect
 * operation AST" (graphql-sse takes the `{ errors }` it returns for execution arguments): the
 * errors the protocol says must reach the client never do.
 *
 * Errors found before execution:
 * - faults in the request itself (parse, validation, variables, the choice of operation, limits,
 *   persisted operations — status 400) come on the stream as a `next` event followed by
 *   `complete`: the operation's own stream (distinct), or under its id (single; the POST is
 *   accepted with 202). A 400 would fail the stream, and the client would never see why.
 * - refusals with a status of their own (UNAUTHENTICATED 401, RATE_LIMITED 429, a mutation over
 *   GET 405) answer the request with that status and a JSON body, as on /graphql.
 *
 * A reservation (PUT) needs valid credentials when authentication is configured: graphql-sse keeps
 * it until its stream connects and ends, so an anonymous caller must not be able to make them. The
 * stream itself (GET) is entered with the reservation's token alone, so a browser `EventSource`
 * can open it (`?token=`). Tokens are made here, random UUIDs from node:crypto: not named by the
 * client, and not graphql-sse's default Math.random ones, which could be predicted.
 *
 * Shutdown: each subscription ends (its generator sees the shutdown signal) and its `complete` goes
 * out; a single-connection stream then ends as soon as it carries no operation, rather than holding
 * the server's drain for its whole grace period.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { type DocumentNode, type ExecutionArgs, getOperationAST, GraphQLError, type GraphQLSchema } from 'graphql';
import {
  createHandler,
  type ExecutionResult,
  type Handler,
  type RequestParams,
  type Response as SseResponse,
  TOKEN_HEADER_KEY,
  TOKEN_QUERY_KEY,
} from 'graphql-sse';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { withoutHttp } from '../errors.ts';
import { type PersistedOperationsConfig, resolvePersistedOperation } from '../persisted-operations.ts';

export interface GraphqlSseOptions {
  /** Where graphql-sse clients connect. */
  readonly path: string;
  /** Throws the UNAUTHENTICATED error of a request without valid credentials (for reservations). */
  readonly authenticate: (request: Request) => Promise<unknown>;
  /** When set, operations are named by hash and resolved from its manifest, as over HTTP. */
  readonly persisted: PersistedOperationsConfig | undefined;
  readonly shutdown: AbortSignal;
  readonly onUnexpectedError: (error: unknown) => void;
}

/** What yoga's envelop hands out, typed (its own typings are loose). */
interface Enveloped {
  readonly schema: GraphQLSchema;
  parse(source: string): DocumentNode;
  validate(schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[];
  contextFactory(): unknown;
  execute(args: ExecutionArgs): unknown;
  subscribe(args: ExecutionArgs): unknown;
}

type Outcome = ExecutionResult | AsyncIterable<ExecutionResult>;

/** Which single-connection operation a result belongs to (graphql-sse hands it to onComplete). */
// A type, not an interface: graphql-sse wants a context assignable to Record<PropertyKey, unknown>.
type Operation = {
  readonly token: string | undefined;
  readonly id: string;
};

function tokenOf(request: Request): string | undefined {
  const token = request.headers.get(TOKEN_HEADER_KEY) ?? new URL(request.url).searchParams.get(TOKEN_QUERY_KEY);
  return token === null || token === '' ? undefined : token;
}

function operationOf(request: Request, params: RequestParams): Operation {
  const id = params.extensions?.operationId;
  return { token: tokenOf(request), id: typeof id === 'string' || typeof id === 'number' ? String(id) : '' };
}

/**
 * Errors raised before execution, as a result graphql-sse delivers on the stream. It takes only an
 * object with a `data` key for a result; `undefined` is dropped when the event is written, so the
 * event has no data entry, as a request error must not.
 */
function requestErrors(errors: readonly GraphQLError[]): ExecutionResult {
  return { data: undefined, errors };
}

function refusal(error: GraphQLError, status: number): SseResponse {
  return [
    JSON.stringify({ errors: [withoutHttp(error)] }),
    {
      status,
      statusText: STATUS_CODES[status] ?? '',
      headers: { ...error.extensions.http?.headers, 'content-type': 'application/json; charset=utf-8' },
    },
  ];
}

function unexpected(): Response {
  return new Response(JSON.stringify({ errors: [{ message: 'Unexpected error.' }] }), {
    status: 500,
    headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}

export function useGraphqlSse(options: GraphqlSseOptions): Plugin {
  const { path, persisted, shutdown } = options;
  const serverContexts = new WeakMap<Request, object>();
  /** Single-connection operations under way, by stream token. */
  const running = new Map<string, Set<string>>();
  /** Ends the open stream of a token (what is queued still goes out). */
  const streams = new Map<string, () => void>();
  let handler: Handler<Request, undefined> | undefined;

  const endIfDrained = (token: string): void => {
    if (shutdown.aborted && !running.has(token)) streams.get(token)?.();
  };
  const started = ({ token, id }: Operation): void => {
    if (token === undefined || id === '') return;
    running.set(token, (running.get(token) ?? new Set()).add(id));
  };
  const finished = ({ token, id }: Operation): void => {
    if (token === undefined) return;
    const ids = running.get(token);
    ids?.delete(id);
    if (ids?.size === 0) running.delete(token);
    endIfDrained(token);
  };
  shutdown.addEventListener('abort', () => {
    for (const token of streams.keys()) endIfDrained(token);
  });

  /** One operation through yoga's envelop: its result, its request errors, or a refusal. */
  async function run(enveloped: Enveloped, params: RequestParams): Promise<SseResponse | Outcome> {
    try {
      const query = persisted === undefined ? params.query : resolvePersistedOperation(persisted, params);
      const document = enveloped.parse(query);
      const errors = enveloped.validate(enveloped.schema, document);
      if (errors.length > 0) return requestErrors(errors.map(withoutHttp));
      const args: ExecutionArgs = {
        schema: enveloped.schema,
        document,
        contextValue: await enveloped.contextFactory(),
        variableValues: params.variables ?? null,
        operationName: params.operationName ?? null,
      };
      const subscription = getOperationAST(document, params.operationName)?.operation === 'subscription';
      const result = (await (subscription ? enveloped.subscribe(args) : enveloped.execute(args))) as Outcome;
      // Variable errors come back as a result without data (see requestErrors).
      return isAsyncIterable(result) || 'data' in result ? result : requestErrors((result.errors ?? []).map(withoutHttp));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      const status = error.extensions.http?.status;
      return status === undefined || status === 400 ? requestErrors([withoutHttp(error)]) : refusal(error, status);
    }
  }

  /** graphql-sse's answer as a fetch Response; its event streams end on disconnect or drain. */
  async function respond(request: Request): Promise<Response> {
    if (handler === undefined) return unexpected();
    const [body, init] = await handler({
      method: request.method,
      url: request.url,
      headers: request.headers,
      body: () => request.text(),
      raw: request,
      context: undefined,
    });
    if (body === null || typeof body === 'string') return new Response(body, init);
    const token = tokenOf(request);
    const end = (): void => void body.return(undefined);
    const forget = (): void => {
      if (token !== undefined && streams.get(token) === end) streams.delete(token);
    };
    if (token !== undefined) {
      streams.set(token, end);
      endIfDrained(token);
    }
    request.signal.addEventListener('abort', end, { once: true });
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const { done, value } = await body.next();
        if (typeof value === 'string') controller.enqueue(encoder.encode(value));
        if (done === true) {
          forget();
          controller.close();
        }
      },
      async cancel() {
        forget();
        await body.return(undefined);
      },
    });
    return new Response(stream, init);
  }

  return {
    onYogaInit({ yoga }) {
      handler = createHandler<Request, undefined, Operation>({
        async authenticate(req) {
          if (req.method !== 'PUT') return tokenOf(req.raw);
          try {
            await options.authenticate(req.raw);
          } catch (error) {
            if (error instanceof GraphQLError) return refusal(error, error.extensions.http?.status ?? 401);
            throw error;
          }
          // Always a fresh token, never one the client names: graphql-sse's client sends its last
          // token again when it reconnects, which would find the old stream still being torn down.
          return randomUUID();
        },
        context: (req, params) => operationOf(req.raw, params),
        async onSubscribe(req, params) {
          const request = req.raw;
          const operation = operationOf(request, params);
          started(operation);
          const enveloped = yoga.getEnveloped({ ...serverContexts.get(request), request, params }) as unknown as Enveloped;
          try {
            const outcome = await run(enveloped, params);
            // A refusal is never delivered, so it never completes.
            if (Array.isArray(outcome)) finished(operation);
            return outcome;
          } catch (error) {
            finished(operation);
            throw error;
          }
        },
        onNext: (_operation, _req, result) =>
          result.errors === undefined ? result : { ...result, errors: result.errors.map(withoutHttp) },
        onComplete: (operation) => finished(operation),
      });
    },
    onRequest(payload) {
      const { request, url, serverContext } = payload;
      if (url.pathname !== path) return;
      // A stop may come before the operation it stops has started: then it never completes.
      if (request.method === 'DELETE') {
        const id = url.searchParams.get('operationId');
        if (id !== null) finished({ token: tokenOf(request), id });
      }
      serverContexts.set(request, serverContext);
      return respond(request).then(
        (response) => payload.endResponse(response),
        (error: unknown) => {
          options.onUnexpectedError(error);
          payload.endResponse(unexpected());
        },
      );
    },
  };
}
