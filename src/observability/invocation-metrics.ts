/**
 * Per-function Prometheus metrics: invocations by outcome (success, function error, throttle, …),
 * the gateway-measured duration, and the figures of Lambda's REPORT line when a log tail was
 * requested. Functions Lambda does not know are counted under `(unknown)`, so a caller cannot grow
 * the label set by inventing names.
 *
 * An EVENT invocation has two outcomes, counted apart: Lambda accepting it (`outcome="accepted"`
 * in lambda_invocations_total, its round trip in the duration histogram) and how it ended, when
 * its destination record arrives or it expires (lambda_async_completions_total by status).
 *
 * The concurrency caps' effect: invocations waiting for a slot now (lambda_invocations_queued, by
 * function, read from the limits at scrape time), in flight now, and how long those that waited
 * waited (lambda_invocation_queued_seconds; one that got its slot at once is not observed, so the
 * common path costs nothing here).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { InvocationRecord } from '../async/invocation-record.ts';
import type { ConcurrencyView } from '../lambda/concurrency-limits.ts';
import type { InvocationOutcome } from '../lambda/invocation-loader.ts';
import { Invocation } from '../lambda/invocation.ts';
import type { InvokeRequest } from '../lambda/invoker.ts';

const UNKNOWN = '(unknown)';

function outcomeLabel(outcome: InvocationOutcome, invocationType: string): string {
  if (outcome instanceof Invocation) {
    // A 202 says Lambda queued the event, nothing about how it will end.
    if (invocationType === 'Event') return 'accepted';
    return outcome.response.functionError === undefined ? 'success' : 'function_error';
  }
  switch (outcome.name) {
    case 'FunctionNotFoundError':
      return 'not_found';
    case 'ThrottledError':
      return 'throttled';
    case 'InvalidInvocationError':
      return 'invalid';
    case 'PayloadTooLargeError':
      return 'too_large';
    case 'InvocationTimeoutError':
      return 'timeout';
    case 'IdempotencyConflictError':
      return 'idempotency_conflict';
    default:
      return 'service_error';
  }
}

export class InvocationMetrics {
  readonly #invocations: Counter<'function' | 'invocation_type' | 'outcome'>;
  readonly #completions: Counter<'function' | 'status'>;
  readonly #duration: Histogram<'function' | 'invocation_type'>;
  readonly #billed: Histogram<'function'>;
  readonly #memory: Histogram<'function'>;
  readonly #streamed: Counter<'function'>;
  readonly #registry: Registry;

  constructor(registry: Registry) {
    this.#registry = registry;
    this.#invocations = new Counter({
      name: 'lambda_invocations_total',
      help: 'Invocations through the gateway by function, invocation type and outcome',
      labelNames: ['function', 'invocation_type', 'outcome'],
      registers: [registry],
    });
    this.#completions = new Counter({
      name: 'lambda_async_completions_total',
      help: 'EVENT invocations by how they ended: succeeded, failed (destination record) or expired (none arrived in time)',
      labelNames: ['function', 'status'],
      registers: [registry],
    });
    this.#duration = new Histogram({
      name: 'lambda_invocation_duration_seconds',
      help: 'Round trip of an invocation as the gateway measured it',
      labelNames: ['function', 'invocation_type'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    });
    this.#billed = new Histogram({
      name: 'lambda_billed_duration_seconds',
      help: 'Billed Duration from the REPORT line (invocations with a log tail)',
      labelNames: ['function'],
      buckets: [0.001, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers: [registry],
    });
    this.#memory = new Histogram({
      name: 'lambda_max_memory_used_megabytes',
      help: 'Max Memory Used from the REPORT line (invocations with a log tail)',
      labelNames: ['function'],
      buckets: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 10240],
      registers: [registry],
    });
    this.#streamed = new Counter({
      name: 'lambda_response_stream_bytes_total',
      help: 'Bytes of response streams (InvokeWithResponseStream) delivered through the gateway',
      labelNames: ['function'],
      registers: [registry],
    });
  }

  /** Counts a finished response stream's bytes (its outcome is counted by `record`, as any invocation's). */
  recordStream(request: InvokeRequest, totalBytes: number): void {
    this.#streamed.inc({ function: request.target.name }, totalBytes);
  }

  /** Counts one outcome; `request` is undefined when the input was refused before it became one. */
  record(request: InvokeRequest | undefined, invocationType: string, outcome: InvocationOutcome): void {
    const outcomeName = outcomeLabel(outcome, invocationType);
    const known = request !== undefined && outcomeName !== 'not_found' && outcomeName !== 'invalid';
    const fn = known ? request.target.name : UNKNOWN;
    this.#invocations.inc({ function: fn, invocation_type: invocationType, outcome: outcomeName });
    if (request === undefined) return;
    if (!(outcome instanceof Invocation)) return;
    this.#duration.observe({ function: fn, invocation_type: request.invocationType }, outcome.durationMs / 1000);
    const report = outcome.report;
    if (report !== undefined) {
      this.#billed.observe({ function: fn }, report.billedDurationMs / 1000);
      this.#memory.observe({ function: fn }, report.maxMemoryUsedMb);
    }
  }

  /** Publishes what `limits` hold back: waiting and in-flight invocations, and the time waited. */
  watchConcurrency(limits: ConcurrencyView): void {
    const registers = [this.#registry];
    new Gauge({
      name: 'lambda_invocations_queued',
      help: "Invocations waiting for a slot under their function's concurrency cap (or the gateway-wide limit)",
      labelNames: ['function'],
      registers,
      collect() {
        this.reset();
        for (const [fn, waiting] of limits.queued()) this.set({ function: fn }, waiting);
      },
    });
    new Gauge({
      name: 'lambda_invocations_in_flight',
      help: `Invocations in flight from this gateway (gateway-wide limit ${limits.total})`,
      registers,
      collect() {
        this.set(limits.inFlight());
      },
    });
    const queued = new Histogram({
      name: 'lambda_invocation_queued_seconds',
      help: 'How long invocations that found their function at its concurrency cap waited for a slot',
      labelNames: ['function'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 60],
      registers,
    });
    limits.onWaited = (fn, waitedMs) => queued.observe({ function: fn }, waitedMs / 1000);
  }

  /**
   * Counts how an EVENT invocation ended. Called by the instance that stored the change, so a
   * fleet counts each outcome once; a destination record that still arrives after EXPIRED is
   * counted too, under its own status.
   */
  recordCompletion(record: InvocationRecord): void {
    if (record.status === 'ACCEPTED') return;
    this.#completions.inc({ function: record.functionName, status: record.status.toLowerCase() });
  }
}
