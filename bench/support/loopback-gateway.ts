/**
 * The gateway as the benchmarks run it in a child process: in front of a local Lambda at a
 * loopback endpoint (checked, so a benchmark can never aim at anything else), GraphiQL off, port 0.
 */
import { resolveGatewayConfig } from '../../src/config.ts';
import { type RunningGateway, startGatewayServer } from '../../src/server.ts';

export function startLoopbackGateway(endpoint: string | undefined, usage: string): Promise<RunningGateway> {
  if (endpoint === undefined) throw new Error(`usage: ${usage}`);
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1')
    throw new Error(`the Lambda endpoint must be http://127.0.0.1:<port> (got ${endpoint})`);
  return startGatewayServer(
    resolveGatewayConfig({
      lambda: { kind: 'endpoint', endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } },
      graphiql: false,
    }),
    { port: 0 },
  );
}
