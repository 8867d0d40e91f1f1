/**
 * Which web pages may open a WebSocket to the gateway, on a real port: the upgrade is judged by
 * the server (transport/verify-upgrade.ts) before yoga sees it, so it needs a socket. In
 * development an upgrade whose Host is not a loopback name, or from a page CORS does not grant, is
 * refused with the same JSON refusal as HTTP; in production the own origin behind a TLS proxy is
 * accepted. CORS and Host checks on HTTP requests are tested in the unit tier
 * (cors-and-hosts.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { GatewayOptions } from '../../src/config.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';

const FOREIGN = 'https://evil.example';
const PRODUCTION: GatewayOptions = { mode: 'production', access: { allow: [{ functions: ['echo'] }] } };

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

describe('in development (the default)', () => {
  let gateway: TestGateway;
  let own: { host: string; origin: string };
  beforeAll(async () => {
    gateway = await startTestGateway();
    const url = new URL(gateway.running.url);
    own = { host: url.host, origin: url.origin };
  });
  afterAll(() => gateway.close());

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
  it('cors.origins grants exactly those origins: the WebSocket upgrade', async () => {
    const gateway = await startTestGateway({ cors: { origins: ['https://app.example.com', 'http://localhost:3000'] } });
    try {
      expect(await upgrade(gateway, { origin: 'https://app.example.com' })).toBe('open');
      expect(await upgrade(gateway, { origin: FOREIGN })).toMatchObject({ status: 403 });
    } finally {
      await gateway.close();
    }
  });

  it('allowedHosts admits a name: the WebSocket upgrade', async () => {
    const gateway = await startTestGateway({ allowedHosts: ['gateway.lan', '.dev.example'] });
    try {
      expect(await upgrade(gateway, { host: 'gateway.lan' })).toBe('open');
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

  it('refuses a WebSocket from a foreign page, and accepts one from its own origin behind a TLS proxy', async () => {
    expect(await upgrade(gateway, { host: 'api.example.com', origin: FOREIGN })).toMatchObject({
      status: 403,
      body: { errors: [{ extensions: { code: 'ORIGIN_NOT_ALLOWED' } }] },
    });
    expect(await upgrade(gateway, { host: 'api.example.com', origin: 'https://api.example.com' })).toBe('open');
  });

  it('checks Host when allowedHosts is set: the WebSocket upgrade', async () => {
    const checked = await startTestGateway({ ...PRODUCTION, allowedHosts: ['api.example.com'] });
    try {
      expect(await upgrade(checked, { host: 'evil.example' })).toMatchObject({
        status: 403,
        body: { errors: [{ extensions: { code: 'HOST_NOT_ALLOWED' } }] },
      });
    } finally {
      await checked.close();
    }
  });
});
