/**
 * A static asset answers in the encoding the client prefers, computed once, with a strong ETag
 * per encoding, `Cache-Control: no-cache`, and 304 when the client's copy is current.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { negotiate, StaticAsset } from '../../src/http/static-asset.ts';

const body = 'static text '.repeat(1000);
const asset = new StaticAsset(body, { contentType: 'text/plain; charset=utf-8', headers: { 'x-extra': 'kept' } });
const get = (headers: Record<string, string> = {}, method = 'GET'): Promise<Response> =>
  asset.respond(new Request('http://localhost/a', { method, headers }));
const bytes = async (response: Response): Promise<Buffer> => Buffer.from(await response.arrayBuffer());

describe('negotiate', () => {
  it.each([
    [null, undefined],
    ['', undefined],
    ['identity', undefined],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', undefined],
    ['*', 'br'],
    ['*;q=0.1, br;q=0', 'gzip'],
    ['GZIP ; Q=0.8', 'gzip'],
  ])('Accept-Encoding %j → %s', (header, expected) => {
    expect(negotiate(header)).toBe(expected);
  });
});

describe('StaticAsset', () => {
  it('sends brotli, gzip or the body as it is, each with its own strong ETag and the same caching headers', async () => {
    const br = await get({ 'accept-encoding': 'gzip, deflate, br' });
    const gzip = await get({ 'accept-encoding': 'gzip' });
    const plain = await get();
    expect(brotliDecompressSync(await bytes(br)).toString('utf8')).toBe(body);
    expect(gunzipSync(await bytes(gzip)).toString('utf8')).toBe(body);
    expect((await bytes(plain)).toString('utf8')).toBe(body);
    expect([br, gzip, plain].map((r) => r.headers.get('content-encoding'))).toEqual(['br', 'gzip', null]);
    const etags = [br, gzip, plain].map((r) => r.headers.get('etag'));
    expect(new Set(etags).size).toBe(3);
    for (const etag of etags) expect(etag).toMatch(/^"[\w-]+"$/);
    for (const response of [br, gzip, plain]) {
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('vary')).toBe('Accept-Encoding');
      expect(response.headers.get('x-extra')).toBe('kept');
    }
    expect(Number(br.headers.get('content-length'))).toBeLessThan(body.length / 10);
    expect(Number(plain.headers.get('content-length'))).toBe(body.length);
  });

  it('answers 304 without a body when If-None-Match names the representation it would send', async () => {
    const first = await get({ 'accept-encoding': 'br' });
    const etag = first.headers.get('etag') ?? '';
    for (const ifNoneMatch of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await get({ 'accept-encoding': 'br', 'if-none-match': ifNoneMatch });
      expect(again.status, ifNoneMatch).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect(again.headers.get('cache-control')).toBe('no-cache');
      expect(await again.text()).toBe('');
    }
    // The same tag does not stand for the gzip representation.
    expect((await get({ 'accept-encoding': 'gzip', 'if-none-match': etag })).status).toBe(200);
    expect((await get({ 'if-none-match': '"stale"' })).status).toBe(200);
  });

  it('answers HEAD with the headers of the GET and no body', async () => {
    const head = await get({ 'accept-encoding': 'gzip' }, 'HEAD');
    const full = await get({ 'accept-encoding': 'gzip' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(head.headers.get('content-length')).toBe(full.headers.get('content-length'));
    expect(head.headers.get('etag')).toBe(full.headers.get('etag'));
  });
});
