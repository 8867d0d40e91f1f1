/**
 * DNS rebinding: a page on evil.example, its name made to resolve to 127.0.0.1 once loaded, calls
 * a gateway on this machine as its own origin — CORS does not stop that — but its requests say
 * `Host: evil.example`. Answering only names this gateway is known by shuts such pages out.
 * Loopback names are always answered: a page served from one is this machine's own.
 */
import { isLoopbackHostname } from './loopback.ts';

/** What may stand in a Host header: a name or IPv4 address, or a bracketed IPv6 one, and a port. */
const HOST_HEADER = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/** `allowed`: lower-case names, `.example.com` for the name and its subdomains. */
export function hostAllowed(host: string | undefined, allowed: readonly string[]): boolean {
  if (host === undefined || !HOST_HEADER.test(host)) return false;
  let hostname: string;
  try {
    // Normalised as a browser would: lower case, 127.1 → 127.0.0.1, IPv6 compressed.
    hostname = new URL(`http://${host}`).hostname.replace(/\.$/, '');
  } catch {
    return false;
  }
  return (
    isLoopbackHostname(hostname) ||
    allowed.some((entry) => (entry.startsWith('.') ? hostname === entry.slice(1) || hostname.endsWith(entry) : hostname === entry))
  );
}

/** The HOST_NOT_ALLOWED message: names the Host it got and the configuration key that would admit it. */
export function hostRefusalMessage(host: string | undefined): string {
  const name = host === undefined ? 'no Host header' : `the Host ${JSON.stringify(host)}`;
  return (
    `This gateway does not answer to ${name}: it answers loopback names (localhost, 127.0.0.1, [::1]) and those in allowedHosts, ` +
    'so that a web page cannot reach it through a name of its own (DNS rebinding). ' +
    `To reach it by this name, add the name to allowedHosts in the configuration (for example allowedHosts: ["${hostnameForHint(host)}"]; "*" answers any).`
  );
}

function hostnameForHint(host: string | undefined): string {
  if (host === undefined || !HOST_HEADER.test(host)) return 'gateway.internal';
  return host.replace(/:\d+$/, '').toLowerCase();
}
