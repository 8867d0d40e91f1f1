/**
 * The gateway side of `bench/gateway`, run as a separate process (child_process.fork with
 * `--expose-gc`) so its CPU and memory never mix with the benchmark client's or the local Lambda's.
 * It talks to an already running Lambda-compatible endpoint (the benchmark's local Lambda child),
 * given as the first argument; it must be on 127.0.0.1.
 *
 * It speaks `harness/child-protocol.ts` with the standard methods only.
 */
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { startLoopbackGateway } from './loopback-gateway.ts';

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const running = await startLoopbackGateway(process.argv[2], 'gateway-server.ts <local Lambda endpoint>');
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error)));
  serveParent({ url: running.url, gc, close, methods: {} });
}

runChild(main);
