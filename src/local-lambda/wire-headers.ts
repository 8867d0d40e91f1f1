/** Small pieces of the HTTP face shared by the Invoke routes (routes.ts, stream-route.ts). */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function headerValue(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `Root=1-<epoch seconds hex>-<96 random bits>;Sampled=0`, the X-Ray shape. */
export function traceId(): string {
  return `root=1-${Math.floor(Date.now() / 1000).toString(16)}-${randomBytes(12).toString('hex')};sampled=0`;
}
