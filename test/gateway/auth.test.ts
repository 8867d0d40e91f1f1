/**
 * Authentication over HTTP in the unit tier: API keys (stored hashed) and HMAC-signed JWTs (issuer
 * and audience checked); UNAUTHENTICATED otherwise, with the operational endpoints left open.
 * Subscriptions over SSE and WebSocket, and keys fetched from a JWKS URL, need sockets: they stay
 * in auth.integration.test.ts.
 */
import { createHash } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../../src/config.ts';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { GatewayInfoDocument } from './documents.ts';

const API_KEY = 'test-key-0123456789abcdef';
const HMAC_SECRET = 'an-hmac-secret-that-is-long-enough-0123';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'lambda-gateway';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function hmacToken(claims: Record<string, unknown>, options: { audience?: string; expiresIn?: string } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(HMAC_SECRET));
}

describe('API keys and HMAC-signed JWTs', () => {
  let gateway: UnitGateway;
  beforeAll(async () => {
    gateway = await assembleUnitGateway({
      config: {
        auth: {
          apiKeys: [{ id: 'ci', sha256: sha256(API_KEY), roles: ['invoker'] }],
          jwt: { secret: HMAC_SECRET, issuer: ISSUER, audience: AUDIENCE },
        },
      },
    });
  });
  afterAll(() => gateway.close());

  it('accepts a valid API key over HTTP', async () => {
    const { status, body } = await gateway.executeWithStatus(GatewayInfoDocument, {}, { 'x-api-key': API_KEY });
    expect(status).toBe(200);
    expect(body.data?.gateway.region).toBe('us-east-1');
  });

  it('accepts a valid bearer token', async () => {
    const { status } = await gateway.executeWithStatus(
      GatewayInfoDocument,
      {},
      { authorization: `Bearer ${await hmacToken({ roles: ['invoker'] })}` },
    );
    expect(status).toBe(200);
  });

  it.each([
    ['no credentials', {}, 'Authentication required'],
    ['a wrong API key', { 'x-api-key': 'not-the-key' }, 'The API key is not valid'],
    ['a token for another audience', 'audience', 'The bearer token is not valid'],
    ['an expired token', 'expired', 'The bearer token is not valid'],
    ['a token signed with another secret', 'forged', 'The bearer token is not valid'],
  ] as const)('refuses %s with 401 UNAUTHENTICATED, running nothing', async (_label, credentials, message) => {
    let headers: Record<string, string>;
    if (credentials === 'audience') headers = { authorization: `Bearer ${await hmacToken({}, { audience: 'someone-else' })}` };
    else if (credentials === 'expired') headers = { authorization: `Bearer ${await hmacToken({}, { expiresIn: '-1m' })}` };
    else if (credentials === 'forged') {
      headers = {
        authorization: `Bearer ${await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .sign(new TextEncoder().encode('x'.repeat(40)))}`,
      };
    } else headers = { ...credentials };
    const before = gateway.invoker.calls.length;
    const { status, body } = await gateway.executeWithStatus(GatewayInfoDocument, {}, headers);
    expect(status).toBe(401);
    expect(body.data ?? null).toBeNull();
    expect(body.errors?.[0]?.message).toContain(message);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(gateway.invoker.calls.length - before).toBe(0);
  });

  it('leaves /health, /ready and destination ingestion to their own rules', async () => {
    expect((await gateway.fetch('/health')).status).toBe(200);
    expect((await gateway.fetch('/ready')).status).toBe(200);
    // Ingestion has its own shared secret: without it, 401 from ingestion, not from GraphQL auth.
    const ingestion = await gateway.fetch(resolveGatewayConfig({}).destinations.path, { method: 'POST', body: '{}' });
    expect(ingestion.status).toBe(401);
    expect(await ingestion.json()).toMatchObject({
      errors: [{ message: expect.stringContaining('x-destination-secret') as unknown, extensions: { code: 'UNAUTHENTICATED' } }],
    });
  });
});
