/**
 * Persisted operations over WebSocket: a hash runs a subscription that follows an EVENT invocation
 * to its destination record, and a document sent in full is refused. Over HTTP, and the manifest
 * checks at start, they are tested in the unit tier (persisted-operations.test.ts).
 */
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

const MANIFEST = fileURLToPath(new URL('../../generated/graphql/persisted-documents.json', import.meta.url));

/** The hash GraphQL Code Generator put on a typed document (`sha256:<hex>`). */
function hashOf(document: object): string {
  return (document as { __meta__: { hash: string } }).__meta__.hash;
}

const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

async function post(
  gateway: TestGateway,
  body: Record<string, unknown>,
): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } }> {
  const response = await fetch(gateway.running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

describe('a gateway that runs only persisted operations', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ persistedOperations: { manifest: MANIFEST } });
  });
  afterAll(() => gateway.close());

  it('applies the same rule over WebSocket: a hash runs, a document sent in full is refused', async () => {
    const client = createClient({ url: gateway.running.url.replace(/^http/, 'ws'), retryAttempts: 0, lazy: true });
    try {
      const started = await post(gateway, {
        extensions: persisted(hashOf(InvokeFunctionDocument)),
        variables: { input: { functionName: 'echo', invocationType: 'EVENT' } },
      });
      const requestId = (started.body.data as { invokeFunction: { requestId: string } }).invokeFunction.requestId;
      const statuses: string[] = [];
      await new Promise<void>((resolve, reject) => {
        client.subscribe<{ invocationUpdates: { status: string } }>(
          { query: '', variables: { requestId }, extensions: persisted(hashOf(InvocationUpdatesDocument)) },
          { next: (result) => result.data && statuses.push(result.data.invocationUpdates.status), error: reject, complete: resolve },
        );
      });
      expect(statuses.at(-1)).toBe('SUCCEEDED');

      const refused = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: print(InvocationUpdatesDocument), variables: { requestId } },
          { next: () => undefined, error: resolve, complete: () => resolve('completed') },
        );
      });
      expect(refused).toEqual([expect.objectContaining({ extensions: { code: 'PERSISTED_QUERY_ONLY' } })]);
    } finally {
      await client.dispose();
    }
  });
});
