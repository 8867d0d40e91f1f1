/**
 * The unit tier's gateway: fully wired by `assembleGateway` — the real schema, plugins, access
 * rules, deadlines, idempotency, records and metrics — but with a recording fake invoker instead of
 * the SDK and the local Lambda, and requests through `gateway.fetch`. No port, worker or process,
 * so it runs under test/setup/unit-tier.ts. What the SDK and the wire do stays in the integration
 * tier (test/helpers/gateway.ts).
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type ExecutionResult, print } from 'graphql';
import { type AssembledGateway, assembleGateway, type GatewayAssemblyOverrides } from '../../src/assembly.ts';
import { type GatewayOptions, resolveGatewayConfig } from '../../src/config.ts';
import { GRAPHQL_PATH } from '../../src/gateway.ts';
import type { InvokeRequest, InvokeResponse } from '../../src/lambda/invoker.ts';
import { type RecordingInvoker, recordingInvoker, type StreamAnswer } from '../invocations/fake-invoker.ts';

/**
 * yoga.fetch needs an absolute URL; nothing listens there. A loopback host, because the host check
 * answers loopback names whatever allowedHosts says.
 */
export const GRAPHQL_URL = `http://127.0.0.1${GRAPHQL_PATH}`;

export interface UnitGateway {
  readonly assembled: AssembledGateway;
  /** Every call that reached "Lambda", in order. */
  readonly invoker: RecordingInvoker;
  execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, headers?: Record<string, string>): Promise<ExecutionResult<R>>;
  /** The status as well, for what GraphQL over HTTP decides (400 or 200, 403 …). */
  executeWithStatus<R, V>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: ExecutionResult<R> }>;
  /**
   * Any request, as it is sent: for what the HTTP layer decides (status codes, headers, GET, other
   * paths such as /health or /metrics). `path` is resolved against GRAPHQL_URL's origin; unlike a
   * real client, nothing is added, so a test may set `host` and the like itself.
   */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** The text of /metrics (Prometheus exposition format). */
  metrics(): Promise<string>;
  close(): Promise<void>;
}

export interface UnitGatewayOptions {
  /** Gateway options, as for the integration tier (the Lambda target is AWS's; it is never called). */
  readonly config?: GatewayOptions;
  /** How the fake Lambda answers each call. @default 200 echoing the payload, 202 for EVENT, 204 for DRY_RUN */
  readonly answer?: (request: InvokeRequest, call: number) => Promise<InvokeResponse>;
  /** How it answers each streaming call. @default "hello", then the end */
  readonly streamAnswer?: StreamAnswer;
  /** Other services of one's own (a store, events, a logger). */
  readonly overrides?: Omit<GatewayAssemblyOverrides, 'invoker'>;
}

export async function assembleUnitGateway(options: UnitGatewayOptions = {}): Promise<UnitGateway> {
  // AWS as the target: the one kind whose SDK invoker could be built without a port, though the
  // fake below replaces it; its region is what Query.gateway reports.
  const config = resolveGatewayConfig({ lambda: { kind: 'aws', region: 'us-east-1' }, ...options.config });
  const invoker = recordingInvoker(options.answer, options.streamAnswer);
  const assembled = await assembleGateway(config, { ...options.overrides, invoker });
  const request = async <R, V>(document: TypedDocumentNode<R, V>, variables: V, headers: Record<string, string> = {}) => {
    const response = await assembled.gateway.fetch(GRAPHQL_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
      body: JSON.stringify({ query: print(document), variables }),
    });
    return { status: response.status, body: (await response.json()) as ExecutionResult<R> };
  };
  return {
    assembled,
    invoker,
    execute: async (document, variables, headers) => (await request(document, variables, headers)).body,
    executeWithStatus: request,
    fetch: async (path, init = {}) => assembled.gateway.fetch(new URL(path, GRAPHQL_URL), init),
    metrics: async () => (await assembled.gateway.fetch(new URL('/metrics', GRAPHQL_URL))).text(),
    close: () => assembled.close(),
  };
}
