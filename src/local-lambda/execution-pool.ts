/**
 * Concurrency and warm execution environments, as Lambda keeps them: a function runs as many
 * environments in parallel as it has invocations in flight (up to its reserved concurrency, or
 * the account's unreserved pool), each environment serves one invocation at a time and stays
 * warm for the next, and an environment idle for too long is reclaimed.
 */
import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from './definitions.ts';
import type { EnvironmentOutcome, EnvironmentRequest } from './execution-environment.ts';
import { Generations } from './generations.ts';
import type { LogSink } from './run-invocation.ts';
import type { ResolvedFunction } from './registry.ts';
import { type LambdaEnvironment, startEnvironment } from './start-environment.ts';
import type { ThrottleReason } from './wire-errors.ts';

export interface ExecutionPoolOptions {
  readonly region: string;
  /** Concurrent executions across all functions. */
  readonly accountConcurrency: number;
  /** An environment idle this long is shut down. */
  readonly idleTimeoutMs: number;
  /** Receives what functions write between invocations (timers left running, late errors). */
  readonly logSink: LogSink | undefined;
}

export interface ExecutionResult {
  readonly outcome: EnvironmentOutcome;
  /** Set on a cold start: how long the init phase took. */
  readonly initDurationMs: number | undefined;
}

/** The right to run one invocation now; obtained synchronously so throttling never races. */
export interface ExecutionSlot {
  /** Runs the invocation in a warm or new environment and releases the slot. Call once. */
  run(request: EnvironmentRequest): Promise<ExecutionResult>;
  /** Gives the slot back without running. */
  release(): void;
}

interface IdleEnvironment {
  readonly environment: LambdaEnvironment;
  readonly timer: NodeJS.Timeout;
}

export class ExecutionPool {
  readonly #options: ExecutionPoolOptions;
  /** In-flight invocations per function (all versions share the reserved concurrency). */
  readonly #inFlight = new Map<string, number>();
  /** Warm environments per `function:version`, most recently used last. */
  readonly #idle = new Map<string, IdleEnvironment[]>();
  readonly #all = new Set<LambdaEnvironment>();
  /** Reload on edit: an environment is reused only while its function's code is unchanged. */
  readonly #generations = new Generations();
  #unreservedCapacity: number;
  #unreservedInFlight = 0;
  #closed = false;

  constructor(options: ExecutionPoolOptions, definitions: readonly FunctionDefinition[]) {
    this.#options = options;
    this.#unreservedCapacity = this.#unreserved(definitions);
  }

  /**
   * Takes a reloaded set of definitions: the account pool left to functions without reserved
   * concurrency follows the new reservations. Invocations running keep the slots they hold.
   */
  updateDefinitions(definitions: readonly FunctionDefinition[]): void {
    this.#unreservedCapacity = this.#unreserved(definitions);
  }

  /**
   * The code of these functions changed: their warm environments are shut down now, and those
   * running an invocation finish it and are shut down instead of kept warm. Every invocation
   * that starts from now on runs in an environment that loads the code afresh. Works through the
   * environment's own `kill`, whatever kind of environment it is.
   */
  retire(functionNames: readonly string[]): void {
    this.#generations.bump(functionNames);
    const prefixes = functionNames.map((name) => `${name}:`);
    for (const [key, list] of [...this.#idle]) {
      // A function name never holds ':', so `name:` starts exactly that function's keys.
      if (!prefixes.some((prefix) => key.startsWith(prefix))) continue;
      this.#idle.delete(key);
      for (const entry of list) {
        clearTimeout(entry.timer);
        entry.environment.kill();
      }
    }
  }

  #unreserved(definitions: readonly FunctionDefinition[]): number {
    const reserved = definitions.reduce((sum, d) => sum + (d.reservedConcurrency ?? 0), 0);
    return Math.max(0, this.#options.accountConcurrency - reserved);
  }

  /** Invocations running now, per function. */
  inFlight(functionName: string): number {
    return this.#inFlight.get(functionName) ?? 0;
  }

  /** Environments alive now (busy or warm). */
  get environmentCount(): number {
    return this.#all.size;
  }

  /** A slot for `fn`, or the reason Lambda would throttle the invocation. */
  tryAcquire(fn: ResolvedFunction): ExecutionSlot | ThrottleReason {
    const { name, reservedConcurrency } = fn.definition;
    const running = this.inFlight(name);
    if (reservedConcurrency !== undefined) {
      if (running >= reservedConcurrency) return 'ReservedFunctionConcurrentInvocationLimitExceeded';
    } else if (this.#unreservedInFlight >= this.#unreservedCapacity) {
      return 'ConcurrentInvocationLimitExceeded';
    }
    this.#inFlight.set(name, running + 1);
    if (reservedConcurrency === undefined) this.#unreservedInFlight += 1;

    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      const now = this.inFlight(name) - 1;
      if (now === 0) this.#inFlight.delete(name);
      else this.#inFlight.set(name, now);
      if (reservedConcurrency === undefined) this.#unreservedInFlight -= 1;
    };
    return {
      release,
      run: async (request) => {
        try {
          return await this.#run(fn, request);
        } finally {
          release();
        }
      },
    };
  }

  async #run(fn: ResolvedFunction, request: EnvironmentRequest): Promise<ExecutionResult> {
    const key = `${fn.definition.name}:${fn.executedVersion}`;
    // More than one pass only when a warm environment turns out to be broken by what an earlier
    // invocation left behind (execution-environment.ts): the handler never saw this invocation,
    // so it runs in another one. A fresh environment never answers `retired`, so this ends.
    let attempt = request;
    for (;;) {
      // Taken before any code is read: a change from here on makes this environment stale.
      const generation = this.#generations.current(fn.definition.name);
      let environment = this.#takeIdle(key);
      let initDurationMs: number | undefined;
      if (environment === undefined) {
        environment = await this.#start(fn, key, request.onLog);
        initDurationMs = environment.initDurationMs;
      }
      if (environment.initError !== undefined) {
        // Lambda reports an init failure as the invocation's error and starts afresh next time.
        environment.kill();
        return {
          outcome: {
            kind: 'error',
            error: environment.initError,
            body: environment.initErrorBody,
            durationMs: 0,
            maxMemoryUsedMb: 0,
            status: 'error',
          },
          initDurationMs,
        };
      }
      const outcome = await environment.invoke(attempt);
      if (outcome.kind === 'retired') {
        attempt = { ...attempt, payload: outcome.payload };
        continue;
      }
      if (environment.alive && !this.#closed && this.#generations.isCurrent(fn.definition.name, generation)) {
        this.#putIdle(key, environment);
      } else if (environment.alive) {
        // Shutting down, or its code changed while it ran (reload on edit): it answered this
        // invocation on the code it had loaded, and serves nothing that starts later.
        environment.kill();
      }
      return { outcome, initDurationMs };
    }
  }

  #takeIdle(key: string): LambdaEnvironment | undefined {
    const idle = this.#idle.get(key);
    const entry = idle?.pop();
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    if (idle?.length === 0) this.#idle.delete(key);
    return entry.environment;
  }

  /** An environment that died while warm (a late error, an exit) is never handed out again. */
  #forgetIdle(key: string, environment: LambdaEnvironment): void {
    const list = this.#idle.get(key);
    const index = list?.findIndex((e) => e.environment === environment) ?? -1;
    if (list === undefined || index < 0) return;
    const [entry] = list.splice(index, 1);
    if (entry !== undefined) clearTimeout(entry.timer);
    if (list.length === 0) this.#idle.delete(key);
  }

  #putIdle(key: string, environment: LambdaEnvironment): void {
    const idle = this.#idle.get(key) ?? [];
    const timer = setTimeout(() => {
      this.#forgetIdle(key, environment);
      environment.kill();
    }, this.#options.idleTimeoutMs);
    timer.unref();
    idle.push({ environment, timer });
    this.#idle.set(key, idle);
  }

  async #start(fn: ResolvedFunction, key: string, onInitLog: (text: string) => void): Promise<LambdaEnvironment> {
    const { definition, code, executedVersion } = fn;
    const logGroupName = `/aws/lambda/${definition.name}`;
    const logStreamName = `${new Date().toISOString().slice(0, 10).replaceAll('-', '/')}/[${executedVersion}]${randomBytes(16).toString('hex')}`;
    const region = this.#options.region;
    // The function sees Lambda's reserved variables and its own, never the host's environment
    // (which may hold real AWS credentials).
    const environment: Record<string, string> = {
      ...code.environment,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${definition.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: definition.name,
      AWS_LAMBDA_FUNCTION_VERSION: executedVersion,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(code.memorySizeMb),
      AWS_LAMBDA_LOG_GROUP_NAME: logGroupName,
      AWS_LAMBDA_LOG_STREAM_NAME: logStreamName,
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      LAMBDA_TASK_ROOT: definition.taskRoot,
      _HANDLER: code.handler,
    };
    const environmentInstance = await startEnvironment(
      fn,
      environment,
      {
        modulePath: code.modulePath,
        exportName: code.exportName,
        handler: code.handler,
        functionName: definition.name,
        functionVersion: executedVersion,
        memorySizeMb: code.memorySizeMb,
        logGroupName,
        logStreamName,
        taskRoot: definition.taskRoot,
      },
      onInitLog,
    );
    this.#all.add(environmentInstance);
    environmentInstance.onDeath = () => {
      this.#all.delete(environmentInstance);
      this.#forgetIdle(key, environmentInstance);
    };
    const sink = this.#options.logSink;
    if (sink !== undefined) {
      environmentInstance.onStrayLog = (text, lastRequestId) =>
        sink({ functionName: definition.name, requestId: lastRequestId ?? '', text });
    }
    if (this.#closed) environmentInstance.kill();
    return environmentInstance;
  }

  /** Shuts every environment down; running invocations end as runtime exits. */
  close(): void {
    this.#closed = true;
    for (const list of this.#idle.values()) for (const entry of list) clearTimeout(entry.timer);
    this.#idle.clear();
    for (const environment of [...this.#all]) environment.kill();
  }
}
