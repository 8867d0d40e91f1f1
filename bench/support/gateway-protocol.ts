/**
 * The IPC protocol of a benchmark's GraphQL server child (the gateway, `gateway-server.ts`, and
 * the bare yoga reference, `yoga-floor-server.ts`), and the child's side of it:
 *   child → parent  { type: 'ready', url }                   once listening on 127.0.0.1
 *   parent → child  { type: 'memory', id, gc }                → { type: 'memory', id, memory, maxRssBytes }
 *                                                               (after two full collections when gc)
 *   parent → child  { type: 'cpu', id }                       → { type: 'cpu', id, cpu }
 *   parent → child  { type: 'close' }                         closes the server, exits 0
 */
import { type CpuFigures, type MemoryFigures, afterFullGc, memoryFigures } from './child-main.ts';

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

/** Answers the parent's requests (`close` calls `close`), then tells it the server is ready at `url`. */
export function serveParent(url: string, gc: () => void, close: () => void): void {
  // maxRSS is in kilobytes.
  const memory = () => ({ memory: memoryFigures(), maxRssBytes: process.resourceUsage().maxRSS * 1024 });
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
  send({ type: 'ready', url });
}
