/**
 * What the gateway's HTTP handling decides, in the unit tier through `gateway.fetch`: GraphiQL,
 * syntax errors, CSRF prevention, the request body limit, request ids and the request log. What
 * needs a real socket, the real SDK or a process — a chunked body, the invocation deadline, an
 * unreachable Lambda, `npm start`, a client going away — stays in http.integration.test.ts.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleUnitGateway, GRAPHQL_URL, type UnitGateway } from '../helpers/unit-gateway.ts';

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway();
});
afterAll(() => gateway.close());

/** A gateway whose request log lines are collected, parsed. */
async function loggedGateway(): Promise<{ logged: UnitGateway; lines: Array<Record<string, unknown>> }> {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logged: await assembleUnitGateway({ overrides: { logger } }), lines };
}

describe('over HTTP', () => {
  it('serves GraphiQL with a ready operation that invokes echo with Tail logs', async () => {
    const response = await gateway.fetch('/graphql', { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const page = await response.text();
    expect(page).toContain('lambda-graphql-gateway');
    expect(page).toContain('mutation InvokeEcho');
    expect(page).toContain('functionName: \\"echo\\"');
    expect(page).toContain('logType: TAIL');
    // Subscriptions from GraphiQL go over graphql-ws on the same path.
    expect(page).toMatch(/"subscriptionsProtocol":\s*"WS"/);
  });

  it('a GraphQL syntax error is a 400 with a client error, and nothing is invoked', async () => {
    const response = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query: 'mutation { invokeFunction(' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { errors: Array<{ message: string }> };
    expect(body.errors[0]?.message).toMatch(/^Syntax Error/);
    expect(gateway.invoker.calls).toHaveLength(0);
  });
});

describe('cross-site request forgery protection', () => {
  const operation = `${encodeURIComponent('{ gateway { region } }')}`;

  it('refuses an operation a browser could send from another site without asking', async () => {
    const get = await gateway.fetch(`/graphql?query=${operation}`);
    expect(get.status).toBe(403);
    expect(await get.json()).toMatchObject({ errors: [{ extensions: { code: 'CSRF_HEADER_REQUIRED' } }] });
    const form = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });
    expect(form.status).toBe(403);
  });

  it('lets the same operation through with a header only a permitted script can set', async () => {
    const get = await gateway.fetch(`/graphql?query=${operation}`, {
      headers: { 'x-graphql-csrf': '1', accept: 'application/json' },
    });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { gateway: { region: 'us-east-1' } } });
  });
});

describe('the request body limit', () => {
  it('refuses a body over the limit from its Content-Length, saying by how much, before reading it', async () => {
    const small = await assembleUnitGateway({ config: { maxRequestBodyBytes: 4096 } });
    try {
      const body = JSON.stringify({ query: '{ gateway { region } }', variables: { pad: 'x'.repeat(5000) } });
      const size = Buffer.byteLength(body);
      // Set as an HTTP client sets it; `gateway.fetch` adds nothing of its own.
      const response = await small.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'content-length': String(size) },
        body,
      });
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({
        errors: [
          {
            message: `The request body is ${size} bytes, over the limit of 4096 bytes by ${size - 4096} bytes`,
            extensions: { code: 'REQUEST_TOO_LARGE' },
          },
        ],
      });
    } finally {
      await small.close();
    }
  });
});

describe('request ids and the request log', () => {
  it('returns a request id to the client, keeps a load balancer’s, and logs one line per request under it', async () => {
    const { logged, lines } = await loggedGateway();
    try {
      const first = await logged.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ gateway { region } }' }),
      });
      const id = first.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      const second = await logged.fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'lb-1234' },
        body: JSON.stringify({ query: '{ gateway { region } }' }),
      });
      expect(second.headers.get('x-request-id')).toBe('lb-1234');
      expect(lines.filter((line) => line.msg === 'request').map((line) => [line.requestId, line.method, line.path, line.status])).toEqual([
        [id, 'POST', '/graphql', 200],
        ['lb-1234', 'POST', '/graphql', 200],
      ]);
    } finally {
      await logged.close();
    }
  });
});

describe('request ids and the request log for responses answered early', () => {
  it('gives /health, GraphiQL, the dashboard, /ready, a CORS preflight and a 404 an x-request-id and a full log line', async () => {
    const { logged, lines } = await loggedGateway();
    const origin = new URL(GRAPHQL_URL).origin;
    const requests: Array<[string, string, Record<string, string>]> = [
      ['GET', '/health', {}],
      ['GET', '/graphql', { accept: 'text/html' }],
      ['GET', '/dashboard', {}],
      ['GET', '/ready', {}],
      ['OPTIONS', '/graphql', { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' }],
      ['GET', '/no-such-page', {}],
    ];
    try {
      const answered: Array<[string | null, string, string, number]> = [];
      for (const [method, pathname, headers] of requests) {
        const response = await logged.fetch(pathname, { method, headers });
        await response.arrayBuffer();
        answered.push([response.headers.get('x-request-id'), method, pathname, response.status]);
      }
      const uuid: unknown = expect.stringMatching(/^[0-9a-f-]{36}$/);
      const status: unknown = expect.any(Number);
      expect(answered).toEqual(requests.map(([method, pathname]): unknown[] => [uuid, method, pathname, status]));
      const logLines = lines.filter((line) => line.msg === 'request');
      expect(logLines.map((line) => [line.requestId, line.method, line.path, line.status])).toEqual(answered);
      for (const line of logLines) expect(line.durationMs).toEqual(expect.any(Number));
      // A load balancer's id is kept for these too.
      const health = await logged.fetch('/health', { headers: { 'x-request-id': 'lb-health-1' } });
      expect(health.headers.get('x-request-id')).toBe('lb-health-1');
    } finally {
      await logged.close();
    }
  });
});
