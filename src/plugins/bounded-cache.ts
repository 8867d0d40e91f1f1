/**
 * The parse and validation caches, bounded by what an attacker controls: at most `maxEntries`
 * documents, least recently used first out, and none whose text is longer than `maxKeyLength`.
 * Yoga's default keeps 1,000 documents of any size, so distinct large documents — easy to
 * generate — would each stay in memory (a property test grew the heap by ~20 KB per request).
 * Real clients send a few operations, over and over: those stay cached.
 */
export class BoundedCache<T> {
  readonly #maxEntries: number;
  readonly #maxKeyLength: number;
  readonly #entries = new Map<string, T>();

  constructor(maxEntries: number, maxKeyLength: number) {
    this.#maxEntries = maxEntries;
    this.#maxKeyLength = maxKeyLength;
  }

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Most recently used moves to the end.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    if (key.length > this.#maxKeyLength) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done !== true) this.#entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
