/**
 * Refuses, with 403 `HOST_NOT_ALLOWED`, every request whose `Host` is not one this gateway
 * answers to (access/host-check.ts: loopback names and `allowedHosts`) — a defence against DNS
 * rebinding. yoga answers some requests before any plugin's `onRequest` runs (`/health`, the
 * GraphiQL page, CORS preflights); those are judged as their response goes out, and replaced.
 */
import type { Plugin } from 'graphql-yoga';
import { hostAllowed, hostRefusalMessage } from '../access/host-check.ts';
import { refusalResponse } from '../errors.ts';

/** Host headers seen allowed, so the common case is one lookup (bounded: the header is the caller's). */
const REMEMBERED_HOSTS = 64;

export function useHostCheck(allowedHosts: readonly string[]): Plugin {
  const allowedSeen = new Set<string>();
  const judged = new WeakSet<Request>();
  const refusal = (request: Request): Response | undefined => {
    // yoga.fetch with a URL sends no Host header: the URL's host is the one asked for.
    const host = request.headers.get('host') ?? URL.parse(request.url)?.host;
    if (host !== undefined && allowedSeen.has(host)) return undefined;
    if (hostAllowed(host, allowedHosts)) {
      if (host !== undefined && allowedSeen.size < REMEMBERED_HOSTS) allowedSeen.add(host);
      return undefined;
    }
    return refusalResponse('HOST_NOT_ALLOWED', hostRefusalMessage(host), { 'cache-control': 'no-store' });
  };
  return {
    onRequest(payload) {
      judged.add(payload.request);
      const refused = refusal(payload.request);
      if (refused !== undefined) payload.endResponse(refused);
    },
    onResponse(payload) {
      if (judged.has(payload.request)) return;
      const refused = refusal(payload.request);
      if (refused !== undefined) payload.setResponse(refused);
    },
  };
}
