/**
 * The server side of `bench/local-lambda.ts`, run as a separate process (child_process.fork with
 * `--expose-gc`) so the client's allocations and CPU never mix with the local Lambda's.
 *
 * Protocol over IPC (see `ServerMessage` / `ParentRequest`):
 *   child → parent  { type: 'ready', endpoint }             once listening on 127.0.0.1
 *   parent → child  { type: 'memory', id }                   → { type: 'memory', id, memory, stats }
 *                                                              after two full garbage collections
 *   parent → child  { type: 'cpu', id }                      → { type: 'cpu', id, cpu, stats } (no gc)
 *   parent → child  { type: 'close' }                        closes the local Lambda, exits 0
 * The child exits on its own when the IPC channel goes away (the parent died).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalLambda } from '../../src/local-lambda/server.ts';

export interface MemoryFigures {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

export interface CpuFigures {
  /** Microseconds of CPU (all threads of the process, workers included). */
  readonly user: number;
  readonly system: number;
}

export interface ServerStats {
  readonly environments: number;
  readonly queuedEvents: number;
  readonly pendingDeliveries: number;
}

export type ParentRequest =
  | { readonly type: 'memory'; readonly id: number }
  | { readonly type: 'cpu'; readonly id: number }
  | { readonly type: 'close' };

export type ServerMessage =
  | { readonly type: 'ready'; readonly endpoint: string }
  | { readonly type: 'memory'; readonly id: number; readonly memory: MemoryFigures; readonly stats: ServerStats }
  | { readonly type: 'cpu'; readonly id: number; readonly cpu: CpuFigures; readonly stats: ServerStats }
  | { readonly type: 'fatal'; readonly message: string };

const FUNCTIONS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test', 'fixtures', 'functions');

const send = (message: ServerMessage): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  if (process.send === undefined) throw new Error('start this script with child_process.fork (it needs an IPC channel)');
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('start this script with --expose-gc');

  const running = await startLocalLambda({ functions: FUNCTIONS, port: 0 });
  let closing = false;
  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error));
    // `process.exit` (not a signal) so that `--cpu-prof` writes its profile.
    process.exit(0);
  };

  process.on('disconnect', () => void close());
  process.on('message', (request: ParentRequest) => {
    switch (request.type) {
      case 'memory':
        // Two collections, with a turn of the event loop between them, so objects freed by
        // finalizers or weak callbacks of the first one are gone too.
        gc();
        setImmediate(() => {
          gc();
          const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
          send({ type: 'memory', id: request.id, memory: { rss, heapTotal, heapUsed, external, arrayBuffers }, stats: running.lambda.stats() });
        });
        return;
      case 'cpu':
        send({ type: 'cpu', id: request.id, cpu: process.cpuUsage(), stats: running.lambda.stats() });
        return;
      case 'close':
        void close();
        return;
    }
  });
  send({ type: 'ready', endpoint: running.endpoint });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  console.error(message);
  send({ type: 'fatal', message });
  process.exitCode = 1;
  process.disconnect?.();
});
