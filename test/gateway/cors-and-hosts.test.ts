/**
 * Which web pages may use the gateway, in the unit tier: CORS grants only the origins the
 * configuration names (development: loopback; production: none), exactly and with `Vary: Origin`,
 * never credentials with "*"; and in development a request — GraphQL, GraphiQL, the dashboard,
 * /health, a preflight — whose Host is not a loopback name is refused (DNS rebinding). Requests go
 * through `gateway.fetch`, which passes Origin and Host as given (Node's Request does not forbid
 * them). WebSocket upgrades are judged by the server before yoga: they stay in
 * cors-and-hosts.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GatewayOptions } from '../../src/config.ts';
import { assembleUnitGateway, GRAPHQL_URL, type UnitGateway } from '../helpers/unit-gateway.ts';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | undefined>;
  readonly body: string;
}

const QUERY = JSON.stringify({ query: '{ gateway { region } }' });
const FOREIGN = 'https://evil.example';
const PRODUCTION: GatewayOptions = { mode: 'production', access: { allow: [{ functions: ['echo'] }] } };
/** A port as a browser would put it in Host; nothing listens in the unit tier. */
const PORT = 4000;

/** One request to the gateway, with exactly these headers (Host included, when given). */
async function send(gateway: UnitGateway, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const response = await gateway.fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

const post = (gateway: UnitGateway, headers: Record<string, string>): Promise<Answer> =>
  send(gateway, 'POST', '/graphql', { 'content-type': 'application/json', ...headers }, QUERY);

const preflight = (gateway: UnitGateway, origin: string, headers: Record<string, string> = {}): Promise<Answer> =>
  send(gateway, 'OPTIONS', '/graphql', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, x-api-key',
    ...headers,
  });

function corsHeaders(answer: Answer): Record<string, unknown> {
  return Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name.startsWith('access-control-')));
}

function expectGrantedWithCredentials(answer: Answer, origin: string): void {
  expect(answer.headers['access-control-allow-origin']).toBe(origin);
  expect(answer.headers['access-control-allow-credentials']).toBe('true');
  expect(answer.headers.vary).toMatch(/\bOrigin\b/);
}

function expectHostRefused(answer: Answer, host: string): void {
  expect(answer.status).toBe(403);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  const body = JSON.parse(answer.body) as { errors: Array<{ message: string; extensions: { code: string } }> };
  expect(body.errors[0]?.extensions.code).toBe('HOST_NOT_ALLOWED');
  expect(body.errors[0]?.message).toContain(`Host ${JSON.stringify(host)}`);
  expect(body.errors[0]?.message).toContain('allowedHosts');
}

describe('in development (the default)', () => {
  let gateway: UnitGateway;
  const own = { origin: new URL(GRAPHQL_URL).origin };
  beforeAll(async () => {
    gateway = await assembleUnitGateway();
  });
  afterAll(() => gateway.close());

  it('gives a page of another site no CORS access: nothing on its request, nothing on its preflight', async () => {
    const answer = await post(gateway, { origin: FOREIGN, cookie: 'session=1' });
    expect(answer.status).toBe(200);
    expect(corsHeaders(answer)).toEqual({});
    const asked = await preflight(gateway, FOREIGN);
    expect(corsHeaders(asked)).toEqual({});
    expect(asked.headers.vary).toMatch(/\bOrigin\b/);
  });

  it('grants pages on loopback origins exactly, with credentials, varying by Origin', async () => {
    for (const origin of ['http://localhost:5173', 'https://app.localhost', 'http://127.0.0.1:3000', 'http://[::1]:8080', own.origin]) {
      const asked = await preflight(gateway, origin);
      expect(asked.status).toBe(204);
      expectGrantedWithCredentials(asked, origin);
      expect(asked.headers['access-control-allow-methods']).toContain('POST');
      const answer = await post(gateway, { origin, cookie: 'session=1' });
      expect(answer.status).toBe(200);
      expectGrantedWithCredentials(answer, origin);
      expect(JSON.parse(answer.body)).toEqual({ data: { gateway: { region: 'us-east-1' } } });
    }
  });

  it('refuses a request under a foreign Host, naming it and allowedHosts: GraphQL, GraphiQL, the dashboard, /health, a preflight', async () => {
    const host = `evil.example:${PORT}`;
    expectHostRefused(await post(gateway, { host }), host);
    expectHostRefused(await send(gateway, 'GET', '/graphql', { host, accept: 'text/html' }), host);
    expectHostRefused(await send(gateway, 'GET', '/dashboard', { host }), host);
    expectHostRefused(await send(gateway, 'GET', '/health', { host }), host);
    expectHostRefused(await preflight(gateway, 'http://evil.example', { host }), host);
  });

  it('answers every loopback name: localhost, its subdomains, 127.0.0.0/8, [::1]', async () => {
    for (const host of [
      `localhost:${PORT}`,
      `app.localhost:${PORT}`,
      `127.0.0.1:${PORT}`,
      `127.1.2.3:${PORT}`,
      `[::1]:${PORT}`,
      'LOCALHOST',
    ]) {
      expect((await post(gateway, { host })).status).toBe(200);
    }
  });
});

describe('configured', () => {
  it('cors.origins grants exactly those origins, with credentials, and no longer localhost', async () => {
    const gateway = await assembleUnitGateway({ config: { cors: { origins: ['https://app.example.com', 'http://localhost:3000'] } } });
    try {
      expectGrantedWithCredentials(await preflight(gateway, 'https://app.example.com'), 'https://app.example.com');
      expectGrantedWithCredentials(await post(gateway, { origin: 'http://localhost:3000' }), 'http://localhost:3000');
      expect(corsHeaders(await post(gateway, { origin: 'http://localhost:5173' }))).toEqual({});
      expect(corsHeaders(await preflight(gateway, FOREIGN))).toEqual({});
    } finally {
      await gateway.close();
    }
  });

  it('"*" grants any origin, never with credentials', async () => {
    const gateway = await assembleUnitGateway({ config: { cors: { origins: ['*'] } } });
    try {
      for (const answer of [await preflight(gateway, FOREIGN), await post(gateway, { origin: FOREIGN, cookie: 'session=1' })]) {
        expect(answer.headers['access-control-allow-origin']).toBe(FOREIGN);
        expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
        expect(answer.headers.vary).toMatch(/\bOrigin\b/);
      }
    } finally {
      await gateway.close();
    }
  });

  it('allowedHosts admits a name and, with a leading dot, a domain and its subdomains; others stay refused', async () => {
    const gateway = await assembleUnitGateway({ config: { allowedHosts: ['gateway.lan', '.dev.example'] } });
    try {
      for (const host of ['gateway.lan', 'Gateway.LAN:4000', 'dev.example', 'a.b.dev.example:80', 'localhost']) {
        expect((await post(gateway, { host })).status).toBe(200);
      }
      expectHostRefused(await post(gateway, { host: 'evildev.example' }), 'evildev.example');
      expectHostRefused(await post(gateway, { host: 'gateway.lan.evil.example' }), 'gateway.lan.evil.example');
    } finally {
      await gateway.close();
    }
  });
});

describe('in production', () => {
  let gateway: UnitGateway;
  beforeAll(async () => {
    gateway = await assembleUnitGateway({ config: PRODUCTION });
  });
  afterAll(() => gateway.close());

  it('gives no origin CORS access, not even localhost', async () => {
    for (const origin of [FOREIGN, 'http://localhost:5173']) {
      expect(corsHeaders(await preflight(gateway, origin))).toEqual({});
      const answer = await post(gateway, { origin, cookie: 'session=1' });
      expect(answer.status).toBe(200);
      expect(corsHeaders(answer)).toEqual({});
    }
  });

  it('answers any Host (a load balancer sits in front)', async () => {
    expect((await post(gateway, { host: 'api.example.com' })).status).toBe(200);
  });

  it('checks Host when allowedHosts is set', async () => {
    const checked = await assembleUnitGateway({ config: { ...PRODUCTION, allowedHosts: ['api.example.com'] } });
    try {
      expect((await post(checked, { host: 'api.example.com' })).status).toBe(200);
      expectHostRefused(await post(checked, { host: 'evil.example' }), 'evil.example');
    } finally {
      await checked.close();
    }
  });
});
