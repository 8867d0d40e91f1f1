/**
 * The parse and validation caches, bounded by what an attacker controls: at most `maxEntries`
 * documents, least recently used first out, none whose text is longer than `maxKeyLength`, and at
 * most `maxTotalLength` characters of document text in all. Yoga's default keeps 1,000 documents
 * of any size, so distinct large documents — easy to generate — would each stay in memory (a
 * property test grew the heap by ~20 KB per request). The total matters as much as the count: a
 * cached document costs far more than its text — its AST keeps every token, and its validation
 * result hangs off it — about 60 bytes of heap per character (a 1.4 KB document with 60 aliases
 * held 84 KB), so 256 documents of 4 KB could hold ~60 MB. Real clients send a few operations,
 * over and over: those stay cached.
 */
export class BoundedCache<T> {
  readonly #maxEntries: number;
  readonly #maxKeyLength: number;
  readonly #maxTotalLength: number;
  readonly #entries = new Map<string, T>();
  #totalLength = 0;

  constructor(maxEntries: number, maxKeyLength: number, maxTotalLength = Number.POSITIVE_INFINITY) {
    this.#maxEntries = maxEntries;
    this.#maxKeyLength = maxKeyLength;
    this.#maxTotalLength = maxTotalLength;
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
    if (key.length > this.#maxKeyLength || key.length > this.#maxTotalLength) return;
    if (this.#entries.delete(key)) this.#totalLength -= key.length;
    this.#entries.set(key, value);
    this.#totalLength += key.length;
    while (this.#entries.size > this.#maxEntries || this.#totalLength > this.#maxTotalLength) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
      this.#totalLength -= oldest.value.length;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Characters of document text held. */
  get totalLength(): number {
    return this.#totalLength;
  }
}
