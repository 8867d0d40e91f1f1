/**
 * Messages between an execution environment (a worker thread, `worker-child.ts`) and the local
 * Lambda (`execution-environment.ts`). Tagged unions, so each side handles every case.
 */

/** What a worker needs to become an execution environment for one function version. */
export interface WorkerBootData {
  readonly modulePath: string;
  readonly exportName: string;
  /** As written in the definition, for messages (`echo/index.handler`). */
  readonly handler: string;
  readonly functionName: string;
  readonly functionVersion: string;
  readonly memorySizeMb: number;
  readonly logGroupName: string;
  readonly logStreamName: string;
  /** The functions folder (`LAMBDA_TASK_ROOT`), shown as `/var/task` in stack traces. */
  readonly taskRoot: string;
}

/** The error object Node's Lambda runtime sends as the payload of a function error. */
export interface FunctionErrorShape {
  readonly errorType: string;
  readonly errorMessage: string;
  /** Stack lines; absent for errors the platform reports (timeouts, exits, out of memory). */
  readonly trace?: readonly string[];
}

export type ParentMessage =
  | InvokeMessage
  /**
   * The local Lambda has passed on `bytes` more of the response stream (to the socket, or into
   * the buffered payload): the worker may have that many more in flight.
   */
  | { readonly type: 'ack'; readonly requestId: string; readonly bytes: number }
  /** The client left, or the response reached the size limit: the stream closes under the handler. */
  | { readonly type: 'abort'; readonly requestId: string };

export interface InvokeMessage {
  readonly type: 'invoke';
  readonly requestId: string;
  /** UTF-8 JSON, already validated; transferred, not copied. */
  readonly payload: Uint8Array;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
  readonly invokedFunctionArn: string;
  readonly clientContext: unknown;
}

export type ChildMessage =
  /** Init finished (the handler module was imported), or failed with `initError`. */
  | { readonly type: 'ready'; readonly initError: FunctionErrorShape | undefined; readonly maxMemoryUsedMb: number }
  /**
   * Function output, already formatted as Lambda log lines, written while `requestId` ran —
   * or between invocations (a timer still running after the handler returned) when undefined.
   */
  | { readonly type: 'log'; readonly text: string; readonly requestId: string | undefined }
  /** Bytes a streaming handler wrote to its response stream, in order; transferred. */
  | { readonly type: 'chunk'; readonly requestId: string; readonly payload: Uint8Array }
  | {
      readonly type: 'result';
      readonly requestId: string;
      /** The JSON-serialised result; transferred, not copied. Empty when `streamed`. */
      readonly payload: Uint8Array;
      /** The handler was streamified: its response went out as `chunk`s. */
      readonly streamed: boolean;
      readonly maxMemoryUsedMb: number;
    }
  | {
      readonly type: 'error';
      readonly requestId: string;
      readonly error: FunctionErrorShape;
      readonly maxMemoryUsedMb: number;
    }
  /**
   * An uncaught exception or unhandled rejection: the environment must not be reused. `requestId`
   * is the invocation running when it happened, undefined between invocations (a late throw from
   * a timer after the handler returned); the worker runs no invocation after this message, and
   * answers any it still receives with `refused`.
   */
  | { readonly type: 'crash'; readonly error: FunctionErrorShape; readonly requestId: string | undefined }
  /** An invocation handed over after a crash, never run: its payload, transferred back. */
  | { readonly type: 'refused'; readonly requestId: string; readonly payload: Uint8Array };
