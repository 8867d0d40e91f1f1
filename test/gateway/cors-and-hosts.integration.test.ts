/**
 * Which web pages may use the gateway, over real HTTP and WebSocket on port 0: CORS grants only
 * the origins the configuration names (development: loopback; production: none), exactly and with
 * `Vary: Origin`, never credentials with "*"; and in development a request — GraphQL, GraphiQL,
 * the dashboard, a preflight, a WebSocket upgrade — whose Host is not a loopback name is refused
 * (DNS rebinding). Requests are made with node:http, which sends Origin and Host as given.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GatewayOptions } from '../../src/config.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const QUERY = JSON.stringify({ query: '{ gateway { region } }' });
const FOREIGN = 'https://evil.example';
const PRODUCTION: GatewayOptions = { mode: 'production', access: { allow: [{ functions: ['echo'] }] } };

/** One request to the gateway's port, with exactly these headers (Host included, when given). */
function send(gateway: TestGateway, method: string, path: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  const { port } = new URL(gateway.running.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ host: '127.0.0.1', port, method, path, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: text }));
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

const post = (gateway: TestGateway, headers: Record<string, string>): Promise<Answer> =>
  send(gateway, 'POST', '/graphql', { 'content-type': 'application/json', ...headers }, QUERY);

const preflight = (gateway: TestGateway, origin: string, headers: Record<string, string> = {}): Promise<Answer> =>
  send(gateway, 'OPTIONS', '/graphql', {
    origin,
    'access-control-request-method': 'POST',
    'access-control-request-headers': 'content-type, x-api-key',
    ...headers,
  });

/** A WebSocket upgrade with these headers: `open`, or the status and JSON body it was refused with. */
function upgrade(gateway: TestGateway, headers: Record<string, string>): Promise<'open' | { status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(gateway.running.url.replace(/^http/, 'ws'), 'graphql-transport-ws', { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
    });
    socket.once('error', reject);
  });
}

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
  let gateway: TestGateway;
  let own: { host: string; origin: string };
  beforeAll(async () => {
    gateway = await startTestGateway();
    const url = new URL(gateway.running.url);
    own = { host: url.host, origin: url.origin };
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
    const host = `evil.example:${new URL(gateway.running.url).port}`;
    expectHostRefused(await post(gateway, { host }), host);
    expectHostRefused(await send(gateway, 'GET', '/graphql', { host, accept: 'text/html' }), host);
    expectHostRefused(await send(gateway, 'GET', '/dashboard', { host }), host);
    expectHostRefused(await send(gateway, 'GET', '/health', { host }), host);
    expectHostRefused(await preflight(gateway, 'http://evil.example', { host }), host);
  });

  it('answers every loopback name: localhost, its subdomains, 127.0.0.0/8, [::1]', async () => {
    const { port } = new URL(gateway.running.url);
    for (const host of [
      `localhost:${port}`,
      `app.localhost:${port}`,
      `127.0.0.1:${port}`,
      `127.1.2.3:${port}`,
      `[::1]:${port}`,
      'LOCALHOST',
    ]) {
      expect((await post(gateway, { host })).status).toBe(200);
    }
  });

  it('refuses a WebSocket upgrade under a foreign Host, or from a foreign page, with the same JSON refusal', async () => {
    const host = `evil.example:${new URL(gateway.running.url).port}`;
    const rebound = await upgrade(gateway, { host });
    expect(rebound).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'HOST_NOT_ALLOWED' } }] } });
    const foreign = await upgrade(gateway, { origin: FOREIGN });
    expect(foreign).toMatchObject({ status: 403, body: { errors: [{ extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] } });
    expect(JSON.stringify(foreign)).toContain('cors.origins');
  });

  it('accepts a WebSocket from its own pages, from localhost, and from a client that is not a browser', async () => {
    expect(await upgrade(gateway, { origin: own.origin })).toBe('open');
    expect(await upgrade(gateway, { origin: 'http://localhost:5173' })).toBe('open');
    expect(await upgrade(gateway, {})).toBe('open');
  });
});

describe('configured', () => {
  it('cors.origins grants exactly those origins, with credentials, and no longer localhost', async () => {
    const gateway = await startTestGateway({ cors: { origins: ['https://app.example.com', 'http://localhost:3000'] } });
    try {
      expectGrantedWithCredentials(await preflight(gateway, 'https://app.example.com'), 'https://app.example.com');
      expectGrantedWithCredentials(await post(gateway, { origin: 'http://localhost:3000' }), 'http://localhost:3000');
      expect(corsHeaders(await post(gateway, { origin: 'http://localhost:5173' }))).toEqual({});
      expect(corsHeaders(await preflight(gateway, FOREIGN))).toEqual({});
      expect(await upgrade(gateway, { origin: 'https://app.example.com' })).toBe('open');
      expect(await upgrade(gateway, { origin: FOREIGN })).toMatchObject({ status: 403 });
    } finally {
      await gateway.close();
    }
  });

  it('"*" grants any origin, never with credentials', async () => {
    const gateway = await startTestGateway({ cors: { origins: ['*'] } });
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
    const gateway = await startTestGateway({ allowedHosts: ['gateway.lan', '.dev.example'] });
    try {
      for (const host of ['gateway.lan', 'Gateway.LAN:4000', 'dev.example', 'a.b.dev.example:80', 'localhost']) {
        expect((await post(gateway, { host })).status).toBe(200);
      }
      expect(await upgrade(gateway, { host: 'gateway.lan' })).toBe('open');
      expectHostRefused(await post(gateway, { host: 'evildev.example' }), 'evildev.example');
      expectHostRefused(await post(gateway, { host: 'gateway.lan.evil.example' }), 'gateway.lan.evil.example');
    } finally {
      await gateway.close();
    }
  });
});

describe('in production', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(PRODUCTION);
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

  it('refuses a WebSocket from a foreign page, and accepts one from its own origin behind a TLS proxy', async () => {
    expect(await upgrade(gateway, { host: 'api.example.com', origin: FOREIGN })).toMatchObject({
      status: 403,
      body: { errors: [{ extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] },
    });
    expect(await upgrade(gateway, { host: 'api.example.com', origin: 'https://api.example.com' })).toBe('open');
  });

  it('checks Host when allowedHosts is set', async () => {
    const checked = await startTestGateway({ ...PRODUCTION, allowedHosts: ['api.example.com'] });
    try {
      expect((await post(checked, { host: 'api.example.com' })).status).toBe(200);
      expectHostRefused(await post(checked, { host: 'evil.example' }), 'evil.example');
      expect(await upgrade(checked, { host: 'evil.example' })).toMatchObject({
        status: 403,
        body: { errors: [{ extensions: { code: 'HOST_NOT_ALLOWED' } }] },
      });
    } finally {
      await checked.close();
    }
  });
});
