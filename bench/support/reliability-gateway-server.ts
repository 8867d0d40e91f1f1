/**
 * The gateway side of `bench/reliability.ts`, run as a separate process (child_process.fork with
 * `--expose-gc`): like `gateway-server.ts` (`kind: 'endpoint'` at the benchmark's local Lambda,
 * given as the first argument, on 127.0.0.1), but it also shuts down as a deployed gateway would on
 * SIGTERM: `running.close(graceMs)` (the second argument, default 5000), then exit 0.
 *
 * Protocol over IPC (see `ReliabilityGatewayMessage` / `ReliabilityGatewayRequest`):
 *   child → parent  { type: 'ready', url }                   once listening on 127.0.0.1
 *   child → parent  { type: 'sigterm' }                      SIGTERM received, close() begins
 *   child → parent  { type: 'closed', closeMs, error? }      close() settled (then the child exits)
 *   parent → child  { type: 'close' }                        closes the gateway, exits 0
 * The child exits on its own when the IPC channel goes away (the parent died).
 */
import { closeThenExit, forkedWithGc, runChild } from './child-main.ts';
import { startLoopbackGateway } from './loopback-gateway.ts';

export type ReliabilityGatewayRequest = { readonly type: 'close' };

export type ReliabilityGatewayMessage =
  | { readonly type: 'ready'; readonly url: string }
  | { readonly type: 'sigterm' }
  | { readonly type: 'closed'; readonly closeMs: number; readonly error?: string }
  | { readonly type: 'fatal'; readonly message: string };

const send = (message: ReliabilityGatewayMessage): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

async function main(): Promise<void> {
  forkedWithGc();
  const graceMs = Number(process.argv[3] ?? '5000');
  const running = await startLoopbackGateway(process.argv[2], 'reliability-gateway-server.ts <local Lambda endpoint> [graceMs]');
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error)));

  let terminating = false;
  process.on('SIGTERM', () => {
    if (terminating) return;
    terminating = true;
    void (async () => {
      await send({ type: 'sigterm' });
      const started = performance.now();
      let error: string | undefined;
      try {
        await running.close(graceMs);
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      await send({ type: 'closed', closeMs: performance.now() - started, ...(error === undefined ? {} : { error }) });
      process.exit(error === undefined ? 0 : 1);
    })();
  });

  process.on('message', (request: ReliabilityGatewayRequest) => {
    if (request.type === 'close') close();
  });
  await send({ type: 'ready', url: running.url });
}

runChild(main);
