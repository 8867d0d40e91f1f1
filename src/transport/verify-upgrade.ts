/**
 * The checks HTTP requests pass (plugins/use-host-check.ts, yoga's CORS), for a WebSocket upgrade,
 * which no yoga plugin sees: the `Host` must be one the gateway answers to (DNS rebinding), and a
 * browser's `Origin` the gateway's own or one CORS grants — browsers let any page open a
 * WebSocket anywhere, and graphql-ws runs mutations too. A refusal is a 403 with the same JSON
 * body as over HTTP.
 */
import type { IncomingMessage } from 'node:http';
import type { VerifyClientCallbackAsync } from 'ws';
import { CorsPolicy } from '../access/cors-policy.ts';
import { hostAllowed, hostRefusalMessage } from '../access/host-check.ts';
import type { ResolvedGatewayConfig } from '../config.ts';
import { GATEWAY_ERRORS, type GatewayErrorCode, refusalBody } from '../errors.ts';

export function verifyUpgrade(config: Pick<ResolvedGatewayConfig, 'allowedHosts' | 'cors'>): VerifyClientCallbackAsync<IncomingMessage> {
  const cors = new CorsPolicy(config.cors);
  const refuse = (callback: Parameters<VerifyClientCallbackAsync>[1], code: GatewayErrorCode, message: string): void =>
    callback(false, GATEWAY_ERRORS[code].status, refusalBody(code, message), {
      'Content-Type': 'application/json',
      'Cache-Control': 'no-store',
    });
  return ({ req }, callback) => {
    const host = req.headers.host;
    if (config.allowedHosts !== 'any' && !hostAllowed(host, config.allowedHosts))
      return refuse(callback, 'HOST_NOT_ALLOWED', hostRefusalMessage(host));
    const origin = req.headers.origin;
    if (!cors.allowsSocket(origin, host)) {
      return refuse(
        callback,
        'ORIGIN_NOT_ALLOWED',
        `A WebSocket from a page of ${JSON.stringify(origin)} is not accepted: browsers let any page open one, so the gateway accepts only ` +
          'its own origin and those CORS grants. To accept this one, add it to cors.origins in the configuration.',
      );
    }
    callback(true);
  };
}
