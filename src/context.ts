/**
 * The per-request context: the only seam resolvers use. The invocation service is the gateway's
 * one instance, bound here to this request's caller and a new invocation loader, so batching never
 * crosses requests and a disconnecting client cancels only its own invocations.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { requestIdOf } from './http/request-id.ts';
import type { Registry } from 'prom-client';
import type { Allowlist } from './access/allowlist.ts';
import { type Authenticator, type Principal, requestCredentials } from './auth/authenticator.ts';
import type { OperationRateLimiter } from './limits/rate-limiter.ts';
import type { IdempotencyStore } from './idempotency/idempotency-store.ts';
import type { InvocationService, RequestInvocations } from './invocations/invocation-service.ts';
import type { InvocationMetrics } from './observability/invocation-metrics.ts';
import type { InvocationActivity } from './observability/invocation-activity.ts';
import type { InvocationRecords } from './async/invocation-records.ts';
import type { ActivityReader } from './invocations/activity-reader.ts';
import type { RecordReader } from './invocations/record-reader.ts';
import type { ResolvedGatewayConfig } from './config.ts';
import type { CallerCatalog, FunctionCatalog } from './catalog/caller-catalog.ts';
import { createInvocationLoader } from './lambda/invocation-loader.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';
import type { FunctionDeadlines } from './lambda/deadlines.ts';
import { traceInvocations } from './observability/traced-invoker.ts';
import type { GatewayTracing } from './observability/tracing.ts';

export interface GatewayContext {
  /** Who is calling (anonymous when authentication is not configured). */
  readonly principal: Principal;
  /** This request's id, as returned in `x-request-id`. */
  readonly requestId: string;
  /** Every way of invoking goes through here (src/invocations/), bound to this caller. */
  readonly invocations: RequestInvocations;
  /** EVENT invocations' records, as the caller may see them. */
  readonly records: RecordReader;
  /** The recent invocations of every type (the dashboard's source), as the caller may see them. */
  readonly activity: ActivityReader;
  /** What resolvers check and complexity counts; one object per gateway. */
  readonly limits: RequestLimits;
  /** What `Query.gateway` tells; one object per gateway. */
  readonly gateway: GatewayInfo;
  /** The functions this caller may invoke, as Lambda describes them (src/catalog/). */
  readonly catalog: CallerCatalog;
}

export interface RequestLimits {
  /** Most inputs one `invokeFunctions` takes. */
  readonly maxBatchSize: number;
  /** What one invocation counts towards an operation's cost. */
  readonly invocationCost: number;
  /** Most cost one operation may have. */
  readonly maxCost: number;
}

export interface GatewayInfo {
  readonly lambdaTarget: ResolvedGatewayConfig['lambda']['kind'];
  readonly region: string;
  readonly maxBatchSize: number;
  readonly invokeTimeoutMs: number;
}

/** What every request's context shares: built once per gateway (createGateway). */
export interface ContextServices {
  readonly invocations: InvocationService;
  readonly records: RecordReader;
  readonly activity: ActivityReader;
  readonly limits: RequestLimits;
  readonly gateway: GatewayInfo;
}

/** The parts of a gateway's configuration its request contexts carry. */
export function contextSettings(config: ResolvedGatewayConfig): Pick<ContextServices, 'limits' | 'gateway'> {
  return {
    limits: Object.freeze({
      maxBatchSize: config.maxBatchSize,
      invocationCost: config.limits.invocationCost,
      maxCost: config.limits.maxCost,
    }),
    gateway: Object.freeze({
      lambdaTarget: config.lambda.kind,
      region: config.lambda.region,
      maxBatchSize: config.maxBatchSize,
      invokeTimeoutMs: config.invokeTimeoutMs,
    }),
  };
}

export interface GatewayDependencies {
  readonly invoker: LambdaInvoker;
  /** Structured logs (pino); one line per request. */
  readonly logger: Logger;
  /** Where `/metrics` is read from. */
  readonly metrics: InvocationMetrics;
  readonly idempotency: IdempotencyStore;
  readonly registry: Registry;
  readonly authenticator: Authenticator;
  /** Undefined when operations are not rate-limited. */
  readonly rateLimiter: OperationRateLimiter | undefined;
  readonly access: Allowlist;
  readonly deadlines: FunctionDeadlines;
  readonly records: InvocationRecords;
  readonly shutdown: AbortSignal;
  /** Whether the Redis connections are up; undefined when Redis is not used. */
  readonly redisReady?: () => boolean;
  /** OpenTelemetry spans; undefined (and free) when tracing is not configured. */
  readonly tracing?: GatewayTracing;
  /** @default a new in-memory log of `activityLogSize` entries */
  readonly activity?: InvocationActivity;
  /** Lambda's function catalog, cached for the gateway; each request binds it to its caller. */
  readonly catalog: FunctionCatalog;
}

/**
 * Builds the context of one request (HTTP, SSE, or one WebSocket operation). Authentication happens
 * here, before any resolver runs: without valid credentials nothing executes.
 */
export async function createContext(
  dependencies: GatewayDependencies,
  services: ContextServices,
  request: Request,
  clientAddress: string | undefined,
): Promise<GatewayContext> {
  const principal = await dependencies.authenticator.authenticate(requestCredentials(request.headers));
  await dependencies.rateLimiter?.consume(principal, clientAddress);
  const requestId = requestIdOf(request) ?? randomUUID();
  const trace = dependencies.tracing?.operationOf(request);
  const invoker = trace === undefined ? dependencies.invoker : traceInvocations(dependencies.invoker, trace);
  return {
    principal,
    requestId,
    invocations: services.invocations.forRequest({ principal, requestId }, createInvocationLoader(invoker, request.signal), {
      invoker,
      signal: request.signal,
    }),
    records: services.records,
    activity: services.activity,
    limits: services.limits,
    gateway: services.gateway,
    catalog: dependencies.catalog.forCaller(principal),
  };
}
