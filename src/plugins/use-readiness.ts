/**
 * `GET /ready`: 200 when this instance can do its work — Lambda answers, Redis (when configured) is
 * connected, and it is not shutting down — else 503. The body says which check failed, so an
 * operator does not have to guess. (`/health`, yoga's own, only says the process is alive.)
 */
import type { Plugin } from 'graphql-yoga';

export interface ReadinessOptions {
  /** Resolves whether Lambda answers. */
  readonly lambdaReachable: () => Promise<boolean>;
  /** Whether the Redis connections are up; undefined when Redis is not used. */
  readonly redisReady: (() => boolean) | undefined;
  /** Aborted once shutdown began: no longer ready for new work. */
  readonly shutdown: AbortSignal;
}

/**
 * A plain path comparison on every request (yoga's useReadinessCheck runs a URLPattern per request,
 * a measurable share of the gateway's CPU).
 */
export function useReadiness(options: ReadinessOptions): Plugin {
  const check = async (): Promise<Response> => {
    const checks: Record<string, string> = {
      shutdown: options.shutdown.aborted ? 'draining' : 'running',
      lambda: (await options.lambdaReachable()) ? 'reachable' : 'unreachable',
    };
    if (options.redisReady !== undefined) checks.redis = options.redisReady() ? 'connected' : 'disconnected';
    const ready = checks.shutdown === 'running' && checks.lambda === 'reachable' && checks.redis !== 'disconnected';
    return new Response(JSON.stringify({ ready, checks }), {
      status: ready ? 200 : 503,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    });
  };
  return {
    onRequest(payload) {
      if (payload.url.pathname !== '/ready') return undefined;
      return check().then((response) => payload.endResponse(response));
    },
  };
}
