/**
 * The GraphQL side of `bench/gateway`: POSTs over a keep-alive node:http agent — the lightest
 * client node offers, so the client's own cost stays small beside the gateway's — and the checks
 * of what comes back.
 */
import { Agent, request as httpRequest } from 'node:http';
import { NOOP } from '../support/load.ts';

export const INVOKE_QUERY = `mutation Invoke($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) { __typename ... on Invocation { statusCode payloadJson } ... on Error { message } }
}`;
export const BATCH_QUERY = `mutation InvokeMany($inputs: [InvokeFunctionInput!]!) {
  invokeFunctions(inputs: $inputs) { __typename ... on Invocation { statusCode payloadJson } ... on Error { message } }
}`;
export const TOO_LARGE_QUERY = `mutation InvokeTooLarge($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) { __typename ... on PayloadTooLargeError { sizeBytes limitBytes } ... on Error { message } }
}`;

export class GraphqlClient {
  readonly #url: URL;
  readonly #agent: Agent;

  constructor(url: string, maxSockets: number) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs a prepared JSON body; resolves with the whole response body once it has arrived. */
  post(body: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          path: this.#url.pathname,
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': body.byteLength, accept: 'application/graphql-response+json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
            if (response.statusCode === 200) resolve(text);
            else reject(new Error(`the gateway answered ${response.statusCode}: ${text.toString('utf8', 0, 500)}`));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

export function graphqlBody(query: string, variables: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ query, variables }));
}

export interface InvocationResult {
  readonly __typename: string;
  readonly statusCode?: number;
  readonly payloadJson?: unknown;
  readonly message?: string;
}

/** The `data[field]` of a GraphQL response; throws for GraphQL errors. */
export function dataOf(body: Buffer, field: string): unknown {
  const response = JSON.parse(body.toString('utf8')) as { data?: Record<string, unknown> | null; errors?: readonly { message?: string }[] };
  if (response.errors !== undefined && response.errors.length > 0) {
    throw new Error(
      `GraphQL errors: ${response.errors
        .map((error) => error.message)
        .join('; ')
        .slice(0, 500)}`,
    );
  }
  const value = response.data?.[field];
  if (value === undefined || value === null) throw new Error(`no data.${field} in ${body.toString('utf8', 0, 500)}`);
  return value;
}

/** Throws unless `value` is an Invocation with status 200 whose payloadJson passes `check`. */
export function expectInvocation(value: unknown, check: (payload: unknown) => boolean, what: string): void {
  const result = value as InvocationResult;
  if (result.__typename !== 'Invocation' || result.statusCode !== 200 || !check(result.payloadJson)) {
    throw new Error(`unexpected answer for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
  }
}

const NOOP_BODY = graphqlBody(INVOKE_QUERY, { input: { functionName: NOOP } });

export async function invokeNoopThroughGateway(client: GraphqlClient): Promise<void> {
  expectInvocation(dataOf(await client.post(NOOP_BODY), 'invokeFunction'), (payload) => payload === null, `${NOOP} through the gateway`);
}
