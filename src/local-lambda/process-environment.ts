/**
 * One execution environment run as a process — a Python function through the project's bootstrap,
 * or a custom runtime's own `bootstrap` — talking to the local Lambda through its own Runtime API
 * (runtime-api.ts). The pool uses it exactly as the worker-thread environment
 * (execution-environment.ts): the same members, outcomes, log attribution and end of life.
 *
 * The process runs in a process group of its own, so a timeout or a shutdown also ends what it
 * started (a shell bootstrap's `curl`).
 */
import { taskTimedOut } from './runtime-errors.ts';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { EnvironmentRequest, InvokeResult } from './execution-environment.ts';
import { MAX_RESPONSE_BYTES } from '../protocol/limits.ts';
import { RuntimeApi, type ReportedError, type RuntimeApiEvents } from './runtime-api.ts';
import type { ProcessCommand } from './runtimes.ts';
import type { FunctionErrorShape } from './worker-protocol.ts';

/** Lambda gives the init phase 10 seconds, independently of the function timeout. */
const INIT_TIMEOUT_MS = 10_000;

export interface ProcessEnvironmentSpec {
  /** What to start, or why nothing can be (no python3): every invocation then fails its init. */
  readonly command: ProcessCommand | { readonly unavailable: string };
  /** The working directory (`LAMBDA_TASK_ROOT`). */
  readonly taskRoot: string;
  /** The complete environment, given the Runtime API's address (known once it listens). */
  readonly environment: (runtimeApi: string, command: ProcessCommand) => Record<string, string>;
}

interface Pending {
  readonly request: EnvironmentRequest;
  readonly started: number;
  readonly resolve: (result: InvokeResult) => void;
  readonly timer: NodeJS.Timeout;
  readonly stopListening: () => void;
  streamed: boolean;
}

/** How init ended when it did not reach the first `next`. */
type InitFailure =
  /** The runtime posted to `/init/error`: every invocation answers with that body. */
  | { readonly kind: 'reported'; readonly error: ReportedError }
  /** It exited, could not start, or took too long: the message is per request id. */
  | { readonly kind: 'ended'; readonly errorType: string; readonly reason: string };

export class ProcessEnvironment {
  /** Milliseconds from spawning the process to its first `next`. */
  initDurationMs = 0;
  /** Set by `start` before anything can use it. */
  #api!: RuntimeApi;
  #child: ChildProcess | undefined;
  /** The process and its pipes have closed. */
  #ended = false;
  #initFailure: InitFailure | undefined;
  #pending: Pending | undefined;
  #dead = false;
  #served = 0;
  #lastRequestId: string | undefined;
  #lastMaxMemoryUsedMb = 0;
  onDeath: (() => void) | undefined;
  onStrayLog: ((text: string, lastRequestId: string | undefined) => void) | undefined;
  /** Output before the first invocation: init output, which the first invocation's log shows. */
  readonly #onInitLog: (text: string) => void;

  private constructor(onInitLog: (text: string) => void) {
    this.#onInitLog = onInitLog;
  }

  /**
   * Starts the process and waits for its init phase: the first `next`, an init error, an exit or
   * 10 s. An init that failed still gives an environment — its `initError`, or an error for the
   * invocation — which the pool discards after that one invocation, as Lambda starts afresh.
   */
  static async start(spec: ProcessEnvironmentSpec, onInitLog: (text: string) => void): Promise<ProcessEnvironment> {
    const started = performance.now();
    let initDone: () => void = () => undefined;
    const initOver = new Promise<void>((resolve) => (initDone = resolve));
    const environment = new ProcessEnvironment(onInitLog);
    const api = await RuntimeApi.listen(environment.#runtimeEvents(() => initDone()));
    environment.#api = api;
    environment.#spawn(spec, api.address, () => initDone());
    const timer = setTimeout(() => {
      environment.#initFailure ??= {
        kind: 'ended',
        errorType: 'Sandbox.Timedout',
        reason: `Init phase timed out after ${(INIT_TIMEOUT_MS / 1000).toFixed(2)} seconds`,
      };
      initDone();
    }, INIT_TIMEOUT_MS);
    await initOver;
    clearTimeout(timer);
    environment.initDurationMs = performance.now() - started;
    // An init that failed is over for good: the process must not linger until the pool kills it.
    if (environment.#initFailure !== undefined) environment.#stopProcess();
    return environment;
  }

  /** What the Runtime API reports, turned into this environment's outcomes. */
  #runtimeEvents(initDone: () => void): RuntimeApiEvents {
    const failed = (pending: Pending, error: ReportedError, maxMemoryUsedMb: number): InvokeResult => ({
      kind: 'error',
      error: { errorType: error.errorType, errorMessage: error.errorMessage },
      body: error.body,
      durationMs: performance.now() - pending.started,
      maxMemoryUsedMb,
      status: undefined,
    });
    return {
      onReady: initDone,
      onInitError: (error) => {
        this.#initFailure ??= { kind: 'reported', error };
        initDone();
      },
      onResponse: (requestId, payload) =>
        this.#afterOutput(requestId, (pending, maxMemoryUsedMb) => ({
          kind: 'success',
          payload,
          streamed: false,
          durationMs: performance.now() - pending.started,
          maxMemoryUsedMb,
        })),
      onResponseTooLarge: (requestId) =>
        this.#afterOutput(requestId, (pending, maxMemoryUsedMb) => {
          const errorMessage = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
          const errorType = 'Function.ResponseSizeTooLarge';
          // Key order as AWS writes this one: message first.
          const body = new Uint8Array(Buffer.from(JSON.stringify({ errorMessage, errorType })));
          return failed(pending, { errorType, errorMessage, body }, maxMemoryUsedMb);
        }),
      onInvocationError: (requestId, error) => this.#afterOutput(requestId, (pending, memory) => failed(pending, error, memory)),
      onStreamChunk: (requestId, chunk, passedOn) => {
        const pending = this.#pending;
        if (pending?.request.requestId !== requestId) {
          passedOn();
          return;
        }
        pending.streamed = true;
        pending.request.onChunk(chunk, passedOn);
      },
      onStreamEnd: (requestId, error) =>
        this.#afterOutput(requestId, (pending, maxMemoryUsedMb) =>
          error === undefined
            ? {
                kind: 'success',
                payload: new Uint8Array(0),
                streamed: true,
                durationMs: performance.now() - pending.started,
                maxMemoryUsedMb,
              }
            : failed(pending, error, maxMemoryUsedMb),
        ),
    };
  }

  get alive(): boolean {
    return !this.#dead;
  }

  /** Set when the runtime reported an init error: every invocation answers with it. */
  get initError(): FunctionErrorShape | undefined {
    const failure = this.#initFailure;
    if (failure?.kind !== 'reported') return undefined;
    return { errorType: failure.error.errorType, errorMessage: failure.error.errorMessage };
  }

  /** The body the runtime posted to `/init/error`, for the invocation's payload. */
  get initErrorBody(): Uint8Array | undefined {
    return this.#initFailure?.kind === 'reported' ? this.#initFailure.error.body : undefined;
  }

  invoke(request: EnvironmentRequest): Promise<InvokeResult> {
    if (this.#pending !== undefined) throw new Error('an execution environment runs one invocation at a time');
    const failure = this.#initFailure;
    if (failure?.kind === 'ended') {
      // The process never became a runtime: this invocation reports why, as Lambda's would.
      this.#markDead();
      return Promise.resolve({
        kind: 'error',
        error: { errorType: failure.errorType, errorMessage: `RequestId: ${request.requestId} Error: ${failure.reason}` },
        durationMs: 0,
        maxMemoryUsedMb: 0,
        status: failure.errorType === 'Sandbox.Timedout' ? 'timeout' : 'error',
      });
    }
    if (this.#dead) return Promise.resolve({ kind: 'retired', payload: request.payload });
    this.#lastRequestId = request.requestId;
    const started = performance.now();
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
      // A client that leaves a streamed response: the runtime's upload is cut off by ending the
      // invocation here; the process stays warm only if it asks for the next one.
      const { signal } = request;
      const onAbort = (): void => {
        if (this.#pending?.request !== request) return;
        this.#api.withdraw();
        this.#settle({
          kind: 'success',
          payload: new Uint8Array(0),
          streamed: true,
          durationMs: performance.now() - started,
          maxMemoryUsedMb: this.#lastMaxMemoryUsedMb,
        });
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#pending = {
        request,
        started,
        resolve,
        timer,
        stopListening: () => signal?.removeEventListener('abort', onAbort),
        streamed: false,
      };
      this.#api.offer({
        requestId: request.requestId,
        payload: request.payload,
        deadlineMs: Date.now() + request.timeoutMs,
        invokedFunctionArn: request.invokedFunctionArn,
        traceId: traceId(),
        clientContext:
          request.clientContext === undefined || request.clientContext === null ? undefined : JSON.stringify(request.clientContext),
        cognitoIdentity: undefined,
      });
      if (signal?.aborted === true) onAbort();
    });
  }

  /** Ends the environment; an invocation still running fails as a runtime exit. */
  kill(): void {
    this.#onFailure('Runtime.ExitError', 'Runtime exited without providing a reason');
    this.#stopProcess();
  }

  #spawn(spec: ProcessEnvironmentSpec, runtimeApi: string, initEnded: () => void): void {
    const { command } = spec;
    if ('unavailable' in command) {
      this.#initFailure = { kind: 'ended', errorType: 'Runtime.InvalidEntrypoint', reason: command.unavailable };
      initEnded();
      return;
    }
    const child = spawn(command.file, command.args, {
      cwd: spec.taskRoot,
      env: spec.environment(runtimeApi, command),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    this.#child = child;
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => this.#onOutput(text));
    child.stderr?.on('data', (text: string) => this.#onOutput(text));
    child.once('error', (error: NodeJS.ErrnoException) => {
      // Could not start (a missing interpreter, a bootstrap that is not executable): Go's words,
      // as Lambda's own (Go) init reports them.
      const why = error.code === 'EACCES' ? 'permission denied' : error.code === 'ENOENT' ? 'no such file or directory' : error.message;
      this.#initFailure ??= { kind: 'ended', errorType: 'Runtime.InvalidEntrypoint', reason: `fork/exec ${command.file}: ${why}` };
      initEnded();
      this.#onFailure('Runtime.InvalidEntrypoint', `fork/exec ${command.file}: ${why}`);
      this.#api.close();
    });
    // The process's own end first: what else it started goes too, as Lambda ends the sandbox,
    // so the pipes close…
    child.once('exit', () => this.#killGroup());
    // …and once they have, everything it printed has been read: its last words belong to the
    // invocation (or the init) that ends here.
    child.once('close', (code: number | null, signal: NodeJS.Signals | null) => {
      this.#ended = true;
      const exitedCleanly = signal === null && code === 0;
      const reason = exitedCleanly
        ? 'Runtime exited without providing a reason'
        : signal === null
          ? `Runtime exited with error: exit status ${code ?? 0}`
          : `Runtime exited with error: signal: ${signalName(signal)}`;
      this.#initFailure ??= { kind: 'ended', errorType: 'Runtime.ExitError', reason };
      initEnded();
      this.#onFailure('Runtime.ExitError', reason);
      this.#api.close();
    });
  }

  #onOutput(text: string): void {
    const pending = this.#pending;
    if (pending !== undefined) {
      pending.request.onLog(text);
    } else if (this.#served === 0) {
      this.#onInitLog(text);
    } else {
      this.onStrayLog?.(text, this.#lastRequestId);
    }
  }

  /**
   * Settles once what the runtime printed before answering has been read: it wrote to its pipes
   * before posting, so the pipes were readable no later than the socket, and libuv runs every
   * ready descriptor's callbacks in one poll phase, before `setImmediate` callbacks run.
   */
  #afterOutput(requestId: string, outcome: (pending: Pending, maxMemoryUsedMb: number) => InvokeResult): void {
    const pending = this.#pending;
    if (pending?.request.requestId !== requestId) return;
    const maxMemoryUsedMb = this.#maxMemoryUsedMb();
    const result = outcome(pending, maxMemoryUsedMb);
    setImmediate(() => {
      if (this.#pending === pending) this.#settle(result);
    });
  }

  /** Peak resident memory of the runtime process (Linux's VmHWM); the last figure elsewhere. */
  #maxMemoryUsedMb(): number {
    const pid = this.#child?.pid;
    if (pid === undefined || process.platform !== 'linux') return this.#lastMaxMemoryUsedMb;
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (match?.[1] !== undefined) this.#lastMaxMemoryUsedMb = Math.ceil(Number(match[1]) / 1024);
    } catch {
      // Gone already: keep the last figure.
    }
    return this.#lastMaxMemoryUsedMb;
  }

  #onFailure(errorType: string, errorMessage: string): void {
    const pending = this.#pending;
    if (pending !== undefined) {
      this.#settle({
        kind: 'error',
        error: { errorType, errorMessage: `RequestId: ${pending.request.requestId} Error: ${errorMessage}` },
        durationMs: performance.now() - pending.started,
        maxMemoryUsedMb: this.#lastMaxMemoryUsedMb,
        status: 'error',
      });
    }
    this.#markDead();
  }

  #markDead(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.onDeath?.();
  }

  #stopProcess(): void {
    this.#killGroup();
    this.#api.close();
  }

  /** SIGKILL to the process group: the bootstrap and whatever it started (a shell's `curl`). */
  #killGroup(): void {
    const pid = this.#child?.pid;
    // Once everything in it has ended, the number may name someone else's process group.
    if (pid === undefined || this.#ended) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }

  #settle(result: InvokeResult): void {
    const pending = this.#pending;
    if (pending === undefined) return;
    clearTimeout(pending.timer);
    pending.stopListening();
    this.#pending = undefined;
    this.#api.withdraw();
    if (result.kind !== 'retired') this.#served += 1;
    pending.resolve(result);
  }
}

/** An X-Ray trace header as Lambda passes it (`Root=1-<epoch hex>-<96 bits>;Parent=…;Sampled=0`). */
function traceId(): string {
  const epoch = Math.floor(Date.now() / 1000).toString(16);
  return `Root=1-${epoch}-${randomBytes(12).toString('hex')};Parent=${randomBytes(8).toString('hex')};Sampled=0`;
}

/** `SIGKILL` → `killed`, as Go's os/exec words it in Lambda's messages. */
function signalName(signal: NodeJS.Signals): string {
  const names: Partial<Record<NodeJS.Signals, string>> = {
    SIGKILL: 'killed',
    SIGSEGV: 'segmentation fault',
    SIGTERM: 'terminated',
    SIGABRT: 'aborted',
  };
  return names[signal] ?? signal;
}
