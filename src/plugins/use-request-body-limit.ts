/**
 * The request body limit, checked from `Content-Length` before anything is read. Node's HTTP
 * parser holds a body to its declared length, so nothing more can arrive. A POST without a length
 * (chunked) is refused with 411: counting a stream on every request costs more than it is worth,
 * and every GraphQL client sends the length. (Yoga's own limit pipes each body through a stream.)
 */
import type { Plugin } from 'graphql-yoga';
import { type GatewayErrorCode, refusalResponse } from '../errors.ts';

// Connection: close: the body that was not read must not be taken for the next request.
const refuse = (code: GatewayErrorCode, message: string): Response => refusalResponse(code, message, { connection: 'close' });

export function useRequestBodyLimit(maxBytes: number): Plugin {
  return {
    onRequest(payload) {
      const { request } = payload;
      if (request.method !== 'POST' && request.method !== 'PUT') return;
      const declared = request.headers.get('content-length');
      if (declared === null) {
        payload.endResponse(refuse('LENGTH_REQUIRED', 'A request body must come with a Content-Length header'));
        return;
      }
      const size = Number(declared);
      if (size > maxBytes) {
        payload.endResponse(
          refuse('REQUEST_TOO_LARGE', `The request body is ${size} bytes, over the limit of ${maxBytes} bytes by ${size - maxBytes} bytes`),
        );
      }
    },
  };
}
