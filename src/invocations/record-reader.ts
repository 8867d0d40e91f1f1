/**
 * EVENT invocations' records as callers may see them — `Query.invocation` and both record
 * subscriptions read through here. The access rules decide, as for invoking: a record of a
 * function the caller may not invoke is unknown to it (or, followed by id, refused), and its error
 * details and response are hidden without the error-details grant.
 *
 * Built once per gateway; each call names its caller. Subscriptions end at the gateway's shutdown.
 */
import type { Allowlist } from '../access/allowlist.ts';
import type { Principal } from '../auth/authenticator.ts';
import { cancellable, UnknownInvocationError } from '../async/follow.ts';
import type { InvocationRecord } from '../async/invocation-record.ts';
import type { InvocationRecords } from '../async/invocation-records.ts';
import { forbidden, invocationNotFound } from '../errors.ts';

/** A record as one caller may see it. */
export interface RecordView extends InvocationRecord {
  readonly errorDetailsHidden: boolean;
}

export class RecordReader {
  readonly #records: InvocationRecords;
  readonly #access: Pick<Allowlist, 'grants'>;
  readonly #shutdown: AbortSignal;

  constructor(records: InvocationRecords, access: Pick<Allowlist, 'grants'>, shutdown: AbortSignal) {
    this.#records = records;
    this.#access = access;
    this.#shutdown = shutdown;
  }

  /** Undefined when unknown, expired, or not the caller's to see: all three look the same. */
  async get(principal: Principal, requestId: string): Promise<RecordView | undefined> {
    const record = await this.#records.get(requestId);
    return record === undefined ? undefined : this.#view(principal, record);
  }

  /** The current state, then each change to the terminal state; refused if not the caller's to see. */
  follow(principal: Principal, requestId: string): AsyncGenerator<RecordView> {
    return cancellable(this.#shutdown, (stopped) => this.#visible(principal, this.#records.follow(requestId, stopped), 'refuse'));
  }

  /** Every change to records of one function (or of all) that the caller may see. */
  feed(principal: Principal, functionName: string | undefined): AsyncGenerator<RecordView> {
    return cancellable(this.#shutdown, (stopped) => this.#visible(principal, this.#records.feed(functionName, stopped), 'skip'));
  }

  #view(principal: Principal, record: InvocationRecord): RecordView | undefined {
    const grants = this.#access.grants(principal, {
      functionName: record.functionName,
      qualifier: record.qualifier,
      invocationType: undefined,
    });
    if (grants === undefined) return undefined;
    const hidden = !grants.errorDetails && record.functionError !== undefined;
    return { ...record, errorDetailsHidden: hidden, responsePayload: hidden ? undefined : record.responsePayload };
  }

  /** Passes on what the caller may see; `hidden` decides what happens to the rest. */
  async *#visible(principal: Principal, source: AsyncGenerator<InvocationRecord>, hidden: 'skip' | 'refuse'): AsyncGenerator<RecordView> {
    try {
      for await (const record of source) {
        const visible = this.#view(principal, record);
        if (visible !== undefined) yield visible;
        else if (hidden === 'refuse') {
          throw forbidden('Following this invocation is not allowed by this gateway’s access rules');
        }
      }
    } catch (error) {
      // Not an invocation outcome but a question about an id nobody knows: a client fault, coded.
      if (error instanceof UnknownInvocationError) {
        throw invocationNotFound(`${error.message}; check the id, or subscribe again to keep waiting`, error.requestId, error.waitedMs);
      }
      throw error;
    } finally {
      await source.return(undefined);
    }
  }
}
