/**
 * The reference point of `bench/gateway`: the least a graphql-yoga server in front of the SDK
 * can cost. A bare `createYoga` (its defaults, no plugins of ours) with a one-mutation schema whose
 * resolver makes the same SDK call as the benchmark's direct path (`localLambdaClient`: no
 * deadline, no concurrency cap, no metrics, no access rules, no dataloader). It answers the same
 * `invokeFunction` document as the gateway, so the client does the same work for both.
 *
 * Run as a separate process like the gateway, with the same IPC protocol (`harness/child-protocol.ts`);
 * the first argument is the local Lambda's endpoint (127.0.0.1 only).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { createSchema, createYoga } from 'graphql-yoga';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { localLambdaClient } from './load.ts';

const TYPE_DEFS = /* GraphQL */ `
  scalar JSON
  input InvokeFunctionInput {
    functionName: String!
    payload: JSON
  }
  interface Error {
    message: String!
  }
  type Invocation {
    statusCode: Int!
    payloadJson: JSON
  }
  type LambdaServiceError implements Error {
    message: String!
  }
  union InvokeFunctionResult = Invocation | LambdaServiceError
  type Query {
    ok: Boolean
  }
  type Mutation {
    invokeFunction(input: InvokeFunctionInput!): InvokeFunctionResult!
  }
`;

interface Input {
  readonly functionName: string;
  readonly payload?: unknown;
}

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const endpoint = process.argv[2];
  if (endpoint === undefined || new URL(endpoint).hostname !== '127.0.0.1')
    throw new Error('usage: yoga-floor-server.ts http://127.0.0.1:<port>');
  const client = localLambdaClient(endpoint);
  const decoder = new TextDecoder();
  const yoga = createYoga({
    graphiql: false,
    schema: createSchema({
      typeDefs: TYPE_DEFS,
      resolvers: {
        InvokeFunctionResult: {
          __resolveType: (value: { statusCode?: number }) => (value.statusCode === undefined ? 'LambdaServiceError' : 'Invocation'),
        },
        Mutation: {
          invokeFunction: async (_root: unknown, { input }: { input: Input }) => {
            try {
              const output = await client.send(
                new InvokeCommand({ FunctionName: input.functionName, Payload: JSON.stringify(input.payload ?? {}) }),
              );
              const text = output.Payload === undefined ? '' : decoder.decode(output.Payload);
              const payloadJson: unknown = text === '' ? null : JSON.parse(text);
              return { statusCode: output.StatusCode ?? 200, payloadJson };
            } catch (error) {
              return { message: String(error) };
            }
          },
        },
      },
    }),
  });
  const server = createServer((request, response) => void yoga(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = closeThenExit(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    client.destroy();
  });
  serveParent({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`, gc, close, methods: {} });
}

runChild(main);
