/**
 * An invocation as one caller may see it. The access rules can hide what a failed function said
 * (its error object is the payload) from a caller; that is a property of the caller, not of the
 * invocation, so it is a view over the `Invocation` — as `RecordView` and `SummaryView` are for
 * records and activity — and the invocation itself, which observers, the activity log and the
 * idempotency store keep, stays whole. A replay is viewed under the replaying caller's grants too.
 */
import type { Grants } from '../access/allowlist.ts';
import { type FunctionErrorDetails, hiddenFunctionError, type Invocation } from '../lambda/invocation.ts';

export class InvocationView {
  readonly invocation: Invocation;
  /** The function failed and this caller may not see why; the request id stays, to find it in the logs. */
  readonly errorDetailsHidden: boolean;

  constructor(invocation: Invocation, grants: Pick<Grants, 'errorDetails'> | undefined) {
    this.invocation = invocation;
    this.errorDetailsHidden = grants?.errorDetails === false && invocation.response.functionError !== undefined;
  }

  get payloadText(): string | undefined {
    return this.errorDetailsHidden ? undefined : this.invocation.payloadText;
  }

  /** The parsed payload; undefined when there is none or it is not JSON (then see `payloadText`). */
  get payloadJson(): unknown {
    return this.errorDetailsHidden ? undefined : this.invocation.payloadJson;
  }

  get functionError(): FunctionErrorDetails | undefined {
    const kind = this.invocation.response.functionError;
    if (kind === undefined) return undefined;
    return this.errorDetailsHidden ? hiddenFunctionError(kind, this.invocation.requestId) : this.invocation.functionError;
  }
}
