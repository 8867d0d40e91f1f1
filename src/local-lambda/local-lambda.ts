/**
 * The built-in local Lambda, embeddable: `createLocalLambda` returns a request listener and a
 * `close`; it never listens. `startLocalLambda` (server.ts) and the CLI bind it to a port.
 */
import { AsyncInvocationQueue } from './async-queue.ts';
import { type LocalLambdaOptions, resolveLocalLambdaConfig, type ResolvedLocalLambdaConfig } from './config.ts';
import { ExecutionPool } from './execution-pool.ts';
import { FunctionReloader, type ReloadEvent } from './function-reloader.ts';
import { FunctionRegistry } from './registry.ts';
import { createRequestListener, type RequestListener } from './routes.ts';

export interface LocalLambda {
  readonly config: ResolvedLocalLambdaConfig;
  readonly registry: FunctionRegistry;
  /** A `node:http` request listener speaking Lambda's REST-JSON protocol. */
  readonly handler: RequestListener;
  /** Live figures, for tests and health checks. */
  stats(): { environments: number; queuedEvents: number; pendingDeliveries: number };
  /** Invocations of `functionName` running now (all versions). */
  inFlight(functionName: string): number;
  /**
   * Calls `listener` after each reload on edit (`watch: true`), once every invocation that starts
   * runs the code and definitions on disk; returns the function that stops it. Never called when
   * not watching.
   */
  onReload(listener: (event: ReloadEvent) => void): () => void;
  /**
   * Refuses new requests, lets requests being answered and Event attempts that are running finish, gives destination
   * deliveries `graceMs`, then stops every environment. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

export function createLocalLambda(options: LocalLambdaOptions): LocalLambda {
  const config = resolveLocalLambdaConfig(options);
  const registry = new FunctionRegistry(config.functions, config.region, config.accountId, { random: config.random });
  const pool = new ExecutionPool(
    { region: config.region, accountConcurrency: config.accountConcurrency, idleTimeoutMs: config.idleTimeoutMs, logSink: config.logSink },
    config.functions,
  );
  const queue = new AsyncInvocationQueue(config, pool);
  const reloader =
    config.watchedDefinitions === undefined
      ? undefined
      : new FunctionReloader({ definitionsFile: config.watchedDefinitions, registry, pool, logger: config.logger });
  let closing: Promise<void> | undefined;
  const answering = new Set<Promise<void>>();
  const handler = createRequestListener({
    config,
    registry,
    pool,
    queue,
    accepting: () => closing === undefined,
    track: (answered) => {
      answering.add(answered);
      void answered.finally(() => answering.delete(answered));
    },
  });
  return {
    config,
    registry,
    handler,
    stats: () => ({ environments: pool.environmentCount, queuedEvents: queue.size, pendingDeliveries: queue.pendingDeliveries }),
    inFlight: (functionName) => pool.inFlight(functionName),
    onReload: (listener) => reloader?.onReload(listener) ?? (() => undefined),
    close(graceMs = 5000) {
      closing ??= (async () => {
        reloader?.close();
        // Synchronous invocations under way finish (each is bounded by its function's timeout).
        await Promise.allSettled([...answering]);
        await queue.close(graceMs);
        pool.close();
      })();
      return closing;
    },
  };
}
