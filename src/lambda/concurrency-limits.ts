/**
 * How many invocations the gateway has in flight at once, per function and in total. Lambda
 * itself allows 1,000 concurrent executions per account by default, so the gateway-wide limit is
 * no smaller: it only bounds sockets and memory. What protects is the per-function cap — a slow or
 * stuck function fills its own slots and queues behind them, while every other function keeps
 * going — lowered to a function's reserved concurrency where the gateway knows it (more would only
 * be throttled by Lambda) — given at start for the built-in local Lambda's functions, or learned
 * from Lambda as functions are first invoked (`setReserved`, reserved-concurrency.ts).
 *
 * Waiters queue per function, first come first served. When the total is what holds them back,
 * functions with waiters take turns at the slots freed, so one function's backlog cannot take
 * every slot that frees up.
 */
import { glob } from '../protocol/function-pattern.ts';

export interface FunctionConcurrencyRule {
  /** Function names; `*` matches any run of characters (`report-*`), as in access rules. */
  readonly functions: readonly string[];
  /** Invocations of one matching function in flight at once (all its qualifiers together). */
  readonly max: number;
}

export interface ConcurrencyConfig {
  /** In flight at once across all functions; also the size of the socket pool. */
  readonly total: number;
  /** In flight at once per function, where no rule matches. */
  readonly perFunction: number;
  /** Per-function caps; the first rule that matches the function's own name decides. */
  readonly functions: readonly FunctionConcurrencyRule[];
}

/** What metrics read of the limits: counted at scrape time, nothing per invocation. */
export interface ConcurrencyView {
  readonly total: number;
  inFlight(): number;
  /** Waiting invocations by function; only functions with any. */
  queued(): IterableIterator<readonly [functionName: string, waiting: number]>;
  /** Called once for each invocation that had to wait, when it gets its slot. */
  onWaited: ((functionName: string, waitedMs: number) => void) | undefined;
}

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly since: number;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/** One function's slots; dropped when it has nothing in flight and nobody waiting. */
interface Gate {
  readonly name: string;
  cap: number;
  active: number;
  readonly waiting: Waiter[];
}

export class ConcurrencyLimits implements ConcurrencyView {
  readonly total: number;
  readonly #perFunction: number;
  readonly #rules: readonly { readonly patterns: readonly RegExp[]; readonly max: number }[];
  readonly #reserved: Map<string, number>;
  readonly #gates = new Map<string, Gate>();
  /** Gates with waiters, in the order they take turns. */
  readonly #pending = new Set<Gate>();
  #active = 0;
  onWaited: ((functionName: string, waitedMs: number) => void) | undefined;

  /** `reserved`: functions' reserved concurrency, where known (the built-in local Lambda). */
  constructor(config: ConcurrencyConfig, reserved: ReadonlyMap<string, number> = new Map()) {
    this.total = config.total;
    this.#perFunction = config.perFunction;
    this.#rules = config.functions.map((rule) => ({ patterns: rule.functions.map(glob), max: rule.max }));
    this.#reserved = new Map(reserved);
  }

  /**
   * Sets (or, with undefined, forgets) `functionName`'s reserved concurrency: its cap follows at
   * once, for the calls in flight too — a lower cap lets those finish and holds the next ones, a
   * higher one lets waiters in.
   */
  setReserved(functionName: string, reserved: number | undefined): void {
    if (this.#reserved.get(functionName) === reserved) return;
    if (reserved === undefined) this.#reserved.delete(functionName);
    else this.#reserved.set(functionName, reserved);
    const gate = this.#gates.get(functionName);
    if (gate === undefined) return;
    gate.cap = this.capOf(functionName);
    if (this.#pending.has(gate)) this.#pump();
  }

  /** The cap of `functionName` (its own name, never an ARN spelling). */
  capOf(functionName: string): number {
    let cap = this.#perFunction;
    for (const rule of this.#rules) {
      if (rule.patterns.some((pattern) => pattern.test(functionName))) {
        cap = rule.max;
        break;
      }
    }
    const reserved = this.#reserved.get(functionName);
    // Reserved 0 still gets one slot: Lambda's own refusal (a typed throttle) is the answer then.
    return reserved === undefined ? cap : Math.min(cap, Math.max(1, reserved));
  }

  /**
   * Takes a slot for `functionName` at once when one is free and nobody is ahead (true); otherwise
   * false, and the caller waits with `wait`. Split in two so that the common case allocates nothing.
   */
  tryAcquire(functionName: string): boolean {
    const gate = this.#gate(functionName);
    if (gate.waiting.length > 0 || gate.active >= gate.cap || this.#active >= this.total) return false;
    gate.active += 1;
    this.#active += 1;
    return true;
  }

  /** Resolves once `functionName` has a slot; rejects with the signal's reason if it aborts first. */
  wait(functionName: string, signal: AbortSignal): Promise<void> {
    const gate = this.#gate(functionName);
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        this.#dropIfIdle(gate);
        reject(abortReason(signal));
        return;
      }
      const waiter: Waiter = {
        resolve,
        reject,
        since: performance.now(),
        signal,
        onAbort: () => {
          const index = gate.waiting.indexOf(waiter);
          if (index >= 0) gate.waiting.splice(index, 1);
          if (gate.waiting.length === 0) this.#pending.delete(gate);
          this.#dropIfIdle(gate);
          reject(abortReason(signal));
        },
      };
      signal.addEventListener('abort', waiter.onAbort, { once: true });
      gate.waiting.push(waiter);
      this.#pending.add(gate);
      // A slot may be free already (only the queue was ahead, and it has just been granted).
      this.#pump();
    });
  }

  /** Gives back a slot taken by `tryAcquire` or `wait`. */
  release(functionName: string): void {
    const gate = this.#gates.get(functionName);
    if (gate === undefined) return;
    gate.active -= 1;
    this.#active -= 1;
    if (this.#pending.size > 0) this.#pump();
    this.#dropIfIdle(gate);
  }

  inFlight(): number {
    return this.#active;
  }

  *queued(): IterableIterator<readonly [string, number]> {
    for (const gate of this.#pending) yield [gate.name, gate.waiting.length];
  }

  #gate(functionName: string): Gate {
    let gate = this.#gates.get(functionName);
    if (gate === undefined) {
      gate = { name: functionName, cap: this.capOf(functionName), active: 0, waiting: [] };
      this.#gates.set(functionName, gate);
    }
    return gate;
  }

  #dropIfIdle(gate: Gate): void {
    if (gate.active === 0 && gate.waiting.length === 0) this.#gates.delete(gate.name);
  }

  /** Grants free slots to waiters, one per function in turn, while the total allows. */
  #pump(): void {
    let granted = true;
    while (granted && this.#active < this.total && this.#pending.size > 0) {
      granted = false;
      for (const gate of this.#pending) {
        if (this.#active >= this.total) break;
        if (gate.active >= gate.cap) continue;
        const waiter = gate.waiting.shift();
        if (waiter === undefined) continue;
        gate.active += 1;
        this.#active += 1;
        granted = true;
        // To the back of the line: the next free slot goes to another function first.
        this.#pending.delete(gate);
        if (gate.waiting.length > 0) this.#pending.add(gate);
        waiter.signal.removeEventListener('abort', waiter.onAbort);
        this.onWaited?.(gate.name, performance.now() - waiter.since);
        waiter.resolve();
      }
    }
  }
}

/** The signal's reason as an Error (an abort without a reason gets the standard AbortError). */
const abortReason = (signal: AbortSignal): Error =>
  signal.reason instanceof Error ? signal.reason : new DOMException('This operation was aborted', 'AbortError');

/** Functions' reserved concurrency by name, from definitions that may declare it. */
export function reservedConcurrency(
  definitions: Iterable<{ readonly name: string; readonly reservedConcurrency: number | undefined }>,
): Map<string, number> {
  const reserved = new Map<string, number>();
  for (const { name, reservedConcurrency: value } of definitions) if (value !== undefined) reserved.set(name, value);
  return reserved;
}
