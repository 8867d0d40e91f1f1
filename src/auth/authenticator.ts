/**
 * Who is calling: an API key (stored only as its SHA-256 in the configuration) or a JWT (HMAC
 * secret or a JWKS URL, issuer and audience checked). With authentication configured, a request
 * without valid credentials is refused with UNAUTHENTICATED; without it, everyone is anonymous.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { unauthenticated } from '../errors.ts';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';

export type Principal =
  | { readonly kind: 'anonymous'; readonly roles: readonly string[] }
  | { readonly kind: 'api-key'; readonly id: string; readonly roles: readonly string[] }
  | { readonly kind: 'jwt'; readonly subject: string | undefined; readonly roles: readonly string[]; readonly claims: JWTPayload };

/** The caller's own id: the API key's name or the JWT's subject (undefined without either). */
export function principalId(principal: Principal): string | undefined {
  return principal.kind === 'api-key' ? principal.id : principal.kind === 'jwt' ? principal.subject : undefined;
}

/**
 * One key per caller for what is counted or stored per caller (idempotency keys, rate limits), the
 * same everywhere, so that one caller is never two in one place and one in another. Anonymous
 * callers share `anonymous`; a JWT without a subject is `jwt:`.
 */
export function principalKey(principal: Principal): string {
  return principal.kind === 'anonymous' ? 'anonymous' : `${principal.kind === 'api-key' ? 'key' : 'jwt'}:${principalId(principal) ?? ''}`;
}

export interface ApiKeyEntry {
  /** A name for logs and metrics; never the key. */
  readonly id: string;
  /** Hex SHA-256 of the key: `printf %s "$KEY" | sha256sum`. */
  readonly sha256: string;
  readonly roles?: readonly string[];
}

export interface JwtOptions {
  /** HMAC secret (HS256/384/512). One of `secret` and `jwksUrl`. */
  readonly secret?: string;
  /** Where the signing keys are published (RS256, ES256 …). */
  readonly jwksUrl?: string;
  readonly issuer: string;
  readonly audience: string;
  /** The claim holding the principal's roles (a string array or a space-separated string). @default "roles" */
  readonly rolesClaim?: string;
}

export interface AuthOptions {
  readonly apiKeys?: readonly ApiKeyEntry[];
  readonly jwt?: JwtOptions;
}

/** Where credentials are read from: HTTP headers, or a WebSocket's connection parameters. */
export interface Credentials {
  readonly apiKey: string | undefined;
  /** The `Authorization` value, `Bearer <jwt>`. */
  readonly authorization: string | undefined;
}

/** The credentials a request carries (the same two headers on every transport). */
export function requestCredentials(headers: Headers): Credentials {
  return { apiKey: headers.get('x-api-key') ?? undefined, authorization: headers.get('authorization') ?? undefined };
}

export const ANONYMOUS: Principal = { kind: 'anonymous', roles: [] };

export class Authenticator {
  readonly #required: boolean;
  readonly #keys: ReadonlyArray<{ id: string; digest: Buffer; roles: readonly string[] }>;
  readonly #jwt: JwtOptions | undefined;
  readonly #key: Uint8Array | ReturnType<typeof createRemoteJWKSet> | undefined;

  constructor(options: AuthOptions | undefined) {
    this.#required = options !== undefined;
    this.#keys = (options?.apiKeys ?? []).map((k) => ({ id: k.id, digest: Buffer.from(k.sha256, 'hex'), roles: k.roles ?? [] }));
    this.#jwt = options?.jwt;
    const jwt = options?.jwt;
    this.#key =
      jwt === undefined
        ? undefined
        : jwt.jwksUrl !== undefined
          ? createRemoteJWKSet(new URL(jwt.jwksUrl))
          : new TextEncoder().encode(jwt.secret ?? '');
  }

  /** The caller, or an UNAUTHENTICATED error saying what was wrong (never which key exists). */
  async authenticate(credentials: Credentials): Promise<Principal> {
    if (!this.#required) return ANONYMOUS;
    if (credentials.apiKey !== undefined && credentials.apiKey !== '') {
      const digest = createHash('sha256').update(credentials.apiKey).digest();
      const entry = this.#keys.find((k) => k.digest.length === digest.length && timingSafeEqual(k.digest, digest));
      if (entry === undefined) throw unauthenticated('The API key is not valid');
      return { kind: 'api-key', id: entry.id, roles: entry.roles };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(credentials.authorization ?? '')?.[1];
    if (bearer !== undefined && this.#jwt !== undefined && this.#key !== undefined) {
      try {
        const { payload } = await jwtVerify(bearer, this.#key as Parameters<typeof jwtVerify>[1], {
          issuer: this.#jwt.issuer,
          audience: this.#jwt.audience,
        });
        const claim = payload[this.#jwt.rolesClaim ?? 'roles'];
        const roles = Array.isArray(claim)
          ? claim.filter((r): r is string => typeof r === 'string')
          : typeof claim === 'string'
            ? claim.split(' ')
            : [];
        return { kind: 'jwt', subject: payload.sub, roles, claims: payload };
      } catch (error) {
        throw unauthenticated(`The bearer token is not valid: ${(error as Error).message}`);
      }
    }
    throw unauthenticated('Authentication required: send an x-api-key header or an Authorization: Bearer token');
  }
}
