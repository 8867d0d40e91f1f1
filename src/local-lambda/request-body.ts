/**
 * What Invoke takes in the body and the `X-Amz-Client-Context` header: size limits enforced while
 * reading (never buffering more than the limit), UTF-8 JSON payloads, base64 JSON client context —
 * each refused with the error AWS gives.
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { MAX_CLIENT_CONTEXT_BYTES, MAX_EVENT_REQUEST_BYTES, MAX_SYNC_REQUEST_BYTES } from '../protocol/limits.ts';
import { LambdaWireError } from './wire-errors.ts';

const EMPTY_PAYLOAD = Buffer.from('{}');

function tooLarge(size: number, event: boolean): LambdaWireError {
  return new LambdaWireError(
    'RequestEntityTooLargeException',
    event
      ? `${size} byte payload is too large for the Event invocation type (limit ${MAX_EVENT_REQUEST_BYTES} bytes)`
      : `Request must be smaller than ${MAX_SYNC_REQUEST_BYTES} bytes for the InvokeFunction operation`,
  );
}

/**
 * Reads the body, refusing it as soon as it is known to exceed the limit: from `Content-Length`
 * before reading anything, or while streaming a chunked body. Over the limit, nothing more is kept.
 */
export async function readPayload(request: IncomingMessage, event: boolean): Promise<Buffer> {
  const limit = event ? MAX_EVENT_REQUEST_BYTES : MAX_SYNC_REQUEST_BYTES;
  const declared = Number(request.headers['content-length'] ?? Number.NaN);
  if (declared > limit) throw tooLarge(declared, event);

  // Plain events rather than an async iterator: this runs for every invocation.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
      } else if (!event) {
        // A sync refusal names no size, so stop reading; an Event refusal states the size, so
        // the rest is counted (never kept). The server's request timeout bounds an endless upload.
        request.off('data', onData);
        request.off('end', onEnd);
        request.pause();
        reject(tooLarge(size, event));
      }
    };
    const onEnd = (): void => {
      request.off('error', reject);
      if (size > limit) reject(tooLarge(size, event));
      else resolve(size === 0 ? EMPTY_PAYLOAD : chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    };
    request.on('data', onData);
    request.once('end', onEnd);
    request.once('error', reject);
  });
}

const PAYLOAD_ERROR_PREFIX = 'Could not parse request body into json: Could not parse payload into json: ';

/** Parses the payload as UTF-8 JSON (any JSON value), or throws `InvalidRequestContentException`. */
export function parsePayload(payload: Buffer): unknown {
  const invalid = firstInvalidUtf8(payload);
  if (invalid !== undefined) {
    const { line, column } = position(payload, invalid.index);
    throw new LambdaWireError(
      'InvalidRequestContentException',
      `${PAYLOAD_ERROR_PREFIX}Invalid UTF-8 ${invalid.kind} byte 0x${payload[invalid.index]?.toString(16).padStart(2, '0')}\n` +
        ` at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`,
    );
  }
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new LambdaWireError('InvalidRequestContentException', PAYLOAD_ERROR_PREFIX + (error as Error).message);
  }
}

/**
 * Decodes `X-Amz-Client-Context`: base64 of a JSON object, at most 3,583 bytes of base64 text.
 * AWS's answer to an oversized value is not documented; we refuse it with the invalid-parameter
 * error and say by how much it is over.
 */
export function parseClientContext(header: string | undefined): Record<string, unknown> | undefined {
  if (header === undefined) return undefined;
  const size = Buffer.byteLength(header);
  if (size > MAX_CLIENT_CONTEXT_BYTES) {
    throw new LambdaWireError(
      'InvalidParameterValueException',
      `Client context must be at most ${MAX_CLIENT_CONTEXT_BYTES} bytes of base64-encoded data; got ${size} bytes (${size - MAX_CLIENT_CONTEXT_BYTES} over)`,
    );
  }
  const invalid = (): LambdaWireError =>
    new LambdaWireError('InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.');
  // Padding is optional (3,583 bytes at the limit cannot be padded base64), but if present it
  // must complete the last group of four.
  const padded = header.endsWith('=');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(header) || header.length % 4 === 1 || (padded && header.length % 4 !== 0)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  return parsed as Record<string, unknown>;
}

/** The first byte that does not continue a valid UTF-8 sequence, named as Jackson names it. */
function firstInvalidUtf8(bytes: Buffer): { index: number; kind: 'start' | 'middle' } | undefined {
  if (isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] as number;
    const length =
      lead < 0x80 ? 1 : lead >= 0xc2 && lead < 0xe0 ? 2 : lead >= 0xe0 && lead < 0xf0 ? 3 : lead >= 0xf0 && lead < 0xf5 ? 4 : 0;
    if (length === 0) return { index: i, kind: 'start' };
    for (let k = 1; k < length; k++) {
      const next = bytes[i + k];
      if (next === undefined || (next & 0xc0) !== 0x80) return { index: Math.min(i + k, bytes.length - 1), kind: 'middle' };
    }
    i += length;
  }
  return { index: bytes.length - 1, kind: 'middle' };
}

function position(bytes: Buffer, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (bytes[i] === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}
