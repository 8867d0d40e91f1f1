/**
 * Reads a response stream a little ahead of its subscriber, so the chunks that arrive while the
 * subscriber is busy with one event (executing it, writing it to its socket) leave together as the
 * next event, instead of one event each behind it.
 *
 * Why: Lambda's chunks often come in bursts — a socket read holding hundreds of small frames — and
 * each event costs the same whatever its size (GraphQL execution, JSON, an SSE or WebSocket write).
 * One event per frame made a burst of 1,000 tokens 1,000 events, and every one of them waited for
 * all those before it. Joining what is already here costs no latency: nothing is ever held back
 * to wait for more (there is no timer), and a subscriber that asks when nothing is here gets the
 * next chunk the moment it arrives, alone.
 *
 * Bounded: it stops reading once `limitBytes` are queued (and never splits a chunk, so one chunk
 * larger than the limit is queued alone), so a slow subscriber's backpressure still reaches the
 * SDK's socket and Lambda, and memory per stream stays within the limit plus one chunk.
 *
 * Written here rather than taken from a library: what it must keep — Lambda's events in order, the
 * InvokeComplete event and a failure each after every chunk before it, the source read by one
 * reader at a time — is specific to this stream's shape, and it is fifty lines.
 */
import type { StreamEvent } from '../lambda/invoker.ts';

/** What the subscriber takes at once: the chunks that were here (in order), or how the stream ended. */
export type ReadAheadBatch =
  | { readonly kind: 'chunks'; readonly parts: readonly Uint8Array[]; readonly bytes: number }
  /** The body ended (`complete` undefined: with no InvokeComplete) or Lambda's last event came. */
  | { readonly kind: 'end'; readonly complete: Extract<StreamEvent, { kind: 'complete' }> | undefined };

export class ReadAhead {
  readonly #source: AsyncIterator<StreamEvent>;
  readonly #limitBytes: number;
  #parts: Uint8Array[] = [];
  #bytes = 0;
  #end: ReadAheadBatch | undefined;
  #failure: { readonly error: unknown } | undefined;
  #reading = false;
  #stopped = false;
  /** The first batch has been taken: reading ahead has begun. */
  #firstTaken = false;
  #wake: (() => void) | undefined;

  /** `limitBytes` 0: nothing is read before it is asked for (one chunk per batch). */
  constructor(source: AsyncIterator<StreamEvent>, limitBytes: number) {
    this.#source = source;
    this.#limitBytes = limitBytes;
  }

  /** The next batch: at once when chunks are queued, else when the next chunk (or the end) arrives. */
  async next(): Promise<ReadAheadBatch> {
    for (;;) {
      if (this.#parts.length > 0) {
        const batch = this.#take();
        // Reading on while the subscriber works on this batch is the point — except behind the
        // first one, whose event is the stream's first bytes to its client: decoding the frames
        // behind it (each one promise steps of the SDK's) took turns with that event's own steps
        // through GraphQL and the transport, and a burst of 1,000 chunks held it back by up to a
        // millisecond or more (traced: 0–26 frames decoded between the chunk and its write, over
        // SSE). One turn of the loop later (setImmediate: after every pending promise step) the
        // first event is out and reading on starts.
        if (this.#limitBytes > 0) {
          if (this.#firstTaken) this.#read();
          else setImmediate(() => this.#read());
        }
        this.#firstTaken = true;
        return batch;
      }
      // A failure or the end comes after every chunk read before it.
      if (this.#failure !== undefined) throw this.#failure.error;
      if (this.#end !== undefined) return this.#end;
      const { promise, resolve } = Promise.withResolvers<void>();
      this.#wake = resolve;
      this.#read();
      await promise;
    }
  }

  /** Stops reading ahead (the subscriber left); the caller ends the source itself. */
  stop(): void {
    this.#stopped = true;
    this.#wakeUp();
  }

  /** The queued chunks up to the limit (at least one), oldest first. */
  #take(): ReadAheadBatch {
    let count = 0;
    let bytes = 0;
    for (const part of this.#parts) {
      if (count > 0 && bytes + part.byteLength > this.#limitBytes) break;
      count += 1;
      bytes += part.byteLength;
    }
    const parts = this.#parts.splice(0, count);
    this.#bytes -= bytes;
    return { kind: 'chunks', parts, bytes };
  }

  /** One reader of the source at a time, until the limit is queued, the stream ends, or it is stopped. */
  #read(): void {
    if (this.#reading || this.#stopped || this.#end !== undefined || this.#failure !== undefined) return;
    this.#reading = true;
    void (async () => {
      try {
        while (!this.#stopped && (this.#parts.length === 0 || this.#bytes < this.#limitBytes)) {
          const result = await this.#source.next();
          if (result.done === true) {
            this.#end = { kind: 'end', complete: undefined };
            return;
          }
          if (result.value.kind === 'complete') {
            this.#end = { kind: 'end', complete: result.value };
            return;
          }
          this.#parts.push(result.value.bytes);
          this.#bytes += result.value.bytes.byteLength;
          this.#wakeUp();
          // The first chunk goes alone (see next()).
          if (!this.#firstTaken) return;
        }
      } catch (error) {
        this.#failure = { error };
      } finally {
        this.#reading = false;
        this.#wakeUp();
      }
    })();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
