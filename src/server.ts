/**
 * Wires a gateway to its Lambda and binds it to a port: the built-in local Lambda (started
 * in-process on an ephemeral port) or the configured endpoint, one SDK client, the yoga handler.
 * Used by the CLI, the integration tests (port 0) and the benchmarks.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ResolvedGatewayConfig } from './config.ts';
import { createGateway, type Gateway, GRAPHQL_PATH } from './gateway.ts';
import type { LambdaInvoker } from './lambda/invoker.ts';
import { createSdkInvoker } from './lambda/sdk-invoker.ts';
import type { LocalLambdaOptions } from './local-lambda/config.ts';
import { type RunningLocalLambda, startLocalLambda } from './local-lambda/server.ts';

/** The local Lambda does not check signatures; fixed credentials keep the SDK off the host's chain. */
const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly server: Server;
  /** `http://host:port/graphql` */
  readonly url: string;
  /** The SDK endpoint in use, when not AWS itself. */
  readonly lambdaEndpoint: string | undefined;
  /** Set when the gateway runs the built-in local Lambda. */
  readonly localLambda: RunningLocalLambda | undefined;
  close(): Promise<void>;
}

export interface GatewayServerOptions {
  /** @default 0 */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** Extra options for the built-in local Lambda (logs, async settings). */
  readonly localLambda?: Omit<LocalLambdaOptions, 'functions' | 'region'>;
}

export async function startGatewayServer(config: ResolvedGatewayConfig, options: GatewayServerOptions = {}): Promise<RunningGateway> {
  const target = config.lambda;
  let localLambda: RunningLocalLambda | undefined;
  let invoker: LambdaInvoker;
  const common = { maxConcurrency: config.invokeConcurrency, timeoutMs: config.invokeTimeoutMs, maxAttempts: config.invokeMaxAttempts };
  if (target.kind === 'local') {
    localLambda = await startLocalLambda({ ...options.localLambda, functions: target.functions, region: target.region, port: 0 });
    invoker = createSdkInvoker({ ...common, region: target.region, endpoint: localLambda.endpoint, credentials: LOCAL_CREDENTIALS });
  } else if (target.kind === 'endpoint') {
    invoker = createSdkInvoker({ ...common, region: target.region, endpoint: target.endpoint, credentials: target.credentials });
  } else {
    invoker = createSdkInvoker({ ...common, region: target.region, endpoint: undefined, credentials: undefined });
  }

  const gateway = createGateway(config, { invoker });
  const server = createServer((request, response) => {
    void gateway(request, response);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    invoker.destroy();
    await localLambda?.close();
    throw error;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    gateway,
    server,
    url: `http://${host}:${address.port}${GRAPHQL_PATH}`,
    lambdaEndpoint: localLambda?.endpoint ?? (target.kind === 'endpoint' ? target.endpoint : undefined),
    localLambda,
    close() {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await closed;
        invoker.destroy();
        await localLambda?.close();
      })();
      return closing;
    },
  };
}
