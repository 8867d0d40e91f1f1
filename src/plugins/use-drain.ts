/**
 * Once shutdown begins, new work is refused with 503 (and `Connection: close`, so keep-alive
 * clients reconnect elsewhere) while work already under way finishes. `/health` and `/ready` keep
 * answering, so a load balancer sees the instance leave.
 */
import type { Plugin } from 'graphql-yoga';
import { refusalResponse } from '../errors.ts';

const STILL_ANSWERED = new Set(['/health', '/ready', '/metrics']);

export function useDrain(shutdown: AbortSignal): Plugin {
  return {
    onRequest(payload) {
      if (!shutdown.aborted || STILL_ANSWERED.has(payload.url.pathname)) return;
      payload.endResponse(
        refusalResponse('SHUTTING_DOWN', 'this gateway instance is shutting down; retry on another', {
          'retry-after': '1',
          connection: 'close',
        }),
      );
    },
  };
}
