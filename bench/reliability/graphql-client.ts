/**
 * The client of `bench/reliability`: GraphQL POSTs on a keep-alive node:http agent that never
 * reject — every outcome is recorded, answers counted (a second settlement would be a duplicate
 * answer), so the phases can check that each request was answered exactly once.
 */
import { Agent, request as httpRequest } from 'node:http';

export const INVOKE_QUERY = `mutation Invoke($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) {
    __typename
    ... on Invocation { statusCode requestId replayed payloadJson }
    ... on IdempotencyConflictError { conflict }
    ... on Error { message }
  }
}`;
/** A request with no answer for this long counts as lost. */
const REQUEST_TIMEOUT_MS = 60_000;
/** The transport error of a request that got no answer in time. */
export const LOST = 'no answer (lost)';

/** How one request ended: an HTTP answer, or a transport error (code such as ECONNRESET). */
export interface Outcome {
  /** Times the request settled: exactly 1 is right. */
  answers: number;
  status: number | undefined;
  body: string | undefined;
  error: string | undefined;
  /** ms from start to settling. */
  ms: number;
}

/** GraphQL POSTs on a keep-alive node:http agent; never rejects — every outcome is recorded. */

export class GraphqlClient {
  readonly #url: URL;
  readonly #agent: Agent;

  constructor(url: string, maxSockets: number) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(query: string, variables: Record<string, unknown> | undefined): Promise<Outcome> {
    const body = Buffer.from(JSON.stringify(variables === undefined ? { query } : { query, variables }));
    const started = performance.now();
    const outcome: Outcome = { answers: 0, status: undefined, body: undefined, error: undefined, ms: 0 };
    return new Promise((resolve) => {
      // Counts every settlement (a second one would be a duplicate answer) but resolves once.
      const settle = (): void => {
        outcome.answers += 1;
        if (outcome.answers === 1) {
          outcome.ms = performance.now() - started;
          clearTimeout(timer);
          resolve(outcome);
        }
      };
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
          response.on('error', (error: NodeJS.ErrnoException) => {
            outcome.error ??= error.code ?? error.message;
            settle();
          });
          response.on('end', () => {
            if (!response.complete) outcome.error ??= 'incomplete response';
            outcome.status = response.statusCode;
            outcome.body = Buffer.concat(chunks).toString('utf8');
            settle();
          });
        },
      );
      const timer = setTimeout(() => request.destroy(new Error(LOST)), REQUEST_TIMEOUT_MS);
      request.on('error', (error: NodeJS.ErrnoException) => {
        // An error after the response ended is not a second answer of the server; ignore it.
        if (outcome.body !== undefined) return;
        outcome.error ??= error.code ?? error.message;
        settle();
      });
      request.end(body);
    });
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

export interface InvocationAnswer {
  readonly __typename: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly replayed?: boolean;
  readonly payloadJson?: unknown;
  readonly conflict?: string;
  readonly message?: string;
}

/** `data[field]` of a 200 answer, or a description of what was wrong. */
export function dataOf(outcome: Outcome, field: string): { value: unknown } | { problem: string } {
  if (outcome.error !== undefined) return { problem: `transport: ${outcome.error}` };
  if (outcome.status !== 200) return { problem: `HTTP ${outcome.status}: ${(outcome.body ?? '').slice(0, 200)}` };
  try {
    const response = JSON.parse(outcome.body ?? '') as { data?: Record<string, unknown> | null; errors?: readonly { message?: string }[] };
    if (response.errors !== undefined && response.errors.length > 0)
      return {
        problem: `GraphQL errors: ${response.errors
          .map((e) => e.message)
          .join('; ')
          .slice(0, 200)}`,
      };
    const value = response.data?.[field];
    if (value === undefined || value === null) return { problem: `no data.${field}` };
    return { value };
  } catch {
    return { problem: `not JSON: ${(outcome.body ?? '').slice(0, 200)}` };
  }
}
