/**
 * Destination records for Event invocations, in the exact shape AWS sends to OnSuccess/OnFailure
 * destinations (lambda-invoke-spec.md §6.2), and their delivery over HTTP with retries: a record
 * is never dropped silently while the process runs.
 */
import type { Logger } from './config.ts';

export type DestinationCondition = 'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

export interface DestinationRecord {
  readonly version: '1.0';
  readonly timestamp: string;
  readonly requestContext: {
    readonly requestId: string;
    /** Always qualified with the executed version (`:$LATEST` or a number). */
    readonly functionArn: string;
    readonly condition: DestinationCondition;
    readonly approximateInvokeCount: number;
  };
  readonly requestPayload: unknown;
  /** Absent when the function never ran (ZeroReservedConcurrency, or too old before any attempt). */
  readonly responseContext?: {
    readonly statusCode: 200;
    readonly executedVersion: string;
    readonly functionError?: 'Unhandled';
  };
  readonly responsePayload?: unknown;
}

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
  readonly headers: Readonly<Record<string, string>>;
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly logger: Logger;
}

/** One POST may take this long before it counts as failed and is retried. */
const DELIVERY_TIMEOUT_MS = 10_000;

/** Delivers records to destination URLs, retrying network errors, 408, 429 and 5xx answers. */
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

  deliver(url: string, record: DestinationRecord): void {
    this.#pending.set(record, { url, timer: undefined });
    void this.#attempt(url, record, 0);
  }

  async #attempt(url: string, record: DestinationRecord, attempt: number): Promise<void> {
    const { logger } = this.#options;
    const context = { url, requestId: record.requestContext.requestId, condition: record.requestContext.condition, attempt: attempt + 1 };
    let retry: boolean;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...this.#options.headers },
        body: JSON.stringify(record),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) {
        this.#done(record);
        return;
      }
      retry = response.status === 408 || response.status === 429 || response.status >= 500;
      if (!retry) {
        // The destination refused the record itself; sending it again cannot help.
        logger.error({ ...context, status: response.status }, 'destination refused the record; not retrying');
        this.#done(record);
        return;
      }
      logger.warn({ ...context, status: response.status }, 'destination delivery failed; will retry');
    } catch (error) {
      logger.warn({ ...context, error: (error as Error).message }, 'destination delivery failed; will retry');
    }
    if (this.#closed) return;
    const delay = Math.min(this.#options.retryBaseMs * 2 ** attempt, this.#options.retryMaxMs);
    const timer = setTimeout(() => void this.#attempt(url, record, attempt + 1), delay);
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
