/**
 * The package entry points (package.json `exports`), imported by the package's own name as an
 * application would: what they export is the public API, so a name that disappears or appears
 * here is a deliberate change to it.
 */
import { describe, expect, it } from 'vitest';
import * as api from 'lambda-graphql-gateway';
import * as localLambda from 'lambda-graphql-gateway/local-lambda';
import type { InvokeRequest, InvokeResponse, LambdaInvoker } from 'lambda-graphql-gateway';

describe('the package entry', () => {
  it('exports the runtime values an embedding application uses', () => {
    expect(Object.keys(api).sort()).toEqual([
      'DEFAULT_PORT',
      'DEFINITIONS_FILE',
      'FunctionCatalog',
      'FunctionDefinitionError',
      'FunctionNotFoundError',
      'GRAPHQL_PATH',
      'GRAPHQL_STREAM_PATH',
      'GatewayConfigError',
      'IdempotencyConflictError',
      'InvalidInvocationError',
      'InvocationError',
      'InvocationTimeoutError',
      'LambdaServiceError',
      'LocalLambdaConfigError',
      'PayloadTooLargeError',
      'ThrottledError',
      'assembleGateway',
      'cachedCatalogSource',
      'createGateway',
      'createLocalLambda',
      'createSdkInvoker',
      'isInvocationFailure',
      'loadConfigFile',
      'loadFunctionDefinitions',
      'printGatewaySchema',
      'resolveGatewayConfig',
      'sdkCatalogSource',
      'startGatewayServer',
      'startLocalLambda',
      'verifyGatewayClientContext',
    ]);
  });

  it('re-exports the local Lambda entry, the same bindings', () => {
    for (const [name, value] of Object.entries(localLambda)) expect(api[name as keyof typeof api]).toBe(value);
    expect(Object.keys(localLambda).sort()).toEqual([
      'DEFINITIONS_FILE',
      'FunctionDefinitionError',
      'LocalLambdaConfigError',
      'createLocalLambda',
      'loadFunctionDefinitions',
      'startLocalLambda',
    ]);
  });

  it('resolves a configuration and types an invoker of one’s own', async () => {
    const config = api.resolveGatewayConfig({ mode: 'development' });
    expect(config.mode).toBe('development');
    expect(() => api.resolveGatewayConfig({ mode: 'staging' as 'development' })).toThrow(api.GatewayConfigError);
    // The interface a test double or a custom transport implements.
    const invoker: LambdaInvoker = {
      invoke: (request: InvokeRequest): Promise<InvokeResponse> =>
        Promise.resolve({
          requestId: 'r',
          statusCode: 200,
          executedVersion: '$LATEST',
          functionError: undefined,
          logResult: undefined,
          payload: request.payload,
        }),
      reachability: () => Promise.resolve({ state: 'reachable' }),
      destroy: () => undefined,
    };
    const request: InvokeRequest = {
      functionName: 'echo',
      qualifier: undefined,
      target: { name: 'echo', qualifier: undefined, region: undefined, account: undefined },
      invocationType: 'RequestResponse',
      logType: 'None',
      payload: new TextEncoder().encode('{}'),
      clientContext: undefined,
    };
    await expect(invoker.invoke(request)).resolves.toMatchObject({ statusCode: 200, executedVersion: '$LATEST' });
    await expect(invoker.reachability()).resolves.toEqual({ state: 'reachable' });
  });
});
