/**
 * The child side of a benchmark server (`bench/support/*-server.ts`, started by `ChildServer` in
 * `child-server.ts`): the checks at start-up, answering the parent (`child-protocol.ts`), memory
 * readings after full collections, closing once, and the `fatal` message when start-up fails.
 */
import type {
  ChildMessage,
  CpuFigures,
  Events,
  MemoryFigures,
  MemoryReading,
  Methods,
  ParamsOf,
  ParentMessage,
  ResultOf,
} from './child-protocol.ts';

/** `global.gc`, after checking that the script was forked with an IPC channel and `--expose-gc`. */
export function forkedWithGc(): () => void {
  if (process.send === undefined) throw new Error('start this script with child_process.fork (it needs an IPC channel)');
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('start this script with --expose-gc');
  return () => gc();
}

export function memoryFigures(): MemoryFigures {
  const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapTotal, heapUsed, external, arrayBuffers };
}

/**
 * Runs `then` after two collections, with a turn of the event loop between them, so objects freed
 * by finalizers or weak callbacks of the first one are gone too.
 */
export function afterFullGc(gc: () => void, then: () => void): void {
  gc();
  setImmediate(() => {
    gc();
    then();
  });
}

/**
 * `close` at most once, then `process.exit(0)` — not a signal, so that `--cpu-prof` writes its
 * profile. Also called when the IPC channel goes away (the parent died).
 */
export function closeThenExit(close: () => Promise<void>): () => void {
  let closing = false;
  const closeOnce = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    await close();
    process.exit(0);
  };
  process.on('disconnect', () => void closeOnce());
  return () => void closeOnce();
}

/** Resolves once the message is handed to the IPC channel (at once when there is none any more). */
const send = (message: ChildMessage): Promise<void> =>
  new Promise((resolve) => {
    if (process.send === undefined || !process.connected) resolve();
    else process.send(message, undefined, {}, () => resolve());
  });

/** The implementation of a child's methods: the declared signatures, results possibly as promises. */
export type MethodImplementations<M extends Methods<M>> = {
  readonly [K in keyof M]: (...params: ParamsOf<M[K]>) => ResultOf<M[K]> | Promise<ResultOf<M[K]>>;
};

function memoryReading(): MemoryReading {
  // maxRSS is in kilobytes.
  return { memory: memoryFigures(), maxRssBytes: process.resourceUsage().maxRSS * 1024 };
}

export interface ServeOptions<M extends Methods<M>> {
  /** The server's main address, and any others it serves (named). */
  readonly url: string;
  readonly urls?: Readonly<Record<string, string>>;
  readonly gc: () => void;
  /** `closeThenExit`'s function: the parent's `close`. */
  readonly close: () => void;
  readonly methods: MethodImplementations<M>;
}

/** Answers the parent's calls (the standard methods and `methods`), then tells it the server is ready. */
export function serveParent<M extends Methods<M>>({ url, urls = {}, gc, close, methods }: ServeOptions<M>): void {
  const own = methods as Readonly<Record<string, (params: unknown) => unknown>>;
  const answer = (id: number, compute: () => unknown): void => {
    Promise.resolve()
      .then(compute)
      .then(
        (value) => send({ type: 'reply', id, value }),
        (error: unknown) => send({ type: 'failed', id, message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      )
      .catch((error: unknown) => console.error('answering the benchmark failed:', error));
  };
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'close') {
      close();
      return;
    }
    const { id, method, params } = message;
    if (method === 'memory') {
      if ((params as { gc?: unknown } | undefined)?.gc === true) afterFullGc(gc, () => answer(id, memoryReading));
      else answer(id, memoryReading);
    } else if (method === 'cpu') {
      answer(id, (): CpuFigures => process.cpuUsage());
    } else {
      const implementation = Object.hasOwn(own, method) ? own[method] : undefined;
      answer(id, () => {
        if (implementation === undefined) throw new Error(`no method ${method}`);
        return implementation(params);
      });
    }
  });
  void send({ type: 'ready', url, urls });
}

/** Tells the parent something it did not ask (`E` declares the events); resolves once sent. */
export const eventsToParent =
  <E extends Events<E>>() =>
  <K extends keyof E & string>(name: K, data: E[K]): Promise<void> =>
    send({ type: 'event', name, data });

/** Runs the script's `main`; a failure is printed and sent to the parent as `{ type: 'fatal', message }`. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(message);
    process.send?.({ type: 'fatal', message } satisfies ChildMessage);
    process.exitCode = 1;
    process.disconnect?.();
  });
}
