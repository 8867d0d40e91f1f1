/**
 * Test harness for the gateway: the real gateway with the real SDK invoker, in front of the
 * built-in local Lambda serving the fixture functions. `execute` goes through `yoga.fetch` (no
 * socket); `executeHttp` through a real HTTP request to the port-0 server.
 */
import { createServer } from 'node:net';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type DocumentNode, type ExecutionResult, print } from 'graphql';
import { type GatewayOptions, resolveGatewayConfig } from '../../src/config.ts';
import { type GatewayServerOptions, type RunningGateway, startGatewayServer } from '../../src/server.ts';
import { FIXTURE_FUNCTIONS } from './local-lambda.ts';

export interface TestGateway {
  readonly running: RunningGateway;
  execute<R, V>(document: TypedDocumentNode<R, V>, variables: V, headers?: Record<string, string>): Promise<ExecutionResult<R>>;
  executeHttp<R, V>(
    document: TypedDocumentNode<R, V>,
    variables: V,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: ExecutionResult<R> }>;
  close(): Promise<void>;
}

export async function startTestGateway(options: GatewayOptions = {}, server: GatewayServerOptions = {}): Promise<TestGateway> {
  const config = resolveGatewayConfig({ lambda: { kind: 'local', functions: FIXTURE_FUNCTIONS }, ...options });
  const running = await startGatewayServer(config, server);
  const init = (document: DocumentNode, variables: unknown, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return {
    running,
    async execute(document, variables, headers) {
      const response = await running.gateway.fetch(running.url, init(document, variables, headers));
      return (await response.json()) as ExecutionResult<never>;
    },
    async executeHttp(document, variables, headers) {
      const response = await fetch(running.url, init(document, variables, headers));
      return { status: response.status, body: (await response.json()) as ExecutionResult<never> };
    },
    close: () => running.close(),
  };
}

/** `/ready` through `gateway.fetch`: its status and its JSON body. */
export async function readiness(gateway: TestGateway): Promise<{ status: number; body: unknown }> {
  const response = await gateway.running.gateway.fetch(new URL('/ready', gateway.running.url));
  return { status: response.status, body: await response.json() };
}

/** A loopback port that was free a moment ago and has nothing listening now (an unreachable endpoint). */
export function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      if (address === null || typeof address === 'string') reject(new Error('no port'));
      else probe.close(() => resolve(address.port));
    });
  });
}
