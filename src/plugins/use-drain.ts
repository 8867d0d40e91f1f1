/**
 * Once shutdown begins, new work is refused with 503 (and `Connection: close`, so keep-alive
 * clients reconnect elsewhere) while work already under way finishes. `/health` and `/ready` keep
 * answering, so a load balancer sees the instance leave.
 */
import type { Plugin } from 'graphql-yoga';

const STILL_ANSWERED = new Set(['/health', '/ready', '/metrics']);

export function useDrain(shutdown: AbortSignal): Plugin {
  return {
    onRequest(payload) {
      if (!shutdown.aborted || STILL_ANSWERED.has(payload.url.pathname)) return;
      payload.endResponse(
        new Response(JSON.stringify({ error: 'this gateway instance is shutting down; retry on another' }), {
          status: 503,
          headers: { 'content-type': 'application/json', 'retry-after': '1', connection: 'close' },
        }),
      );
    },
  };
}
