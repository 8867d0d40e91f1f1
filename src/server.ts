/**
 * Wires a gateway to its Lambda and binds it to a port: GraphQL over HTTP and SSE, graphql-ws on
 * the same path, destination ingestion, and — by default — the built-in local Lambda started
 * in-process on an ephemeral port, delivering its destination records back to this gateway.
 * Used by the CLI, the integration tests (port 0) and the benchmarks.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Logger, pino } from 'pino';
import { Registry } from 'prom-client';
import { MemoryIdempotencyStore, RedisIdempotencyStore } from './idempotency/idempotency-store.ts';
import { OperationRateLimiter } from './limits/rate-limiter.ts';
import { InvocationMetrics } from './observability/invocation-metrics.ts';
import { WebSocketServer } from 'ws';
import { Allowlist } from './access/allowlist.ts';
import { Authenticator } from './auth/authenticator.ts';
import { InvocationEvents } from './async/invocation-events.ts';
import { type InvocationStore, MemoryInvocationStore } from './async/invocation-store.ts';
import { connectRedis, type RedisBackend } from './async/redis-connections.ts';
import { PLACEHOLDER_CREDENTIALS, type ResolvedGatewayConfig } from './config.ts';
import { createGateway, type Gateway, GRAPHQL_PATH } from './gateway.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';
import { FunctionDeadlines } from './lambda/deadlines.ts';
import type { TracerProvider } from '@opentelemetry/api';
import { createTracing } from './observability/tracing.ts';
import { createSdkInvoker } from './lambda/sdk-invoker.ts';
import type { LocalLambdaOptions } from './local-lambda/config.ts';
import { type RunningLocalLambda, startLocalLambda } from './local-lambda/server.ts';
import { SECRET_HEADER } from './protocol/destination-headers.ts';
import { completionBounds } from './async/completion-bounds.ts';
import { InvocationRecords } from './async/invocation-records.ts';
import { serveGraphqlWs } from './transport/graphql-ws.ts';
import { verifyUpgrade } from './transport/verify-upgrade.ts';


export interface RunningGateway {
  readonly gateway: Gateway;
  readonly server: Server;
  /** `http://host:port/graphql` */
  readonly url: string;
  /** `http://host:port/lambda-destinations` */
  readonly destinationsUrl: string;
  /** The SDK endpoint in use, when not AWS itself. */
  readonly lambdaEndpoint: string | undefined;
  /** Set when the gateway runs the built-in local Lambda. */
  readonly localLambda: RunningLocalLambda | undefined;
  /**
   * Graceful shutdown: readiness turns false and new work is refused, open subscriptions complete,
   * requests under way get `graceMs` (default: the configured shutdownGraceMs) to finish before
   * their connections are cut, then the local Lambda, the SDK client and Redis are closed.
   */
  close(graceMs?: number): Promise<void>;
}

export interface GatewayServerOptions {
  /** @default 0 */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Extra options for the built-in local Lambda (logs, async settings). */
  readonly localLambda?: Omit<LocalLambdaOptions, 'functions' | 'region'>;
  /** @default Redis when configured, else an in-memory store with the configured TTL */
  readonly store?: InvocationStore;
  /** @default Redis pub/sub when configured, else in memory */
  readonly events?: InvocationEvents;
  /** Structured request logs. @default silent */
  readonly logger?: Logger;
  /** Where spans go when `tracing` is configured, instead of its OTLP endpoint (tests). @default from the config */
  readonly tracerProvider?: TracerProvider;
}

export async function startGatewayServer(config: ResolvedGatewayConfig, options: GatewayServerOptions = {}): Promise<RunningGateway> {
  // Listen first: the local Lambda needs this gateway's address to deliver destination records.
  const notReady = (_request: IncomingMessage, response: ServerResponse): void => {
    response.writeHead(503, { 'retry-after': '1' }).end();
  };
  const server = createServer(notReady);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const origin = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  const destinationsUrl = `${origin}${config.destinations.path}`;

  const target = config.lambda;
  let localLambda: RunningLocalLambda | undefined;
  let invoker: LambdaInvoker;
  const common = { maxConcurrency: config.invokeConcurrency, timeoutMs: config.invokeTimeoutMs, maxAttempts: config.invokeMaxAttempts };
  try {
    if (target.kind === 'local') {
      const local = options.localLambda;
      localLambda = await startLocalLambda({
        ...local,
        functions: target.functions,
        region: target.region,
        port: 0,
        async: {
          defaultOnSuccess: destinationsUrl,
          defaultOnFailure: destinationsUrl,
          ...local?.async,
          deliveryHeaders: { [SECRET_HEADER]: config.destinations.secret, ...local?.async?.deliveryHeaders },
        },
      });
      invoker = createSdkInvoker({ ...common, region: target.region, endpoint: localLambda.endpoint, credentials: PLACEHOLDER_CREDENTIALS });
    } else if (target.kind === 'endpoint') {
      invoker = createSdkInvoker({
        ...common,
        region: target.region,
        endpoint: target.endpoint,
        credentials: target.credentials,
        // Only a local Lambda is told where records go: the headers carry the secret.
        eventDestination: target.local ? { url: destinationsUrl, secret: config.destinations.secret } : undefined,
      });
    } else {
      invoker = createSdkInvoker({ ...common, region: target.region, endpoint: undefined, credentials: undefined });
    }
  } catch (error) {
    server.close();
    throw error;
  }

  let redis: RedisBackend | undefined;
  try {
    redis = config.redis === undefined ? undefined : await connectRedis(config.redis, config.invocationTtlMs);
  } catch (error) {
    invoker.destroy();
    await localLambda?.close();
    server.close();
    throw error;
  }
  const tracing = config.tracing === undefined ? undefined : await createTracing(config.tracing, options.tracerProvider);
  const store = options.store ?? redis?.store ?? new MemoryInvocationStore(config.invocationTtlMs);
  const events = options.events ?? redis?.events ?? new InvocationEvents();
  const shutdown = new AbortController();
  // A registry per gateway: several gateways in one process (tests) must not share counters.
  const registry = new Registry();
  const metrics = new InvocationMetrics(registry);
  const logger = options.logger ?? pino({ level: 'silent' });
  // With the built-in local Lambda the gateway knows each function's limits; elsewhere, AWS's.
  const bounds = completionBounds(config.asyncRecords.expireAfterMs, localLambda?.lambda.config.functions);
  const records = new InvocationRecords({
    store,
    events,
    expireAfterMs: (functionName) => bounds.expireAfterMs(functionName),
    unknownIdWaitMs: config.asyncRecords.unknownIdWaitMs ?? bounds.longestMs,
    onSettled: (record) => metrics.recordCompletion(record),
    onError: (error) => logger.warn({ err: error }, 'could not expire an invocation record; followers and reads will'),
  });
  const gateway = createGateway(config, {
    invoker,
    logger,
    registry,
    metrics,
    authenticator: new Authenticator(config.auth),
    rateLimiter: config.rateLimit === undefined ? undefined : new OperationRateLimiter(config.rateLimit, redis?.commands, config.redis?.keyPrefix ?? 'llgw:'),
    access: new Allowlist(config.access.allow),
    deadlines: new FunctionDeadlines(config.functionTimeouts, config.invokeTimeoutMs),
    idempotency:
      redis === undefined
        ? new MemoryIdempotencyStore(config.idempotencyTtlMs)
        : new RedisIdempotencyStore(redis.commands, config.idempotencyTtlMs, config.redis?.keyPrefix ?? 'llgw:'),
    records,
    shutdown: shutdown.signal,
    redisReady: redis?.ready,
    tracing,
  });
  server.off('request', notReady);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // While draining, a connection that has answered its last request is closed at once rather
    // than left to idle until the grace period runs out (clients keep keep-alive sockets open).
    response.once('finish', () => {
      if (shutdown.signal.aborted) setImmediate(() => server.closeIdleConnections());
    });
    void gateway(request, response);
  });
  const webSockets = new WebSocketServer({ server, path: GRAPHQL_PATH, verifyClient: verifyUpgrade(config) });
  const graphqlWs = serveGraphqlWs(gateway, webSockets, config.persistedOperations);

  let closing: Promise<void> | undefined;
  return {
    gateway,
    server,
    url: `${origin}${GRAPHQL_PATH}`,
    destinationsUrl,
    lambdaEndpoint: localLambda?.endpoint ?? (target.kind === 'endpoint' ? target.endpoint : undefined),
    localLambda,
    close(graceMs = config.shutdownGraceMs) {
      closing ??= (async () => {
        // Readiness turns false and new requests get 503; subscriptions complete (their
        // generators return), then their sockets close.
        shutdown.abort();
        await graphqlWs.close(Math.min(1000, graceMs));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(deadline);
        invoker.destroy();
        await localLambda?.close();
        records.close();
        await store.close();
        await redis?.close();
        await tracing?.shutdown();
      })();
      return closing;
    },
  };
}
