/**
 * `withParsedJsonBody` on a stand-in for Node's request (a stream with the fields it reads): what it
 * reads, what it passes on untouched, and a client that leaves mid-body.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type NodeRequestWithBody, withParsedJsonBody } from '../../src/http/parsed-json-body.ts';

const LIMIT = 1024;

function incoming(method: string, url: string, headers: IncomingHttpHeaders): NodeRequestWithBody & PassThrough {
  const stream = new PassThrough() as unknown as NodeRequestWithBody & PassThrough & { complete: boolean };
  Object.assign(stream, { method, url, headers, complete: false });
  stream.once('end', () => (stream.complete = true));
  return stream;
}

function jsonPost(body: string, headers: IncomingHttpHeaders = {}, url = '/graphql') {
  return incoming('POST', url, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
}

/** Resolves with the body handed on once `handle` is called. */
function handled(request: NodeRequestWithBody): Promise<unknown> {
  return new Promise((resolve) => withParsedJsonBody(request, '/graphql', LIMIT, () => resolve(request.body)));
}

async function text(stream: unknown): Promise<string> {
  expect(stream).toBeInstanceOf(Readable);
  const chunks: Buffer[] = [];
  for await (const chunk of stream as Readable) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('withParsedJsonBody', () => {
  it('hands on a JSON object, read in pieces, parsed', async () => {
    const body = JSON.stringify({ query: '{ gateway { region } }', variables: { a: 'é' } });
    const request = jsonPost(body, { 'content-type': 'application/json; charset=utf-8' });
    const result = handled(request);
    const bytes = Buffer.from(body);
    request.write(bytes.subarray(0, 7));
    request.end(bytes.subarray(7));
    expect(await result).toEqual({ query: '{ gateway { region } }', variables: { a: 'é' } });
  });

  it('hands on a batch (a non-empty array) parsed, and application/graphql+json as JSON', async () => {
    const request = jsonPost('[{"query":"{ a }"}]', { 'content-type': 'application/graphql+json' }, '/graphql?x=1');
    const result = handled(request);
    request.end('[{"query":"{ a }"}]');
    expect(await result).toEqual([{ query: '{ a }' }]);
  });

  it.each(['{"query": ', 'null', '42', '"text"', '{}', '[]'])('hands %s on as its bytes, for yoga to refuse', async (body) => {
    const request = jsonPost(body);
    const result = handled(request);
    request.end(body);
    expect(await text(await result)).toBe(body);
  });

  it.each([
    ['a GET', incoming('GET', '/graphql', {})],
    ['another path', jsonPost('{"a":1}', {}, '/lambda-destinations')],
    ['a path that only starts the same', jsonPost('{"a":1}', {}, '/graphqlx')],
    ['another content type', jsonPost('{"a":1}', { 'content-type': 'text/plain' })],
    ['no content type', incoming('POST', '/graphql', { 'content-length': '7' })],
    ['no Content-Length (chunked)', incoming('POST', '/graphql', { 'content-type': 'application/json' })],
    ['a body over the limit', jsonPost('x'.repeat(LIMIT + 1))],
  ])('passes %s on at once, unread', (_name, request) => {
    let called = false;
    withParsedJsonBody(request, '/graphql', LIMIT, () => (called = true));
    expect(called).toBe(true);
    expect(request.body).toBeUndefined();
    expect(request.listenerCount('data')).toBe(0);
  });

  it('never hands on a request whose client left before sending all of it', async () => {
    const request = jsonPost('{"query":"{ a }"}');
    const ownEndListeners = request.listenerCount('end');
    let called = false;
    withParsedJsonBody(request, '/graphql', LIMIT, () => (called = true));
    request.write('{"query"');
    const closed = new Promise((resolve) => request.once('close', resolve));
    request.destroy();
    await closed;
    expect(called).toBe(false);
    expect(request.listenerCount('data')).toBe(0);
    expect(request.listenerCount('end')).toBe(ownEndListeners);
  });
});
