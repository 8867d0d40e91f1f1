/**
 * Learns each invoked function's reserved concurrency from Lambda (GetFunctionConcurrency) and
 * lowers its cap to it (`ConcurrencyLimits.setReserved`): Lambda throttles a function beyond its
 * reserved concurrency, so more in flight from this gateway would only be refused, retried and
 * refused again — held here, they wait in the function's own queue, within their deadline, and
 * show in the queue metrics.
 *
 * In the background and never in the way: the first calls of a function go out under its
 * configured cap while Lambda is asked; each function is asked again after `refreshMs`, so a
 * change made in Lambda reaches the cap within that time. A lookup that fails (no
 * `lambda:GetFunctionConcurrency` permission, a Lambda-compatible endpoint without the operation,
 * a function that does not exist) leaves the cap as it is, and is not repeated before `refreshMs`.
 */
import { LRUCache } from 'lru-cache';

/** How long an answer (or a failure) stands before the function is asked about again. */
export const RESERVED_REFRESH_MS = 60_000;
/** Functions remembered at once; beyond it the one invoked longest ago is forgotten. */
const MAX_FUNCTIONS = 10_000;
/** Longest wait for one lookup. */
const LOOKUP_TIMEOUT_MS = 5000;

/** Asks Lambda for a function's reserved concurrency; undefined when it has none. */
export type ReservedConcurrencyReader = (functionName: string, signal: AbortSignal) => Promise<number | undefined>;

export interface ReservedConcurrencyTarget {
  setReserved(functionName: string, reserved: number | undefined): void;
}

export interface LearnerOptions {
  /** @default RESERVED_REFRESH_MS */
  readonly refreshMs?: number;
  /** Milliseconds on a monotonic clock (tests drive their own). @default performance.now */
  readonly now?: () => number;
}

export class ReservedConcurrencyLearner {
  readonly #read: ReservedConcurrencyReader;
  readonly #limits: ReservedConcurrencyTarget;
  readonly #refreshMs: number;
  readonly #now: () => number;
  /**
   * When each function was last asked about; the one invoked longest ago is forgotten first. The
   * time is kept as the value, not in lru-cache's own TTL, so that it reads the clock given (as the
   * catalog cache does: lru-cache takes performance.now at import, out of a test's reach).
   */
  readonly #askedAt = new LRUCache<string, number>({ max: MAX_FUNCTIONS });
  readonly #closed = new AbortController();

  constructor(read: ReservedConcurrencyReader, limits: ReservedConcurrencyTarget, options: LearnerOptions = {}) {
    this.#read = read;
    this.#limits = limits;
    this.#refreshMs = options.refreshMs ?? RESERVED_REFRESH_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** For every call: asks about `functionName` unless it was asked about within `refreshMs`. */
  observe(functionName: string): void {
    if (this.#closed.signal.aborted) return;
    const now = this.#now();
    const askedAt = this.#askedAt.get(functionName);
    if (askedAt !== undefined && now - askedAt < this.#refreshMs) return;
    this.#askedAt.set(functionName, now);
    const signal = AbortSignal.any([this.#closed.signal, AbortSignal.timeout(LOOKUP_TIMEOUT_MS)]);
    this.#read(functionName, signal).then(
      (reserved) => {
        if (!this.#closed.signal.aborted) this.#limits.setReserved(functionName, reserved);
      },
      // The cap stays as configured (see above); the next attempt comes after refreshMs.
      () => undefined,
    );
  }

  /** Abandons the lookups under way. */
  close(): void {
    this.#closed.abort();
  }
}
