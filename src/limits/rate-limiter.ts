/**
 * Per-principal rate limits: each caller (an API key, a JWT subject, or an anonymous client by its
 * address) may run so many GraphQL operations per window. Counted in memory, or in Redis when the
 * gateway shares state there, so every instance enforces the same budget.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { type Principal, principalKey } from '../auth/authenticator.ts';
import { rateLimited } from '../errors.ts';

export interface RateLimitOptions {
  /** Operations allowed per window. */
  readonly operations: number;
  /** Window length in seconds. */
  readonly perSeconds: number;
}

export class OperationRateLimiter {
  readonly #limiter: RateLimiterMemory | RateLimiterRedis;
  readonly #options: RateLimitOptions;

  constructor(options: RateLimitOptions, redis: Redis | undefined, keyPrefix: string) {
    this.#options = options;
    const settings = { points: options.operations, duration: options.perSeconds, keyPrefix: `${keyPrefix}rate` };
    this.#limiter = redis === undefined ? new RateLimiterMemory(settings) : new RateLimiterRedis({ ...settings, storeClient: redis });
  }

  /** Counts one operation for `principal`; throws RATE_LIMITED (429, Retry-After) past the budget. */
  async consume(principal: Principal, clientAddress: string | undefined): Promise<void> {
    // Anonymous callers are told apart by address: one budget for all of them would let one
    // client exhaust everybody's.
    const key = principal.kind === 'anonymous' ? `ip:${clientAddress ?? 'unknown'}` : principalKey(principal);
    try {
      await this.#limiter.consume(key);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      const retryAfter = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
      const { operations, perSeconds } = this.#options;
      throw rateLimited({ operations, perSeconds, retryAfterSeconds: retryAfter });
    }
  }
}
