/**
 * One structured log line per request (pino, JSON), under a request id that is also returned to
 * the client in `x-request-id` — a caller reporting a problem can quote it. An incoming
 * `x-request-id` (from a load balancer) is kept when it looks like an id.
 */
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';

const INCOMING_ID = /^[\w\-.:]{1,128}$/;
const REQUEST_ID_HEADER = 'x-request-id';

/** The request id of a request being handled (for the context and error reports). */
const requestIds = new WeakMap<Request, string>();

export function requestIdOf(request: Request): string | undefined {
  return requestIds.get(request);
}

export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, { readonly at: number; readonly path: string }>();
  return {
    onRequest({ request, url }) {
      const incoming = request.headers.get(REQUEST_ID_HEADER);
      requestIds.set(request, incoming !== null && INCOMING_ID.test(incoming) ? incoming : randomUUID());
      // The URL yoga has parsed already; parsing it again for the log line costs every request.
      started.set(request, { at: performance.now(), path: url.pathname });
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request);
      if (requestId !== undefined) response.headers.set(REQUEST_ID_HEADER, requestId);
      const begun = started.get(request);
      if (!logger.isLevelEnabled('info')) return;
      logger.info(
        {
          requestId,
          method: request.method,
          path: begun?.path,
          status: response.status,
          durationMs: begun === undefined ? undefined : Math.round((performance.now() - begun.at) * 100) / 100,
        },
        'request',
      );
    },
  };
}
