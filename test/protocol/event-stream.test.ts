/** The InvokeWithResponseStream frames: headers and checksums as the SDK's codec reads them. */
import { EventStreamCodec } from '@smithy/core/event-streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { invokeCompleteFrame, payloadChunkFrame, ResponseStreamDecoder } from '../../src/protocol/event-stream.ts';

const codec = new EventStreamCodec(
  (bytes: Uint8Array) => new TextDecoder().decode(bytes),
  (text: string) => new TextEncoder().encode(text),
);

describe('event-stream frames', () => {
  it('a PayloadChunk: prelude lengths and CRC, the three headers, the bytes as given, message CRC', () => {
    const payload = new Uint8Array([0, 1, 2, 255]);
    const frame = payloadChunkFrame(payload);
    const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    expect(view.getUint32(0)).toBe(frame.byteLength);
    const message = codec.decode(frame);
    expect(message.headers).toStrictEqual({
      ':message-type': { type: 'string', value: 'event' },
      ':event-type': { type: 'string', value: 'PayloadChunk' },
      ':content-type': { type: 'string', value: 'application/octet-stream' },
    });
    expect([...message.body]).toStrictEqual([0, 1, 2, 255]);
    // 12-byte prelude, headers, payload, 4-byte message CRC.
    expect(frame.byteLength).toBe(12 + view.getUint32(4) + payload.byteLength + 4);
  });

  it('an InvokeComplete carries JSON', () => {
    const message = codec.decode(invokeCompleteFrame({ ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'late', LogResult: 'bG9n' }));
    expect(message.headers[':event-type']).toStrictEqual({ type: 'string', value: 'InvokeComplete' });
    expect(message.headers[':content-type']).toStrictEqual({ type: 'string', value: 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(message.body))).toStrictEqual({
      ErrorCode: 'Sandbox.Timedout',
      ErrorDetails: 'late',
      LogResult: 'bG9n',
    });
  });

  it('a corrupted byte fails the checksum', () => {
    const frame = payloadChunkFrame(new TextEncoder().encode('hello'));
    frame[frame.byteLength - 6] = (frame[frame.byteLength - 6] ?? 0) ^ 0xff;
    expect(() => codec.decode(frame)).toThrow(/checksum/i);
  });

  it('the decoder splits any chunking of the byte stream back into the events', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1 }),
        (payloads, cuts) => {
          const frames = [...payloads.map(payloadChunkFrame), invokeCompleteFrame({})];
          const bytes = Buffer.concat(frames);
          const decoder = new ResponseStreamDecoder();
          const events = [];
          for (let at = 0, i = 0; at < bytes.byteLength; i++) {
            const size = cuts[i % cuts.length] ?? 1;
            events.push(...decoder.push(bytes.subarray(at, at + size)));
            at += size;
          }
          expect(decoder.pendingBytes).toBe(0);
          expect(events).toStrictEqual([
            ...payloads.map((p) => ({ type: 'PayloadChunk', payload: new Uint8Array(p) })),
            { type: 'InvokeComplete', complete: {} },
          ]);
        },
      ),
    );
  });
});
