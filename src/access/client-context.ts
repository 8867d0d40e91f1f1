/**
 * What a function receives as `context.clientContext`. By policy the caller's client context is
 * passed through, dropped, or replaced by one the gateway issues — naming the caller (principal)
 * and the request — signed with HMAC-SHA256 so the function can trust it, where a caller-supplied
 * one proves nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type Principal, principalId } from '../auth/authenticator.ts';

export type ClientContextPolicy = 'pass' | 'drop' | 'sign';

/** `custom.gateway` of a gateway-issued client context. */
export interface GatewayClaims {
  readonly principal: { readonly kind: Principal['kind']; readonly id: string | undefined; readonly roles: readonly string[] };
  readonly requestId: string;
  readonly issuedAt: string;
}

function canonical(claims: GatewayClaims): string {
  return JSON.stringify({ principal: claims.principal, requestId: claims.requestId, issuedAt: claims.issuedAt });
}

export function signClaims(secret: string, claims: GatewayClaims): string {
  return createHmac('sha256', secret).update(canonical(claims)).digest('base64url');
}

/**
 * For function authors: the gateway's claims from `context.clientContext`, or undefined when they
 * are missing or not signed with `secret`.
 */
export function verifyGatewayClientContext(secret: string, clientContext: unknown): GatewayClaims | undefined {
  const custom = (clientContext as { custom?: { gateway?: GatewayClaims; signature?: unknown } } | undefined)?.custom;
  if (custom?.gateway === undefined || typeof custom.signature !== 'string') return undefined;
  const expected = Buffer.from(signClaims(secret, custom.gateway));
  const given = Buffer.from(custom.signature);
  return expected.length === given.length && timingSafeEqual(expected, given) ? custom.gateway : undefined;
}

/** The client context to send, under `policy`. */
export function clientContextFor(
  policy: ClientContextPolicy,
  secret: string,
  supplied: unknown,
  principal: Principal,
  requestId: string,
): unknown {
  if (policy === 'pass') return supplied;
  if (policy === 'drop') return undefined;
  const gateway: GatewayClaims = {
    principal: {
      kind: principal.kind,
      id: principalId(principal),
      roles: principal.roles,
    },
    requestId,
    issuedAt: new Date().toISOString(),
  };
  return { custom: { gateway, signature: signClaims(secret, gateway) } };
}
