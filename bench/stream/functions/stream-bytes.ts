/**
 * `bench:stream`'s fixture: `chunks` chunks of `chunkBytes` bytes each (ASCII text, so the gateway
 * sends them as `text`), `intervalMs` apart (0: back to back). The demo `stream` function writes
 * one word per chunk, which cannot make 20 MB in reasonable time; this one can, and it waits for
 * `drain` when a write reports a full buffer, as a well-behaved streaming handler does, so a slow
 * reader's backpressure reaches it instead of a buffer growing in the local Lambda.
 */
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

declare const awslambda: {
  streamifyResponse(handler: (event: Event, responseStream: Writable) => Promise<void>): unknown;
};

interface Event {
  readonly chunks?: number;
  readonly chunkBytes?: number;
  readonly intervalMs?: number;
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const { chunks = 10, chunkBytes = 64, intervalMs = 0 } = event;
  // One buffer for every chunk: the local Lambda copies what is written, and building 20 MB of
  // distinct text here would measure the handler, not the streaming.
  const chunk = Buffer.from(ALPHABET.repeat(Math.ceil(chunkBytes / ALPHABET.length)).slice(0, chunkBytes));
  for (let i = 0; i < chunks; i++) {
    if (i > 0 && intervalMs > 0) await sleep(intervalMs);
    if (responseStream.destroyed) return;
    if (!responseStream.write(chunk)) await once(responseStream, 'drain');
  }
  responseStream.end();
});
