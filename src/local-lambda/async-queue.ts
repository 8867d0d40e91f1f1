/**
 * Event (asynchronous) invocations: accepted into a queue, run when the function has capacity,
 * retried after a function error with Lambda's back-off, and concluded with a destination record.
 * Every attempt reuses the request id the caller got with its 202.
 */
import { INVOKING_GATEWAY, SECRET_HEADER } from '../protocol/destination-headers.ts';
import type { DestinationCondition } from '../protocol/destination-record.ts';
import type { ResolvedLocalLambdaConfig } from './config.ts';
import { type DeliveryRoute, DestinationDelivery, destinationRecord, type LastResponse } from './destinations.ts';
import type { ExecutionPool } from './execution-pool.ts';
import { type LogSink, runInvocation } from './run-invocation.ts';
import type { ResolvedFunction } from './registry.ts';

/** Where the gateway that made an Event invocation takes its destination records. */
export interface InvokingGateway {
  readonly url: string;
  readonly secret: string | undefined;
}

interface QueuedEvent {
  readonly fn: ResolvedFunction;
  readonly requestId: string;
  /** Kept for every attempt (each attempt transfers a copy to the worker). */
  readonly payload: Buffer;
  readonly requestPayload: unknown;
  readonly receivedAt: number;
  /** Set when the invoking gateway said where it takes records. */
  readonly invokingGateway: InvokingGateway | undefined;
  /** Attempts that ran the function. */
  attempts: number;
  /** Times the event was returned to the queue because the function had no capacity. */
  throttles: number;
  lastResponse: LastResponse | undefined;
}

export class AsyncInvocationQueue {
  readonly #config: ResolvedLocalLambdaConfig;
  readonly #pool: ExecutionPool;
  readonly #sink: LogSink | undefined;
  readonly #delivery: DestinationDelivery;
  /** Events waiting for a retry, with their timer. */
  readonly #waiting = new Map<QueuedEvent, NodeJS.Timeout>();
  /** Attempts running now. */
  readonly #running = new Set<Promise<void>>();
  #closed = false;

  constructor(config: ResolvedLocalLambdaConfig, pool: ExecutionPool) {
    this.#config = config;
    this.#pool = pool;
    this.#sink = config.logSink;
    this.#delivery = new DestinationDelivery({
      retryBaseMs: config.async.deliveryRetryBaseMs,
      retryMaxMs: config.async.deliveryRetryMaxMs,
      retryForMs: config.async.deliveryRetryForMs,
      logger: config.logger,
    });
  }

  /** Events accepted and not yet concluded (running or waiting for a retry). */
  get size(): number {
    return this.#waiting.size + this.#running.size;
  }

  /** Destination records accepted but not yet delivered. */
  get pendingDeliveries(): number {
    return this.#delivery.pending;
  }

  enqueue(fn: ResolvedFunction, requestId: string, payload: Buffer, requestPayload: unknown, invokingGateway?: InvokingGateway): void {
    const event: QueuedEvent = {
      fn,
      requestId,
      payload,
      requestPayload,
      receivedAt: Date.now(),
      invokingGateway,
      attempts: 0,
      throttles: 0,
      lastResponse: undefined,
    };
    // Run after the 202 is written, as Lambda does once the event is queued.
    this.#schedule(event, 0);
  }

  #schedule(event: QueuedEvent, delayMs: number): void {
    const timer = setTimeout(() => {
      this.#waiting.delete(event);
      const attempt = this.#attempt(event).catch((error: unknown) => {
        this.#config.logger.error({ requestId: event.requestId, error: String(error) }, 'async invocation attempt failed unexpectedly');
        this.#conclude(event, 'RetriesExhausted');
      });
      this.#running.add(attempt);
      void attempt.finally(() => this.#running.delete(attempt));
    }, delayMs);
    this.#waiting.set(event, timer);
  }

  async #attempt(event: QueuedEvent): Promise<void> {
    const { fn } = event;
    const maxAgeMs = fn.definition.async.maximumEventAgeInSeconds * 1000;
    if (fn.definition.reservedConcurrency === 0) {
      this.#conclude(event, 'ZeroReservedConcurrency');
      return;
    }
    if (Date.now() - event.receivedAt > maxAgeMs) {
      this.#conclude(event, 'EventAgeExceeded');
      return;
    }
    const slot = this.#pool.tryAcquire(fn);
    if (typeof slot === 'string') {
      // Throttled: back to the queue with exponential back-off; this is not an attempt.
      const { throttleRetryBaseMs, throttleRetryMaxMs } = this.#config.async;
      const delay = Math.min(throttleRetryBaseMs * 2 ** event.throttles, throttleRetryMaxMs);
      event.throttles += 1;
      this.#retryOrExpire(event, delay);
      return;
    }
    event.attempts += 1;
    const result = await runInvocation(
      slot,
      { fn, requestId: event.requestId, payload: new Uint8Array(event.payload), clientContext: undefined, tail: false },
      this.#sink,
    );
    event.lastResponse = {
      executedVersion: fn.executedVersion,
      failed: result.functionError !== undefined,
      payload: JSON.parse(result.payload.toString('utf8')),
    };
    if (result.functionError === undefined) {
      this.#conclude(event, 'Success');
      return;
    }
    const retries = event.attempts - 1;
    if (retries >= fn.definition.async.maximumRetryAttempts) {
      this.#conclude(event, 'RetriesExhausted');
      return;
    }
    this.#retryOrExpire(event, this.#config.async.retryDelaysMs[retries] ?? 0);
  }

  /**
   * Lambda checks the event age *ahead* of the next retry: an event that would be too old by then
   * fails now rather than after the wait.
   */
  #retryOrExpire(event: QueuedEvent, delayMs: number): void {
    const maxAgeMs = event.fn.definition.async.maximumEventAgeInSeconds * 1000;
    if (this.#closed) {
      this.#config.logger.error(
        { requestId: event.requestId, function: event.fn.definition.name },
        'shutting down: event dropped before its retry',
      );
      return;
    }
    if (Date.now() + delayMs - event.receivedAt > maxAgeMs) {
      this.#conclude(event, 'EventAgeExceeded');
      return;
    }
    this.#schedule(event, delayMs);
  }

  /**
   * A function's own URL wins, as on AWS. Otherwise (`"gateway"`, or nothing) the record goes to
   * the gateway that invoked the event when it said where, else to the configured default: the
   * invoking gateway is the one whose subscribers wait for this record.
   */
  #routeOf(event: QueuedEvent, condition: DestinationCondition): DeliveryRoute | undefined {
    const { async } = this.#config;
    const own = condition === 'Success' ? event.fn.definition.async.onSuccess : event.fn.definition.async.onFailure;
    if (own !== undefined && own !== INVOKING_GATEWAY) return { url: own, headers: async.deliveryHeaders, origin: 'function' };
    const gateway = event.invokingGateway;
    if (gateway !== undefined) {
      const headers = gateway.secret === undefined ? async.deliveryHeaders : { ...async.deliveryHeaders, [SECRET_HEADER]: gateway.secret };
      return { url: gateway.url, headers, origin: 'invoking-gateway' };
    }
    const fallback = condition === 'Success' ? async.defaultOnSuccess : async.defaultOnFailure;
    return fallback === undefined ? undefined : { url: fallback, headers: async.deliveryHeaders, origin: 'default' };
  }

  #conclude(event: QueuedEvent, condition: DestinationCondition): void {
    const { fn } = event;
    const route = this.#routeOf(event, condition);
    if (route === undefined) return;
    this.#delivery.deliver(
      route,
      destinationRecord({
        requestId: event.requestId,
        functionArn: fn.versionArn,
        condition,
        attempts: event.attempts,
        requestPayload: event.requestPayload,
        // A record for a function that never ran carries no response (ZeroReservedConcurrency).
        response: condition === 'ZeroReservedConcurrency' ? undefined : event.lastResponse,
      }),
    );
  }

  /**
   * Stops taking retries, lets running attempts finish (their records are still sent), then gives
   * deliveries `graceMs` and logs whatever could not be concluded.
   */
  async close(graceMs: number): Promise<void> {
    this.#closed = true;
    for (const [event, timer] of this.#waiting) {
      clearTimeout(timer);
      this.#config.logger.error(
        { requestId: event.requestId, function: event.fn.definition.name, attempts: event.attempts },
        'shutting down: queued event dropped',
      );
    }
    this.#waiting.clear();
    await Promise.allSettled([...this.#running]);
    await this.#delivery.close(graceMs);
  }
}
