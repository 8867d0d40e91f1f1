/**
 * What the gateway serves to browsers, checked without one: the dashboard's files (with their
 * content security policy, and only where configured), and GraphiQL's page — self-contained,
 * with example operations that are all valid against the schema and the auth header the
 * configuration asks for — both compressed and cached (ETag, 304).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { type DocumentNode, type ExecutionResult, parse, validate } from 'graphql';
import { createClient } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../../src/config.ts';
import { EXAMPLE_OPERATIONS, graphiqlOptions } from '../../src/graphiql/example-operations.ts';
import { gatewaySchema } from '../../src/schema/index.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

// What `npm start` serves, the demo's typed fields included: the examples run against it.
const schema = gatewaySchema(resolveGatewayConfig().typedFields);

describe('the dashboard’s files', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  const get = async (pathname: string, init: RequestInit = {}): Promise<Response> =>
    gateway.running.gateway.fetch(new URL(pathname, gateway.running.url), init);

  it('serves the page at /dashboard with a policy allowing only its own scripts and connections', async () => {
    for (const pathname of ['/dashboard', '/dashboard/']) {
      const response = await get(pathname);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('content-security-policy')).toContain("connect-src 'self'");
      const html = await response.text();
      expect(html).toContain('<meta name="graphql-path" content="/graphql">');
      expect(html).not.toMatch(/(?:src|href)="https?:/);
    }
  });

  it('serves graphql-ws’s own browser build from node_modules, and the page’s scripts', async () => {
    const packageJson = createRequire(import.meta.url).resolve('graphql-ws/package.json');
    const umd = await readFile(path.join(path.dirname(packageJson), 'umd', 'graphql-ws.min.js'), 'utf8');
    const response = await get('/dashboard/graphql-ws.js');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe(umd);
    for (const file of ['dashboard.js', 'latency-chart.js']) {
      const script = await get(`/dashboard/${file}`);
      expect(script.status).toBe(200);
      expect(await script.text()).toBe(await readFile(new URL(`../../src/dashboard/${file}`, import.meta.url), 'utf8'));
    }
    expect((await get('/dashboard/dashboard.css')).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers 404 for an unknown file and 405 for anything but GET and HEAD', async () => {
    expect((await get('/dashboard/secrets.json')).status).toBe(404);
    expect((await get('/dashboard/../package.json')).status).not.toBe(200);
    const posted = await get('/dashboard', { method: 'POST', body: '{}' });
    expect(posted.status).toBe(405);
    expect(posted.headers.get('allow')).toBe('GET, HEAD');
    expect(await posted.json()).toEqual({
      errors: [{ message: 'The dashboard is read with GET', extensions: { code: 'METHOD_NOT_ALLOWED' } }],
    });
    const head = await get('/dashboard', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('sends its files compressed, with an ETag, and answers 304 when the browser’s copy is current', async () => {
    for (const pathname of ['/dashboard', '/dashboard/graphql-ws.js', '/dashboard/dashboard.css']) {
      const plain = await get(pathname);
      const text = await plain.text();
      const br = await get(pathname, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
      expect(br.headers.get('content-encoding'), pathname).toBe('br');
      expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString('utf8')).toBe(text);
      // The policy comes with every representation.
      expect(br.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(br.headers.get('cache-control')).toBe('no-cache');
      const etag = br.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await get(pathname, { headers: { 'accept-encoding': 'gzip, deflate, br', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
  });

  it('is on in development and off in production unless enabled', async () => {
    const allow = { access: { allow: [{ functions: ['echo'] }] } };
    expect(resolveGatewayConfig({}).dashboard).toBe(true);
    expect(resolveGatewayConfig({ mode: 'production', ...allow }).dashboard).toBe(false);
    expect(resolveGatewayConfig({ mode: 'production', ...allow, dashboard: true }).dashboard).toBe(true);
    const off = await startTestGateway({ mode: 'production', ...allow });
    const on = await startTestGateway({ mode: 'production', ...allow, dashboard: true });
    try {
      expect((await fetch(new URL('/dashboard', off.running.url))).status).toBe(404);
      expect((await fetch(new URL('/dashboard', on.running.url))).status).toBe(200);
    } finally {
      await Promise.all([off.close(), on.close()]);
    }
  });
});

describe('GraphiQL', () => {
  it('has example operations that are all valid against the schema, InvokeEcho first', () => {
    expect(EXAMPLE_OPERATIONS[0]?.query).toContain('mutation InvokeEcho');
    const used = new Set<string>();
    for (const example of EXAMPLE_OPERATIONS) {
      const document: DocumentNode = parse(example.query);
      expect(validate(schema, document), example.query).toEqual([]);
      for (const definition of document.definitions) if (definition.kind === 'OperationDefinition') used.add(definition.operation);
    }
    expect(used).toEqual(new Set(['query', 'mutation', 'subscription']));
  });

  it('covers every root field of the schema in its examples', () => {
    const fields = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].flatMap((type) =>
      Object.keys(type?.getFields() ?? {}),
    );
    const text = EXAMPLE_OPERATIONS.map((example) => example.query).join('\n');
    // recentInvocation (one entry by id) is the dashboard's; the others each have an example.
    expect(fields.filter((field) => !new RegExp(`\\b${field}\\(|\\b${field} \\{`).test(text))).toEqual(['recentInvocation']);
  });

  it('opens tabs with a placeholder for the credential the gateway asks for', () => {
    const sha256 = createHash('sha256').update('k').digest('hex');
    expect(JSON.parse(graphiqlOptions(resolveGatewayConfig({})).headers ?? '')).toEqual({});
    const withKeys = graphiqlOptions(resolveGatewayConfig({ auth: { apiKeys: [{ id: 'a', sha256 }] } }));
    expect(JSON.parse(withKeys.headers ?? '')).toEqual({ 'x-api-key': '<your API key>' });
    expect(withKeys.defaultTabs?.every((tab) => tab.headers === withKeys.headers)).toBe(true);
    const withJwt = graphiqlOptions(resolveGatewayConfig({ auth: { jwt: { secret: 's'.repeat(32), issuer: 'i', audience: 'a' } } }));
    expect(JSON.parse(withJwt.defaultHeaders ?? '')).toEqual({ authorization: 'Bearer <your JWT>' });
  });

  it('authenticates an operation over graphql-ws by the headers GraphiQL sends with it (extensions.headers)', async () => {
    const key = 'extensions-headers-key-0123456789';
    const gateway = await startTestGateway({ auth: { apiKeys: [{ id: 'k', sha256: createHash('sha256').update(key).digest('hex') }] } });
    const client = createClient({ url: gateway.running.url.replace(/^http/, 'ws'), retryAttempts: 0 });
    const run = (headers: Record<string, string>) =>
      new Promise<ExecutionResult>((resolve, reject) => {
        let result: ExecutionResult | undefined;
        client.subscribe(
          { query: '{ gateway { lambdaTarget } }', extensions: { headers } },
          {
            next: (value) => (result = value as ExecutionResult),
            error: (error: unknown) => resolve({ errors: error as never }),
            complete: () => (result === undefined ? reject(new Error('no result')) : resolve(result)),
          },
        );
      });
    try {
      expect((await run({ 'x-api-key': key })).data).toEqual({ gateway: { lambdaTarget: 'LOCAL' } });
      const refused = await run({ 'x-api-key': '<your API key>' });
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'UNAUTHENTICATED' });
      // The connection stays usable: an operation with credentials still runs on it.
      expect((await run({ 'X-Api-Key': key })).data).toEqual({ gateway: { lambdaTarget: 'LOCAL' } });
    } finally {
      await client.dispose();
      await gateway.close();
    }
  });

  it('opens with the Variables pane, which the tabs with variables need, and a key of its own for InvokeOnce', async () => {
    expect(graphiqlOptions(resolveGatewayConfig({})).defaultEditorToolsVisibility).toBe('variables');
    const keys = EXAMPLE_OPERATIONS.flatMap((example) => (typeof example.variables?.key === 'string' ? [example.variables.key] : []));
    expect(keys).toHaveLength(1);
    // Run after the README's example with the same key, it would be refused for a day.
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const readmeKeys = [...readme.matchAll(/idempotencyKey: "([^"]+)"/g)].map((match) => match[1]);
    expect(readmeKeys.length).toBeGreaterThan(0);
    expect(readmeKeys).not.toContain(keys[0]);
  });

  it('sends its 9 MB page compressed (brotli or gzip), with an ETag, and a reload costs a 304', async () => {
    const gateway = await startTestGateway();
    try {
      // yoga.fetch: no client in between that would decompress or cache.
      const page = (headers: Record<string, string>) =>
        gateway.running.gateway.fetch(new URL('/graphql', gateway.running.url), { headers: { accept: 'text/html', ...headers } });
      const plain = await page({});
      const html = Buffer.from(await plain.arrayBuffer());
      expect(html.length).toBeGreaterThan(5_000_000);
      expect(plain.headers.get('content-length')).toBe(String(html.length));
      const br = await page({ 'accept-encoding': 'gzip, deflate, br, zstd' });
      const compressed = Buffer.from(await br.arrayBuffer());
      expect(br.headers.get('content-encoding')).toBe('br');
      expect(compressed.length).toBeLessThan(html.length / 3);
      expect(brotliDecompressSync(compressed).equals(html)).toBe(true);
      const gzip = await page({ 'accept-encoding': 'gzip' });
      expect(gzip.headers.get('content-encoding')).toBe('gzip');
      expect(gunzipSync(Buffer.from(await gzip.arrayBuffer())).equals(html)).toBe(true);
      for (const response of [plain, br, gzip]) {
        expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
        expect(response.headers.get('cache-control')).toBe('no-cache');
        expect(response.headers.get('vary')?.split(/,\s*/)).toContain('Accept-Encoding');
      }
      const etag = br.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      const reload = await page({ 'accept-encoding': 'gzip, deflate, br, zstd', 'if-none-match': etag });
      expect(reload.status).toBe(304);
      expect(await reload.text()).toBe('');
      // A GraphQL GET is still GraphQL.
      const query = await gateway.running.gateway.fetch(new URL('/graphql?query=%7B__typename%7D', gateway.running.url), {
        headers: { accept: 'application/json', 'x-graphql-csrf': '1' },
      });
      expect(await query.json()).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await gateway.close();
    }
  });

  it('serves a page with everything inlined: nothing is loaded from elsewhere', async () => {
    const gateway = await startTestGateway();
    try {
      const response = await fetch(gateway.running.url, { headers: { accept: 'text/html' } });
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html).toContain('YogaGraphiQL.renderYogaGraphiQL');
      expect(html).not.toMatch(/<(?:script|link)[^>]+(?:src|href)=["']?https?:/);
      expect(html).not.toContain('unpkg.com');
    } finally {
      await gateway.close();
    }
  });
});

describe('the landing page', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('GET / points to GraphQL, the dashboard and the operational endpoints, as HTML to browsers and as text otherwise', async () => {
    const page = await fetch(new URL('/', gateway.running.url), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text();
    for (const pathname of ['/graphql', '/graphql/stream', '/dashboard', '/health', '/ready', '/metrics'])
      expect(html).toContain(`<a href="${pathname}">`);

    const plain = await fetch(new URL('/', gateway.running.url));
    expect(plain.status).toBe(200);
    expect(await plain.text()).toMatch(
      /\/graphql\s+GraphQL .*GraphiQL in a browser\n\s+\/graphql\/stream\s+graphql-sse.*\n\s+\/dashboard\s+the live dashboard/,
    );
  });

  it('answers an unknown path with 404 and the same pointers, and leaves every served path alone', async () => {
    const missing = await fetch(new URL('/graphiql', gateway.running.url));
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Nothing is served at /graphiql. This gateway serves:');
    expect((await fetch(new URL('/health', gateway.running.url))).status).toBe(200);
    expect((await fetch(new URL('/ready', gateway.running.url))).status).toBe(200);
    expect((await fetch(new URL('/metrics', gateway.running.url))).status).toBe(200);
    expect((await fetch(new URL('/dashboard', gateway.running.url))).status).toBe(200);
    expect((await fetch(gateway.running.url, { headers: { accept: 'text/html' } })).status).toBe(200);
  });

  it('lists only what the configuration serves', async () => {
    const bare = await startTestGateway({ mode: 'production', access: { allow: [{ functions: ['echo'] }] } });
    try {
      const text = await (await fetch(new URL('/', bare.running.url))).text();
      expect(text).not.toContain('/dashboard');
      expect(text).not.toContain('GraphiQL');
    } finally {
      await bare.close();
    }
  });
});
