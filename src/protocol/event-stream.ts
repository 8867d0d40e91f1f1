/**
 * The body of an InvokeWithResponseStream response: AWS event-stream frames
 * (`application/vnd.amazon.eventstream`), one `PayloadChunk` per piece the function wrote, then
 * one `InvokeComplete`. Framing and checksums come from the SDK's own codec, the one the
 * client decodes with, so the two cannot drift apart. Shared by the local Lambda (which writes
 * these frames) and any reader that wants to decode them without the SDK's client.
 */
import { EventStreamCodec, type Message } from '@smithy/core/event-streams';

export const EVENT_STREAM_CONTENT_TYPE = 'application/vnd.amazon.eventstream';

/** The members of `InvokeWithResponseStreamCompleteEvent`; all optional, as modelled. */
export interface InvokeComplete {
  readonly ErrorCode?: string;
  readonly ErrorDetails?: string;
  /** Base64 of the last 4 KB of the log, when `LogType: Tail` was asked for. */
  readonly LogResult?: string;
}

export type ResponseStreamEvent =
  { readonly type: 'PayloadChunk'; readonly payload: Uint8Array } | { readonly type: 'InvokeComplete'; readonly complete: InvokeComplete };

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const codec = new EventStreamCodec(
  (bytes: Uint8Array) => decoder.decode(bytes),
  (text: string) => encoder.encode(text),
);

function frame(eventType: string, contentType: string, body: Uint8Array): Uint8Array {
  return codec.encode({
    headers: {
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: contentType },
    },
    body,
  });
}

export function payloadChunkFrame(payload: Uint8Array): Uint8Array {
  return frame('PayloadChunk', 'application/octet-stream', payload);
}

export function invokeCompleteFrame(complete: InvokeComplete): Uint8Array {
  return frame('InvokeComplete', 'application/json', encoder.encode(JSON.stringify(complete)));
}

/**
 * Splits a byte stream into events as they complete, whatever the network's chunking; throws on a
 * checksum mismatch (the codec checks both CRCs).
 */
export class ResponseStreamDecoder {
  #pending: Uint8Array = new Uint8Array(0);

  push(bytes: Uint8Array): ResponseStreamEvent[] {
    let buffer = this.#pending.byteLength === 0 ? bytes : concat(this.#pending, bytes);
    const events: ResponseStreamEvent[] = [];
    while (buffer.byteLength >= 4) {
      const total = new DataView(buffer.buffer, buffer.byteOffset, 4).getUint32(0);
      if (buffer.byteLength < total) break;
      events.push(toEvent(codec.decode(buffer.subarray(0, total))));
      buffer = buffer.subarray(total);
    }
    this.#pending = buffer;
    return events;
  }

  /** Bytes of an incomplete frame still held. */
  get pendingBytes(): number {
    return this.#pending.byteLength;
  }
}

function toEvent(message: Message): ResponseStreamEvent {
  const eventType = message.headers[':event-type']?.value;
  if (eventType === 'PayloadChunk') return { type: 'PayloadChunk', payload: message.body };
  if (eventType === 'InvokeComplete')
    return { type: 'InvokeComplete', complete: JSON.parse(decoder.decode(message.body)) as InvokeComplete };
  throw new Error(`unexpected event in an InvokeWithResponseStream body: ${String(eventType)}`);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
