/**
 * Where invocation records live: in memory on one machine (this file), in Redis when several
 * gateway instances share them. Records expire after a configurable time.
 */
import type { DestinationRecord } from '../protocol/destination-record.ts';
import { completedRecord, expiredRecord, type InvocationRecord, isTerminal } from './invocation-record.ts';

export interface StoreChange {
  /** The record as stored after the operation. */
  readonly record: InvocationRecord;
  /** False when the operation changed nothing visible (a duplicate, or a late `accept`). */
  readonly changed: boolean;
}

export interface InvocationStore {
  /**
   * Records that the gateway started an Event invocation. A terminal state that arrived first
   * (a fast function) is kept: the record never goes back to ACCEPTED.
   */
  accept(record: InvocationRecord): Promise<StoreChange>;
  /**
   * Applies a destination record; a second record for a finished invocation changes nothing (one
   * for an EXPIRED invocation replaces it: it is what happened).
   */
  complete(destination: DestinationRecord): Promise<StoreChange>;
  /**
   * Moves `accepted` to EXPIRED, unless its stored state is terminal already (that is kept). A
   * record gone from the store (its time to live passed, Redis restarted) is written back expired.
   */
  expire(accepted: InvocationRecord): Promise<StoreChange>;
  get(requestId: string): Promise<InvocationRecord | undefined>;
  close(): Promise<void>;
}

/** Pure merge rules, shared by every store. */
export function mergeAccept(existing: InvocationRecord | undefined, accepted: InvocationRecord): StoreChange {
  if (existing === undefined) return { record: accepted, changed: true };
  // The completion raced ahead of the 202's bookkeeping: keep it, noting who started it.
  return { record: { ...existing, startedByGateway: true, acceptedAt: existing.acceptedAt ?? accepted.acceptedAt }, changed: false };
}

export function mergeCompletion(existing: InvocationRecord | undefined, destination: DestinationRecord): StoreChange {
  if (existing !== undefined && isTerminal(existing) && existing.status !== 'EXPIRED') return { record: existing, changed: false };
  return { record: completedRecord(existing, destination), changed: true };
}

export function mergeExpiry(existing: InvocationRecord | undefined, accepted: InvocationRecord, now: number): StoreChange {
  if (existing !== undefined && isTerminal(existing)) return { record: existing, changed: false };
  return { record: expiredRecord(existing ?? accepted, now), changed: true };
}

export class MemoryInvocationStore implements InvocationStore {
  readonly #ttlMs: number;
  readonly #records = new Map<string, { record: InvocationRecord; expiresAt: number }>();
  readonly #sweeper: NodeJS.Timeout;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
    this.#sweeper = setInterval(() => this.#sweep(), Math.min(ttlMs, 60_000));
    this.#sweeper.unref();
  }

  accept(record: InvocationRecord): Promise<StoreChange> {
    return Promise.resolve(this.#put(mergeAccept(this.#current(record.requestId), record)));
  }

  complete(destination: DestinationRecord): Promise<StoreChange> {
    return Promise.resolve(this.#put(mergeCompletion(this.#current(destination.requestContext.requestId), destination)));
  }

  expire(accepted: InvocationRecord): Promise<StoreChange> {
    return Promise.resolve(this.#put(mergeExpiry(this.#current(accepted.requestId), accepted, Date.now())));
  }

  get(requestId: string): Promise<InvocationRecord | undefined> {
    return Promise.resolve(this.#current(requestId));
  }

  close(): Promise<void> {
    clearInterval(this.#sweeper);
    return Promise.resolve();
  }

  #current(requestId: string): InvocationRecord | undefined {
    const entry = this.#records.get(requestId);
    if (entry === undefined || entry.expiresAt <= Date.now()) return undefined;
    return entry.record;
  }

  #put(change: StoreChange): StoreChange {
    this.#records.set(change.record.requestId, { record: change.record, expiresAt: Date.now() + this.#ttlMs });
    return change;
  }

  #sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.#records) if (entry.expiresAt <= now) this.#records.delete(id);
  }
}
