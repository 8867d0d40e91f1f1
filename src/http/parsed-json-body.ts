/**
 * Reads a GraphQL POST's JSON body off Node's request before yoga sees it, and hands it over
 * parsed, the way Express's and Fastify's integrations do: @whatwg-node/server takes a non-empty
 * `body` object on the Node request as the request's body, and its `json()` then answers at once.
 * Left to yoga, the same few hundred bytes (there with the headers, nearly always) go through a
 * ponyfill body stream and a chunk collector first: about 0.2 ms between yoga asking for the body
 * and having it, on the path of every operation and of a stream's first chunk (profiled).
 *
 * Only what yoga itself would parse as JSON is read here, and only when its Content-Length is
 * within the body limit; everything else (no length, too large, another content type, GET, the
 * other paths) is passed on untouched for the plugins to answer as before. A body that is not a
 * non-empty JSON object or array goes on as its bytes, so yoga's own parser refuses it with its
 * own error.
 */
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

/** What @whatwg-node/server reads a pre-read body from. */
export interface NodeRequestWithBody extends IncomingMessage {
  body?: unknown;
}

const JSON_TYPES = ['application/json', 'application/graphql+json'];

function isJsonPost(request: IncomingMessage, path: string): boolean {
  if (request.method !== 'POST') return false;
  const url = request.url ?? '';
  if (url !== path && !url.startsWith(`${path}?`)) return false;
  const type = request.headers['content-type'];
  if (type === undefined) return false;
  const essence = type.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return JSON_TYPES.includes(essence);
}

/**
 * Calls `handle` once the request's body has been read onto it, at once when it is not one to read
 * here, and never when the client left before sending all of it (its socket is gone with it).
 */
export function withParsedJsonBody(request: NodeRequestWithBody, path: string, maxBytes: number, handle: () => void): void {
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (!isJsonPost(request, path) || !Number.isSafeInteger(declared) || declared > maxBytes || declared === 0) {
    handle();
    return;
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    received += chunk.byteLength;
  };
  const onEnd = (): void => {
    request.off('data', onData);
    request.off('error', onGone);
    request.off('close', onGone);
    const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, received);
    request.body = parsedOrStream(bytes);
    handle();
  };
  const onGone = (): void => {
    if (request.complete) return;
    request.off('data', onData);
    request.off('end', onEnd);
  };
  request.on('data', onData);
  request.once('end', onEnd);
  request.once('error', onGone);
  request.once('close', onGone);
}

/**
 * The parsed body when @whatwg-node will take it as one (a non-empty object or array), else the
 * bytes again as a stream, which it takes as a body to read: yoga's parser then answers invalid
 * JSON, `null` or a number with its own 400. (Not as a string or Buffer: @whatwg-node lists the
 * keys of what it is given, one per character or byte.)
 */
function parsedOrStream(bytes: Buffer): unknown {
  try {
    const parsed: unknown = JSON.parse(bytes.toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && Object.keys(parsed).length > 0) return parsed;
  } catch {
    // Yoga's to report.
  }
  return Readable.from([bytes], { objectMode: false });
}
