/**
 * `Vary: Origin` on every response while CORS grants some origins: the CORS headers then depend
 * on the request's `Origin` (a granted one is echoed, another gets none), so a cache must not
 * hand one origin's response to another. yoga sets no `Vary` when it echoes a single origin.
 */
import type { Plugin } from 'graphql-yoga';

export function useVaryOrigin(): Plugin {
  return {
    onResponse({ response }) {
      const vary = response.headers.get('vary');
      if (vary === null) response.headers.set('vary', 'Origin');
      else if (!/(?:^|,)\s*(?:origin|\*)\s*(?:,|$)/i.test(vary)) response.headers.set('vary', `${vary}, Origin`);
    },
  };
}
