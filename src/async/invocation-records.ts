/**
 * The one owner of asynchronous invocation records: every change — accepted by the gateway,
 * completed by a destination record, expired for want of one — is stored, then published when it
 * changed something, and reported once to `onSettled` (by whichever instance made the change:
 * the stores' compare-and-set decides, so a fleet counts each outcome once).
 *
 * Expiry happens three ways, so that no record waits for ever however the gateway is deployed: a
 * timer on the instance that accepted the invocation (live feeds and the activity log see EXPIRED
 * even when nobody follows it), every follower's own deadline (the accepting instance may have
 * stopped), and any read of an overdue record.
 *
 * Readers of outcomes (the activity log) subscribe here too (`followOutcomes`) rather than to the
 * events, because one case is known only here: a fast function's destination record can be stored
 * before its 202 is, so the outcome was published before anyone was waiting for it.
 */
import type { DestinationRecord } from '../protocol/destination-record.ts';
import { followInvocation, type FollowSource, invocationFeed, type Stopped } from './follow.ts';
import type { InvocationEvents } from './invocation-events.ts';
import { acceptedRecord, type InvocationRecord, isOverdue, isTerminal } from './invocation-record.ts';
import type { InvocationStore, StoreChange } from './invocation-store.ts';
import { runAt } from './run-at.ts';

export interface InvocationRecordsOptions {
  readonly store: InvocationStore;
  readonly events: InvocationEvents;
  /** How long after its 202 an invocation of `functionName` may take to report its outcome. */
  readonly expireAfterMs: (functionName: string) => number;
  /** How long a follower waits for an id nobody has recorded. */
  readonly unknownIdWaitMs: number;
  /** Told of each terminal state this instance stored (metrics). */
  readonly onSettled?: (record: InvocationRecord) => void;
  /** A background expiry that failed (the store unreachable); followers and reads retry it. */
  readonly onError?: (error: unknown) => void;
}

export class InvocationRecords implements FollowSource {
  readonly events: InvocationEvents;
  readonly unknownIdWaitMs: number;
  readonly #store: InvocationStore;
  readonly #options: InvocationRecordsOptions;
  /** The expiry timers of the invocations this instance accepted, by request id. */
  readonly #timers = new Map<string, () => void>();
  /** `followOutcomes` listeners, told of the outcomes an `accept` found already stored. */
  readonly #lateOutcomeListeners = new Set<(record: InvocationRecord) => void>();

  constructor(options: InvocationRecordsOptions) {
    this.events = options.events;
    this.unknownIdWaitMs = options.unknownIdWaitMs;
    this.#store = options.store;
    this.#options = options;
  }

  /** Records an Event invocation the gateway started. */
  async accept(input: {
    requestId: string;
    functionName: string;
    qualifier: string | undefined;
    requestPayload: unknown;
  }): Promise<StoreChange> {
    const change = await this.#store.accept(acceptedRecord({ ...input, expireAfterMs: this.#options.expireAfterMs(input.functionName) }));
    if (change.changed) {
      this.events.publish(change.record);
      this.#watch(change.record);
    } else if (isTerminal(change.record)) {
      // Completed before its 202 was recorded: published then, when the acceptance was not known.
      for (const listener of this.#lateOutcomeListeners) listener(change.record);
    }
    return change;
  }

  /** Applies a destination record. */
  async complete(destination: DestinationRecord): Promise<StoreChange> {
    const change = await this.#store.complete(destination);
    if (change.changed) this.#settled(change.record);
    return change;
  }

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const record = await this.#store.get(requestId);
    return record !== undefined && isOverdue(record, Date.now()) ? this.expire(record) : record;
  }

  async expire(accepted: InvocationRecord): Promise<InvocationRecord> {
    const change = await this.#store.expire(accepted);
    if (change.changed) this.#settled(change.record);
    return change.record;
  }

  /** `invocationUpdates`: the current state, then each change, ending at a terminal state. */
  follow(requestId: string, stopped: Stopped): AsyncGenerator<InvocationRecord> {
    return followInvocation(this, requestId, stopped);
  }

  /** `invocationEvents`: every change from now on, of one function or all. */
  feed(functionName: string | undefined, stopped: Stopped): AsyncGenerator<InvocationRecord> {
    return invocationFeed(this.events, functionName, stopped);
  }

  /**
   * Calls `listener` with every terminal state — stored by any instance (through the events) or
   * found already stored when this instance accepted the invocation — until `stop` aborts.
   */
  followOutcomes(listener: (record: InvocationRecord) => void, stop: AbortSignal): void {
    if (stop.aborted) return;
    this.#lateOutcomeListeners.add(listener);
    const updates = this.events.listenAll();
    stop.addEventListener(
      'abort',
      () => {
        this.#lateOutcomeListeners.delete(listener);
        void updates.return?.();
      },
      { once: true },
    );
    void (async () => {
      for (;;) {
        const next = await updates.next();
        if (next.done === true) return;
        if (isTerminal(next.value)) listener(next.value);
      }
    })();
  }

  /** Stops this instance's expiry timers (followers and reads still expire what is overdue). */
  close(): void {
    for (const cancel of this.#timers.values()) cancel();
    this.#timers.clear();
  }

  #settled(record: InvocationRecord): void {
    this.#timers.get(record.requestId)?.();
    this.#timers.delete(record.requestId);
    this.events.publish(record);
    this.#options.onSettled?.(record);
  }

  #watch(record: InvocationRecord): void {
    if (record.expiresAt === undefined) return;
    const { requestId } = record;
    this.#timers.set(
      requestId,
      runAt(Date.parse(record.expiresAt), () => {
        this.#timers.delete(requestId);
        // An outcome stored meanwhile (on any instance) is kept; a record lost with a Redis restart
        // is written back expired, as a follower would.
        this.expire(record).catch((error: unknown) => this.#options.onError?.(error));
      }),
    );
  }
}
