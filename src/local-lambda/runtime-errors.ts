/**
 * How Node's Lambda runtime (aws-lambda-nodejs-runtime-interface-client) turns an error into the
 * payload of a function error and into the text of an ERROR log line. Used inside the worker.
 */
import { inspect } from 'node:util';
import type { FunctionErrorShape } from './worker-protocol.ts';

/**
 * The error the runtime reports for a rejection nobody handled: its message is the reason as
 * text (`Error: nobody handles this`), the reason and the promise ride along for the log line.
 */
export class UnhandledPromiseRejection extends Error {
  static {
    // On the prototype, as the runtime defines it, so the log line does not repeat it as a field.
    this.prototype.name = 'Runtime.UnhandledPromiseRejection';
  }

  readonly reason: unknown;
  readonly promise: Promise<unknown>;

  constructor(reason: unknown, promise: Promise<unknown>) {
    super(asText(reason));
    this.reason = reason;
    this.promise = promise;
  }
}

/** The payload of a function error: `{ errorType, errorMessage, trace }` (Node's runtime says `trace`). */
export function errorPayload(error: unknown, rewrite: (text: string) => string): FunctionErrorShape {
  if (error instanceof Error) {
    return {
      errorType: error.name,
      errorMessage: rewrite(error.message),
      trace: rewrite(error.stack ?? `${error.name}: ${error.message}`).split('\n'),
    };
  }
  // A thrown non-Error is reported by its type, e.g. `throw "x"` → errorType "string".
  return { errorType: typeof error, errorMessage: rewrite(asText(error)), trace: [] };
}

/**
 * The error as the runtime logs it after a label (`Invoke Error`, `Uncaught Exception`,
 * `Unhandled Promise Rejection`): a tab, then JSON with errorType, errorMessage, the error's own
 * enumerable fields and `stack` as an array of lines — nested errors (a rejection's reason) alike.
 */
export function loggedError(error: unknown): string {
  const withFields = (_key: string, value: unknown): unknown => {
    if (!(value instanceof Error)) return value;
    const code: unknown = (value as Error & { code?: unknown }).code;
    return {
      errorType: value.name,
      errorMessage: value.message,
      code,
      ...value,
      ...(typeof value.stack === 'string' ? { stack: value.stack.split('\n') } : {}),
    };
  };
  try {
    return `\t${JSON.stringify(error, withFields)}`;
  } catch {
    // A field that cannot be serialised (a cycle, a BigInt): the payload's shape instead.
    return `\t${JSON.stringify(errorPayload(error, (text) => text))}`;
  }
}

function asText(value: unknown): string {
  try {
    return String(value);
  } catch {
    // An object without a prototype has no toString.
    return inspect(value);
  }
}

/**
 * A function that ran out of time, as Lambda reports it — the log line and the invocation's
 * error — for every kind of execution environment (worker thread or Runtime API process).
 */
export function taskTimedOut(requestId: string, timeoutMs: number): { readonly logLine: string; readonly error: FunctionErrorShape } {
  const seconds = (timeoutMs / 1000).toFixed(2);
  return {
    logLine: `${new Date().toISOString()} ${requestId} Task timed out after ${seconds} seconds\n`,
    error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${seconds} seconds` },
  };
}
