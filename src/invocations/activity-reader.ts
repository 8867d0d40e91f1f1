/**
 * The activity log as callers may see it — what `Query.recentInvocations`, `Query.recentInvocation`
 * and `Subscription.invocationActivity` (the dashboard) read. The access rules apply as for
 * records: an invocation of a function the caller may not see is left out; error details and log
 * tails are shown only to callers granted them.
 *
 * Built once per gateway; each call names its caller. Live feeds end at the gateway's shutdown.
 */
import type { Allowlist, Grants } from '../access/allowlist.ts';
import type { Principal } from '../auth/authenticator.ts';
import { cancellable, type Stopped } from '../async/follow.ts';
import { badUserInput } from '../errors.ts';
import { decodeLogResult } from '../lambda/execution-log.ts';
import { type FunctionErrorDetails, hiddenFunctionError } from '../lambda/invocation.ts';
import type { ActivityEntry, InvocationActivity } from '../observability/invocation-activity.ts';

/** One activity entry as one caller may see it. */
export class ActivitySummary {
  readonly entry: ActivityEntry;
  readonly #grants: Grants;

  constructor(entry: ActivityEntry, grants: Grants) {
    this.entry = entry;
    this.#grants = grants;
  }

  /** The function's error, or only its kind (with the request id to correlate) without the grant. */
  get functionError(): FunctionErrorDetails | undefined {
    const { functionError } = this.entry;
    if (functionError === undefined) return undefined;
    return this.#grants.errorDetails ? functionError : hiddenFunctionError(functionError.kind, this.entry.requestId ?? this.entry.id);
  }

  get hasLogs(): boolean {
    return this.entry.logResult !== undefined && this.#grants.tailLogs;
  }

  get decodedLogs(): string | undefined {
    return this.#grants.tailLogs ? decodeLogResult(this.entry.logResult) : undefined;
  }
}

/** Bounds what one slow subscriber can hold: the oldest undelivered entries are dropped. */
const MAX_QUEUED = 1000;

export class ActivityReader {
  readonly #activity: InvocationActivity;
  readonly #access: Pick<Allowlist, 'grants'>;
  readonly #shutdown: AbortSignal;

  constructor(activity: InvocationActivity, access: Pick<Allowlist, 'grants'>, shutdown: AbortSignal) {
    this.#activity = activity;
    this.#access = access;
    this.#shutdown = shutdown;
  }

  /** The `last` newest entries (of one function, or of all) the caller may see, newest first. */
  recent(principal: Principal, functionName: string | undefined, last: number): ActivitySummary[] {
    const count = this.#checkedCount('last', last, 1);
    const summaries: ActivitySummary[] = [];
    for (const entry of this.#activity.recent(count, (e) => functionName === undefined || e.functionName === functionName)) {
      const visible = this.#view(principal, entry);
      if (visible !== undefined) summaries.push(visible);
    }
    return summaries;
  }

  /** Undefined when unknown, evicted, or not the caller's to see. */
  get(principal: Principal, id: string): ActivitySummary | undefined {
    const entry = this.#activity.get(id);
    return entry === undefined ? undefined : this.#view(principal, entry);
  }

  /** The last `recent` entries, oldest first, then every new or updated one the caller may see. */
  feed(principal: Principal, functionName: string | undefined, recent: number): AsyncGenerator<ActivitySummary> {
    const count = this.#checkedCount('recent', recent, 0);
    return cancellable(this.#shutdown, (stopped) => this.#visible(principal, this.#entries(functionName, count, stopped)));
  }

  #view(principal: Principal, entry: ActivityEntry): ActivitySummary | undefined {
    const grants = this.#access.grants(principal, {
      functionName: entry.functionName,
      qualifier: entry.qualifier,
      invocationType: undefined,
    });
    return grants === undefined ? undefined : new ActivitySummary(entry, grants);
  }

  /** Checks `last`/`recent` against the log's size, naming the limit. */
  #checkedCount(name: string, value: number, minimum: number): number {
    const limit = this.#activity.capacity;
    if (!Number.isInteger(value) || value < minimum || value > limit) {
      throw badUserInput(`${name} must be between ${minimum} and ${limit} (the activity log keeps ${limit} invocations); got ${value}`, {
        name: 'activityLogSize',
        value: limit,
        actual: value,
      });
    }
    return value;
  }

  /**
   * It listens before it takes the snapshot, so an invocation that ends in between is delivered
   * (once: the snapshot's own objects are not repeated).
   */
  async *#entries(functionName: string | undefined, recent: number, stopped: Stopped): AsyncGenerator<ActivityEntry> {
    const matches = (entry: ActivityEntry): boolean => functionName === undefined || entry.functionName === functionName;
    const queue: ActivityEntry[] = [];
    let wake: (() => void) | undefined;
    const stopListening = this.#activity.listen((entry) => {
      if (!matches(entry)) return;
      queue.push(entry);
      if (queue.length > MAX_QUEUED) queue.shift();
      wake?.();
    });
    try {
      const snapshot = recent === 0 ? [] : this.#activity.recent(recent, matches).reverse();
      const inSnapshot = new Set(snapshot);
      for (const entry of snapshot) yield entry;
      for (;;) {
        let entry = queue.shift();
        while (entry !== undefined) {
          if (!inSnapshot.has(entry)) yield entry;
          entry = queue.shift();
        }
        const { promise, resolve } = Promise.withResolvers<void>();
        wake = resolve;
        const woken = await Promise.race([promise.then(() => true), stopped.then(() => false)]);
        wake = undefined;
        if (!woken) return;
      }
    } finally {
      stopListening();
    }
  }

  async *#visible(principal: Principal, source: AsyncGenerator<ActivityEntry>): AsyncGenerator<ActivitySummary> {
    try {
      for await (const entry of source) {
        const summary = this.#view(principal, entry);
        if (summary !== undefined) yield summary;
      }
    } finally {
      await source.return(undefined);
    }
  }
}
