/**
 * One execution environment seen from the local Lambda: a worker thread running
 * `worker-child.ts` for one function version, one invocation at a time. A timeout, a crash or
 * an exit ends the environment; nothing else is affected.
 *
 * A handler can leave work behind that outlives its invocation (a timer, a promise). On AWS the
 * environment is frozen after the response and such work runs when it thaws, during the next
 * invocation; here the worker keeps running, so it runs between invocations. Its output goes to
 * `onStrayLog`. An error it throws ends the environment like any crash — logged, and the next
 * invocation starts a fresh one — but fails no invocation: if one had already been handed to
 * the worker, the worker never started it and it resolves as `retired`, for the pool to run
 * elsewhere. A stray error while an invocation runs is that invocation's error, as Node's runtime
 * reports it: nothing tells whose timer it was.
 */
import { taskTimedOut } from './runtime-errors.ts';
import { Worker } from 'node:worker_threads';
import type { ChildMessage, FunctionErrorShape, ParentMessage, WorkerBootData } from './worker-protocol.ts';

const CHILD_URL = new URL('./worker-child.ts', import.meta.url);

/** Lambda gives the init phase 10 seconds, independently of the function timeout. */
const INIT_TIMEOUT_MS = 10_000;

export interface EnvironmentRequest {
  readonly requestId: string;
  readonly payload: Uint8Array;
  readonly timeoutMs: number;
  readonly invokedFunctionArn: string;
  readonly clientContext: unknown;
  /** Receives the function's output as it arrives, already in Lambda's log line format. */
  readonly onLog: (text: string) => void;
  /**
   * Receives what a streaming handler writes, piece by piece, in order. `passedOn` must be called
   * once the bytes have gone on (to a socket, into a buffer): until then they count against the
   * worker's credit, and enough of them held stalls the handler's writes.
   */
  readonly onChunk: (payload: Uint8Array, passedOn: () => void) => void;
  /** Aborted when the caller stops listening: the handler's response stream closes. */
  readonly signal?: AbortSignal;
}

/** How an invocation ended inside the environment. */
export type EnvironmentOutcome =
  | {
      readonly kind: 'success';
      /** The JSON result; empty when `streamed` (the response went to `onChunk`). */
      readonly payload: Uint8Array;
      readonly streamed: boolean;
      readonly durationMs: number;
      readonly maxMemoryUsedMb: number;
    }
  | {
      readonly kind: 'error';
      readonly error: FunctionErrorShape;
      /**
       * The error body exactly as a process runtime posted it (Python's requestId and stackTrace,
       * a custom runtime's own shape); the response is `error` as JSON without it.
       */
      readonly body?: Uint8Array;
      readonly durationMs: number;
      readonly maxMemoryUsedMb: number;
      /** For the REPORT line: `timeout`, or `error` when the runtime itself failed. */
      readonly status: 'timeout' | 'error' | undefined;
    };

/**
 * What `invoke` resolves to: how the invocation ended, or `retired` when the environment turned
 * out to be unusable before the handler saw the invocation: run it in another environment, with
 * the payload handed back (the request's own was transferred to this worker).
 */
export type InvokeResult = EnvironmentOutcome | { readonly kind: 'retired'; readonly payload: Uint8Array };

interface Pending {
  readonly request: EnvironmentRequest;
  readonly started: number;
  readonly resolve: (result: InvokeResult) => void;
  readonly timer: NodeJS.Timeout;
  readonly stopListening: () => void;
}

export class ExecutionEnvironment {
  /** Milliseconds from spawning the worker to the handler module being imported. */
  readonly initDurationMs: number;
  /** Set when init failed: every invocation answers with it and the environment is discarded. */
  readonly initError: FunctionErrorShape | undefined;
  /** Process runtimes post their own init error body; Node's is `initError` as JSON. */
  readonly initErrorBody: Uint8Array | undefined = undefined;
  readonly #worker: Worker;
  readonly #memorySizeMb: number;
  #pending: Pending | undefined;
  #dead = false;
  /** Invocations that ran to an end here: a fresh environment has served none. */
  #served = 0;
  #lastRequestId: string | undefined;
  /** Bytes passed on since the last ack, acknowledged together (see `#ack`). */
  #unacked: { requestId: string; bytes: number } | undefined;
  /** Timeouts and crashes report no figure of their own; the last one seen stands in. */
  #lastMaxMemoryUsedMb: number;
  /** Called once when the environment can no longer be used. */
  onDeath: (() => void) | undefined;
  /**
   * Output written between invocations, with the id of the last invocation (which the log
   * lines carry too).
   */
  onStrayLog: ((text: string, lastRequestId: string | undefined) => void) | undefined;

  private constructor(worker: Worker, memorySizeMb: number, ready: Extract<ChildMessage, { type: 'ready' }>, initDurationMs: number) {
    this.#worker = worker;
    this.#lastMaxMemoryUsedMb = ready.maxMemoryUsedMb;
    this.#memorySizeMb = memorySizeMb;
    this.initDurationMs = initDurationMs;
    this.initError = ready.initError;
    worker.on('message', (message: ChildMessage) => this.#onMessage(message));
    worker.on('error', (error: Error) => this.#onFailure(this.#describeWorkerError(error)));
    worker.on('exit', (code: number) => {
      this.#onFailure({
        errorType: 'Runtime.ExitError',
        errorMessage: code === 0 ? 'Runtime exited without providing a reason' : `Runtime exited with error: exit status ${code}`,
      });
    });
  }

  /**
   * Starts a worker and waits for its init phase. Init output goes to `onInitLog` (Lambda shows it
   * in the first invocation's logs).
   */
  static start(
    boot: WorkerBootData,
    environment: Record<string, string>,
    onInitLog: (text: string) => void,
  ): Promise<ExecutionEnvironment> {
    const started = performance.now();
    const worker = new Worker(CHILD_URL, {
      workerData: boot,
      env: environment,
      // The function's memory size is its heap limit, so a leak ends as Runtime.OutOfMemory.
      resourceLimits: { maxOldGenerationSizeMb: boot.memorySizeMb },
      stdout: false,
      stderr: false,
    });
    return new Promise((resolve, reject) => {
      const fail = (error: Error): void => {
        clearTimeout(timer);
        void worker.terminate();
        reject(error);
      };
      const timer = setTimeout(
        () => fail(new Error(`init of ${boot.functionName} took longer than ${INIT_TIMEOUT_MS} ms`)),
        INIT_TIMEOUT_MS,
      );
      const onMessage = (message: ChildMessage): void => {
        if (message.type === 'log') {
          onInitLog(message.text);
          return;
        }
        if (message.type !== 'ready') return;
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', fail);
        worker.off('exit', onExit);
        resolve(new ExecutionEnvironment(worker, boot.memorySizeMb, message, performance.now() - started));
      };
      const onExit = (code: number): void => fail(new Error(`worker for ${boot.functionName} exited with ${code} during init`));
      worker.on('message', onMessage);
      worker.once('error', fail);
      worker.once('exit', onExit);
    });
  }

  get alive(): boolean {
    return !this.#dead;
  }

  invoke(request: EnvironmentRequest): Promise<InvokeResult> {
    if (this.#pending !== undefined) throw new Error('an execution environment runs one invocation at a time');
    if (this.#dead) return Promise.resolve({ kind: 'retired', payload: request.payload });
    this.#lastRequestId = request.requestId;
    const started = performance.now();
    const message: ParentMessage = {
      type: 'invoke',
      requestId: request.requestId,
      payload: transferable(request.payload),
      deadline: Date.now() + request.timeoutMs,
      invokedFunctionArn: request.invokedFunctionArn,
      clientContext: request.clientContext,
    };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        const timedOut = taskTimedOut(request.requestId, request.timeoutMs);
        request.onLog(timedOut.logLine);
        this.#settle({
          kind: 'error',
          error: timedOut.error,
          durationMs: performance.now() - started,
          maxMemoryUsedMb: this.#lastMaxMemoryUsedMb,
          status: 'timeout',
        });
        this.kill();
      }, request.timeoutMs);
      const { signal } = request;
      const onAbort = (): void => this.#post({ type: 'abort', requestId: request.requestId });
      signal?.addEventListener('abort', onAbort, { once: true });
      const stopListening = (): void => signal?.removeEventListener('abort', onAbort);
      this.#pending = { request, started, resolve, timer, stopListening };
      this.#worker.postMessage(message, [message.payload.buffer as ArrayBuffer]);
      if (signal?.aborted === true) onAbort();
    });
  }

  /** Ends the environment; an invocation still running fails as a runtime exit. */
  kill(): void {
    this.#onFailure({ errorType: 'Runtime.ExitError', errorMessage: 'Runtime exited without providing a reason' });
    // Harmless when the thread has ended already.
    void this.#worker.terminate();
  }

  /**
   * Acknowledges bytes passed on, once per turn of the event loop for all the chunks passed on in
   * it: a handler writing a burst of small chunks had one message back to its thread per chunk
   * (1,000 for 1,000 tokens), work for both threads in the middle of the stream and, queued in
   * the worker, still in front of the next invocation when it arrived. The worker's credit window
   * (response-stream.ts) is far larger than one turn's chunks, so holding the ack for the turn
   * never holds the handler up. Late acks (after the invocation ended) are ignored by the worker.
   */
  #ack(requestId: string, bytes: number): void {
    const unacked = this.#unacked;
    if (unacked !== undefined && unacked.requestId === requestId) {
      unacked.bytes += bytes;
      return;
    }
    if (unacked !== undefined) this.#post({ type: 'ack', ...unacked });
    this.#unacked = { requestId, bytes };
    setImmediate(() => {
      const due = this.#unacked;
      if (due === undefined) return;
      this.#unacked = undefined;
      this.#post({ type: 'ack', ...due });
    });
  }

  #post(message: ParentMessage): void {
    if (!this.#dead) this.#worker.postMessage(message);
  }

  #onMessage(message: ChildMessage): void {
    const pending = this.#pending;
    switch (message.type) {
      case 'chunk': {
        if (pending?.request.requestId !== message.requestId) return;
        const { requestId } = message;
        const bytes = message.payload.byteLength;
        let passed = false;
        pending.request.onChunk(message.payload, () => {
          if (passed) return;
          passed = true;
          this.#ack(requestId, bytes);
        });
        return;
      }
      case 'log':
        // Output of a fresh environment before its first invocation is init output: the first
        // invocation's log shows it, as it shows the rest of init.
        if (
          pending !== undefined &&
          (message.requestId === pending.request.requestId || (message.requestId === undefined && this.#served === 0))
        ) {
          pending.request.onLog(message.text);
        } else {
          this.onStrayLog?.(message.text, this.#lastRequestId);
        }
        return;
      case 'result':
        if (pending?.request.requestId !== message.requestId) return;
        this.#lastMaxMemoryUsedMb = message.maxMemoryUsedMb;
        this.#settle({
          kind: 'success',
          payload: message.payload,
          streamed: message.streamed,
          durationMs: performance.now() - pending.started,
          maxMemoryUsedMb: message.maxMemoryUsedMb,
        });
        return;
      case 'error':
        if (pending?.request.requestId !== message.requestId) return;
        this.#lastMaxMemoryUsedMb = message.maxMemoryUsedMb;
        this.#settle({
          kind: 'error',
          error: message.error,
          durationMs: performance.now() - pending.started,
          maxMemoryUsedMb: message.maxMemoryUsedMb,
          status: undefined,
        });
        return;
      case 'crash':
        if (pending !== undefined) {
          if (message.requestId === pending.request.requestId || this.#served === 0) {
            // The runtime reports the uncaught error for the running invocation, then exits. In a
            // fresh environment the error came from its init code: the invocation that started
            // it reports it (and retrying would meet the same error again).
            this.#settle(this.#failureOutcome(message.error, 'error'));
          } else {
            // Left behind by an earlier invocation; the worker never started this one and hands
            // its payload back (`refused`, next). Until then the worker lives, but takes nothing
            // new; if it never answers, the invocation's timeout ends it.
            this.#markDead();
            return;
          }
        }
        this.kill();
        return;
      case 'refused':
        if (pending?.request.requestId === message.requestId) this.#settle({ kind: 'retired', payload: message.payload });
        this.kill();
        return;
      case 'ready':
        return;
    }
  }

  #onFailure(error: { errorType: string; errorMessage: string }): void {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#settle(
        this.#failureOutcome(
          {
            errorType: error.errorType,
            errorMessage: `RequestId: ${pending.request.requestId} Error: ${error.errorMessage}`,
          },
          'error',
        ),
      );
    }
    this.#markDead();
  }

  #markDead(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.onDeath?.();
  }

  #failureOutcome(error: FunctionErrorShape, status: 'error'): EnvironmentOutcome {
    return {
      kind: 'error',
      error,
      durationMs: this.#pending === undefined ? 0 : performance.now() - this.#pending.started,
      maxMemoryUsedMb: error.errorType === 'Runtime.OutOfMemory' ? this.#memorySizeMb : this.#lastMaxMemoryUsedMb,
      status,
    };
  }

  #describeWorkerError(error: Error): { errorType: string; errorMessage: string } {
    if ((error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY') {
      return { errorType: 'Runtime.OutOfMemory', errorMessage: 'Runtime exited with error: signal: killed' };
    }
    return { errorType: 'Runtime.ExitError', errorMessage: `Runtime exited with error: ${error.message}` };
  }

  #settle(result: InvokeResult): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    pending.stopListening();
    this.#pending = undefined;
    if (result.kind !== 'retired') this.#served += 1;
    pending.resolve(result);
  }
}

/**
 * Large payloads move to the worker by transfer, without a copy. Transferring detaches the whole
 * underlying ArrayBuffer, so a view that shares its buffer (Node's small-Buffer pool, a slice of a
 * socket read) is copied first.
 */
function transferable(payload: Uint8Array): Uint8Array {
  const ownsBuffer = payload.byteOffset === 0 && payload.byteLength === payload.buffer.byteLength && payload.buffer instanceof ArrayBuffer;
  return ownsBuffer ? payload : new Uint8Array(payload);
}
