/**
 * Persisted operations from the codegen manifest, in the unit tier: operations named by their
 * sha256 hash run; with `allowArbitraryOperations: false` an unknown hash, a document sent in full,
 * or neither, is refused with its own code before anything runs (no call reaches the fake
 * invoker). The same rule over WebSocket stays in persisted-operations.integration.test.ts.
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayConfigError, resolveGatewayConfig } from '../../src/config.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { GatewayInfoDocument, InvokeFunctionDocument } from './documents.ts';

const MANIFEST = fileURLToPath(new URL('../../generated/graphql/persisted-documents.json', import.meta.url));

/** The hash GraphQL Code Generator put on a typed document (`sha256:<hex>`). */
function hashOf(document: object): string {
  return (document as { __meta__: { hash: string } }).__meta__.hash;
}

const persisted = (hash: string) => ({ persistedQuery: { version: 1, sha256Hash: hash } });

async function post(
  gateway: UnitGateway,
  body: Record<string, unknown>,
): Promise<{ status: number; body: { data?: unknown; errors?: Array<{ message: string; extensions?: { code?: string } }> } }> {
  const response = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as never };
}

describe('a gateway that runs only persisted operations', () => {
  let gateway: UnitGateway;
  beforeAll(async () => {
    gateway = await assembleUnitGateway({ config: { persistedOperations: { manifest: MANIFEST } } });
  });
  const lambdaRequests = () => gateway.invoker.calls.length;
  afterAll(() => gateway.close());

  it('runs a mutation and a query named by their hash', async () => {
    const invoked = await post(gateway, {
      extensions: persisted(hashOf(InvokeFunctionDocument)),
      variables: { input: { functionName: 'echo', payload: { by: 'hash' } } },
    });
    expect(invoked.status).toBe(200);
    expect(invoked.body.data).toMatchObject({ invokeFunction: { __typename: 'Invocation', payloadJson: { by: 'hash' } } });
    // The bare hex digest names the same operation.
    const queried = await post(gateway, { extensions: persisted(hashOf(GatewayInfoDocument).replace(/^sha256:/, '')) });
    expect(queried.body).toEqual({ data: { gateway: expect.objectContaining({ region: 'us-east-1' }) as unknown } });
  });

  it.each([
    [
      'a document sent in full',
      { query: print(InvokeFunctionDocument), variables: { input: { functionName: 'echo' } } },
      'PERSISTED_QUERY_ONLY',
      /^This gateway runs only persisted operations/,
    ],
    [
      'an unknown hash',
      { extensions: persisted('f'.repeat(64)), variables: { input: { functionName: 'echo' } } },
      'PERSISTED_QUERY_NOT_FOUND',
      /^No persisted operation has the hash "f{64}"/,
    ],
    ['neither', { variables: {} }, 'PERSISTED_QUERY_ID_REQUIRED', /neither a query nor extensions.persistedQuery.sha256Hash/],
  ])('refuses %s with 400 and its code, invoking nothing', async (_label, body, code, message) => {
    const before = lambdaRequests();
    const answer = await post(gateway, body);
    expect(answer.status).toBe(400);
    expect(answer.body.data ?? null).toBeNull();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.body.errors?.[0]?.message).toMatch(message);
    expect(lambdaRequests() - before).toBe(0);
  });
});

describe('allowArbitraryOperations: true', () => {
  it('runs persisted operations by hash and documents sent in full', async () => {
    const gateway = await assembleUnitGateway({ config: { persistedOperations: { manifest: MANIFEST, allowArbitraryOperations: true } } });
    try {
      expect((await post(gateway, { extensions: persisted(hashOf(GatewayInfoDocument)) })).status).toBe(200);
      const adHoc = await post(gateway, { query: '{ gateway { region } }' });
      expect(adHoc).toEqual({ status: 200, body: { data: { gateway: { region: 'us-east-1' } } } });
      expect((await post(gateway, { extensions: persisted('0'.repeat(64)) })).body.errors?.[0]?.extensions?.code).toBe(
        'PERSISTED_QUERY_NOT_FOUND',
      );
    } finally {
      await gateway.close();
    }
  });
});

describe('the manifest is checked at start', () => {
  it('a missing file stops start-up, naming the key and the path', () => {
    expect(() => resolveGatewayConfig({ persistedOperations: { manifest: '/nonexistent/manifest.json' } })).toThrow(GatewayConfigError);
    expect(() => resolveGatewayConfig({ persistedOperations: { manifest: '/nonexistent/manifest.json' } })).toThrow(
      /persistedOperations\.manifest: cannot be read: .*ENOENT.*\(got "\/nonexistent\/manifest\.json"\)/,
    );
  });

  it('a file that is not a manifest of hashes to documents is refused', async () => {
    const bad = path.join(tmpdir(), `bad-manifest-${process.pid}.json`);
    await writeFile(bad, JSON.stringify({ 'not-a-hash': 'query { gateway { region } }' }));
    expect(() => resolveGatewayConfig({ persistedOperations: { manifest: bad } })).toThrow(
      /persistedOperations\.manifest: is not a manifest of sha256 hashes to documents: "not-a-hash" is not a hex sha256 hash/,
    );
    await writeFile(bad, '{ not json');
    expect(() => resolveGatewayConfig({ persistedOperations: { manifest: bad } })).toThrow(/persistedOperations\.manifest: is not JSON/);
  });

  it('loads the codegen manifest: every operation under its bare hash', () => {
    const config = resolveGatewayConfig({ persistedOperations: { manifest: MANIFEST } });
    expect(config.persistedOperations?.allowArbitraryOperations).toBe(false);
    expect(config.persistedOperations?.operations.get(hashOf(InvokeFunctionDocument).replace(/^sha256:/, ''))).toContain(
      'mutation InvokeFunction',
    );
  });
});
