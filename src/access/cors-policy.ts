/**
 * Which web pages on other origins may call the gateway from a browser (CORS). Development grants
 * loopback origins (a front end on localhost:5173) and no others; production none; a configured
 * list exactly its origins. A granted origin is echoed exactly, with credentials; `"*"` grants
 * every origin but never with credentials — a page the gateway did not choose never gets to use
 * the user's cookies or the browser's saved credentials.
 *
 * Browsers apply no CORS to WebSockets: any page may open one to any address. `allowsSocket`
 * holds an upgrade to the same rule, plus the gateway's own origin (GraphiQL and the dashboard
 * subscribe over graphql-ws from it).
 */
import type { CORSOptions } from 'graphql-yoga';
import type { ResolvedCors } from '../config.ts';
import { isLoopbackHostname } from './loopback.ts';

/** How long a browser may keep a granted preflight (Chromium caps it at 2 hours). */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

export class CorsPolicy {
  readonly #config: ResolvedCors;

  constructor(config: ResolvedCors) {
    this.#config = config;
  }

  /** Whether any origin is granted: then every response depends on `Origin` (`Vary: Origin`). */
  get grantsAny(): boolean {
    return this.#config.any || this.#config.loopback || this.#config.origins.length > 0;
  }

  /** Whether a page of `origin` (as the browser sent it) may call the gateway. */
  grants(origin: string): boolean {
    return this.#config.any || this.#config.origins.includes(origin) || (this.#config.loopback && isLoopbackOrigin(origin));
  }

  /**
   * yoga's `cors` option: `false` (no CORS headers at all) for a request without a granted
   * `Origin`, so a preflight from another site is answered without granting anything.
   */
  readonly yogaOptions = (request: Request): CORSOptions => {
    const origin = request.headers.get('origin');
    if (origin === null || !this.grants(origin)) return false;
    // A single origin string: yoga echoes it as it is (a list would be matched, `*` reflected).
    return { origin, credentials: !this.#config.any, methods: ['GET', 'POST'], maxAge: PREFLIGHT_MAX_AGE_SECONDS };
  };

  /**
   * Whether a WebSocket upgrade may proceed: no `Origin` (not a browser), the gateway's own origin
   * (its host is the request's `Host`; the scheme may differ behind a TLS-terminating proxy), or
   * a granted one.
   */
  allowsSocket(origin: string | undefined, host: string | undefined): boolean {
    if (origin === undefined) return true;
    return (host !== undefined && hostOfOrigin(origin) === host.toLowerCase()) || this.grants(origin);
  }
}

function hostOfOrigin(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** http(s)://localhost:*, *.localhost, 127.0.0.0/8, [::1]. `null` (a sandboxed page, a file) is not. */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && isLoopbackHostname(url.hostname);
  } catch {
    return false;
  }
}
