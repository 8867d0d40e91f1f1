/**
 * `POST /lambda-destinations`: where Lambda destination records come in (from the built-in local
 * Lambda, or from a Lambda/SQS/EventBridge destination in AWS relayed to the gateway). HTTP only:
 * it checks the size and the secret, parses the record and answers; what the record changes is
 * `InvocationRecords.complete`'s (the records' one owner stores it, publishes it to subscribers
 * and the activity log, and counts it), so nothing here knows the store or the events.
 *
 * Protected by a shared secret: the `x-destination-secret` header, or an HMAC-SHA256 of the raw
 * body in `x-destination-signature: sha256=<hex>`. Anything else is 401 and changes nothing; a
 * malformed record is 400 with the reason, and is never half-applied.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { MalformedDestinationRecordError, parseDestinationRecord } from '../protocol/destination-record.ts';
import type { InvocationRecords } from '../async/invocation-records.ts';
import { refusalResponse } from '../errors.ts';
import { SECRET_HEADER, SIGNATURE_HEADER } from '../protocol/destination-headers.ts';

export { SECRET_HEADER, SIGNATURE_HEADER };
/** A record carries at most a 6 MB response and a 1 MB request payload, plus its envelope. */
const MAX_RECORD_BYTES = 8 * 1024 * 1024;

export interface DestinationIngestionOptions {
  readonly path: string;
  readonly secret: string;
  readonly records: Pick<InvocationRecords, 'complete'>;
}

export function signDestinationBody(secret: string, body: string | Uint8Array): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function useDestinationIngestion(options: DestinationIngestionOptions): Plugin {
  // Refusals are in the one refusal shape (errors.ts); the receipt of a record is this path's own.
  const receipt = (body: object): Response =>
    new Response(JSON.stringify(body), { status: 202, headers: { 'content-type': 'application/json' } });

  const ingest = async (request: Request): Promise<Response> => {
    if (request.method !== 'POST') return refusalResponse('METHOD_NOT_ALLOWED', 'destination records are POSTed', { allow: 'POST' });
    const declared = Number(request.headers.get('content-length') ?? 0);
    if (declared > MAX_RECORD_BYTES)
      return refusalResponse('REQUEST_TOO_LARGE', `a destination record is at most ${MAX_RECORD_BYTES} bytes; got ${declared}`);
    const raw = new Uint8Array(await request.arrayBuffer());
    if (raw.byteLength > MAX_RECORD_BYTES)
      return refusalResponse('REQUEST_TOO_LARGE', `a destination record is at most ${MAX_RECORD_BYTES} bytes; got ${raw.byteLength}`);

    const secret = request.headers.get(SECRET_HEADER);
    const signature = request.headers.get(SIGNATURE_HEADER);
    const authentic =
      (secret !== null && sameText(secret, options.secret)) ||
      (signature !== null && sameText(signature, signDestinationBody(options.secret, raw)));
    if (!authentic) {
      return refusalResponse('UNAUTHENTICATED', `missing or wrong ${SECRET_HEADER} (or ${SIGNATURE_HEADER}) header`, {
        'www-authenticate': 'DestinationSecret',
      });
    }

    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(raw).toString('utf8'));
    } catch (error) {
      return refusalResponse('BAD_REQUEST', `body is not JSON: ${(error as Error).message}`);
    }
    let record;
    try {
      record = parseDestinationRecord(body);
    } catch (error) {
      if (error instanceof MalformedDestinationRecordError) return refusalResponse('BAD_REQUEST', error.message);
      throw error;
    }
    const change = await options.records.complete(record);
    return receipt({ requestId: change.record.requestId, status: change.record.status, changed: change.changed });
  };

  return {
    onRequest(payload) {
      if (payload.url.pathname !== options.path) return undefined;
      return ingest(payload.request).then((response) => payload.endResponse(response));
    },
  };
}
