/**
 * The gateway configuration cannot mislead: every object in it is strict, so a misspelt or
 * misplaced key stops start-up naming its full path and what that place takes; and the keys of
 * CORS, the Host check, the listening address and a local endpoint resolve as documented.
 */
import { describe, expect, it } from 'vitest';
import { type GatewayOptions, GatewayConfigError, PLACEHOLDER_CREDENTIALS, resolveGatewayConfig } from '../src/config.ts';

/** The message resolveGatewayConfig stops with. */
function refusal(options: unknown): string {
  try {
    resolveGatewayConfig(options as GatewayOptions);
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.message;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

const HASH = 'a'.repeat(64);
const PRODUCTION = { mode: 'production', access: { allow: [{ functions: ['echo'] }] } } as const;

describe('a key the configuration does not know', () => {
  // One row per object in the configuration: [the section, options with one stray key, the line].
  const sections: ReadonlyArray<readonly [string, unknown, string]> = [
    ['the root', { colour: 'blue' }, 'colour: not a setting of the configuration, which takes mode, port, host,'],
    ['access', { access: { allowed: [] } }, 'access.allowed: not a setting of access, which takes allow'],
    [
      'an access rule',
      { access: { allow: [{ functions: ['echo'], role: ['x'] }] } },
      'access.allow.0.role: not a setting of access.allow.0, which takes functions, qualifiers, invocationTypes, roles, tailLogs, errorDetails',
    ],
    ['auth', { auth: { apiKeys: [], jwks: 'x' } }, 'auth.jwks: not a setting of auth, which takes apiKeys, jwt'],
    [
      'an API key',
      { auth: { apiKeys: [{ id: 'a', sha256: HASH, role: 'x' }] } },
      'auth.apiKeys.0.role: not a setting of auth.apiKeys.0, which takes id, sha256, roles',
    ],
    [
      'auth.jwt',
      { auth: { jwt: { secret: 's'.repeat(32), issuer: 'i', audience: 'a', audiences: ['b'] } } },
      'auth.jwt.audiences: not a setting of auth.jwt, which takes secret, jwksUrl, issuer, audience, rolesClaim',
    ],
    [
      'lambda (kind aws)',
      { lambda: { kind: 'aws', region: 'eu-west-1', endpoint: 'http://localhost:4566' } },
      'lambda.endpoint: not a setting of lambda with kind "aws", which takes kind, region; endpoint belongs to kind "endpoint"',
    ],
    [
      'lambda (kind local)',
      { lambda: { kind: 'local', function: './fns' } },
      'lambda.function: not a setting of lambda with kind "local", which takes kind, functions',
    ],
    [
      'lambda (kind endpoint)',
      { lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9001', functions: './fns' } },
      'lambda.functions: not a setting of lambda with kind "endpoint", which takes kind, endpoint, region, credentials, local; functions belongs to kind "local"',
    ],
    [
      'lambda.credentials',
      {
        lambda: {
          kind: 'endpoint',
          endpoint: 'http://127.0.0.1:9001',
          credentials: { accessKeyId: 'a', secretAccessKey: 'b', sessionToken: 't' },
        },
      },
      'lambda.credentials.sessionToken: not a setting of lambda.credentials, which takes accessKeyId, secretAccessKey',
    ],
    [
      'a function timeout',
      { functionTimeouts: [{ functions: ['a'], timeout: 5 }] },
      'functionTimeouts.0.timeout: not a setting of functionTimeouts.0, which takes functions, qualifiers, timeoutMs',
    ],
    [
      'rateLimit',
      { rateLimit: { operations: 5, perSeconds: 1, burst: 2 } },
      'rateLimit.burst: not a setting of rateLimit, which takes operations, perSeconds',
    ],
    [
      'clientContext',
      { clientContext: { policy: 'pass', sign: true } },
      'clientContext.sign: not a setting of clientContext, which takes policy, secret',
    ],
    [
      'limits',
      { limits: { maxDepht: 3 } },
      'limits.maxDepht: not a setting of limits, which takes maxDepth, maxIntrospectionDepth, maxAliases, maxTokens, maxCost, invocationCost',
    ],
    ['destinations', { destinations: { secrets: 'x' } }, 'destinations.secrets: not a setting of destinations, which takes path, secret'],
    [
      'redis',
      { redis: { url: 'redis://localhost:6379', prefix: 'x:' } },
      'redis.prefix: not a setting of redis, which takes url, keyPrefix',
    ],
    [
      'tracing',
      { tracing: { endpoint: 'http://collector:4318' } },
      'tracing.endpoint: not a setting of tracing, which takes serviceName, otlpEndpoint, otlpHeaders',
    ],
    [
      'persistedOperations',
      { persistedOperations: { manifest: 'm.json', allowArbitrary: true } },
      'persistedOperations.allowArbitrary: not a setting of persistedOperations, which takes manifest, allowArbitraryOperations',
    ],
    [
      'multipartSubscriptions',
      { multipartSubscriptions: { heartbeatMs: 1 } },
      'multipartSubscriptions.heartbeatMs: not a setting of multipartSubscriptions, which takes heartbeatIntervalMs',
    ],
    ['cors', { cors: { origin: 'https://app.example.com' } }, 'cors.origin: not a setting of cors, which takes origins'],
    ['catalog', { catalog: { ttlMs: 1000 } }, 'catalog.ttlMs: not a setting of catalog, which takes cacheTtlMs'],
  ];

  it.each(sections)('in %s stops start-up, naming its path and what is taken there', (_section, options, line) => {
    expect(refusal(options)).toContain(`\n  - ${line}`);
  });

  it('does not repeat the value of a stray key: it may be a misspelt secret', () => {
    const message = refusal({ destinations: { sercet: 'do-not-print' }, auth: { apiKeys: [], apiKey: 'do-not-print-either' } });
    expect(message).toContain('destinations.sercet: not a setting of destinations');
    expect(message).toContain('auth.apiKey: not a setting of auth');
    expect(message).not.toContain('do-not-print');
  });
});

describe('CORS', () => {
  it('grants loopback origins in development and nothing in production by default', () => {
    expect(resolveGatewayConfig({}).cors).toEqual({ origins: [], loopback: true, any: false });
    expect(resolveGatewayConfig(PRODUCTION).cors).toEqual({ origins: [], loopback: false, any: false });
  });

  it('a list replaces the default; "*" grants any origin', () => {
    expect(resolveGatewayConfig({ cors: { origins: ['https://app.example.com'] } }).cors).toEqual({
      origins: ['https://app.example.com'],
      loopback: false,
      any: false,
    });
    expect(resolveGatewayConfig({ ...PRODUCTION, cors: { origins: ['*'] } }).cors).toEqual({ origins: [], loopback: false, any: true });
  });

  it('refuses what is not an origin as a browser sends it', () => {
    for (const bad of [
      'https://app.example.com/',
      'app.example.com',
      'https://App.example.com',
      'ftp://files.example.com',
      'https://*.example.com',
    ]) {
      expect(refusal({ cors: { origins: [bad] } })).toContain(`cors.origins.0: must be an origin as a browser sends it`);
    }
  });
});

describe('allowed hosts', () => {
  it('checks Host against loopback names in development, and not at all in production, by default', () => {
    expect(resolveGatewayConfig({}).allowedHosts).toEqual([]);
    expect(resolveGatewayConfig(PRODUCTION).allowedHosts).toBe('any');
  });

  it('takes names (lower-cased), .domain for subdomains, and "*" to turn the check off', () => {
    expect(resolveGatewayConfig({ allowedHosts: ['Gateway.LAN', '.example.com'] }).allowedHosts).toEqual(['gateway.lan', '.example.com']);
    expect(resolveGatewayConfig({ allowedHosts: ['*'] }).allowedHosts).toBe('any');
    expect(resolveGatewayConfig({ ...PRODUCTION, allowedHosts: ['api.example.com'] }).allowedHosts).toEqual(['api.example.com']);
  });

  it('refuses a name with a port or a URL', () => {
    expect(refusal({ allowedHosts: ['gateway.lan:4000'] })).toContain('allowedHosts.0: must be a host name without a port');
    expect(refusal({ allowedHosts: ['http://gateway.lan'] })).toContain('allowedHosts.0: must be a host name without a port');
  });
});

describe('port and host', () => {
  it('default to 4000 and 127.0.0.1 (0.0.0.0 in production), and may be set', () => {
    expect(resolveGatewayConfig({})).toMatchObject({ port: 4000, host: '127.0.0.1' });
    expect(resolveGatewayConfig(PRODUCTION)).toMatchObject({ port: 4000, host: '0.0.0.0' });
    expect(resolveGatewayConfig({ port: 0, host: '::1' })).toMatchObject({ port: 0, host: '::1' });
  });

  it('refuses a port out of range and an address that is not one', () => {
    expect(refusal({ port: 65_536 })).toContain('port: Too big');
    expect(refusal({ host: 'http://0.0.0.0' })).toContain('host: must be an address to bind');
  });
});

describe('a Lambda endpoint', () => {
  it('is signed with placeholder credentials when its host is loopback, or it is marked local', () => {
    for (const endpoint of ['http://localhost:4566', 'http://127.0.0.1:9001', 'http://[::1]:9001']) {
      expect(resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint } }).lambda).toMatchObject({
        credentials: PLACEHOLDER_CREDENTIALS,
        placeholderCredentials: true,
      });
    }
    expect(resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'http://lambda:9001', local: true } }).lambda).toMatchObject({
      placeholderCredentials: true,
    });
  });

  it('otherwise uses the credentials given, or the SDK’s chain', () => {
    expect(resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'http://lambda.internal:9001' } }).lambda).toMatchObject({
      credentials: undefined,
      placeholderCredentials: false,
    });
    expect(resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:4566', local: false } }).lambda).toMatchObject({
      credentials: undefined,
      placeholderCredentials: false,
    });
    const given = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };
    expect(
      resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:4566', credentials: given } }).lambda,
    ).toMatchObject({ credentials: given, placeholderCredentials: false });
  });

  it('refuses local: true with credentials, without repeating the secret', () => {
    const message = refusal({
      lambda: {
        kind: 'endpoint',
        endpoint: 'http://lambda:9001',
        local: true,
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'do-not-print' },
      },
    });
    expect(message).toContain(
      'lambda.local: a local endpoint is signed with placeholder credentials; give local: true or credentials, not both',
    );
    expect(message).not.toContain('do-not-print');
  });
});

describe('the function catalog', () => {
  it('keeps Lambda’s answers 5 s by default; 0 keeps none', () => {
    expect(resolveGatewayConfig({}).catalog).toEqual({ cacheTtlMs: 5000 });
    expect(resolveGatewayConfig({ catalog: { cacheTtlMs: 0 } }).catalog).toEqual({ cacheTtlMs: 0 });
  });

  it('refuses a TTL that is not a whole number of milliseconds ≥ 0, naming it', () => {
    expect(refusal({ catalog: { cacheTtlMs: -1 } })).toContain('catalog.cacheTtlMs:');
    expect(refusal({ catalog: { cacheTtlMs: 1.5 } })).toContain('catalog.cacheTtlMs:');
  });
});

describe('concurrency', () => {
  it('defaults to per-function caps under a total as large as Lambda allows', () => {
    expect(resolveGatewayConfig({}).concurrency).toEqual({ total: 1000, perFunction: 250, functions: [], reservedFromLambda: false });
    expect(resolveGatewayConfig({ concurrency: { total: 100 } }).concurrency.perFunction).toBe(100);
  });

  it('asks Lambda for reserved concurrency against AWS by default, against an endpoint only when told', () => {
    const endpoint = { kind: 'endpoint', endpoint: 'http://127.0.0.1:9001', local: true } as const;
    expect(resolveGatewayConfig({ lambda: { kind: 'aws', region: 'eu-west-1' } }).concurrency.reservedFromLambda).toBe(true);
    expect(
      resolveGatewayConfig({ lambda: { kind: 'aws', region: 'eu-west-1' }, concurrency: { reservedFromLambda: false } }).concurrency
        .reservedFromLambda,
    ).toBe(false);
    expect(resolveGatewayConfig({ lambda: endpoint }).concurrency.reservedFromLambda).toBe(false);
    expect(resolveGatewayConfig({ lambda: endpoint, concurrency: { reservedFromLambda: true } }).concurrency.reservedFromLambda).toBe(true);
  });

  it('refuses a cap that the total makes unreachable, quoting both', () => {
    expect(() => resolveGatewayConfig({ concurrency: { total: 10, functions: [{ functions: ['report-*'], max: 20 }] } })).toThrow(
      'concurrency.functions.0.max: 20 is above total 10, so it is never reached: raise total or lower the cap',
    );
  });

  it('names the setting that replaced invokeConcurrency', () => {
    expect(() => resolveGatewayConfig({ invokeConcurrency: 4 } as never)).toThrow(/invokeConcurrency: not a setting.*concurrency/);
  });
});

describe('reload on edit of the built-in local Lambda', () => {
  it('watches in development unless told not to, and never in production', () => {
    expect(resolveGatewayConfig({ lambda: { kind: 'local', functions: './fns' } }).lambda).toMatchObject({ kind: 'local', watch: true });
    expect(resolveGatewayConfig({ lambda: { kind: 'local', functions: './fns', watch: false } }).lambda).toMatchObject({ watch: false });
    expect(resolveGatewayConfig({ ...PRODUCTION, lambda: { kind: 'local', functions: './fns' } }).lambda).toMatchObject({ watch: false });
    expect(resolveGatewayConfig({ ...PRODUCTION }).lambda).toMatchObject({ kind: 'local', watch: false });
    expect(resolveGatewayConfig({ ...PRODUCTION, lambda: { kind: 'local', watch: false } }).lambda).toMatchObject({ watch: false });
  });

  it('refuses watch: true in production, saying why', () => {
    expect(refusal({ ...PRODUCTION, lambda: { kind: 'local', watch: true } })).toBe(
      'invalid gateway configuration\n  - lambda.watch: production mode never reloads functions on edit (got true); remove it, or use mode: development',
    );
  });
});
