/**
 * The GraphQL server's metrics at `/metrics`, recorded with prom-client directly: the series that
 * @graphql-yoga/plugin-prometheus kept here before (same names, help texts, label names, label
 * order and buckets, so dashboards and alerts keep matching), without its per-request cost.
 *
 * Why our own: the plugin builds every series' labels through generic label-filling functions on
 * every request — `Object.entries`/`fromEntries` per label set, a `.filter` over its handlers per
 * phase, several WeakMaps and spread copies — which profiled at ≈ 35 µs per in-process
 * `invokeFunction` request (8 % of it, under the profiler; ≈ 12 µs with this plugin). Here the
 * operation's labels are built once per request (`getOperationAST`) and shared by every series
 * it touches.
 *
 * The series (label names in brackets; `operationName` only where names are bounded, see
 * gateway.ts):
 * - `graphql_yoga_http_duration` [method, statusCode, operationType, operationName], histogram:
 *   every request that parsed a document, from the first `onRequest` hook to its response;
 * - `graphql_envelop_request` [operationName, operationType]: executions and subscriptions, when
 *   they end (a subscription or an incremental result when its stream ends);
 * - `graphql_envelop_error_result` [operationName, operationType, phase, path]: one per error, by
 *   phase (parse, validate, context, execute), `path` when the error has one;
 * - `graphql_envelop_phase_subscribe` [operationName, operationType], histogram: a subscription,
 *   from its start to its end;
 * - `graphql_envelop_schema_change`: once per schema served.
 *
 * Not recorded, as before, because each cost a measurable share of every request (profiled) and
 * says little here: the parse/validate/context phase histograms (parse and validation are cached),
 * the execute histogram (an invocation's execution is the request, and
 * lambda_invocation_duration_seconds times it per function), the request-time summary (a sliding
 * quantile estimate updated on every request) and the deprecated-field counter (a typed walk over
 * every document; this schema has no deprecated fields). No URL label: its query string is the
 * caller's to choose, and each distinct one would be a new series kept forever.
 *
 * Kept as the plugin wrote them: a parse error's operation labels are the text `undefined` (the
 * document never parsed), and a subscription's source that fails carries no `phase`. One value
 * differs: the plugin labelled the envelop series by the document's first definition (or the
 * requested name), so a document opening with a fragment was labelled by the fragment's name, and
 * one asking for an operation it does not have by that name; here every series names the operation
 * that runs (`Anonymous`/`unknown` when there is none), as the HTTP histogram always did.
 */
import { type DocumentNode, type ExecutionResult, getOperationAST, type GraphQLError, type GraphQLSchema } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { Counter, type CounterConfiguration, Histogram, type HistogramConfiguration, type Registry } from 'prom-client';

export interface GraphqlMetricsOptions {
  /** Where the registry's text is served. */
  readonly endpoint: string;
  /** Shared with the per-function metrics, so one page serves both. */
  readonly registry: Registry;
  /** Whether series carry `operationName` (bounded names only: it is the caller's to choose). */
  readonly operationNames: boolean;
}

type Labels = Record<string, string>;
/** The operation's labels (`operationName`, `operationType`), in the order the series print them. */
type OperationLabels = Readonly<Labels>;

interface RequestState {
  readonly start: number;
  /** Set once its document parsed: a request without an operation is not timed. */
  labels: OperationLabels | undefined;
}

/**
 * Two plugins: `requests` records everything but context failures and goes first in the list;
 * `contextErrors` only registers the handler for those, and goes last. Apart because a plugin with
 * `onPluginInit` keeps the `onRequest` hooks around it from running as one (one-request-hook.ts),
 * and the request hooks are where the cost per request is.
 */
export function useGraphqlMetrics(options: GraphqlMetricsOptions): { readonly requests: Plugin; readonly contextErrors: Plugin } {
  const { registry, endpoint } = options;
  const withName = (names: readonly string[]): string[] => names.filter((name) => options.operationNames || name !== 'operationName');
  const operationLabelNames = withName(['operationType', 'operationName']);
  const http = registeredHistogram(registry, {
    name: 'graphql_yoga_http_duration',
    help: 'Time spent on HTTP connection',
    labelNames: withName(['operationName', 'operationType', 'method', 'statusCode']),
  });
  const subscribe = registeredHistogram(registry, {
    name: 'graphql_envelop_phase_subscribe',
    help: 'Time spent on running the GraphQL "subscribe" function',
    labelNames: operationLabelNames,
  });
  const errors = registeredCounter(registry, {
    name: 'graphql_envelop_error_result',
    help: 'Counts the amount of errors reported from all phases',
    labelNames: withName(['operationType', 'operationName', 'path', 'phase']),
  });
  const requests = registeredCounter(registry, {
    name: 'graphql_envelop_request',
    help: 'Counts the amount of GraphQL requests executed through Envelop',
    labelNames: operationLabelNames,
  });
  const schemaChanges = registeredCounter(registry, {
    name: 'graphql_envelop_schema_change',
    help: 'Counts the amount of schema changes',
    labelNames: [],
  });

  const operationLabels = (operationName: string | undefined, operationType: string): OperationLabels =>
    options.operationNames ? { operationName: operationName ?? 'Anonymous', operationType } : { operationType };
  /** An error's series: the operation's labels, its phase, and its path when it has one. */
  const countError = (
    labels: OperationLabels,
    phase: string | undefined,
    error: { readonly path?: readonly unknown[] } | undefined,
  ): void => {
    const series: Labels = { ...labels };
    if (phase !== undefined) series.phase = phase;
    if (error?.path !== undefined) series.path = error.path.join('.');
    errors.inc(series);
  };
  const countResultErrors = (labels: OperationLabels, result: ExecutionResult): void => {
    for (const error of result.errors ?? []) countError(labels, 'execute', error);
  };

  // One entry per HTTP request, made by the first hook and read by the later ones: fewer WeakMap
  // writes than a map per hook (each write profiled at about a microsecond).
  const requestStates = new WeakMap<Request, RequestState>();
  /** Operations whose context has no request seen by `onRequest` (graphql-ws), by context. */
  const otherOperations = new WeakMap<object, OperationLabels>();
  const labelsOf = (context: object): OperationLabels | undefined => {
    const request = requestOf(context);
    return (request === undefined ? undefined : requestStates.get(request)?.labels) ?? otherOperations.get(context);
  };
  const countedSchemas = new WeakSet<GraphQLSchema>();
  const PARSE_FAILED: OperationLabels = options.operationNames
    ? { operationName: 'undefined', operationType: 'undefined' }
    : { operationType: 'undefined' };

  const contextErrors: Plugin = {
    onPluginInit({ registerContextErrorHandler }) {
      registerContextErrorHandler(({ context, error }) => {
        const labels = labelsOf(context);
        if (labels !== undefined) countError(labels, 'context', error as Partial<GraphQLError> | undefined);
      });
    },
  };
  const requestHooks: Plugin = {
    onRequest(payload) {
      if (payload.url.pathname === endpoint) {
        return registry.metrics().then((text) => {
          payload.endResponse(new payload.fetchAPI.Response(text, { headers: { 'Content-Type': registry.contentType } }));
        });
      }
      requestStates.set(payload.request, { start: Date.now(), labels: undefined });
      return undefined;
    },
    onSchemaChange({ schema }) {
      const served = schema as GraphQLSchema;
      if (countedSchemas.has(served)) return;
      countedSchemas.add(served);
      schemaChanges.inc();
    },
    onParse({ context }) {
      return ({ result }) => {
        if (result === null || result instanceof Error) {
          countError(PARSE_FAILED, 'parse', undefined);
          return;
        }
        const document = result as DocumentNode;
        const operation = getOperationAST(document, contextOperationName(context));
        const labels = operationLabels(operation?.name?.value, operation?.operation ?? 'unknown');
        const request = requestOf(context);
        const state = request === undefined ? undefined : requestStates.get(request);
        if (state === undefined) otherOperations.set(context, labels);
        else state.labels = labels;
      };
    },
    onValidate({ context }) {
      const labels = labelsOf(context);
      if (labels === undefined) return undefined;
      return ({ valid }) => {
        if (!valid) countError(labels, 'validate', undefined);
      };
    },
    onExecute({ args }) {
      const labels = labelsOf(args.contextValue);
      if (labels === undefined) return undefined;
      return {
        onExecuteDone({ result }) {
          if (isAsyncIterable(result)) {
            return {
              onNext: ({ result: next }) => countResultErrors(labels, next),
              onEnd: () => requests.inc(labels),
            };
          }
          countResultErrors(labels, result);
          requests.inc(labels);
          return undefined;
        },
      };
    },
    onSubscribe({ args }) {
      const labels = labelsOf(args.contextValue);
      if (labels === undefined) return undefined;
      const start = Date.now();
      const end = (): void => {
        subscribe.observe(labels, (Date.now() - start) / 1000);
        requests.inc(labels);
      };
      return {
        onSubscribeResult({ result }) {
          if (isAsyncIterable(result)) return { onNext: ({ result: next }) => countResultErrors(labels, next), onEnd: end };
          countResultErrors(labels, result);
          end();
          return undefined;
        },
        onSubscribeError({ error }) {
          countError(labels, undefined, error as Partial<GraphQLError> | undefined);
        },
      };
    },
    onResponse({ request, response }) {
      const state = requestStates.get(request);
      const labels = state?.labels;
      if (state === undefined || labels === undefined) return;
      const series: Labels = {
        method: request.method,
        statusCode: String(response.status),
        operationType: labels.operationType ?? 'unknown',
      };
      if (labels.operationName !== undefined) series.operationName = labels.operationName;
      http.observe(series, (Date.now() - state.start) / 1000);
    },
  };
  return { requests: requestHooks, contextErrors };
}

/**
 * The registry's metric of that name when a gateway built earlier on the same registry made it
 * (as the yoga plugin reused its metrics per registry), else a new one in it.
 */
function registeredHistogram(registry: Registry, configuration: HistogramConfiguration<string>): Histogram {
  const existing = registry.getSingleMetric(configuration.name);
  return existing instanceof Histogram ? existing : new Histogram({ ...configuration, registers: [registry] });
}

function registeredCounter(registry: Registry, configuration: CounterConfiguration<string>): Counter {
  const existing = registry.getSingleMetric(configuration.name);
  return existing instanceof Counter ? existing : new Counter({ ...configuration, registers: [registry] });
}

function requestOf(context: object): Request | undefined {
  return (context as { request?: Request }).request;
}

/** The operation name the request asked for, as yoga put it in the context. */
function contextOperationName(context: unknown): string | undefined {
  const params = (context as { params?: { operationName?: string | null } }).params;
  return params?.operationName ?? undefined;
}
