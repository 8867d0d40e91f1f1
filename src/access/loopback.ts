/**
 * What counts as this machine: names and addresses that reach only the host itself. A page on
 * another site is never served from one of them, so a request naming one is safe from DNS
 * rebinding, an origin made of one is a local development server, and a Lambda endpoint at one is
 * an emulator on this machine.
 */

/** 127.0.0.0/8, as URL normalises it (four decimal parts). */
const IPV4_LOOPBACK = /^127(?:\.\d{1,3}){3}$/;
/** IPv4-mapped 127.0.0.0/8, as URL writes it (`[::ffff:127.0.0.1]` becomes `[::ffff:7f00:1]`). */
const MAPPED_IPV4_LOOPBACK = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/;

/**
 * `hostname` as `URL` gives it (lower case, IPv6 in brackets): localhost and its subdomains
 * (RFC 6761: they never leave the machine, and browsers resolve them so), 127.0.0.0/8, [::1].
 */
export function isLoopbackHostname(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return (
    name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || IPV4_LOOPBACK.test(name) || MAPPED_IPV4_LOOPBACK.test(name)
  );
}
