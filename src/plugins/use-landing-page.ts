/**
 * `GET /` and every path nothing else serves: a short page (plain text for clients that do not ask
 * for HTML) that says where things are, instead of a bare 404. `/` answers 200; an unknown path
 * answers 404 with the same pointers. Registered after every plugin that serves a path of its own
 * (yoga skips the remaining onRequest hooks once one has answered), so it sees only what no one
 * else took; the GraphQL endpoint and its sub-paths are left to yoga.
 */
import type { Plugin } from 'graphql-yoga';

export interface LandingPageOptions {
  readonly graphqlPath: string;
  /** graphql-sse's endpoint (under the GraphQL path, so this plugin never answers for it). */
  readonly streamPath: string;
  /** GraphiQL is served at the GraphQL path to browsers. */
  readonly graphiql: boolean;
  /** The dashboard's path, when it is served. */
  readonly dashboardPath: string | undefined;
  readonly healthPath: string;
  readonly readinessPath: string;
  readonly metricsPath: string;
}

interface Place {
  readonly path: string;
  readonly what: string;
}

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function useLandingPage(options: LandingPageOptions): Plugin {
  const places: Place[] = [
    {
      path: options.graphqlPath,
      what: options.graphiql ? 'GraphQL (POST, SSE, graphql-ws); GraphiQL in a browser' : 'GraphQL (POST, SSE, graphql-ws)',
    },
    { path: options.streamPath, what: "graphql-sse's protocol, single connection mode included" },
    ...(options.dashboardPath === undefined ? [] : [{ path: options.dashboardPath, what: 'the live dashboard of invocations' }]),
    { path: options.healthPath, what: 'liveness' },
    { path: options.readinessPath, what: 'readiness: Lambda reachable, Redis connected, not draining' },
    { path: options.metricsPath, what: 'Prometheus metrics' },
  ];
  const text = (heading: string): string => `${heading}\n\n${places.map((p) => `  ${p.path.padEnd(16)} ${p.what}`).join('\n')}\n`;
  const html = (heading: string): string =>
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>lambda-graphql-gateway</title>' +
    '<style>body{font:16px/1.5 system-ui,sans-serif;margin:3rem auto;max-width:40rem;padding:0 1rem}code{font-size:.95em}</style></head><body>' +
    `<h1>lambda-graphql-gateway</h1><p>${escapeHtml(heading)}</p><ul>` +
    places.map((p) => `<li><a href="${escapeHtml(p.path)}"><code>${escapeHtml(p.path)}</code></a> — ${escapeHtml(p.what)}</li>`).join('') +
    '</ul></body></html>';

  return {
    onRequest(payload) {
      const { url, request } = payload;
      const { pathname } = url;
      if (pathname === options.graphqlPath || pathname.startsWith(`${options.graphqlPath}/`)) return;
      const found = pathname === '/';
      const heading = found ? 'A GraphQL gateway for AWS Lambda. It serves:' : `Nothing is served at ${pathname}. This gateway serves:`;
      const wantsHtml = request.headers.get('accept')?.includes('text/html') === true;
      const body = wantsHtml ? html(heading) : text(heading);
      payload.endResponse(
        new Response(request.method === 'HEAD' ? null : body, {
          status: found && (request.method === 'GET' || request.method === 'HEAD') ? 200 : 404,
          headers: { 'content-type': wantsHtml ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8', ...SECURITY_HEADERS },
        }),
      );
    },
  };
}
