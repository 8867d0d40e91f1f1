/**
 * `createGateway` builds the GraphQL handler (graphql-yoga on the Pothos schema). It never
 * listens: the CLI and the tests decide where it is served.
 */
import type { IncomingMessage } from 'node:http';
import { format } from 'node:util';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import { CorsPolicy } from './access/cors-policy.ts';
import type { ResolvedGatewayConfig } from './config.ts';
import { type ContextServices, contextSettings, createContext, type GatewayContext, type GatewayDependencies } from './context.ts';
import { createDocumentCache, type DocumentCacheBounds } from './document-cache.ts';
import { useApolloMultipartSubscriptions } from './plugins/use-apollo-multipart-subscriptions.ts';
import { graphiqlOptions } from './graphiql/example-operations.ts';
import { ActivityReader } from './invocations/activity-reader.ts';
import { InvocationService } from './invocations/invocation-service.ts';
import { RecordReader } from './invocations/record-reader.ts';
import { activityObserver, asyncRecordsObserver, metricsObserver } from './invocations/observers.ts';
import { InvocationActivity } from './observability/invocation-activity.ts';
import { DASHBOARD_PATH, useDashboard } from './plugins/use-dashboard.ts';
import { useDestinationIngestion } from './plugins/use-destination-ingestion.ts';
import { usePersistedOperations } from './plugins/use-persisted-operations.ts';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useGraphqlSse } from './plugins/use-graphql-sse.ts';
import { requestCredentials } from './auth/authenticator.ts';
import { useDrain } from './plugins/use-drain.ts';
import { useGraphiQLPage } from './plugins/use-graphiql-page.ts';
import { useGraphqlMetrics } from './plugins/use-graphql-metrics.ts';
import { useDetachedErrorStacks } from './plugins/use-detached-error-stacks.ts';
import { useHiddenSuggestions } from './plugins/use-hidden-suggestions.ts';
import { useHostCheck } from './plugins/use-host-check.ts';
import { useLandingPage } from './plugins/use-landing-page.ts';
import { useOperationLimits } from './plugins/use-operation-limits.ts';
import { withOneRequestHook } from './plugins/one-request-hook.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import { useRequestLog } from './plugins/use-request-log.ts';
import { useRequestErrors } from './plugins/use-request-errors.ts';
import { useRequestBodyLimit } from './plugins/use-request-body-limit.ts';
import { useTracing } from './plugins/use-tracing.ts';
import { useValidationCache } from './plugins/use-validation-cache.ts';
import { useVaryOrigin } from './plugins/use-vary-origin.ts';
import { gatewaySchema } from './schema/index.ts';

export const GRAPHQL_PATH = '/graphql';
/** graphql-sse's path (both of its modes); /graphql keeps yoga's own SSE. */
export const GRAPHQL_STREAM_PATH = '/graphql/stream';

/**
 * Parse and validation caching: plenty for real clients, bounded for generated documents. All
 * cached document text together is a few MB of heap at most (see document-cache.ts).
 */
const CACHED_DOCUMENTS: DocumentCacheBounds = { maxEntries: 256, maxEntryLength: 4096, maxTotalLength: 64 * 1024 };

/**
 * Whether GraphQL metrics are labelled by operation name. A name is the caller's to choose, and
 * every distinct one is a series kept for the life of the process (~4 KB each, measured): a
 * production gateway that runs arbitrary operations would let any caller grow its memory without
 * bound. The label is kept where names are bounded: only persisted operations run, or development
 * (bound to localhost, one user).
 */
function operationNamesBounded(config: ResolvedGatewayConfig): boolean {
  const persistedOnly = config.persistedOperations !== undefined && !config.persistedOperations.allowArbitraryOperations;
  return config.mode === 'development' || persistedOnly;
}

/** What GraphiQL opens with: invoke `echo` and see every decoded field, logs included. */
export { GRAPHIQL_DEFAULT_QUERY } from './graphiql/example-operations.ts';

/** What the Node adapter (and the WebSocket server) hand yoga with each request. */
export interface GatewayServerContext {
  readonly req?: IncomingMessage;
}

export type Gateway = YogaServerInstance<GatewayServerContext, GatewayContext>;

export function createGateway(config: ResolvedGatewayConfig, dependencies: GatewayDependencies): Gateway {
  // Built per configuration (its typed fields), first: a declaration that cannot be served stops here.
  const schema = gatewaySchema(config.typedFields);
  const activity = dependencies.activity ?? new InvocationActivity(config.activityLogSize);
  if (activity.capacity > 0) dependencies.records.followOutcomes((record) => activity.complete(record), dependencies.shutdown);
  // Once per gateway; each request's context binds it to its caller and loader.
  const invocations = new InvocationService({
    access: dependencies.access,
    deadlines: dependencies.deadlines,
    idempotency: dependencies.idempotency,
    clientContext: config.clientContext,
    observers: [metricsObserver(dependencies.metrics), activityObserver(activity), asyncRecordsObserver(dependencies.records)],
    coalesce: {
      maxBytes: config.streaming.coalesceBytes,
      maxDelayMs: config.streaming.coalesceMs,
      joinAvailableBytes: config.streaming.joinAvailableBytes,
    },
    shutdown: dependencies.shutdown,
  });
  const services: ContextServices = {
    invocations,
    records: new RecordReader(dependencies.records, dependencies.access, dependencies.shutdown),
    activity: new ActivityReader(activity, dependencies.access, dependencies.shutdown),
    ...contextSettings(config),
  };
  const cors = new CorsPolicy(config.cors);
  // HTTP and GraphQL metrics; the per-function ones come from InvocationMetrics, in the same
  // registry, all served at /metrics.
  const graphqlMetrics = useGraphqlMetrics({
    endpoint: '/metrics',
    registry: dependencies.registry,
    operationNames: operationNamesBounded(config),
  });
  return createYoga<GatewayServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // GraphiQL is served by useGraphiQLPage (inlined, compressed, cached), not by yoga's plugin.
    graphiql: false,
    landingPage: false,
    healthCheckEndpoint: '/health',
    // Only the origins the configuration grants (yoga's default reflects any, with credentials).
    cors: cors.yogaOptions,
    // Validation results are cached per parsed document (weakly), so bounding the documents
    // bounds them too; by useValidationCache, cheaper per request than yoga's own.
    parserAndValidationCache: {
      documentCache: createDocumentCache(CACHED_DOCUMENTS),
      errorCache: createDocumentCache(CACHED_DOCUMENTS),
      validationCache: false,
    },
    // Checked by useRequestBodyLimit from Content-Length instead of streaming every body.
    maxRequestBodySize: false,
    context: ({ request, req }) => createContext(dependencies, services, request, req?.socket.remoteAddress),
    // Yoga's messages (the unexpected errors it masks, above all) go to the same structured log.
    // yoga logs debug lines on every request: formatted only when their level is on.
    logging: {
      debug: (...args: unknown[]) => {
        if (dependencies.logger.isLevelEnabled('debug')) dependencies.logger.debug(format(...args));
      },
      info: (...args: unknown[]) => {
        if (dependencies.logger.isLevelEnabled('info')) dependencies.logger.info(format(...args));
      },
      warn: (...args: unknown[]) => dependencies.logger.warn(format(...args)),
      error: (...args: unknown[]) => dependencies.logger.error(format(...args)),
    },
    // The onRequest hooks of this list run as few hooks (plugins/one-request-hook.ts).
    plugins: withOneRequestHook([
      // First, so that its instrumentation is the outermost and times every request.
      useRequestLog(dependencies.logger),
      graphqlMetrics.requests,
      ...(config.allowedHosts === 'any' ? [] : [useHostCheck(config.allowedHosts)]),
      ...(cors.grantsAny ? [useVaryOrigin()] : []),
      // Example tabs, the auth header, subscriptions over graphql-ws (graphiql/example-operations.ts).
      ...(config.graphiql ? [useGraphiQLPage({ path: GRAPHQL_PATH, graphiql: graphiqlOptions(config) })] : []),
      useRequestBodyLimit(config.maxRequestBodyBytes),
      useDrain(dependencies.shutdown),
      useCsrfPrevention([GRAPHQL_PATH, GRAPHQL_STREAM_PATH]),
      useGraphqlSse({
        path: GRAPHQL_STREAM_PATH,
        authenticate: (request) => dependencies.authenticator.authenticate(requestCredentials(request.headers)),
        persisted: config.persistedOperations,
        shutdown: dependencies.shutdown,
        onUnexpectedError: (error) => dependencies.logger.error({ err: error }, 'graphql-sse request failed'),
      }),
      ...(config.persistedOperations === undefined ? [] : [usePersistedOperations(config.persistedOperations)]),
      useOperationLimits(config.limits),
      // 200 for application/json and over SSE, 400 for graphql-response+json, with codes.
      useRequestErrors(),
      useDetachedErrorStacks(),
      useDestinationIngestion({
        path: config.destinations.path,
        secret: config.destinations.secret,
        records: dependencies.records,
      }),
      useReadiness({
        lambda: () => dependencies.invoker.reachability(),
        redisReady: dependencies.redisReady,
        shutdown: dependencies.shutdown,
      }),
      // Apollo Client's HttpLink subscribes with its multipart protocol; SSE stays for the others.
      useApolloMultipartSubscriptions({
        heartbeatIntervalMs: config.multipartSubscriptions.heartbeatIntervalMs,
        onUnexpectedError: (error) => dependencies.logger.error({ err: error }, 'subscription stream failed'),
      }),
      ...(config.dashboard ? [useDashboard({ graphqlPath: GRAPHQL_PATH })] : []),
      ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
      ...(config.mode === 'production' ? [useHiddenSuggestions()] : []),
      ...(dependencies.tracing === undefined ? [] : [useTracing(dependencies.tracing)]),
      // Last: it answers whatever no plugin above served.
      useLandingPage({
        graphqlPath: GRAPHQL_PATH,
        streamPath: GRAPHQL_STREAM_PATH,
        graphiql: config.graphiql,
        dashboardPath: config.dashboard ? DASHBOARD_PATH : undefined,
        healthPath: '/health',
        readinessPath: '/ready',
        metricsPath: '/metrics',
      }),
      // Apart from graphqlMetrics.requests, so that its onPluginInit splits no run of onRequest hooks.
      graphqlMetrics.contextErrors,
      // Last of those that validate or add rules: it caches what they validated with.
      useValidationCache(),
    ]),
  });
}
