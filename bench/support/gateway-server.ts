/**
 * The gateway side of `bench/gateway.ts`, run as a separate process (child_process.fork with
 * `--expose-gc`) so its CPU and memory never mix with the benchmark client's or the local Lambda's.
 * It talks to an already running Lambda-compatible endpoint (the benchmark's local Lambda child),
 * given as the first argument; it must be on 127.0.0.1.
 *
 * Protocol over IPC (see `GatewayServerMessage` / `GatewayParentRequest`):
 *   child → parent  { type: 'ready', url }                   once listening on 127.0.0.1
 *   parent → child  { type: 'memory', id, gc }                → { type: 'memory', id, memory, maxRssBytes }
 *                                                               (after two full collections when gc)
 *   parent → child  { type: 'cpu', id }                       → { type: 'cpu', id, cpu }
 *   parent → child  { type: 'close' }                         closes the gateway, exits 0
 * The child exits on its own when the IPC channel goes away (the parent died).
 */
import { type CpuFigures, type MemoryFigures, afterFullGc, closeThenExit, forkedWithGc, memoryFigures, runChild } from './child-main.ts';
import { startLoopbackGateway } from './loopback-gateway.ts';

export type GatewayParentRequest =
  | { readonly type: 'memory'; readonly id: number; readonly gc: boolean }
  | { readonly type: 'cpu'; readonly id: number }
  | { readonly type: 'close' };

export type GatewayServerMessage =
  | { readonly type: 'ready'; readonly url: string }
  /** `maxRssBytes`: the process's peak resident set size so far (`resourceUsage().maxRSS`, in bytes). */
  | { readonly type: 'memory'; readonly id: number; readonly memory: MemoryFigures; readonly maxRssBytes: number }
  | { readonly type: 'cpu'; readonly id: number; readonly cpu: CpuFigures }
  | { readonly type: 'fatal'; readonly message: string };

const send = (message: GatewayServerMessage): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const running = await startLoopbackGateway(process.argv[2], 'gateway-server.ts <local Lambda endpoint>');
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error)));

  // maxRSS is in kilobytes.
  const memory = (): { memory: MemoryFigures; maxRssBytes: number } => ({ memory: memoryFigures(), maxRssBytes: process.resourceUsage().maxRSS * 1024 });

  process.on('message', (request: GatewayParentRequest) => {
    switch (request.type) {
      case 'memory':
        if (request.gc) afterFullGc(gc, () => send({ type: 'memory', id: request.id, ...memory() }));
        else send({ type: 'memory', id: request.id, ...memory() });
        return;
      case 'cpu':
        send({ type: 'cpu', id: request.id, cpu: process.cpuUsage() });
        return;
      case 'close':
        close();
        return;
    }
  });
  send({ type: 'ready', url: running.url });
}

runChild(main);
