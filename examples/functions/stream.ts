import { setTimeout as sleep } from 'node:timers/promises';
// Types for the `awslambda` global that Node's Lambda runtime (and the local Lambda) provides.
import type {} from 'aws-lambda';

interface StreamEvent {
  chunks?: number;
  intervalMs?: number;
  text?: string;
}

/**
 * Streams `event.chunks` pieces of text (default 10) `event.intervalMs` apart (default 100), like
 * a model emitting tokens; invoke it with InvokeWithResponseStream to see each piece arrive.
 */
export const handler = awslambda.streamifyResponse(async (event: StreamEvent, responseStream) => {
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
