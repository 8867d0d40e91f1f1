/**
 * The parse and validation caches, bounded by what an attacker controls: at most `maxEntries`
 * documents, least recently used first out, none whose text is longer than `maxEntryLength`, and
 * at most `maxTotalLength` characters of document text in all. Yoga's default keeps 1,000
 * documents of any size, so distinct large documents — easy to generate — would each stay in
 * memory (a property test grew the heap by ~20 KB per request). The total matters as much as the
 * count: a cached document costs far more than its text — its AST keeps every token, and its
 * validation result hangs off it — about 60 bytes of heap per character (a 1.4 KB document with 60
 * aliases held 84 KB), so 256 documents of 4 KB could hold ~60 MB. Real clients send a few
 * operations, over and over: those stay cached.
 *
 * The three bounds are lru-cache's own (`max`, `maxEntrySize`, `maxSize` with a
 * `sizeCalculation`); it is already in the tree through graphql-yoga, whose default cache it is.
 */
import { LRUCache } from 'lru-cache';

export interface DocumentCacheBounds {
  /** Documents kept at most. */
  readonly maxEntries: number;
  /** A longer document is never cached (it is parsed, and validated, for every request). */
  readonly maxEntryLength: number;
  /** Characters of document text kept in all; the least recently used go first. */
  readonly maxTotalLength: number;
}

/** Keyed by document text; what yoga's `parserAndValidationCache` takes (`get`/`set`). Values are
 * never undefined (lru-cache's own constraint). */
export type DocumentCache<T extends NonNullable<unknown>> = LRUCache<string, T>;

export function createDocumentCache<T extends NonNullable<unknown>>(bounds: DocumentCacheBounds): DocumentCache<T> {
  return new LRUCache<string, T>({
    max: bounds.maxEntries,
    maxEntrySize: Math.min(bounds.maxEntryLength, bounds.maxTotalLength),
    maxSize: bounds.maxTotalLength,
    // lru-cache refuses a size below 1; an empty document still costs its entry.
    sizeCalculation: (_value, key) => Math.max(1, key.length),
  });
}
