/**
 * The child side of a benchmark server (`bench/support/*-server.ts`, started by `ChildServer` in
 * `child-server.ts`): the checks at start-up, memory readings after full collections, closing
 * once, and the `fatal` message when start-up fails.
 */

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

/** Runs the script's `main`; a failure is printed and sent to the parent as `{ type: 'fatal', message }`. */
export function runChild(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(message);
    process.send?.({ type: 'fatal', message });
    process.exitCode = 1;
    process.disconnect?.();
  });
}
