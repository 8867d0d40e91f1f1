/**
 * Cross-site request forgery protection. A browser sends some requests to another site without
 * asking it first (no CORS preflight): GETs, and POSTs whose content type is a form or plain text.
 * Such a request may carry the user's cookies, so one that would run an operation must prove it
 * was made by a script allowed to set headers: it needs one of the headers below. JSON POSTs (what
 * every GraphQL client sends) are preflighted by browsers and pass untouched.
 *
 * Why not `@graphql-yoga/plugin-csrf-prevention` (its `requestHeaders` takes the list below): it
 * checks in `onRequestParse`, which runs only for yoga's own endpoint, while graphql-sse's
 * `/graphql/stream` is answered earlier, in `onRequest` (use-graphql-sse.ts), so that path would go
 * unguarded; it refuses every non-preflighted request, including a GET without an operation (the
 * GraphiQL page, a graphql-sse stream opened with its token), where this rule refuses only what
 * would run one; and it answers with its own message and no `code`, where clients (and tests) read
 * `CSRF_HEADER_REQUIRED` and the headers to add.
 */
import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../errors.ts';

/** Any of these marks a request as not "simple" (Apollo Client sends the second for GETs). */
export const CSRF_HEADERS = ['x-graphql-csrf', 'apollo-require-preflight', 'x-apollo-operation-name', 'graphql-preflight'] as const;
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/** `paths`: where operations run (the GraphQL path, and graphql-sse's). */
export function useCsrfPrevention(paths: readonly string[]): Plugin {
  return {
    onRequest(payload) {
      const { request, url } = payload;
      if (!paths.includes(url.pathname)) return;
      const contentType = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      // A GET without an operation runs nothing: the GraphiQL page, or a graphql-sse stream whose
      // operations are POSTed with its token. Only GET, HEAD and POST are ever sent without a
      // preflight: graphql-sse's PUT (a reservation) and DELETE (a stop) always ask first.
      const method = request.method;
      const simple =
        method === 'GET' || method === 'HEAD'
          ? url.searchParams.has('query')
          : method === 'POST' && (contentType === '' || SIMPLE_CONTENT_TYPES.includes(contentType));
      if (!simple || CSRF_HEADERS.some((name) => request.headers.has(name))) return;
      payload.endResponse(
        refusalResponse(
          'CSRF_HEADER_REQUIRED',
          `This request could come from another site without its consent: send it as application/json, or add one of the headers ${CSRF_HEADERS.join(', ')}`,
        ),
      );
    },
  };
}
