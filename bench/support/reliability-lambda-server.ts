/**
 * The local Lambda side of `bench/reliability`, run as a separate process (child_process.fork
 * with `--expose-gc`): like `local-lambda-server.ts`, but it also counts what it was asked to do and
 * what it ran, per function, so the benchmark can check that no function ran more often than the
 * gateway was asked to. It answers `counts`:
 *
 *   - `executions`: START lines of the execution logs (through `logSink`): one per run of a handler.
 *   - `invokeRequests`: HTTP requests to the Invoke API (`POST …/functions/<name>/invocations`),
 *     retries of the gateway's SDK included.
 */
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalLambda } from '../../src/local-lambda/server.ts';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';

export interface LambdaCounts {
  /** Function name → handler runs (START lines). */
  readonly executions: Readonly<Record<string, number>>;
  /** Function name → Invoke API requests received. */
  readonly invokeRequests: Readonly<Record<string, number>>;
}

export type CountingLambdaMethods = { counts(): LambdaCounts };

const FUNCTIONS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test', 'fixtures', 'functions');
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations\/?(?:\?|$)/;

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const executions: Record<string, number> = {};
  const invokeRequests: Record<string, number> = {};
  const running = await startLocalLambda({
    functions: FUNCTIONS,
    port: 0,
    logSink: ({ functionName, text }) => {
      // One START line per run of a handler; a piece of log may hold several lines.
      for (const line of text.split('\n')) if (line.startsWith('START RequestId:')) increment(executions, functionName);
    },
  });
  // Listeners run in order: this one sees the request before the local Lambda handles it.
  running.server.prependListener('request', (request: IncomingMessage) => {
    const match = request.method === 'POST' ? INVOKE_PATH.exec(request.url ?? '') : null;
    if (match?.[1] !== undefined) increment(invokeRequests, decodeURIComponent(match[1]));
  });
  const close = closeThenExit(() =>
    running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error)),
  );
  serveParent<CountingLambdaMethods>({
    url: running.endpoint,
    gc,
    close,
    methods: { counts: () => ({ executions: { ...executions }, invokeRequests: { ...invokeRequests } }) },
  });
}

runChild(main);
