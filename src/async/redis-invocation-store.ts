/**
 * Invocation records in Redis, shared by every gateway instance. Each record is a hash holding
 * its status and its JSON; changes are merged in JS with the same rules as the in-memory store and
 * written with a compare-and-set on the status (a Lua script), retried if another instance got
 * there first. Payloads are never decoded inside Redis, so they stay byte-for-byte JSON.
 */
import type { Redis } from 'ioredis';
import type { DestinationRecord } from '../protocol/destination-record.ts';
import type { InvocationRecord } from './invocation-record.ts';
import { type InvocationStore, mergeAccept, mergeCompletion, mergeExpiry, type StoreChange } from './invocation-store.ts';

/** Sets the record only if its status is still the one the merge was computed from. */
const COMPARE_AND_SET = `
local current = redis.call('HGET', KEYS[1], 'status')
if (current or '') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'record', ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return 1
`;

/** Contention beyond this many rounds means something is wrong, not busy. */
const MAX_ROUNDS = 10;

export class RedisInvocationStore implements InvocationStore {
  readonly #redis: Redis;
  readonly #ttlMs: number;
  readonly #prefix: string;

  constructor(redis: Redis, ttlMs: number, keyPrefix: string) {
    this.#redis = redis;
    this.#ttlMs = ttlMs;
    this.#prefix = keyPrefix;
  }

  accept(record: InvocationRecord): Promise<StoreChange> {
    return this.#update(record.requestId, (existing) => mergeAccept(existing, record));
  }

  complete(destination: DestinationRecord): Promise<StoreChange> {
    return this.#update(destination.requestContext.requestId, (existing) => mergeCompletion(existing, destination));
  }

  expire(accepted: InvocationRecord): Promise<StoreChange> {
    return this.#update(accepted.requestId, (existing) => mergeExpiry(existing, accepted, Date.now()));
  }

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const json = await this.#redis.hget(this.#key(requestId), 'record');
    return json === null ? undefined : (JSON.parse(json) as InvocationRecord);
  }

  /** The connection belongs to whoever created it. */
  close(): Promise<void> {
    return Promise.resolve();
  }

  async #update(requestId: string, merge: (existing: InvocationRecord | undefined) => StoreChange): Promise<StoreChange> {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const existing = await this.get(requestId);
      const change = merge(existing);
      if (existing !== undefined && JSON.stringify(change.record) === JSON.stringify(existing)) return change;
      const written = await this.#redis.eval(
        COMPARE_AND_SET,
        1,
        this.#key(requestId),
        existing?.status ?? '',
        change.record.status,
        JSON.stringify(change.record),
        String(this.#ttlMs),
      );
      if (written === 1) return change;
    }
    throw new Error(`invocation record ${requestId} kept changing under ${MAX_ROUNDS} attempts to update it`);
  }

  #key(requestId: string): string {
    return `${this.#prefix}invocation:${requestId}`;
  }
}
