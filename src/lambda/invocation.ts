/**
 * A completed call to Lambda as the gateway reports it: Lambda's answer, decoded lazily (a client
 * that does not select `payloadJson` never pays for parsing 6 MB).
 */
import { parseReportLine, type ReportFigures } from '../protocol/report-line.ts';
import { decodeLogResult } from './execution-log.ts';
import type { InvokeRequest, InvokeResponse } from './invoker.ts';

/** The function ran and failed; parsed from the error object Lambda returns as the payload. */
export interface FunctionErrorDetails {
  /** As Lambda reports it in `X-Amz-Function-Error` (`Unhandled`; `Handled` before 2020). */
  readonly kind: string;
  readonly errorType: string | undefined;
  readonly errorMessage: string | undefined;
  /** Node's `trace`, or `stackTrace` from Python and Java runtimes. */
  readonly stackTrace: readonly string[];
}

/**
 * What an idempotency store keeps of a completed invocation, serialisable for Redis. Defined here,
 * by the class that writes and reads it, so that lambda/ imports nothing from idempotency/.
 */
export interface StoredInvocation {
  readonly request: Omit<InvokeRequest, 'payload'> & { readonly payloadBase64: string };
  readonly response: Omit<InvokeResponse, 'payload'> & { readonly payloadBase64: string | undefined };
  readonly durationMs: number;
}

const NOT_JSON = Symbol('not JSON');

export class Invocation {
  readonly request: InvokeRequest;
  readonly response: InvokeResponse;
  /** Measured by the gateway around the whole call, retries included. */
  readonly durationMs: number;
  /** True when this is the remembered outcome of an earlier request with the same idempotency key. */
  readonly replayed: boolean;
  #text: string | undefined;
  #json: unknown = undefined;
  #jsonParsed = false;
  #log: string | undefined;
  #logDecoded = false;

  constructor(request: InvokeRequest, response: InvokeResponse, durationMs: number, replayed = false) {
    this.request = request;
    this.response = response;
    this.durationMs = durationMs;
    this.replayed = replayed;
  }

  /** What an idempotency store keeps of this invocation. */
  toStored(): StoredInvocation {
    const { payload: requestPayload, ...request } = this.request;
    const { payload, ...response } = this.response;
    return {
      request: { ...request, payloadBase64: Buffer.from(requestPayload).toString('base64') },
      response: { ...response, payloadBase64: payload === undefined ? undefined : Buffer.from(payload).toString('base64') },
      durationMs: this.durationMs,
    };
  }

  /** The remembered invocation, replayed. */
  static fromStored(stored: StoredInvocation): Invocation {
    const { payloadBase64: requestPayload, ...request } = stored.request;
    const { payloadBase64, ...response } = stored.response;
    return new Invocation(
      { ...request, payload: Buffer.from(requestPayload, 'base64') },
      { ...response, payload: payloadBase64 === undefined ? undefined : Buffer.from(payloadBase64, 'base64') },
      stored.durationMs,
      true,
    );
  }

  /** Lambda's request id; for a response without one (some emulators) the gateway has none either. */
  get requestId(): string {
    return this.response.requestId ?? '';
  }

  get payloadText(): string | undefined {
    if (this.response.payload === undefined) return undefined;
    this.#text ??= Buffer.from(this.response.payload.buffer, this.response.payload.byteOffset, this.response.payload.byteLength).toString(
      'utf8',
    );
    return this.#text;
  }

  /** The parsed payload; undefined when there is none or it is not JSON (then see `payloadText`). */
  get payloadJson(): unknown {
    if (!this.#jsonParsed) {
      this.#jsonParsed = true;
      const text = this.payloadText;
      if (text !== undefined) {
        try {
          this.#json = JSON.parse(text);
        } catch {
          this.#json = NOT_JSON;
        }
      }
    }
    return this.#json === NOT_JSON ? undefined : this.#json;
  }

  get decodedLogs(): string | undefined {
    if (!this.#logDecoded) {
      this.#logDecoded = true;
      this.#log = decodeLogResult(this.response.logResult);
    }
    return this.#log;
  }

  get report(): ReportFigures | undefined {
    return parseReportLine(this.decodedLogs);
  }

  /** In full: what a caller may see of it is `InvocationView`'s (src/invocations/). */
  get functionError(): FunctionErrorDetails | undefined {
    const kind = this.response.functionError;
    if (kind === undefined) return undefined;
    return functionErrorDetails(kind, this.payloadJson);
  }
}

/** What a caller without error details sees: that the function failed, and how to find out why. */
export function hiddenFunctionError(kind: string, correlationId: string): FunctionErrorDetails {
  return {
    kind,
    errorType: 'Hidden',
    errorMessage: `The function failed; its error details are not shown to this caller (correlation id ${correlationId})`,
    stackTrace: [],
  };
}

/** Reads the error object a failed function returns (any runtime's shape) into typed details. */
export function functionErrorDetails(kind: string, body: unknown): FunctionErrorDetails {
  const error = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const trace = Array.isArray(error.trace) ? error.trace : Array.isArray(error.stackTrace) ? error.stackTrace : [];
  return {
    kind,
    errorType: typeof error.errorType === 'string' ? error.errorType : undefined,
    errorMessage: typeof error.errorMessage === 'string' ? error.errorMessage : typeof body === 'string' ? body : undefined,
    stackTrace: trace.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))),
  };
}
