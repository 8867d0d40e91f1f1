/**
 * The recent invocations of every type, as the dashboard (and `Query.recentInvocations`) shows
 * them: a bounded, in-memory log this gateway instance appends to as each invocation ends, with
 * listeners for the live feed. EVENT entries are updated when Lambda's destination record moves
 * their invocation record to a terminal state.
 *
 * Entries are stored raw — whole error details, the base64 log tail — and shaped for each viewer
 * by the schema, under that viewer's access grants. Recording is O(1) and decodes nothing: the
 * tail is only decoded when someone asks for it.
 */
import { randomBytes } from 'node:crypto';
import type { InvocationRecord } from '../async/invocation-record.ts';
import type { InvocationFailure } from '../lambda/errors.ts';
import { functionErrorDetails, type FunctionErrorDetails, Invocation } from '../lambda/invocation.ts';
import type { InvocationType } from '../protocol/function-name.ts';

/**
 * `SUCCEEDED`/`FAILED`: the function ran (FAILED: it reported a function error, or an EVENT's
 * retries ran out). `ACCEPTED`: an EVENT Lambda queued, outcome not known yet. `EXPIRED`: an EVENT
 * whose outcome never arrived in the time it could take. `REFUSED`: Lambda or the gateway did not
 * run it (a typed error such as FunctionNotFoundError).
 */
export type ActivityStatus = 'SUCCEEDED' | 'FAILED' | 'ACCEPTED' | 'EXPIRED' | 'REFUSED';

export interface ActivityEntry {
  /** Unique within this gateway instance. */
  readonly id: string;
  /** The `x-request-id` of the GraphQL request that made the invocation. */
  readonly gatewayRequestId: string;
  /** Lambda's request id; undefined when Lambda never took the invocation. */
  readonly requestId: string | undefined;
  readonly functionName: string;
  readonly qualifier: string | undefined;
  /** The typed field that caused it (`Query.user`); undefined for invokeFunction(s). */
  readonly origin: string | undefined;
  readonly invocationType: InvocationType;
  readonly status: ActivityStatus;
  readonly statusCode: number | undefined;
  readonly executedVersion: string | undefined;
  /** The gateway's round trip, retries included. */
  readonly durationMs: number;
  /** Epoch milliseconds (turned into ISO text only when read). */
  readonly startedAt: number;
  /** When the gateway had the answer; for an EVENT, updated to the destination record's time. */
  readonly completedAt: number;
  /** The function's own error, in full; each viewer sees it as their grants allow. */
  readonly functionError: FunctionErrorDetails | undefined;
  /** Why it did not run: the error's GraphQL type name and message. */
  readonly refusal: { readonly type: string; readonly message: string } | undefined;
  /** Base64 of the log tail, when the invocation asked for `logType: TAIL`. */
  readonly logResult: string | undefined;
  /** Lambda's approximateInvokeCount, for a completed EVENT. */
  readonly attempts: number | undefined;
  /** Set for a streamed invocation (InvokeWithResponseStream): the bytes it streamed. */
  readonly streamed: { readonly totalBytes: number } | undefined;
}

export type ActivityListener = (entry: ActivityEntry) => void;

/** @default 200 entries */
export const DEFAULT_ACTIVITY_LOG_SIZE = 200;

export class InvocationActivity {
  readonly #capacity: number;
  /** Insertion-ordered, so the first key is always the oldest entry. */
  readonly #entries = new Map<string, ActivityEntry>();
  /** EVENT entries still waiting for their outcome, by Lambda request id. */
  readonly #awaiting = new Map<string, string>();
  readonly #listeners = new Set<ActivityListener>();
  readonly #idPrefix = randomBytes(4).toString('hex');
  #sequence = 0;

  /** `capacity` 0 records nothing. */
  constructor(capacity: number = DEFAULT_ACTIVITY_LOG_SIZE) {
    this.#capacity = capacity;
  }

  get capacity(): number {
    return this.#capacity;
  }

  /** Appends the outcome of one invocation (or refusal) the gateway handled. */
  record(input: {
    readonly gatewayRequestId: string;
    readonly functionName: string;
    readonly qualifier: string | undefined;
    readonly origin?: string | undefined;
    readonly invocationType: InvocationType;
    readonly startedAt: number;
    readonly outcome: Invocation | InvocationFailure;
    readonly streamed?: { readonly totalBytes: number } | undefined;
  }): void {
    if (this.#capacity === 0) return;
    const { outcome } = input;
    const now = Date.now();
    // One literal per entry (no shared base spread into it): this runs for every invocation.
    const id = `${this.#idPrefix}-${++this.#sequence}`;
    // A refused request's name is what the caller wrote, which can be anything.
    const functionName = clip(input.functionName, MAX_NAME_LENGTH);
    const qualifier = input.qualifier === undefined ? undefined : clip(input.qualifier, MAX_NAME_LENGTH);
    let entry: ActivityEntry;
    if (outcome instanceof Invocation) {
      const { response } = outcome;
      const functionError =
        response.functionError === undefined ? undefined : bounded(functionErrorDetails(response.functionError, parsed(response.payload)));
      const requestId = outcome.requestId === '' ? undefined : outcome.requestId;
      const status = functionError !== undefined ? 'FAILED' : input.invocationType === 'Event' ? 'ACCEPTED' : 'SUCCEEDED';
      entry = {
        id,
        gatewayRequestId: input.gatewayRequestId,
        functionName,
        qualifier,
        origin: input.origin,
        invocationType: input.invocationType,
        startedAt: input.startedAt,
        completedAt: now,
        attempts: undefined,
        streamed: input.streamed,
        requestId,
        status,
        statusCode: response.statusCode,
        executedVersion: response.executedVersion,
        durationMs: outcome.durationMs,
        functionError,
        refusal: undefined,
        logResult: response.logResult,
      };
      if (status === 'ACCEPTED' && requestId !== undefined) this.#awaiting.set(requestId, id);
    } else {
      entry = {
        id,
        gatewayRequestId: input.gatewayRequestId,
        functionName,
        qualifier,
        origin: input.origin,
        invocationType: input.invocationType,
        startedAt: input.startedAt,
        completedAt: now,
        attempts: undefined,
        streamed: input.streamed,
        requestId: undefined,
        status: 'REFUSED',
        statusCode: undefined,
        executedVersion: undefined,
        durationMs: now - input.startedAt,
        functionError: undefined,
        refusal: { type: outcome.name, message: clip(outcome.message, MAX_MESSAGE_LENGTH) },
        logResult: undefined,
      };
    }
    this.#entries.set(entry.id, entry);
    if (this.#entries.size > this.#capacity) this.#evictOldest();
    this.#notify(entry);
  }

  /**
   * Applies an EVENT invocation's terminal state (from its destination record) to the entry that
   * started it; a record for an invocation not in this log changes nothing. Fed by
   * `InvocationRecords.followOutcomes`, which knows every way an outcome arrives.
   */
  complete(record: InvocationRecord): void {
    if (record.status === 'ACCEPTED') return;
    const id = this.#awaiting.get(record.requestId);
    const previous = id === undefined ? undefined : this.#entries.get(id);
    if (id === undefined || previous === undefined) return;
    // An EXPIRED entry still takes a destination record that arrives late.
    if (record.status !== 'EXPIRED') this.#awaiting.delete(record.requestId);
    const functionError =
      record.functionError === undefined ? undefined : bounded(functionErrorDetails(record.functionError, record.responsePayload));
    const entry: ActivityEntry = {
      ...previous,
      status: record.status,
      executedVersion: record.executedVersion ?? previous.executedVersion,
      completedAt: record.completedAt === undefined ? Date.now() : Date.parse(record.completedAt),
      functionError,
      attempts: record.attempts,
    };
    // Same key: the entry keeps its place in the log.
    this.#entries.set(id, entry);
    this.#notify(entry);
  }

  get(id: string): ActivityEntry | undefined {
    return this.#entries.get(id);
  }

  /** The newest entries first, at most `last`, those `keep` accepts only. */
  recent(last: number, keep: (entry: ActivityEntry) => boolean): ActivityEntry[] {
    const all = [...this.#entries.values()];
    const result: ActivityEntry[] = [];
    for (let i = all.length - 1; i >= 0 && result.length < last; i--) {
      const entry = all[i];
      if (entry !== undefined && keep(entry)) result.push(entry);
    }
    return result;
  }

  /** Calls `listener` with every new or updated entry; returns the function that stops it. */
  listen(listener: ActivityListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #evictOldest(): void {
    const oldest = this.#entries.keys().next();
    if (oldest.done === true) return;
    const entry = this.#entries.get(oldest.value);
    this.#entries.delete(oldest.value);
    if (entry?.requestId !== undefined) this.#awaiting.delete(entry.requestId);
  }

  #notify(entry: ActivityEntry): void {
    for (const listener of this.#listeners) listener(entry);
  }
}

/*
 * What one entry may hold, whatever callers and functions send: a function's error object can be
 * megabytes (its payload), and a refused request's name is whatever the caller wrote. Bounded, 200
 * entries stay well under a few megabytes.
 */
const MAX_NAME_LENGTH = 256;
const MAX_MESSAGE_LENGTH = 2048;
const MAX_STACK_LINES = 30;
const MAX_STACK_LINE_LENGTH = 512;

function clip(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

function bounded(details: FunctionErrorDetails): FunctionErrorDetails {
  const { stackTrace } = details;
  return {
    kind: clip(details.kind, MAX_NAME_LENGTH),
    errorType: details.errorType === undefined ? undefined : clip(details.errorType, MAX_NAME_LENGTH),
    errorMessage: details.errorMessage === undefined ? undefined : clip(details.errorMessage, MAX_MESSAGE_LENGTH),
    stackTrace: [
      ...stackTrace.slice(0, MAX_STACK_LINES).map((line) => clip(line, MAX_STACK_LINE_LENGTH)),
      ...(stackTrace.length > MAX_STACK_LINES ? [`… ${stackTrace.length - MAX_STACK_LINES} more lines`] : []),
    ],
  };
}

/** A failed function's payload is its error object; anything unparsable is left to the details' fallback. */
function parsed(payload: Uint8Array | undefined): unknown {
  if (payload === undefined) return undefined;
  const text = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).toString('utf8');
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
