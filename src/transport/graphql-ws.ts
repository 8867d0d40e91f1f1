/**
 * GraphQL over WebSocket (graphql-ws) on the gateway's GraphQL path, running every operation
 * through yoga's envelop — the same schema, context and plugins as HTTP and SSE.
 */
import type { DocumentNode, ExecutionArgs, GraphQLError, GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { WebSocketServer } from 'ws';
import type { Gateway } from '../gateway.ts';

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

export function serveGraphqlWs(gateway: Gateway, webSockets: WebSocketServer): { dispose(): void | Promise<void> } {
  return useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (context, _id, payload) => {
        const request = context.extra.request;
        const { schema, execute, subscribe, contextFactory, parse, validate } = gateway.getEnveloped({
          ...context,
          req: request,
          socket: context.extra.socket,
          params: payload,
          request: new Request(`http://${request.headers.host ?? 'localhost'}${request.url ?? '/'}`, {
            headers: Object.entries(request.headers).flatMap(([k, v]) => (v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v] as [string, string]])),
          }),
        }) as Enveloped;
        const args: ExecutionArgs = {
          schema,
          operationName: payload.operationName ?? null,
          document: parse(payload.query),
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
        const errors = validate(args.schema, args.document);
        if (errors.length > 0) return [...errors];
        return args;
      },
    },
    webSockets,
  );
}
