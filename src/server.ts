/**
 * Serves an assembled gateway (assembly.ts) on a port: GraphQL over HTTP and SSE, graphql-ws on
 * the same path, destination ingestion, graceful drain, and — by default — the built-in local
 * Lambda started in-process on an ephemeral port, delivering its destination records back to this
 * gateway. Used by the CLI, the integration tests (port 0) and the benchmarks; everything that
 * needs no port is wired by `assembleGateway`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TracerProvider } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { WebSocketServer } from 'ws';
import { type AssembledGateway, assembleGateway } from './assembly.ts';
import type { InvocationEvents } from './async/invocation-events.ts';
import type { InvocationStore } from './async/invocation-store.ts';
import { PLACEHOLDER_CREDENTIALS, type ResolvedGatewayConfig } from './config.ts';
import { type Gateway, GRAPHQL_PATH } from './gateway.ts';
import { ConcurrencyLimits, reservedConcurrency } from './lambda/concurrency-limits.ts';
import { createSdkInvoker, type SdkInvoker } from './lambda/sdk-invoker.ts';
import type { LocalLambdaOptions } from './local-lambda/config.ts';
import { type RunningLocalLambda, startLocalLambda } from './local-lambda/server.ts';
import { withParsedJsonBody } from './http/parsed-json-body.ts';
import { SECRET_HEADER } from './protocol/destination-headers.ts';
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
  readonly localLambda?: Omit<LocalLambdaOptions, 'functions' | 'region' | 'watch'>;
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

  // The built-in local Lambda is started here, not by the assembly: it listens on a port of its
  // own and delivers destination records to this gateway's, which is only known once listening.
  const target = config.lambda;
  let localLambda: RunningLocalLambda | undefined;
  let assembled: AssembledGateway;
  try {
    let invoker: SdkInvoker | undefined;
    if (target.kind === 'local') {
      const local = options.localLambda;
      localLambda = await startLocalLambda({
        ...local,
        functions: target.functions,
        region: target.region,
        // The resolved configuration decides (production never watches), not the embedder's options.
        watch: target.watch,
        port: 0,
        async: {
          defaultOnSuccess: destinationsUrl,
          defaultOnFailure: destinationsUrl,
          ...local?.async,
          deliveryHeaders: { [SECRET_HEADER]: config.destinations.secret, ...local?.async?.deliveryHeaders },
        },
      });
      invoker = createSdkInvoker({
        // The built-in local Lambda's reserved concurrency is known: caps never exceed it.
        concurrency: new ConcurrencyLimits(config.concurrency, reservedConcurrency(localLambda.lambda.config.functions)),
        timeoutMs: config.invokeTimeoutMs,
        maxAttempts: config.invokeMaxAttempts,
        region: target.region,
        endpoint: localLambda.endpoint,
        credentials: PLACEHOLDER_CREDENTIALS,
      });
    }
    try {
      assembled = await assembleGateway(config, {
        invoker,
        lambdaClient: invoker?.client,
        store: options.store,
        events: options.events,
        logger: options.logger,
        tracerProvider: options.tracerProvider,
        destinationsUrl,
        functionDefinitions: localLambda?.lambda.config.functions,
      });
    } catch (error) {
      // A failed assembly leaves an invoker it was handed to its caller.
      invoker?.destroy();
      throw error;
    }
  } catch (error) {
    await localLambda?.close();
    server.close();
    throw error;
  }
  const { gateway, services } = assembled;
  const shutdown = services.shutdown;
  server.off('request', notReady);
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    // While draining, a connection that has answered its last request is closed at once rather
    // than left to idle until the grace period runs out (clients keep keep-alive sockets open).
    response.once('finish', () => {
      if (shutdown.aborted) setImmediate(() => server.closeIdleConnections());
    });
    withParsedJsonBody(request, GRAPHQL_PATH, config.maxRequestBodyBytes, () => void gateway(request, response));
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
        assembled.drain();
        await graphqlWs.close(Math.min(1000, graceMs));
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
        await closed;
        clearTimeout(deadline);
        // The invoker, records, the store, Redis and tracing; then the local Lambda behind them.
        await assembled.close();
        await localLambda?.close();
      })();
      return closing;
    },
  };
}
