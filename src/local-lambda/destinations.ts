/**
 * Destination records for Event invocations, in the exact shape AWS sends to OnSuccess/OnFailure
 * destinations (lambda-invoke-spec.md §6.2; the type is src/protocol/destination-record.ts, which
 * the gateway parses them with), and their delivery over HTTP with retries: a record is never
 * dropped silently while the process runs (one given up on is logged, with the reason).
 */
import type { DestinationCondition, DestinationRecord } from '../protocol/destination-record.ts';
import type { Logger } from './config.ts';

export interface LastResponse {
  readonly executedVersion: string;
  readonly failed: boolean;
  readonly payload: unknown;
}

export function destinationRecord(input: {
  readonly requestId: string;
  readonly functionArn: string;
  readonly condition: DestinationCondition;
  readonly attempts: number;
  readonly requestPayload: unknown;
  readonly response: LastResponse | undefined;
}): DestinationRecord {
  const { response } = input;
  return {
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.attempts,
    },
    requestPayload: input.requestPayload,
    ...(response === undefined
      ? {}
      : {
          responseContext: {
            statusCode: 200,
            executedVersion: response.executedVersion,
            ...(response.failed ? { functionError: 'Unhandled' as const } : {}),
          },
          responsePayload: response.payload,
        }),
  };
}

export interface DeliveryOptions {
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  /** A failing destination is retried for this long after the first attempt, then given up. */
  readonly retryForMs: number;
  readonly logger: Logger;
}

/**
 * Which setting chose a delivery's URL, so that a failure names the one to change: the function's
 * own `onSuccess`/`onFailure`, the gateway that invoked the event, or the local Lambda's default.
 */
export type DestinationOrigin = 'function' | 'invoking-gateway' | 'default';

/** Where one record goes, with what headers, and why there. */
export interface DeliveryRoute {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly origin: DestinationOrigin;
}

/** One POST may take this long before it counts as failed and is retried. */
const DELIVERY_TIMEOUT_MS = 10_000;
/** How much of a refusal's body is quoted in the log. */
const QUOTED_BODY_CHARS = 300;

const URL_ADVICE: Record<DestinationOrigin, string> = {
  function:
    'The URL is the function\'s async.onSuccess/onFailure in functions.json; "gateway" there delivers to the gateway that invoked the function, whatever its port.',
  'invoking-gateway': 'The URL is the one the gateway that invoked the event gave.',
  default: "The URL is the local Lambda's default destination (--destination-url or DESTINATION_URL).",
};

/** What to do about a failed delivery, in words an operator can act on. */
function advice(origin: DestinationOrigin, status: number | undefined, networkCode: string | undefined): string {
  if (status === 401 || status === 403) {
    return origin === 'invoking-gateway'
      ? 'The gateway that invoked the event refused the secret it gave itself: was it restarted with another destination secret?'
      : "The destination wants the gateway's destination secret: give the local Lambda the same value as the gateway (--destination-secret or DESTINATION_SECRET on both).";
  }
  if (status === 404 || status === 405) {
    return `Nothing takes destination records at this path (a gateway takes them at /lambda-destinations, or its destinations.path). ${URL_ADVICE[origin]}`;
  }
  if (status === undefined) {
    return `${networkCode === 'ECONNREFUSED' ? 'Nothing is listening there: is the gateway running at this address?' : 'The destination could not be reached.'} ${URL_ADVICE[origin]}`;
  }
  if (status >= 500 || status === 408 || status === 429) return 'The destination failed to take the record; it may be restarting.';
  return 'The destination refused the record itself; sending it again cannot help.';
}

/** The network error code under fetch's generic "fetch failed" (ECONNREFUSED, ENOTFOUND, …). */
function networkCodeOf(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  if (typeof cause?.code === 'string') return cause.code;
  return (error as Error).name === 'TimeoutError' ? 'ETIMEDOUT' : undefined;
}

/** A short, quotable reason from a refusal's body: its `error` field when JSON, else its text. */
async function reasonOf(response: Response): Promise<string | undefined> {
  const text = (await response.text().catch(() => '')).slice(0, QUOTED_BODY_CHARS);
  if (text === '') return undefined;
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    if (typeof error === 'string') return error;
  } catch {
    // Not JSON: quote it as it is.
  }
  return text;
}

/**
 * Delivers records to destination URLs. Network errors, 408, 429 and 5xx answers are retried with
 * back-off for a bounded time; any other refusal is final. Every failure is logged with the URL,
 * the status and what to change, so a record is never lost silently.
 */
export class DestinationDelivery {
  readonly #options: DeliveryOptions;
  /** Records not yet delivered, with the timer of their next attempt (if waiting). */
  readonly #pending = new Map<DestinationRecord, { url: string; timer: NodeJS.Timeout | undefined }>();
  readonly #settled = new Set<() => void>();
  #closed = false;

  constructor(options: DeliveryOptions) {
    this.#options = options;
  }

  /** Records accepted but not yet delivered. */
  get pending(): number {
    return this.#pending.size;
  }

  deliver(route: DeliveryRoute, record: DestinationRecord): void {
    this.#pending.set(record, { url: route.url, timer: undefined });
    void this.#attempt(route, record, 0, Date.now());
  }

  async #attempt(route: DeliveryRoute, record: DestinationRecord, attempt: number, firstAt: number): Promise<void> {
    const { logger } = this.#options;
    const { url, origin } = route;
    const context = {
      url,
      origin,
      requestId: record.requestContext.requestId,
      condition: record.requestContext.condition,
      attempt: attempt + 1,
    };
    let failure: { status?: number; networkCode?: string; reason?: string };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...route.headers },
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      if (response.ok) {
        await response.body?.cancel();
        this.#done(record);
        return;
      }
      const reason = await reasonOf(response);
      const { status } = response;
      if (!(status === 408 || status === 429 || status >= 500)) {
        logger.error(
          { ...context, status, reason },
          `destination ${url} refused the record with ${status}${reason === undefined ? '' : ` (${reason})`}; not retrying. ${advice(origin, status, undefined)}`,
        );
        this.#done(record);
        return;
      }
      failure = { status, reason };
    } catch (error) {
      // fetch says only "fetch failed"; the cause says what (ECONNREFUSED, "bad port", …).
      const cause = (error as { cause?: unknown }).cause;
      failure = { networkCode: networkCodeOf(error), reason: cause instanceof Error ? cause.message : (error as Error).message };
    }
    if (this.#closed) return;
    const what =
      failure.status === undefined
        ? `could not be reached (${failure.networkCode ?? failure.reason ?? 'network error'})`
        : `answered ${failure.status}${failure.reason === undefined ? '' : ` (${failure.reason})`}`;
    const delay = Math.min(this.#options.retryBaseMs * 2 ** attempt, this.#options.retryMaxMs);
    const advised = advice(origin, failure.status, failure.networkCode);
    if (Date.now() + delay - firstAt > this.#options.retryForMs) {
      // The record itself is in the log line, so that it can still be replayed by hand.
      logger.error(
        { ...context, ...failure, record },
        `destination ${url} ${what}; gave up on the record after ${attempt + 1} attempts over ${Math.round((Date.now() - firstAt) / 1000)} s. ${advised}`,
      );
      this.#done(record);
      return;
    }
    logger.warn({ ...context, ...failure, retryInMs: delay }, `destination ${url} ${what}; retrying in ${delay} ms. ${advised}`);
    const timer = setTimeout(() => void this.#attempt(route, record, attempt + 1, firstAt), delay);
    this.#pending.set(record, { url, timer });
  }

  #done(record: DestinationRecord): void {
    this.#pending.delete(record);
    if (this.#pending.size === 0) for (const notify of this.#settled) notify();
  }

  /**
   * Waits up to `graceMs` for deliveries under way, then stops retrying and logs every record that
   * could not be delivered, so none disappears unnoticed.
   */
  async close(graceMs: number): Promise<void> {
    if (this.#pending.size > 0) {
      await new Promise<void>((resolve) => {
        const finish = (): void => {
          clearTimeout(timer);
          this.#settled.delete(finish);
          resolve();
        };
        const timer = setTimeout(finish, graceMs);
        this.#settled.add(finish);
      });
    }
    this.#closed = true;
    for (const [record, { url, timer }] of this.#pending) {
      clearTimeout(timer);
      this.#options.logger.error(
        { url, requestId: record.requestContext.requestId, record },
        'shutting down with an undelivered destination record',
      );
    }
    this.#pending.clear();
  }
}
