/**
 * The built-in local Lambda's public API (`lambda-graphql-gateway/local-lambda`): a wire-compatible
 * Lambda Invoke endpoint for functions on disk, to listen on a port of its own
 * (`startLocalLambda`) or to host in another server (`createLocalLambda`, a request listener).
 * It needs nothing of the gateway, so it has an entry of its own; the package's main entry
 * re-exports it. What is not exported here is internal and may change.
 */
export { startLocalLambda, type ListenOptions as LocalLambdaListenOptions, type RunningLocalLambda } from './server.ts';
export { createLocalLambda, type LocalLambda } from './local-lambda.ts';
export type { ReloadEvent as LocalLambdaReloadEvent } from './function-reloader.ts';
export type { ChangedFunction as LocalLambdaChangedFunction, FunctionChange as LocalLambdaFunctionChange } from './definition-changes.ts';
export {
  type AsyncOptions as LocalLambdaAsyncOptions,
  type Logger as LocalLambdaLogger,
  LocalLambdaConfigError,
  type LocalLambdaOptions,
} from './config.ts';
export {
  type AliasDefinition as FunctionAliasDefinition,
  type AsyncConfig as FunctionAsyncConfig,
  type CodeConfig as FunctionCodeConfig,
  DEFINITIONS_FILE,
  type FunctionDefinition,
  FunctionDefinitionError,
  loadFunctionDefinitions,
} from './definitions.ts';
