/**
 * Test harness for the local Lambda: a server on port 0 with the fixture functions, the real
 * `@aws-sdk/client-lambda` pointed at it (no retries, so each call is one request), and a
 * destination receiver that collects the records Event invocations produce.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { LambdaClient } from '@aws-sdk/client-lambda';
import type { LocalLambdaOptions } from '../../src/local-lambda/config.ts';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import { type RunningLocalLambda, startLocalLambda } from '../../src/local-lambda/server.ts';

export const FIXTURE_FUNCTIONS = fileURLToPath(new URL('../fixtures/functions', import.meta.url));
/** The demo functions, as the local Lambda's CLI defaults to them. */
export { DEMO_FUNCTIONS as EXAMPLE_FUNCTIONS } from '../../src/local-lambda/definitions.ts';

export function lambdaClient(endpoint: string): LambdaClient {
  return new LambdaClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
}

export interface FixtureLambda {
  readonly running: RunningLocalLambda;
  readonly endpoint: string;
  readonly client: LambdaClient;
  close(): Promise<void>;
}

export async function startFixtureLambda(options: Partial<LocalLambdaOptions> = {}): Promise<FixtureLambda> {
  const running = await startLocalLambda({ functions: FIXTURE_FUNCTIONS, ...options });
  const client = lambdaClient(running.endpoint);
  return {
    running,
    endpoint: running.endpoint,
    client,
    async close() {
      client.destroy();
      await running.close(100);
    },
  };
}

/** Decodes an Invoke response payload as JSON. */
export function json(payload: Uint8Array | undefined): unknown {
  if (payload === undefined) throw new Error('no payload');
  return JSON.parse(Buffer.from(payload).toString('utf8'));
}

export function payloadOf(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

export interface ReceivedRecord {
  readonly record: DestinationRecord;
  readonly headers: IncomingHttpHeaders;
}

export interface RecordReceiver {
  readonly url: string;
  readonly received: ReceivedRecord[];
  /** Resolves with the first record (already received or yet to come) that matches. */
  waitFor(predicate: (record: DestinationRecord) => boolean): Promise<ReceivedRecord>;
  /** Answers the next `count` deliveries with `status` instead of 202. */
  refuseNext(count: number, status: number): void;
  /** Deliveries refused so far. */
  readonly refused: number;
  close(): Promise<void>;
}

export async function startRecordReceiver(): Promise<RecordReceiver> {
  const received: ReceivedRecord[] = [];
  const waiters = new Set<{ predicate: (record: DestinationRecord) => boolean; resolve: (r: ReceivedRecord) => void }>();
  let refuse = { count: 0, status: 503 };
  let refused = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (refuse.count > 0) {
        refuse = { ...refuse, count: refuse.count - 1 };
        refused += 1;
        response.writeHead(refuse.status).end();
        return;
      }
      const entry = { record: JSON.parse(Buffer.concat(chunks).toString('utf8')) as DestinationRecord, headers: request.headers };
      received.push(entry);
      response.writeHead(202).end();
      for (const waiter of waiters) {
        if (waiter.predicate(entry.record)) {
          waiters.delete(waiter);
          waiter.resolve(entry);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/records`,
    received,
    get refused() {
      return refused;
    },
    waitFor(predicate) {
      const found = received.find((r) => predicate(r.record));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve) => waiters.add({ predicate, resolve }));
    },
    refuseNext(count, status) {
      refuse = { count, status };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
