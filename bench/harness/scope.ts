/**
 * What a benchmark run (or a part of it) has started and must stop: server children, a
 * redis-server, clients. `close()` stops them in reverse order of start, politely (a child is asked
 * to close, so its CPU profile gets written); `kill()` stops them at once, for a signal. A nested
 * scope (`scoped`) is closed when its function ends, and killed with its parent.
 */
import { ChildServer, type ChildServerOptions } from './child-server.ts';
import type { Events, Methods, NoEvents, NoMethods } from './child-protocol.ts';

export interface Resource {
  /** Stops it; a second call does nothing. */
  close(): Promise<void>;
  /** Stops it at once, synchronously. */
  kill(): void;
}

export class Scope implements Resource {
  readonly #resources: Resource[] = [];
  #closing: Promise<void> | undefined;

  /** Starts a server child and owns it; prints where it listens (stderr, like all progress). */
  async start<M extends Methods<M> = NoMethods, E extends Events<E> = NoEvents>(options: ChildServerOptions): Promise<ChildServer<M, E>> {
    const server = await ChildServer.start<M, E>(options);
    this.#resources.push(server);
    console.error(`${options.name} (pid ${server.child.pid}) at ${server.address}`);
    return server;
  }

  /** Owns `resource` from now on. */
  own<R extends Resource>(resource: R): R {
    this.#resources.push(resource);
    return resource;
  }

  /** Runs `cleanUp` when the scope closes (not when it is killed: the process is going anyway). */
  defer(cleanUp: () => void | Promise<void>): void {
    this.#resources.push({ close: async () => cleanUp(), kill: () => undefined });
  }

  /** Runs `work` in a nested scope, closed when `work` settles. */
  async scoped<T>(work: (scope: Scope) => Promise<T>): Promise<T> {
    const scope = this.own(new Scope());
    try {
      return await work(scope);
    } finally {
      await scope.close();
    }
  }

  /** Closes everything, last started first; a failure to close one does not keep the others running. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      const failures: unknown[] = [];
      for (const resource of this.#resources.toReversed()) {
        try {
          await resource.close();
        } catch (error) {
          failures.push(error);
        }
      }
      if (failures.length > 0) throw new AggregateError(failures, 'stopping what the benchmark started failed');
    })();
    return this.#closing;
  }

  kill(): void {
    for (const resource of this.#resources.toReversed()) resource.kill();
  }
}
