/**
 * Code generations per function, for reload on edit. Every change that concerns a function (its
 * code on disk, its definition) bumps its generation; an execution environment remembers the
 * generation current when it began loading code, and is reused only while that is still the
 * current one. So an invocation that starts after a bump never meets an environment that may hold
 * the old code, and one already running finishes where it is.
 *
 * The generation is taken before the environment reads any file: a change that lands while it
 * loads makes it stale at once, even if it happened to read the new text.
 */
export class Generations {
  readonly #current = new Map<string, number>();

  /** The generation an environment of `functionName` starting now belongs to. */
  current(functionName: string): number {
    return this.#current.get(functionName) ?? 0;
  }

  /** Whether an environment started at `generation` may still serve `functionName`. */
  isCurrent(functionName: string, generation: number): boolean {
    return this.current(functionName) === generation;
  }

  /**
   * Makes every environment of these functions stale. A function removed and added again gets a
   * new generation too: the counter of a name only grows.
   */
  bump(functionNames: Iterable<string>): void {
    for (const name of functionNames) this.#current.set(name, this.current(name) + 1);
  }
}
