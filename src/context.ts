/**
 * The per-request context: the only seam resolvers use. A new invocation loader per request, so
 * batching never crosses requests and a disconnecting client cancels only its own invocations.
 */
import type { Allowlist } from './access/allowlist.ts';
import type { InvocationEvents } from './async/invocation-events.ts';
import type { InvocationStore } from './async/invocation-store.ts';
import type { ResolvedGatewayConfig } from './config.ts';
import { createInvocationLoader, type InvocationLoader } from './lambda/invocation-loader.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';

export interface GatewayContext {
  readonly invocations: InvocationLoader;
  /** What may be invoked; resolvers check every request before any call. */
  readonly access: Allowlist;
  readonly config: ResolvedGatewayConfig;
  readonly store: InvocationStore;
  readonly events: InvocationEvents;
  /** Aborted when the gateway stops: open subscriptions end. */
  readonly shutdown: AbortSignal;
}

export interface GatewayDependencies {
  readonly invoker: LambdaInvoker;
  readonly access: Allowlist;
  readonly store: InvocationStore;
  readonly events: InvocationEvents;
  readonly shutdown: AbortSignal;
  /** Whether the Redis connections are up; undefined when Redis is not used. */
  readonly redisReady?: () => boolean;
}

export function createContext(config: ResolvedGatewayConfig, dependencies: GatewayDependencies, signal: AbortSignal | undefined): GatewayContext {
  return {
    invocations: createInvocationLoader(dependencies.invoker, signal),
    access: dependencies.access,
    config,
    store: dependencies.store,
    events: dependencies.events,
    shutdown: dependencies.shutdown,
  };
}
