/**
 * Authentication where sockets are involved: subscriptions over SSE (headers) and WebSocket
 * (connectionParams), and JWTs checked against keys fetched from a JWKS URL served on a port.
 * Authentication over HTTP — API keys, HMAC-signed JWTs, the refusals, the operational endpoints
 * left open — is tested in the unit tier (auth.test.ts).
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { GatewayInfoDocument, InvocationEventsDocument } from './documents.ts';

const API_KEY = 'test-key-0123456789abcdef';
const HMAC_SECRET = 'an-hmac-secret-that-is-long-enough-0123';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'lambda-gateway';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('API keys and HMAC-signed JWTs', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({
      auth: {
        apiKeys: [{ id: 'ci', sha256: sha256(API_KEY), roles: ['invoker'] }],
        jwt: { secret: HMAC_SECRET, issuer: ISSUER, audience: AUDIENCE },
      },
    });
  });
  afterAll(() => gateway.close());

  it('authenticates subscriptions over SSE (headers) and WebSocket (connectionParams)', async () => {
    const open = [
      subscribeWith('graphql-sse', gateway.running.url, InvocationEventsDocument, {}, { headers: { 'x-api-key': API_KEY } }),
      subscribeWith('graphql-ws', gateway.running.url, InvocationEventsDocument, {}, { connectionParams: { apiKey: API_KEY } }),
    ];
    const refused = [
      subscribeWith('graphql-sse', gateway.running.url, InvocationEventsDocument, {}),
      subscribeWith('graphql-ws', gateway.running.url, InvocationEventsDocument, {}, { connectionParams: { apiKey: 'wrong' } }),
    ];
    for (const subscription of refused)
      await expect(subscription.completed).rejects.toThrow(/UNAUTHENTICATED|Authentication required|not valid|401/);
    // The authenticated ones are live: they neither fail nor complete until disposed.
    const outcome = await Promise.race([
      ...open.map((s) =>
        s.completed.then(
          () => 'ended',
          () => 'failed',
        ),
      ),
      new Promise((resolve) => setImmediate(() => resolve('open'))),
    ]);
    expect(outcome).toBe('open');
    for (const subscription of open) subscription.dispose();
  });
});

describe('JWTs signed with keys from a JWKS URL', () => {
  let jwks: Server;
  let gateway: TestGateway;
  let privateKey: CryptoKey;
  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const publicJwk = { ...(await exportJWK(pair.publicKey)), kid: 'key-1', alg: 'RS256', use: 'sig' };
    jwks = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    gateway = await startTestGateway({
      auth: { jwt: { jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE } },
    });
  });
  afterAll(async () => {
    await gateway.close();
    jwks.closeAllConnections();
    await new Promise<void>((resolve) => jwks.close(() => resolve()));
  });

  it('accepts a token signed by a published key, and refuses one signed by another', async () => {
    const sign = (key: CryptoKey, kid: string) =>
      new SignJWT({ roles: 'invoker reader' })
        .setProtectedHeader({ alg: 'RS256', kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(key);
    expect(
      (await gateway.executeHttp(GatewayInfoDocument, {}, { authorization: `Bearer ${await sign(privateKey, 'key-1')}` })).status,
    ).toBe(200);
    const stranger = await generateKeyPair('RS256');
    expect(
      (await gateway.executeHttp(GatewayInfoDocument, {}, { authorization: `Bearer ${await sign(stranger.privateKey, 'key-1')}` })).status,
    ).toBe(401);
  });
});
