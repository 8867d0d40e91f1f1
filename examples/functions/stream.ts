import { setTimeout as sleep } from 'node:timers/promises';
import type { Context } from 'aws-lambda';
import type { Writable } from 'node:stream';

declare const awslambda: {
  streamifyResponse(handler: (event: StreamEvent, responseStream: Writable, context: Context) => Promise<void>): unknown;
};

interface StreamEvent {
  chunks?: number;
  intervalMs?: number;
  text?: string;
}

/**
 * Streams `event.chunks` pieces of text (default 10) `event.intervalMs` apart (default 100), like
 * a model emitting tokens; invoke it with InvokeWithResponseStream to see each piece arrive.
 */
export const handler = awslambda.streamifyResponse(async (event, responseStream) => {
  const chunks = event.chunks ?? 10;
  const intervalMs = event.intervalMs ?? 100;
  const words = (event.text ?? 'the quick brown fox jumps over the lazy dog').split(' ');
  for (let i = 0; i < chunks; i++) {
    if (i > 0) await sleep(intervalMs);
    if (responseStream.destroyed) return;
    responseStream.write(`${words[i % words.length] ?? ''}${i === chunks - 1 ? '\n' : ' '}`);
  }
  responseStream.end();
});
