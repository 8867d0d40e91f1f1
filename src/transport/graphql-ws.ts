/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's GraphQL path, running every operation
 * through yoga's envelop — the same schema, context and plugins as HTTP and SSE.
 */
import { type DocumentNode, type ExecutionArgs, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { IncomingMessage } from 'node:http';
import type { WebSocketServer } from 'ws';
import { withoutHttp } from '../errors.ts';
import type { Gateway } from '../gateway.ts';
import { type PersistedOperationsConfig, resolvePersistedOperation } from '../persisted-operations.ts';

interface EnvelopedRoot {
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
}

/** What yoga's envelop hands out, typed (its own typings are loose). */
interface Enveloped extends EnvelopedRoot {
  schema: GraphQLSchema;
  contextFactory: () => unknown;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

/**
 * The Request an operation over WebSocket runs with: the upgrade request's headers, plus the
 * credentials a browser cannot put on a WebSocket — `connectionParams.apiKey` (as `x-api-key`) and
 * `connectionParams.authorization`, or the same two headers in an operation's
 * `extensions.headers` (GraphiQL's way) — so authentication is the same on every transport.
 */
function operationRequest(
  upgrade: IncomingMessage,
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(upgrade.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const apiKey = connectionParams?.apiKey;
  const authorization = connectionParams?.authorization ?? connectionParams?.Authorization;
  if (typeof apiKey === 'string') headers.set('x-api-key', apiKey);
  if (typeof authorization === 'string') headers.set('authorization', authorization);
  // GraphiQL sends its header editor's headers with each operation, in `extensions.headers`.
  const operationHeaders = extensions?.headers;
  if (typeof operationHeaders === 'object' && operationHeaders !== null) {
    for (const [name, value] of Object.entries(operationHeaders)) {
      const lower = name.toLowerCase();
      if ((lower === 'x-api-key' || lower === 'authorization') && typeof value === 'string') headers.set(lower, value);
    }
  }
  // POST: an operation message carries its document in a body, as a POST does. As a GET it would
  // be refused for mutations (yoga keeps GET for queries), and a GraphQLWsLink-only client sends
  // every operation over the socket.
  return new Request(`http://${upgrade.headers.host ?? 'localhost'}${upgrade.url ?? '/'}`, { method: 'POST', headers });
}

export interface GraphqlWsServer {
  /**
   * Waits (up to `graceMs`) for running operations to complete — subscriptions end when the
   * gateway's shutdown signal aborts, and their `complete` messages go out — then closes the
   * sockets.
   */
  close(graceMs: number): Promise<void>;
}

/** `persisted`: when set, operations are named by hash and resolved from its manifest, as over HTTP. */
export function serveGraphqlWs(gateway: Gateway, webSockets: WebSocketServer, persisted?: PersistedOperationsConfig): GraphqlWsServer {
  let running = 0;
  const idle = new Set<() => void>();
  const finished = (): void => {
    running = Math.max(0, running - 1);
    if (running === 0) for (const notify of idle) notify();
  };
  // `extensions.http` tells yoga how to answer over HTTP; on a socket the status means nothing, and
  // errors go out without it, as over SSE and multipart (a refusal, a limit, a stream's error).
  // Typed GraphQLError, a result's errors are whatever a plugin put there: only real ones are rebuilt.
  const wire = (error: GraphQLError): GraphQLFormattedError => (error instanceof GraphQLError ? withoutHttp(error).toJSON() : error);
  const server = useServer(
    {
      onComplete: finished,
      onNext: (_context, _id, _payload, _args, result) =>
        result.errors === undefined ? undefined : { ...result, errors: result.errors.map(wire) },
      onError: (_context, _id, _payload, errors) => errors.map(wire),
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      // Counted from the moment an operation arrives, so shutdown also waits for one still being
      // set up (its context being built); one that never starts is counted out again.
      onSubscribe: async (context, _id, payload) => {
        running += 1;
        try {
          const request = context.extra.request;
          const { schema, execute, subscribe, contextFactory, parse, validate } = gateway.getEnveloped({
            ...context,
            req: request,
            socket: context.extra.socket,
            params: payload,
            request: operationRequest(request, context.connectionParams, payload.extensions),
          }) as Enveloped;
          let query = payload.query;
          if (persisted !== undefined) {
            try {
              query = resolvePersistedOperation(persisted, payload);
            } catch (error) {
              finished();
              return [error as GraphQLError];
            }
          }
          const args: ExecutionArgs = {
            schema,
            operationName: payload.operationName ?? null,
            document: parse(query),
            variableValues: payload.variables ?? null,
            contextValue: await contextFactory(),
            rootValue: { execute, subscribe } satisfies EnvelopedRoot,
          };
          const errors = validate(args.schema, args.document);
          if (errors.length > 0) {
            finished();
            return [...errors];
          }
          return args;
        } catch (error) {
          finished();
          // A client fault found while setting up (UNAUTHENTICATED, RATE_LIMITED …) is that
          // operation's error, as over HTTP; the connection stays open for a retry with credentials.
          if (error instanceof GraphQLError) return [error];
          throw error;
        }
      },
    },
    webSockets,
  );
  return {
    async close(graceMs) {
      if (running > 0) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            idle.delete(done);
            resolve();
          };
          const timer = setTimeout(done, graceMs);
          idle.add(done);
        });
        // onComplete runs just before its `complete` message is written; let the writes go out.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await server.dispose();
    },
  };
}
