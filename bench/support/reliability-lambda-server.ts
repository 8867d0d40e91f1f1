/**
 * The local Lambda side of `bench/reliability.ts`, run as a separate process (child_process.fork
 * with `--expose-gc`): like `local-lambda-server.ts`, but it also counts what it was asked to do and
 * what it ran, per function, so the benchmark can check that no function ran more often than the
 * gateway was asked to.
 *
 *   - `executions`: START lines of the execution logs (through `logSink`): one per run of a handler.
 *   - `invokeRequests`: HTTP requests to the Invoke API (`POST …/functions/<name>/invocations`),
 *     retries of the gateway's SDK included.
 *
 * Protocol over IPC (see `ReliabilityLambdaMessage` / `ReliabilityLambdaRequest`):
 *   child → parent  { type: 'ready', endpoint }             once listening on 127.0.0.1
 *   parent → child  { type: 'counts', id }                   → { type: 'counts', id, executions, invokeRequests }
 *   parent → child  { type: 'close' }                        closes the local Lambda, exits 0
 * The child exits on its own when the IPC channel goes away (the parent died).
 */
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalLambda } from '../../src/local-lambda/server.ts';
import { closeThenExit, forkedWithGc, runChild } from './child-main.ts';

export type ReliabilityLambdaRequest = { readonly type: 'counts'; readonly id: number } | { readonly type: 'close' };

export type ReliabilityLambdaMessage =
  | { readonly type: 'ready'; readonly endpoint: string }
  | {
      readonly type: 'counts';
      readonly id: number;
      /** Function name → handler runs (START lines). */
      readonly executions: Readonly<Record<string, number>>;
      /** Function name → Invoke API requests received. */
      readonly invokeRequests: Readonly<Record<string, number>>;
    }
  | { readonly type: 'fatal'; readonly message: string };

const FUNCTIONS = path.join(fileURLToPath(new URL('../../', import.meta.url)), 'test', 'fixtures', 'functions');
const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/?]+)\/invocations\/?(?:\?|$)/;

const send = (message: ReliabilityLambdaMessage): void => {
  process.send?.(message);
};

const increment = (counts: Record<string, number>, key: string): void => {
  counts[key] = (counts[key] ?? 0) + 1;
};

async function main(): Promise<void> {
  forkedWithGc();
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
  const close = closeThenExit(() => running.close(1000).catch((error: unknown) => console.error('closing the local Lambda failed:', error)));

  process.on('message', (request: ReliabilityLambdaRequest) => {
    switch (request.type) {
      case 'counts':
        send({ type: 'counts', id: request.id, executions: { ...executions }, invokeRequests: { ...invokeRequests } });
        return;
      case 'close':
        close();
        return;
    }
  });
  send({ type: 'ready', endpoint: running.endpoint });
}

runChild(main);
