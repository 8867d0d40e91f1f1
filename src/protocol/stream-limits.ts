/**
 * Lambda's limits on a streamed response, as a pure policy: a size cap, and a bandwidth cap that
 * starts once the uncapped burst has gone out (docs/lambda-invoke-spec.md §4). The caller says
 * how many bytes it is about to send and when; the policy says whether they may go and how long
 * to hold them first, so the clock stays outside and the arithmetic is testable.
 */
import { MAX_STREAM_RESPONSE_BYTES, STREAM_BYTES_PER_SECOND, STREAM_UNCAPPED_BYTES } from './limits.ts';

export interface StreamLimits {
  /** @default MAX_STREAM_RESPONSE_BYTES (200 MiB) */
  readonly maxResponseBytes: number;
  /** @default STREAM_UNCAPPED_BYTES (6 MiB) */
  readonly uncappedBytes: number;
  /** @default STREAM_BYTES_PER_SECOND (2 MiB/s) */
  readonly bytesPerSecond: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxResponseBytes: MAX_STREAM_RESPONSE_BYTES,
  uncappedBytes: STREAM_UNCAPPED_BYTES,
  bytesPerSecond: STREAM_BYTES_PER_SECOND,
};

export type Admission = { readonly ok: true; readonly delayMs: number } | { readonly ok: false };

export class StreamBudget {
  readonly #limits: StreamLimits;
  #sent = 0;
  /** When the capped part began: the moment the burst was used up. */
  #cappedSince: number | undefined;

  constructor(limits: StreamLimits) {
    this.#limits = limits;
  }

  get sentBytes(): number {
    return this.#sent;
  }

  /**
   * Admits `bytes` at time `nowMs`, or refuses them when they would take the response over the
   * size limit (nothing is counted then). `delayMs` is how long to hold them so the capped part
   * never runs faster than the bandwidth cap.
   */
  admit(bytes: number, nowMs: number): Admission {
    const { maxResponseBytes, uncappedBytes, bytesPerSecond } = this.#limits;
    if (this.#sent + bytes > maxResponseBytes) return { ok: false };
    this.#sent += bytes;
    if (this.#sent <= uncappedBytes) return { ok: true, delayMs: 0 };
    this.#cappedSince ??= nowMs;
    // Every capped byte admitted so far (these included) must not go out sooner than the cap
    // allows: hold them until then.
    const due = this.#cappedSince + ((this.#sent - uncappedBytes) / bytesPerSecond) * 1000;
    return { ok: true, delayMs: Math.max(0, due - nowMs) };
  }
}
