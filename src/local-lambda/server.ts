/**
 * Binds a local Lambda to a port: used by the CLI, by the gateway (in-process, on an ephemeral
 * port) and by the tests (port 0).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalLambdaOptions } from './config.ts';
import { createLocalLambda, type LocalLambda } from './local-lambda.ts';

export interface RunningLocalLambda {
  readonly lambda: LocalLambda;
  readonly server: Server;
  /** `http://host:port`, the value for an SDK's `endpoint` or the CLI's `--endpoint-url`. */
  readonly endpoint: string;
  /** Stops accepting connections, drains the local Lambda, and closes idle keep-alive sockets. */
  close(graceMs?: number): Promise<void>;
}

export interface ListenOptions {
  /** @default 0 (an ephemeral port) */
  readonly port?: number;
  /** @default "127.0.0.1" */
  readonly host?: string;
}

export async function startLocalLambda(options: LocalLambdaOptions & ListenOptions): Promise<RunningLocalLambda> {
  const { port = 0, host = '127.0.0.1', ...lambdaOptions } = options;
  const lambda = createLocalLambda(lambdaOptions);
  const server = createServer({ keepAliveTimeout: 65_000 }, lambda.handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    lambda,
    server,
    endpoint: `http://${hostForUrl}:${address.port}`,
    close(graceMs) {
      closing ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await lambda.close(graceMs);
        server.closeAllConnections();
        await closed;
      })();
      return closing;
    },
  };
}
