/**
 * Publishing for `bench/subscriptions`: no Lambda is involved, the benchmark POSTs the SUCCEEDED
 * destination records to /lambda-destinations itself (keep-alive HTTP, `x-destination-secret`),
 * open loop at a steady rate. Each record carries `sentAt` (performance.now() just before its POST)
 * in its response payload, so a subscriber in this same process gives the publish-to-receive latency.
 */
import { type Agent, request as httpRequest } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { SECRET_HEADER } from '../../src/protocol/destination-headers.ts';

export const FUNCTION_NAME = 'bench';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}:$LATEST`;
const POST_TIMEOUT_MS = 30_000;

/** An Error's message, or what a closed socket said (graphql-ws hands over a CloseEvent). */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error) {
    return `socket closed ${String(error.code)}: ${String(error.reason)}`;
  }
  return JSON.stringify(error);
}

function destinationRecord(requestId: string, sentAt: number): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId, functionArn: FUNCTION_ARN, condition: 'Success', approximateInvokeCount: 1 },
    requestPayload: {},
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: { sentAt },
  });
}

function post(url: URL, agent: Agent, secret: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SECRET_HEADER]: secret },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.setTimeout(POST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${POST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

export interface PublishFigures {
  readonly records: number;
  readonly elapsedMs: number;
  /** When the last POST was sent (performance.now()). */
  readonly lastSentAt: number;
  /** Records per second actually sent. */
  readonly perSecond: number;
  /** How late the scheduler sent a record at worst. */
  readonly maxLagMs: number;
  /** Round trips of the POSTs (202 answers). */
  readonly postLatencies: Float64Array;
  readonly failures: readonly string[];
}

/** POSTs one SUCCEEDED record per id, `rate` per second, open loop (not waiting for answers). */
export async function publish(
  destinationsUrl: string,
  secret: string,
  agent: Agent,
  requestIds: readonly string[],
  rate: number,
): Promise<PublishFigures> {
  const url = new URL(destinationsUrl);
  const postLatencies = new Float64Array(requestIds.length);
  const failures: string[] = [];
  const interval = 1000 / rate;
  const sends: Promise<void>[] = [];
  let maxLagMs = 0;
  let lastSentAt = 0;
  const started = performance.now();
  for (const [index, requestId] of requestIds.entries()) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(Math.floor(wait));
    const sentAt = performance.now();
    maxLagMs = Math.max(maxLagMs, sentAt - due);
    lastSentAt = sentAt;
    sends.push(
      post(url, agent, secret, destinationRecord(requestId, sentAt)).then(
        ({ status, text }) => {
          postLatencies[index] = performance.now() - sentAt;
          let changed: unknown;
          try {
            changed = (JSON.parse(text) as { changed?: unknown }).changed;
          } catch {
            changed = undefined;
          }
          if (status !== 202 || changed !== true) failures.push(`${requestId}: HTTP ${status} ${text.slice(0, 200)}`);
        },
        (error: unknown) => {
          postLatencies[index] = Number.NaN;
          failures.push(`${requestId}: ${describeError(error)}`);
        },
      ),
    );
  }
  await Promise.all(sends);
  const elapsedMs = lastSentAt - started;
  return {
    records: requestIds.length,
    elapsedMs,
    lastSentAt,
    perSecond: requestIds.length > 1 ? ((requestIds.length - 1) / elapsedMs) * 1000 : Number.NaN,
    maxLagMs,
    postLatencies,
    failures,
  };
}

/** Resolves when `promise` does or `ms` after `from` (performance.now()), whichever is first. */
export async function until(promise: Promise<unknown>, from: number, ms: number): Promise<void> {
  const controller = new AbortController();
  const remaining = Math.max(0, from + ms - performance.now());
  await Promise.race([promise, sleep(remaining, undefined, { signal: controller.signal }).catch(() => undefined)]);
  controller.abort();
}
