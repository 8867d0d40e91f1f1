/**
 * `GET /dashboard`: the live dashboard, a small static web page (src/dashboard/) that uses only
 * the gateway's public GraphQL API — `fetch` for queries and mutations, graphql-ws for the live
 * feed. The graphql-ws client is the library's own browser build, served from node_modules: no
 * build step, no CDN (the page works on a machine without internet).
 *
 * The files are read once, when the gateway is built, and sent compressed and with ETags
 * (http/static-asset.ts). The page's content security policy allows only its own scripts and
 * styles and connections back to this origin.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../errors.ts';
import { StaticAsset } from '../http/static-asset.ts';

export const DASHBOARD_PATH = '/dashboard';

export interface DashboardOptions {
  /** Where the page finds the GraphQL API (HTTP and WebSocket). */
  readonly graphqlPath: string;
}

const DASHBOARD_FILES = new URL('../dashboard/', import.meta.url);

function graphqlWsBrowserBuild(): string {
  const packageJson = createRequire(import.meta.url).resolve('graphql-ws/package.json');
  return readFileSync(path.join(path.dirname(packageJson), 'umd', 'graphql-ws.min.js'), 'utf8');
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function useDashboard(options: DashboardOptions): Plugin {
  const file = (name: string): string => readFileSync(new URL(name, DASHBOARD_FILES), 'utf8');
  const staticAsset = (body: string, contentType: string): StaticAsset => new StaticAsset(body, { contentType, headers: SECURITY_HEADERS });
  // The page reads the GraphQL path from its own markup, so it follows the gateway's.
  const page = staticAsset(file('index.html').replaceAll('__GRAPHQL_PATH__', options.graphqlPath), 'text/html; charset=utf-8');
  const assets = new Map<string, StaticAsset>([
    [DASHBOARD_PATH, page],
    [`${DASHBOARD_PATH}/`, page],
    [`${DASHBOARD_PATH}/dashboard.js`, staticAsset(file('dashboard.js'), 'text/javascript; charset=utf-8')],
    [`${DASHBOARD_PATH}/latency-chart.js`, staticAsset(file('latency-chart.js'), 'text/javascript; charset=utf-8')],
    [`${DASHBOARD_PATH}/dashboard.css`, staticAsset(file('dashboard.css'), 'text/css; charset=utf-8')],
    [`${DASHBOARD_PATH}/graphql-ws.js`, staticAsset(graphqlWsBrowserBuild(), 'text/javascript; charset=utf-8')],
  ]);
  return {
    onRequest(payload) {
      const { url, request } = payload;
      // A plain prefix test first: every other request pays only this.
      if (url.pathname !== DASHBOARD_PATH && !url.pathname.startsWith(`${DASHBOARD_PATH}/`)) return;
      const asset = assets.get(url.pathname);
      if (asset === undefined) {
        payload.endResponse(new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
        return;
      }
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        payload.endResponse(refusalResponse('METHOD_NOT_ALLOWED', 'The dashboard is read with GET', { allow: 'GET, HEAD' }));
        return;
      }
      return asset.respond(request).then((response) => payload.endResponse(response));
    },
  };
}
