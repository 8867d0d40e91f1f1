/**
 * Idempotency keys: the first invocation made under a key is remembered (its fingerprint, then its
 * outcome) for a time to live; a replay with the same key and the same request gets that outcome
 * back without invoking again. Kept in memory, or in Redis so every instance sees the same keys.
 */
import type { Redis } from 'ioredis';
import type { StoredInvocation } from '../lambda/invocation.ts';

// Defined beside Invocation (which writes and reads it): idempotency depends on lambda/, never the
// reverse. Re-exported for the store's users.
export type { StoredInvocation };

export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'replay'; readonly stored: StoredInvocation }
  | { readonly kind: 'different-request' }
  | { readonly kind: 'in-progress' };

export interface IdempotencyStore {
  /** Claims `key` for a request with `fingerprint`, or says why it cannot be run under it. */
  claim(key: string, fingerprint: string): Promise<Claim>;
  /** Remembers the outcome of the claimed invocation. */
  complete(key: string, fingerprint: string, stored: StoredInvocation): Promise<void>;
  /** Forgets a claim whose invocation did not happen, so the caller may retry with the same key. */
  release(key: string): Promise<void>;
}

interface Entry {
  readonly fingerprint: string;
  readonly stored: StoredInvocation | undefined;
}

function decide(entry: Entry, fingerprint: string): Claim {
  if (entry.fingerprint !== fingerprint) return { kind: 'different-request' };
  return entry.stored === undefined ? { kind: 'in-progress' } : { kind: 'replay', stored: entry.stored };
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  readonly #ttlMs: number;
  readonly #entries = new Map<string, Entry & { expiresAt: number }>();

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  claim(key: string, fingerprint: string): Promise<Claim> {
    const now = Date.now();
    const entry = this.#entries.get(key);
    if (entry !== undefined && entry.expiresAt > now) return Promise.resolve(decide(entry, fingerprint));
    // Expired entries go when their key is used again, and by this sweep of a few at a time.
    for (const [old, value] of this.#entries) {
      if (value.expiresAt > now) break;
      this.#entries.delete(old);
    }
    this.#entries.set(key, { fingerprint, stored: undefined, expiresAt: now + this.#ttlMs });
    return Promise.resolve({ kind: 'claimed' });
  }

  complete(key: string, fingerprint: string, stored: StoredInvocation): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { fingerprint, stored, expiresAt: Date.now() + this.#ttlMs });
    return Promise.resolve();
  }

  release(key: string): Promise<void> {
    this.#entries.delete(key);
    return Promise.resolve();
  }
}

export class RedisIdempotencyStore implements IdempotencyStore {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(redis: Redis, ttlMs: number, keyPrefix: string) {
    this.#redis = redis;
    this.#ttlMs = ttlMs;
    this.#prefix = `${keyPrefix}idempotency:`;
  }

  async claim(key: string, fingerprint: string): Promise<Claim> {
    const entry = JSON.stringify({ fingerprint, stored: undefined } satisfies Entry);
    // SET NX: exactly one instance claims a key; the others read what it holds.
    const claimed = await this.#redis.set(this.#prefix + key, entry, 'PX', this.#ttlMs, 'NX');
    if (claimed === 'OK') return { kind: 'claimed' };
    const existing = await this.#redis.get(this.#prefix + key);
    if (existing === null) return this.claim(key, fingerprint);
    return decide(JSON.parse(existing) as Entry, fingerprint);
  }

  async complete(key: string, fingerprint: string, stored: StoredInvocation): Promise<void> {
    await this.#redis.set(this.#prefix + key, JSON.stringify({ fingerprint, stored } satisfies Entry), 'PX', this.#ttlMs);
  }

  async release(key: string): Promise<void> {
    await this.#redis.del(this.#prefix + key);
  }
}
