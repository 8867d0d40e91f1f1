/**
 * What a request leaves behind once answered. Cached documents are bounded in number, length and
 * total text; an operation refused at validation does not keep its HTTP request alive through the
 * cached error's stack; and a GET request's query string does not become a metric label (each
 * distinct one would be a new series, kept for the life of the process).
 */
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDocumentCache } from '../../src/document-cache.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

const { gc } = globalThis as { gc?: () => void };

let gateway: TestGateway;
const served: Array<WeakRef<IncomingMessage>> = [];
beforeAll(async () => {
  gateway = await startTestGateway();
  gateway.running.server.on('request', (request: IncomingMessage) => {
    served.push(new WeakRef(request));
  });
});
afterAll(() => gateway.close());

/** Sends `query` on a connection of its own, and returns the server's IncomingMessage for it. */
async function sendAlone(init: { method: 'GET' | 'POST'; query: string }): Promise<WeakRef<IncomingMessage>> {
  const before = served.length;
  const response =
    init.method === 'GET'
      ? await fetch(`${gateway.running.url}?query=${encodeURIComponent(init.query)}`, {
          headers: { connection: 'close', 'x-graphql-csrf': '1' },
        })
      : await fetch(gateway.running.url, {
          method: 'POST',
          headers: { connection: 'close', 'content-type': 'application/json' },
          body: JSON.stringify({ query: init.query }),
        });
  await response.text();
  expect(served.length).toBe(before + 1);
  return served[before] as WeakRef<IncomingMessage>;
}

describe('an answered request', () => {
  if (gc === undefined) throw new Error('these checks need --expose-gc (vitest.config.ts passes it)');
  const collect = (ref: WeakRef<IncomingMessage>) => () => {
    gc();
    return ref.deref() === undefined;
  };

  it.each([
    ['refused at validation', 'POST', '{ gateway { noSuchField } }'],
    ['refused at validation, over GET', 'GET', '{ gateway { alsoNoSuchField } }'],
    ['over the depth limit', 'POST', `{ ${'gateway { '.repeat(12)}region${' }'.repeat(12)} }`],
    ['that does not parse', 'POST', '{ gateway ((( '],
    ['that succeeds', 'POST', '{ gateway { region } }'],
  ] as const)('%s is not kept alive by its cached document', async (_name, method, query) => {
    const ref = await sendAlone({ method, query });
    // Its document (and validation result) stays cached, so the same text is answered from cache.
    await expect.poll(collect(ref), { interval: 20, timeout: 5000 }).toBe(true);
  });
});

describe('the document cache', () => {
  it('keeps at most maxEntries documents, least recently used out first', () => {
    const cache = createDocumentCache<number>({ maxEntries: 2, maxEntryLength: 100, maxTotalLength: 1000 });
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1);
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect([cache.get('a'), cache.get('c'), cache.size]).toEqual([1, 3, 2]);
  });

  it('keeps at most maxTotalLength characters of document text, evicting the oldest', () => {
    const cache = createDocumentCache<number>({ maxEntries: 100, maxEntryLength: 40, maxTotalLength: 100 });
    for (let i = 0; i < 4; i++) cache.set(`${i}`.padEnd(30, '.'), i);
    // Four documents of 30 characters pass the 100 budget: the oldest goes.
    expect(cache.calculatedSize).toBe(90);
    expect(cache.get('0'.padEnd(30, '.'))).toBeUndefined();
    expect(cache.get('3'.padEnd(30, '.'))).toBe(3);
    // Setting a cached document again does not count it twice.
    cache.set('3'.padEnd(30, '.'), 33);
    expect([cache.size, cache.calculatedSize]).toEqual([3, 90]);
    // Longer than a single document may be: never cached.
    cache.set('x'.repeat(41), 9);
    expect([cache.size, cache.get('x'.repeat(41))]).toEqual([3, undefined]);
  });
});

describe('HTTP metrics', () => {
  it('do not label requests by URL, so distinct GET query strings add no series', async () => {
    const series = async () => {
      const text = await (await fetch(new URL('/metrics', gateway.running.url))).text();
      return text.split('\n').filter((line) => line.startsWith('graphql_yoga_http_duration_count')).length;
    };
    await sendAlone({ method: 'GET', query: '{ gateway { region } } # warm' });
    const before = await series();
    for (let i = 0; i < 5; i++) await sendAlone({ method: 'GET', query: `{ gateway { region } } # ${i}` });
    expect(await series()).toBe(before);
    expect(before).toBeGreaterThan(0);
  });
});
