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
import { type CpuFigures, type MemoryFigures, afterFullGc, closeThenExit, forkedWithGc, memoryFigures, runChild } from './child-main.ts';

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
  const gc = forkedWithGc();
  const running = await startLocalLambda({ functions: FUNCTIONS, port: 0 });
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error)));

  process.on('message', (request: ParentRequest) => {
    switch (request.type) {
      case 'memory':
        afterFullGc(gc, () => send({ type: 'memory', id: request.id, memory: memoryFigures(), stats: running.lambda.stats() }));
        return;
      case 'cpu':
        send({ type: 'cpu', id: request.id, cpu: process.cpuUsage(), stats: running.lambda.stats() });
        return;
      case 'close':
        close();
        return;
    }
  });
  send({ type: 'ready', endpoint: running.endpoint });
}

runChild(main);
