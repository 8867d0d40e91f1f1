/**
 * What every peer server of `bench/peers` (bare yoga, Apollo Server, Mercurius, graphql-http)
 * serves: the gateway's `invokeFunction` / `invokeFunctions` shape cut to what the benchmark
 * selects, and resolvers that make one `InvokeCommand` per input through one shared `LambdaClient`
 * (`localLambdaClient`: no deadline, no cap, no metrics) — `invokeFunctions` as a plain
 * `Promise.all`. The schema is SDL and the resolvers plain functions, so each server builds it with
 * its own graphql-js (Apollo Server and Mercurius require graphql 16, the others run on 17).
 * Results carry `__typename`, which every server's default type resolver reads.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export const PEER_TYPE_DEFS = /* GraphQL */ `
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
    invokeFunctions(inputs: [InvokeFunctionInput!]!): [InvokeFunctionResult!]!
  }
`;

export interface PeerInput {
  readonly functionName: string;
  readonly payload?: unknown;
}

export type PeerResult =
  | { readonly __typename: 'Invocation'; readonly statusCode: number; readonly payloadJson: unknown }
  | { readonly __typename: 'LambdaServiceError'; readonly message: string };

export interface PeerOperations {
  invokeFunction(input: PeerInput): Promise<PeerResult>;
  invokeFunctions(inputs: readonly PeerInput[]): Promise<PeerResult[]>;
}

export function peerOperations(client: LambdaClient): PeerOperations {
  const decoder = new TextDecoder();
  const invokeFunction = async (input: PeerInput): Promise<PeerResult> => {
    try {
      const output = await client.send(
        new InvokeCommand({ FunctionName: input.functionName, Payload: JSON.stringify(input.payload ?? {}) }),
      );
      const text = output.Payload === undefined ? '' : decoder.decode(output.Payload);
      const payloadJson: unknown = text === '' ? null : JSON.parse(text);
      return { __typename: 'Invocation', statusCode: output.StatusCode ?? 200, payloadJson };
    } catch (error) {
      return { __typename: 'LambdaServiceError', message: String(error) };
    }
  };
  return { invokeFunction, invokeFunctions: (inputs) => Promise.all(inputs.map(invokeFunction)) };
}

/**
 * The resolver map in the graphql-tools shape (yoga, Apollo Server and Mercurius all take it).
 * JSON is left to the default scalar behaviour: values pass through as they are.
 */
export function peerResolvers(operations: PeerOperations) {
  return {
    Mutation: {
      invokeFunction: (_root: unknown, { input }: { input: PeerInput }) => operations.invokeFunction(input),
      invokeFunctions: (_root: unknown, { inputs }: { inputs: readonly PeerInput[] }) => operations.invokeFunctions(inputs),
    },
  };
}

/**
 * The same operations as a root value, for a schema from `buildSchema` (no resolver map):
 * graphql-js's default field resolver calls a root value's functions with (args, context, info).
 */
export function peerRootValue(operations: PeerOperations) {
  return {
    invokeFunction: ({ input }: { input: PeerInput }) => operations.invokeFunction(input),
    invokeFunctions: ({ inputs }: { inputs: readonly PeerInput[] }) => operations.invokeFunctions(inputs),
  };
}

/** The loopback Lambda endpoint a peer server was started with (its first argument). */
export function peerEndpoint(script: string): string {
  const endpoint = process.argv[2];
  if (endpoint === undefined || new URL(endpoint).hostname !== '127.0.0.1') throw new Error(`usage: ${script} http://127.0.0.1:<port>`);
  return endpoint;
}
