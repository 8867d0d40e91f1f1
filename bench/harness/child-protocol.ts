/**
 * The IPC protocol between a benchmark and its server children (`bench/support/*-server.ts`),
 * shared by both sides so their types cannot drift:
 *
 *   child → parent  { type: 'ready', url, urls }              once listening on 127.0.0.1
 *   parent → child  { type: 'call', id, method, params }      → { type: 'reply', id, value }
 *                                                               or { type: 'failed', id, message }
 *   child → parent  { type: 'event', name, data }             unasked news (a signal received, …)
 *   parent → child  { type: 'close' }                         closes the server, exits 0
 *   child → parent  { type: 'fatal', message }                start-up failed
 *
 * Every child answers the standard methods (`memory`, `cpu`); a child declares its own methods and
 * events as types (`XMethods`, `XEvents`) that its script implements and its parent calls.
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

export interface MemoryReading {
  readonly memory: MemoryFigures;
  /** The process's peak resident set size so far (`resourceUsage().maxRSS`, in bytes). */
  readonly maxRssBytes: number;
}

/** What every child answers. */
export interface StandardMethods {
  /** Memory now, or after two full collections with `gc`. */
  memory(params: { readonly gc: boolean }): MemoryReading;
  /** CPU used by the process so far. */
  cpu(): CpuFigures;
}

/** A child's own methods: a name, at most one parameter, a result (JSON-serialisable both). */
export type Methods<M> = { readonly [K in keyof M]: (params: never) => unknown };
/** A child's events: a name and its data. */
export type Events<E> = { readonly [K in keyof E]: object };

export type NoMethods = Record<never, never>;
export type NoEvents = Record<never, never>;

export type ParamsOf<F> = F extends (...params: infer P) => unknown ? P : never;
export type ResultOf<F> = F extends (...params: never) => infer R ? Awaited<R> : never;

export type ParentMessage =
  { readonly type: 'call'; readonly id: number; readonly method: string; readonly params: unknown } | { readonly type: 'close' };

export type ChildMessage =
  /** `url` is the server's main address; `urls` any others it serves (each on 127.0.0.1). */
  | { readonly type: 'ready'; readonly url: string; readonly urls: Readonly<Record<string, string>> }
  | { readonly type: 'reply'; readonly id: number; readonly value: unknown }
  | { readonly type: 'failed'; readonly id: number; readonly message: string }
  | { readonly type: 'event'; readonly name: string; readonly data: unknown }
  | { readonly type: 'fatal'; readonly message: string };
