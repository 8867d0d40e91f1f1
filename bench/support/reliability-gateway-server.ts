/**
 * The gateway side of `bench/reliability`, run as a separate process (child_process.fork with
 * `--expose-gc`): like `gateway-server.ts` (`kind: 'endpoint'` at the benchmark's local Lambda,
 * given as the first argument, on 127.0.0.1), but it also shuts down as a deployed gateway would on
 * SIGTERM: `running.close(graceMs)` (the second argument, default 5000), then exit 0. It tells the
 * parent (`harness/child-protocol.ts` events):
 *
 *   sigterm  {}                       SIGTERM received, close() begins
 *   closed   { closeMs, error? }      close() settled (then the child exits)
 */
import { closeThenExit, eventsToParent, forkedWithGc, runChild, serveParent } from '../harness/child.ts';
import { startLoopbackGateway } from './loopback-gateway.ts';

export type DrainingGatewayEvents = {
  sigterm: Record<string, never>;
  closed: { readonly closeMs: number; readonly error?: string };
};

const tellParent = eventsToParent<DrainingGatewayEvents>();

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const graceMs = Number(process.argv[3] ?? '5000');
  const running = await startLoopbackGateway(process.argv[2], 'reliability-gateway-server.ts <local Lambda endpoint> [graceMs]');
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error)));

  let terminating = false;
  process.on('SIGTERM', () => {
    if (terminating) return;
    terminating = true;
    void (async () => {
      await tellParent('sigterm', {});
      const started = performance.now();
      let error: string | undefined;
      try {
        await running.close(graceMs);
      } catch (caught) {
        error = caught instanceof Error ? caught.message : String(caught);
      }
      await tellParent('closed', { closeMs: performance.now() - started, ...(error === undefined ? {} : { error }) });
      process.exit(error === undefined ? 0 : 1);
    })();
  });

  serveParent({ url: running.url, gc, close, methods: {} });
}

runChild(main);
