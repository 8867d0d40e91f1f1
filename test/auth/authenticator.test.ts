/**
 * The authenticator on its own (src/auth/authenticator.ts): API keys by their SHA-256, JWTs signed
 * here with jose (HMAC secret), and the UNAUTHENTICATED refusals, which never say which key exists.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS, Authenticator, type Credentials, principalId, principalKey, requestCredentials } from '../../src/auth/authenticator.ts';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const ISSUER = 'https://issuer.test';
const AUDIENCE = 'lambda-graphql-gateway';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function credentials(more: Partial<Credentials>): Credentials {
  return { apiKey: undefined, authorization: undefined, ...more };
}

async function token(
  claims: Record<string, unknown>,
  more: { issuer?: string; audience?: string; secret?: string; expiresIn?: string } = {},
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(more.issuer ?? ISSUER)
    .setAudience(more.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(more.expiresIn ?? '5m')
    .sign(new TextEncoder().encode(more.secret ?? SECRET));
}

async function refusal(promise: Promise<unknown>): Promise<GraphQLError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions.code).toBe('UNAUTHENTICATED');
  return error as GraphQLError;
}

const authenticator = new Authenticator({
  apiKeys: [
    { id: 'ci', sha256: sha256('key-ci'), roles: ['deployer'] },
    { id: 'plain', sha256: sha256('key-plain') },
  ],
  jwt: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE },
});

describe('Authenticator', () => {
  it('takes everyone as anonymous when no authentication is configured', async () => {
    await expect(new Authenticator(undefined).authenticate(credentials({ apiKey: 'anything' }))).resolves.toBe(ANONYMOUS);
  });

  it('reads the two credential headers', () => {
    expect(requestCredentials(new Headers({ 'x-api-key': 'k', authorization: 'Bearer t' }))).toEqual({
      apiKey: 'k',
      authorization: 'Bearer t',
    });
    expect(requestCredentials(new Headers())).toEqual({ apiKey: undefined, authorization: undefined });
  });

  describe('API keys', () => {
    it('knows a key by its SHA-256 and gives its id and roles', async () => {
      await expect(authenticator.authenticate(credentials({ apiKey: 'key-ci' }))).resolves.toEqual({
        kind: 'api-key',
        id: 'ci',
        roles: ['deployer'],
      });
      await expect(authenticator.authenticate(credentials({ apiKey: 'key-plain' }))).resolves.toEqual({
        kind: 'api-key',
        id: 'plain',
        roles: [],
      });
    });

    it('refuses an unknown key without saying which keys exist', async () => {
      const error = await refusal(authenticator.authenticate(credentials({ apiKey: 'key-guess' })));
      expect(error.message).toBe('The API key is not valid');
    });

    it('checks the key first: a bad key is refused even with a valid token', async () => {
      const bearer = `Bearer ${await token({ sub: 'u1' })}`;
      await refusal(authenticator.authenticate(credentials({ apiKey: 'key-guess', authorization: bearer })));
    });
  });

  describe('JWT', () => {
    it('accepts a token signed with the secret, for the issuer and audience, with its subject and roles', async () => {
      const bearer = `Bearer ${await token({ sub: 'user-1', roles: ['operator', 7, 'viewer'] })}`;
      const principal = await authenticator.authenticate(credentials({ authorization: bearer }));
      // Non-string roles are ignored.
      expect(principal).toMatchObject({
        kind: 'jwt',
        subject: 'user-1',
        roles: ['operator', 'viewer'],
        claims: { iss: ISSUER, aud: AUDIENCE },
      });
    });

    it('reads roles from the configured claim, also as a space-separated string', async () => {
      const scoped = new Authenticator({ jwt: { secret: SECRET, issuer: ISSUER, audience: AUDIENCE, rolesClaim: 'scope' } });
      const principal = await scoped.authenticate(credentials({ authorization: `bearer ${await token({ scope: 'read write' })}` }));
      expect(principal).toMatchObject({ kind: 'jwt', subject: undefined, roles: ['read', 'write'] });
    });

    it.each([
      ['another secret', { secret: 'another-secret-of-at-least-32-bytes!!' }],
      ['another issuer', { issuer: 'https://elsewhere.test' }],
      ['another audience', { audience: 'someone-else' }],
      ['an expired token', { expiresIn: '-1m' }],
    ])('refuses a token with %s, saying why', async (_, more) => {
      const error = await refusal(authenticator.authenticate(credentials({ authorization: `Bearer ${await token({ sub: 'u1' }, more)}` })));
      expect(error.message).toMatch(/^The bearer token is not valid: /);
    });

    it('refuses a token that is not a JWT at all', async () => {
      await refusal(authenticator.authenticate(credentials({ authorization: 'Bearer not.a.jwt' })));
    });
  });

  it('asks for credentials when none are sent, or only an unusable Authorization header', async () => {
    const none = await refusal(authenticator.authenticate(credentials({})));
    expect(none.message).toBe('Authentication required: send an x-api-key header or an Authorization: Bearer token');
    await refusal(authenticator.authenticate(credentials({ authorization: 'Basic dXNlcjpwdw==' })));
    await refusal(authenticator.authenticate(credentials({ apiKey: '' })));
    // API keys only: a bearer token is not looked at.
    const keysOnly = new Authenticator({ apiKeys: [{ id: 'ci', sha256: sha256('key-ci') }] });
    await refusal(keysOnly.authenticate(credentials({ authorization: `Bearer ${await token({ sub: 'u1' })}` })));
  });
});

describe('principalKey and principalId', () => {
  it('give one key per caller, never the same for an API key and a JWT of the same name', () => {
    const key = { kind: 'api-key', id: 'u1', roles: [] } as const;
    const jwt = { kind: 'jwt', subject: 'u1', roles: [], claims: { sub: 'u1' } } as const;
    const subjectless = { kind: 'jwt', subject: undefined, roles: [], claims: {} } as const;
    expect([principalKey(key), principalKey(jwt), principalKey(subjectless), principalKey(ANONYMOUS)]).toEqual([
      'key:u1',
      'jwt:u1',
      'jwt:',
      'anonymous',
    ]);
    expect([principalId(key), principalId(jwt), principalId(subjectless), principalId(ANONYMOUS)]).toEqual([
      'u1',
      'u1',
      undefined,
      undefined,
    ]);
  });
});
