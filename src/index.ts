/**
 * The package's public API: what an application embedding the gateway imports
 * (`lambda-graphql-gateway`). Everything else under src/ is internal and may move; import from
 * here (or from `lambda-graphql-gateway/local-lambda` for the local Lambda alone), never from a
 * deep path.
 */

// Configuration: options in, a validated configuration out (GatewayConfigError says which key is wrong).
export {
  type AsyncRecordOptions,
  type CatalogOptions,
  type ConcurrencyOptions,
  DEFAULT_PORT,
  type DestinationOptions,
  GatewayConfigError,
  type GatewayMode,
  type GatewayOptions,
  type LambdaTargetOptions,
  type ResolvedCors,
  type ResolvedGatewayConfig,
  type ResolvedLambdaTarget,
  resolveGatewayConfig,
  type StaticCredentials,
} from './config.ts';
export { loadConfigFile } from './config-file.ts';
// The option types GatewayOptions is made of.
export type { AllowRule } from './access/allowlist.ts';
export type { ApiKeyEntry, AuthOptions, JwtOptions, Principal } from './auth/authenticator.ts';
export type { FunctionConcurrencyRule } from './lambda/concurrency-limits.ts';
export type { FunctionTimeoutRule } from './lambda/deadlines.ts';
export type { TracingOptions } from './observability/tracing.ts';
export type { PersistedOperationsConfig } from './persisted-operations.ts';
// Typed fields: the configuration section, and the event a function behind one receives.
export type { JsonSchemaSource, TypedFieldOptions, TypedFieldsOptions } from './typed-fields/declarations.ts';
export type { TypedFieldEvent } from './typed-fields/typed-field-resolvers.ts';

// The gateway: served on a port (startGatewayServer), fully wired without one (assembleGateway: an
// invoker of one's own and `gateway.fetch`), or the yoga handler on services one wires (createGateway).
export { type GatewayServerOptions, type RunningGateway, startGatewayServer } from './server.ts';
export { type AssembledGateway, assembleGateway, type GatewayAssemblyOverrides, type GatewayServices } from './assembly.ts';
export { createGateway, type Gateway, type GatewayServerContext, GRAPHQL_PATH, GRAPHQL_STREAM_PATH } from './gateway.ts';
export type { GatewayContext, GatewayDependencies } from './context.ts';
// The function catalog, for createGateway's services: Lambda's answers (the SDK's, cached) and who may see them.
export { type CallerCatalog, FunctionCatalog } from './catalog/caller-catalog.ts';
export {
  type CatalogAlias,
  type CatalogFunction,
  type CatalogVersion,
  cachedCatalogSource,
  type FunctionCatalogSource,
  sdkCatalogSource,
} from './catalog/function-catalog.ts';
// Asynchronous invocation records, for a store or event bus of one's own (GatewayServerOptions).
export type { InvocationStore, StoreChange } from './async/invocation-store.ts';
export type { InvocationEvents } from './async/invocation-events.ts';
export type { InvocationRecord } from './async/invocation-record.ts';

// How the gateway calls Lambda: the interface an invoker of one's own implements, the SDK one, and
// the typed failures an invoker throws (each becomes its GraphQL error type).
export type {
  InvokeRequest,
  InvokeResponse,
  LambdaInvoker,
  LambdaReachability,
  StreamEvent,
  StreamingInvocation,
} from './lambda/invoker.ts';
export { createSdkInvoker, type SdkInvokerOptions } from './lambda/sdk-invoker.ts';
export {
  FunctionNotFoundError,
  IdempotencyConflictError,
  InvalidInvocationError,
  InvocationError,
  type InvocationFailure,
  InvocationTimeoutError,
  isInvocationFailure,
  LambdaServiceError,
  PayloadTooLargeError,
  ThrottledError,
} from './lambda/errors.ts';

// For functions behind a gateway that signs client contexts (`clientContext.policy: sign`).
export { type ClientContextPolicy, type GatewayClaims, verifyGatewayClientContext } from './access/client-context.ts';

// The schema's SDL, as committed in schema.graphql (for codegen and contract checks).
export { printGatewaySchema } from './schema/print.ts';

// The built-in local Lambda.
export * from './local-lambda/index.ts';
