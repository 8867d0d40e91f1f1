/**
 * The gateway side of `bench/gateway.ts`, run as a separate process (child_process.fork with
 * `--expose-gc`) so its CPU and memory never mix with the benchmark client's or the local Lambda's.
 * It talks to an already running Lambda-compatible endpoint (the benchmark's local Lambda child),
 * given as the first argument; it must be on 127.0.0.1.
 *
 * It speaks the IPC protocol of `gateway-protocol.ts`.
 * The child exits on its own when the IPC channel goes away (the parent died).
 */
import { closeThenExit, forkedWithGc, runChild } from './child-main.ts';
import { serveParent } from './gateway-protocol.ts';
import { startLoopbackGateway } from './loopback-gateway.ts';

export type { GatewayParentRequest, GatewayServerMessage } from './gateway-protocol.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const running = await startLoopbackGateway(process.argv[2], 'gateway-server.ts <local Lambda endpoint>');
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error)));
  serveParent(running.url, gc, close);
}

runChild(main);
