/**
 * One structured log line per request (pino, JSON), under a request id that is also returned to
 * the client in `x-request-id` — a caller reporting a problem can quote it. An incoming
 * `x-request-id` (from a load balancer) is kept when it looks like an id.
 */
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import { assignRequestId, REQUEST_ID_HEADER, requestIdOf } from '../http/request-id.ts';

interface Started {
  readonly at: number;
  path: string | undefined;
}

export function useRequestLog(logger: Logger): Plugin {
  const started = new WeakMap<Request, Started>();
  return {
    // Around the whole handling of every request. An onRequest hook would miss the responses
    // yoga's own plugins give before any plugin of ours runs (/health, CORS preflights): their
    // onRequest hooks come first and end the request there. onResponse sees every response.
    instrumentation: {
      request({ request }, wrapped) {
        assignRequestId(request);
        started.set(request, { at: performance.now(), path: undefined });
        return wrapped();
      },
    },
    onRequest({ request, url }) {
      // The URL yoga has parsed already; parsing it again for the log line costs every request.
      const begun = started.get(request);
      if (begun !== undefined) begun.path = url.pathname;
    },
    onResponse({ request, response }) {
      // A request replaced on the way (setRequest) has no id yet: it gets one now.
      const requestId = requestIdOf(request) ?? assignRequestId(request);
      response.headers.set(REQUEST_ID_HEADER, requestId);
      if (!logger.isLevelEnabled('info')) return;
      const begun = started.get(request);
      logger.info(
        {
          requestId,
          method: request.method,
          // Answered before any onRequest of ours: the path is parsed here, for these few only.
          path: begun?.path ?? new URL(request.url).pathname,
          status: response.status,
          durationMs: begun === undefined ? undefined : Math.round((performance.now() - begun.at) * 100) / 100,
        },
        'request',
      );
    },
  };
}
