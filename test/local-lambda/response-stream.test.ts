/**
 * The worker's response stream on its own: bytes leave as written, and the credit window holds a
 * writer that runs ahead of the acknowledgements, until they come or the stream closes.
 */
import { describe, expect, it } from 'vitest';
import { ResponseStream } from '../../src/local-lambda/response-stream.ts';

const KiB = 1024;

function harness(): { stream: ResponseStream; sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return { stream: new ResponseStream((bytes) => sent.push(bytes)), sent };
}

const written = (stream: ResponseStream, bytes: Uint8Array): Promise<Error | null | undefined> =>
  new Promise((resolve) => stream.write(bytes, resolve));

describe('ResponseStream', () => {
  it('sends each write at once, as its own copy of the bytes', async () => {
    const { stream, sent } = harness();
    const source = Buffer.from('hello');
    await written(stream, source);
    source.fill(0);
    expect(sent.map((b) => Buffer.from(b).toString())).toStrictEqual(['hello']);
    expect(sent[0]?.byteOffset).toBe(0);
    expect(sent[0]?.buffer.byteLength).toBe(5);
  });

  it('holds a write past the 256 KiB window until enough is acknowledged', async () => {
    const { stream, sent } = harness();
    for (let i = 0; i < 4; i++) await written(stream, new Uint8Array(64 * KiB));
    let done = false;
    const fifth = written(stream, new Uint8Array(64 * KiB)).then(() => (done = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toHaveLength(5);
    expect(done).toBe(false);
    stream.ack(64 * KiB);
    await fifth;
    expect(done).toBe(true);
  });

  it('releases a held write when the stream is closed under it, and reports the close', async () => {
    const { stream } = harness();
    for (let i = 0; i < 4; i++) await written(stream, new Uint8Array(64 * KiB));
    const held = written(stream, new Uint8Array(64 * KiB));
    const closed = new Promise((resolve) => stream.once('close', resolve));
    stream.destroy();
    await held;
    await closed;
    expect(stream.destroyed).toBe(true);
    expect(await written(stream, new Uint8Array(1))).toMatchObject({ code: 'ERR_STREAM_DESTROYED' });
  });
});
