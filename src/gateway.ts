/**
 * `createGateway` builds the GraphQL handler (graphql-yoga on the Pothos schema). It never
 * listens: the CLI and the tests decide where it is served.
 */
import type { IncomingMessage } from 'node:http';
import { format } from 'node:util';
import { useDisableIntrospection } from '@graphql-yoga/plugin-disable-introspection';
import { usePrometheus } from '@graphql-yoga/plugin-prometheus';
import { createYoga, type GraphiQLRenderer, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { ResolvedGatewayConfig } from './config.ts';
import { createContext, type GatewayContext, type GatewayDependencies } from './context.ts';
import { graphiqlOptions } from './graphiql/example-operations.ts';
import { InvocationActivity } from './observability/invocation-activity.ts';
import { useDashboard } from './plugins/use-dashboard.ts';
import { useDestinationIngestion } from './plugins/use-destination-ingestion.ts';
import { BoundedCache } from './plugins/bounded-cache.ts';
import { useCsrfPrevention } from './plugins/use-csrf-prevention.ts';
import { useDrain } from './plugins/use-drain.ts';
import { useHiddenSuggestions } from './plugins/use-hidden-suggestions.ts';
import { useOperationLimits } from './plugins/use-operation-limits.ts';
import { useReadiness } from './plugins/use-readiness.ts';
import { useRequestLog } from './plugins/use-request-log.ts';
import { useRequestBodyLimit } from './plugins/use-request-body-limit.ts';
import { schema } from './schema/index.ts';

export const GRAPHQL_PATH = '/graphql';

/** Parse and validation caching: plenty for real clients, bounded for generated documents. */
const CACHED_DOCUMENTS = 256;
const CACHED_DOCUMENT_LENGTH = 4096;

/** What GraphiQL opens with: invoke `echo` and see every decoded field, logs included. */
export { GRAPHIQL_DEFAULT_QUERY } from './graphiql/example-operations.ts';

/** What the Node adapter (and the WebSocket server) hand yoga with each request. */
export interface GatewayServerContext {
  readonly req?: IncomingMessage;
}

export type Gateway = YogaServerInstance<GatewayServerContext, GatewayContext>;

/**
 * GraphiQL with its assets inlined (@graphql-yoga/render-graphiql) rather than yoga's default page,
 * which loads them from a CDN: it works on a machine without internet. The bundle (9 MB) is loaded
 * on the first visit, not at start, and the page rendered once.
 */
function offlineGraphiQL(): GraphiQLRenderer {
  let page: Promise<string> | undefined;
  return (options) => (page ??= import('@graphql-yoga/render-graphiql').then(({ renderGraphiQL }) => renderGraphiQL(options)));
}

export function createGateway(config: ResolvedGatewayConfig, dependencies: GatewayDependencies): Gateway {
  const activity = dependencies.activity ?? new InvocationActivity(config.activityLogSize);
  activity.followCompletions(dependencies.events, dependencies.shutdown);
  const withActivity = { ...dependencies, activity };
  return createYoga<GatewayServerContext, GatewayContext>({
    schema,
    graphqlEndpoint: GRAPHQL_PATH,
    // Example tabs, the auth header, subscriptions over graphql-ws (graphiql/example-operations.ts).
    graphiql: config.graphiql ? graphiqlOptions(config) : false,
    renderGraphiQL: offlineGraphiQL(),
    landingPage: false,
    healthCheckEndpoint: '/health',
    // Validation results are cached per parsed document (weakly), so bounding the documents
    // bounds them too.
    parserAndValidationCache: {
      documentCache: new BoundedCache(CACHED_DOCUMENTS, CACHED_DOCUMENT_LENGTH),
      errorCache: new BoundedCache(CACHED_DOCUMENTS, CACHED_DOCUMENT_LENGTH),
    },
    // Checked by useRequestBodyLimit from Content-Length instead of streaming every body.
    maxRequestBodySize: false,
    context: ({ request, req }) => createContext(config, withActivity, request, req?.socket.remoteAddress),
    // Yoga's messages (the unexpected errors it masks, above all) go to the same structured log.
    logging: {
      debug: (...args: unknown[]) => dependencies.logger.debug(format(...args)),
      info: (...args: unknown[]) => dependencies.logger.info(format(...args)),
      warn: (...args: unknown[]) => dependencies.logger.warn(format(...args)),
      error: (...args: unknown[]) => dependencies.logger.error(format(...args)),
    },
    plugins: [
      useRequestLog(dependencies.logger),
      // HTTP and GraphQL phase metrics; the per-function ones come from InvocationMetrics, in the
      // same registry, all served at /metrics.
      usePrometheus({ endpoint: '/metrics', registry: dependencies.registry }),
      useRequestBodyLimit(config.maxRequestBodyBytes),
      useDrain(dependencies.shutdown),
      useCsrfPrevention(GRAPHQL_PATH),
      useOperationLimits(config.limits),
      useDestinationIngestion({
        path: config.destinations.path,
        secret: config.destinations.secret,
        store: dependencies.store,
        events: dependencies.events,
      }),
      useReadiness({
        lambdaReachable: () => dependencies.invoker.reachable(),
        redisReady: dependencies.redisReady,
        shutdown: dependencies.shutdown,
      }),
      ...(config.dashboard ? [useDashboard({ graphqlPath: GRAPHQL_PATH })] : []),
      ...(config.introspection ? [] : [useDisableIntrospection() as Plugin]),
      ...(config.mode === 'production' ? [useHiddenSuggestions()] : []),
    ],
  });
}
