/**
 * `GET /ready`: 200 when this instance can do its work — Lambda answers, Redis (when configured) is
 * connected, and it is not shutting down — else 503. The body says which check failed, so an
 * operator does not have to guess. (`/health`, yoga's own, only says the process is alive.)
 */
import type { Plugin } from 'graphql-yoga';
import type { LambdaReachability } from '../lambda/invoker.ts';

export interface ReadinessOptions {
  /** Resolves whether Lambda answers, or why nothing could be sent. */
  readonly lambda: () => Promise<LambdaReachability>;
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
    const lambda = await options.lambda();
    const checks: Record<string, string> = {
      shutdown: options.shutdown.aborted ? 'draining' : 'running',
      lambda: lambda.state,
    };
    if (options.redisReady !== undefined) checks.redis = options.redisReady() ? 'connected' : 'disconnected';
    const ready = checks.shutdown === 'running' && checks.lambda === 'reachable' && checks.redis !== 'disconnected';
    // A check that can say what to do about it does (missing credentials name what to set).
    const problems = lambda.state === 'no-credentials' ? { problems: { lambda: lambda.message } } : {};
    return new Response(JSON.stringify({ ready, checks, ...problems }), {
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
