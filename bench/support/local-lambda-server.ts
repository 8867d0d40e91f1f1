/**
 * The local Lambda as `bench/local-lambda` and `bench/gateway` run it: a separate process
 * (child_process.fork with `--expose-gc`), so the client's allocations and CPU never mix with the
 * local Lambda's. It speaks `harness/child-protocol.ts` (ready with its endpoint, the standard
 * `memory` and `cpu`) and answers `stats`: its environments and queues.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalLambda } from '../../src/local-lambda/server.ts';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';

export interface ServerStats {
  readonly environments: number;
  readonly queuedEvents: number;
  readonly pendingDeliveries: number;
}

export type LocalLambdaMethods = { stats(): ServerStats };

const FUNCTIONS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test', 'fixtures', 'functions');

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const running = await startLocalLambda({ functions: FUNCTIONS, port: 0 });
  const close = closeThenExit(() =>
    running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error)),
  );
  serveParent<LocalLambdaMethods>({ url: running.endpoint, gc, close, methods: { stats: () => running.lambda.stats() } });
}

runChild(main);
