/**
 * `assembleGateway` wires a whole gateway — invoker, Redis, stores, metrics, authentication, rate
 * limits, access rules, deadlines, idempotency, records, tracing — and returns the yoga instance
 * with its services, binding no port. `startGatewayServer` (server.ts) serves what it returns;
 * tests and embedding applications call it directly with an invoker of their own and use
 * `gateway.fetch` (issue 11, review §5.4).
 */
import type { TracerProvider } from '@opentelemetry/api';
import { type Logger, pino } from 'pino';
import { Registry } from 'prom-client';
import { Allowlist } from './access/allowlist.ts';
import { completionBounds } from './async/completion-bounds.ts';
import { InvocationEvents } from './async/invocation-events.ts';
import { InvocationRecords } from './async/invocation-records.ts';
import { type InvocationStore, MemoryInvocationStore } from './async/invocation-store.ts';
import { connectRedis, type RedisBackend } from './async/redis-connections.ts';
import { Authenticator } from './auth/authenticator.ts';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { FunctionCatalog } from './catalog/caller-catalog.ts';
import { cachedCatalogSource, type FunctionCatalogSource, sdkCatalogSource } from './catalog/function-catalog.ts';
import { DEFAULT_KEY_PREFIX, type ResolvedGatewayConfig } from './config.ts';
import type { GatewayDependencies } from './context.ts';
import { lambdaUnavailable } from './errors.ts';
import { createGateway, type Gateway } from './gateway.ts';
import { MemoryIdempotencyStore, RedisIdempotencyStore } from './idempotency/idempotency-store.ts';
import { FunctionDeadlines } from './lambda/deadlines.ts';
import { ConcurrencyLimits } from './lambda/concurrency-limits.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';
import { createSdkInvoker, type SdkInvoker } from './lambda/sdk-invoker.ts';
import { OperationRateLimiter } from './limits/rate-limiter.ts';
import type { FunctionDefinition } from './local-lambda/definitions.ts';
import { InvocationMetrics } from './observability/invocation-metrics.ts';
import { createTracing } from './observability/tracing.ts';

export interface GatewayAssemblyOverrides {
  /**
   * How the gateway calls Lambda. @default an SDK invoker for the configured target; required for
   * `lambda.kind: local`, whose built-in local Lambda needs a port (startGatewayServer starts it)
   */
  readonly invoker?: LambdaInvoker;
  /**
   * The SDK client the function catalog reads through (its sockets are the invoker's when it is
   * the SDK invoker's own). @default the default SDK invoker's client; with an invoker of one's
   * own and no client, catalog reads fail with LAMBDA_UNAVAILABLE
   */
  readonly lambdaClient?: LambdaClient;
  /** Where the function catalog's answers come from, instead of the SDK (tests). Cached as configured. @default the SDK */
  readonly catalogSource?: FunctionCatalogSource;
  /** @default Redis when configured, else an in-memory store with the configured TTL */
  readonly store?: InvocationStore;
  /** @default Redis pub/sub when configured, else in memory */
  readonly events?: InvocationEvents;
  /** Structured request logs. @default silent */
  readonly logger?: Logger;
  /** Where spans go when `tracing` is configured, instead of its OTLP endpoint (tests). @default from the config */
  readonly tracerProvider?: TracerProvider;
  /**
   * Where this gateway receives destination records (`…/lambda-destinations` on its origin). Only
   * a default SDK invoker for a local endpoint uses it, to tell that endpoint where EVENT outcomes
   * go; without it, they are not delivered. @default none
   */
  readonly destinationsUrl?: string;
  /**
   * The functions' definitions when the gateway knows them (the built-in local Lambda): each EVENT
   * record then expires after its own function's bound rather than AWS's longest. @default AWS's
   */
  readonly functionDefinitions?: readonly FunctionDefinition[];
}

/** Everything a gateway is made of, built once per gateway and closed once by `close()`. */
export interface GatewayServices extends GatewayDependencies {
  /** Where EVENT invocations' records are kept. */
  readonly store: InvocationStore;
  /** How record changes reach subscribers (across instances with Redis). */
  readonly events: InvocationEvents;
}

export interface AssembledGateway {
  /** The yoga instance: `gateway.fetch` for requests without a socket, or a Node request listener. */
  readonly gateway: Gateway;
  readonly services: GatewayServices;
  /**
   * The start of a graceful shutdown: readiness turns false, new work gets 503 and open
   * subscriptions complete. Idempotent; `close()` calls it too. A server drains its transports
   * between this and `close()`.
   */
  drain(): void;
  /**
   * Drains, then closes every service — the invoker, records, the store, Redis and tracing, given
   * or made (the gateway owns what it is handed, as it always has its store). Idempotent.
   */
  close(): Promise<void>;
}

export async function assembleGateway(config: ResolvedGatewayConfig, overrides: GatewayAssemblyOverrides = {}): Promise<AssembledGateway> {
  // Built first so that a configuration that cannot work fails before anything is connected.
  const { invoker, client } =
    overrides.invoker === undefined
      ? createDefaultInvoker(config, overrides.destinationsUrl)
      : { invoker: overrides.invoker, client: undefined };
  const catalogSource = overrides.catalogSource ?? catalogSourceOn(overrides.lambdaClient ?? client);
  let redis: RedisBackend | undefined;
  try {
    redis = config.redis === undefined ? undefined : await connectRedis(config.redis, config.invocationTtlMs);
    const tracing = config.tracing === undefined ? undefined : await createTracing(config.tracing, overrides.tracerProvider);
    return wire(config, overrides, invoker, catalogSource, redis, tracing);
  } catch (error) {
    // What was handed in stays the caller's until assembly succeeds; what was made here is undone.
    if (overrides.invoker === undefined) invoker.destroy();
    await redis?.close();
    throw error;
  }
}

function wire(
  config: ResolvedGatewayConfig,
  overrides: GatewayAssemblyOverrides,
  invoker: LambdaInvoker,
  catalogSource: FunctionCatalogSource,
  redis: RedisBackend | undefined,
  tracing: GatewayDependencies['tracing'],
): AssembledGateway {
  const keyPrefix = config.redis?.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const store = overrides.store ?? redis?.store ?? new MemoryInvocationStore(config.invocationTtlMs);
  const events = overrides.events ?? redis?.events ?? new InvocationEvents();
  const shutdown = new AbortController();
  // A registry per gateway: several gateways in one process (tests) must not share counters.
  const registry = new Registry();
  const metrics = new InvocationMetrics(registry);
  if (invoker.concurrency !== undefined) metrics.watchConcurrency(invoker.concurrency);
  const logger = overrides.logger ?? pino({ level: 'silent' });
  // With the built-in local Lambda the gateway knows each function's limits; elsewhere, AWS's.
  const bounds = completionBounds(config.asyncRecords.expireAfterMs, overrides.functionDefinitions);
  const records = new InvocationRecords({
    store,
    events,
    expireAfterMs: (functionName) => bounds.expireAfterMs(functionName),
    unknownIdWaitMs: config.asyncRecords.unknownIdWaitMs ?? bounds.longestMs,
    onSettled: (record) => metrics.recordCompletion(record),
    onError: (error) => logger.warn({ err: error }, 'could not expire an invocation record; followers and reads will'),
  });
  const access = new Allowlist(config.access.allow);
  const services: GatewayServices = {
    invoker,
    logger,
    registry,
    metrics,
    authenticator: new Authenticator(config.auth),
    rateLimiter: config.rateLimit === undefined ? undefined : new OperationRateLimiter(config.rateLimit, redis?.commands, keyPrefix),
    access,
    deadlines: new FunctionDeadlines(config.functionTimeouts, config.invokeTimeoutMs),
    idempotency:
      redis === undefined
        ? new MemoryIdempotencyStore(config.idempotencyTtlMs)
        : new RedisIdempotencyStore(redis.commands, config.idempotencyTtlMs, keyPrefix),
    records,
    store,
    events,
    shutdown: shutdown.signal,
    redisReady: redis?.ready,
    tracing,
    catalog: new FunctionCatalog(cachedCatalogSource(catalogSource, { ttlMs: config.catalog.cacheTtlMs }), access),
  };
  const gateway = createGateway(config, services);

  let closing: Promise<void> | undefined;
  return {
    gateway,
    services,
    drain: () => shutdown.abort(),
    close() {
      closing ??= (async () => {
        shutdown.abort();
        invoker.destroy();
        records.close();
        await store.close();
        await redis?.close();
        await tracing?.shutdown();
      })();
      return closing;
    },
  };
}

/** Catalog reads on the gateway's client; without one, each read says why it cannot be made. */
function catalogSourceOn(client: LambdaClient | undefined): FunctionCatalogSource {
  if (client !== undefined) return sdkCatalogSource(client);
  const refuse = (): Promise<never> =>
    Promise.reject(
      lambdaUnavailable(
        'This gateway was assembled with an invoker of its own and no lambdaClient to read the catalog through',
        'NoClient',
      ),
    );
  return { listFunctions: refuse, getFunction: refuse, listVersions: refuse, listAliases: refuse };
}

/** The SDK invoker for an endpoint or AWS itself; the built-in local Lambda is the server's to start. */
function createDefaultInvoker(
  config: ResolvedGatewayConfig,
  destinationsUrl: string | undefined,
): { invoker: SdkInvoker; client: LambdaClient } {
  const invoker = createTargetInvoker(config, destinationsUrl);
  // Its client reads the catalog too, on the same sockets.
  return { invoker, client: invoker.client };
}

function createTargetInvoker(config: ResolvedGatewayConfig, destinationsUrl: string | undefined): SdkInvoker {
  const target = config.lambda;
  const common = {
    concurrency: new ConcurrencyLimits(config.concurrency),
    timeoutMs: config.invokeTimeoutMs,
    maxAttempts: config.invokeMaxAttempts,
    reservedFromLambda: config.concurrency.reservedFromLambda,
  };
  switch (target.kind) {
    case 'local':
      throw new Error(
        'the built-in local Lambda listens on a port: serve this configuration with startGatewayServer, or pass assembleGateway an invoker of its own',
      );
    case 'endpoint':
      return createSdkInvoker({
        ...common,
        region: target.region,
        endpoint: target.endpoint,
        credentials: target.credentials,
        // Only a local Lambda is told where records go: the headers carry the secret.
        eventDestination:
          target.local && destinationsUrl !== undefined ? { url: destinationsUrl, secret: config.destinations.secret } : undefined,
      });
    case 'aws':
      return createSdkInvoker({ ...common, region: target.region, endpoint: undefined, credentials: undefined });
  }
}
