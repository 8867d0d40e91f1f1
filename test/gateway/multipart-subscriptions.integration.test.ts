/**
 * Apollo's multipart HTTP subscription protocol on the wire, read byte for byte: the response head,
 * `{"payload": …}` parts, heartbeats, a transport-level error, the closing delimiter — and that
 * clients which do not ask for it (SSE, yoga's own multipart) get what they got before.
 */
import { createHash } from 'node:crypto';
import { print } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptsApolloMultipart } from '../../src/plugins/use-apollo-multipart-subscriptions.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { CountingInvocationEvents } from '../helpers/counting-events.ts';
import { InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

/** What Apollo Client 4's HttpLink sends for a subscription. */
const APOLLO_ACCEPT = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/graphql-response+json,application/json;q=0.9';
const CONTENT_TYPE = 'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"';
const OPS_KEY = 'ops-key-0123456789abcdef';
const READER_KEY = 'reader-key-0123456789abcdef';
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

const events = new CountingInvocationEvents();
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(
    {
      multipartSubscriptions: { heartbeatIntervalMs: 10 },
      auth: {
        apiKeys: [
          { id: 'ops', sha256: sha256(OPS_KEY), roles: ['ops'] },
          { id: 'reader', sha256: sha256(READER_KEY), roles: ['reader'] },
        ],
      },
      access: {
        allow: [
          { functions: ['*'], roles: ['ops'] },
          { functions: ['echo'], roles: ['reader'] },
        ],
      },
    },
    { events },
  );
});
afterAll(() => gateway.close());

function subscribe(requestId: string, options: { accept?: string; apiKey?: string; signal?: AbortSignal } = {}): Promise<Response> {
  return fetch(gateway.running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: options.accept ?? APOLLO_ACCEPT, 'x-api-key': options.apiKey ?? OPS_KEY },
    body: JSON.stringify({ query: print(InvocationUpdatesDocument), variables: { requestId } }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  });
}

async function startEvent(functionName: string, payload: unknown): Promise<string> {
  const result = await gateway.execute(
    InvokeFunctionDocument,
    { input: { functionName, invocationType: 'EVENT', payload } },
    { 'x-api-key': OPS_KEY },
  );
  const outcome = result.data?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(result)}`);
  return outcome.requestId;
}

/** Reads the body until `until` holds of the text so far (or the body ends). */
async function readUntil(response: Response, until: (text: string) => boolean): Promise<string> {
  const reader = (response.body ?? new ReadableStream<Uint8Array>()).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (value !== undefined) text += decoder.decode(value, { stream: true });
    if (done || until(text)) break;
  }
  await reader.cancel();
  return text;
}

/** The JSON bodies of the parts, checking each part's framing on the way. */
function parts(text: string): unknown[] {
  expect(text.startsWith('\r\n--graphql\r\n')).toBe(true);
  const inner = text.slice('\r\n--graphql'.length, text.endsWith('--graphql--\r\n') ? -'\r\n--graphql--\r\n'.length : undefined);
  return inner
    .split('\r\n--graphql')
    .filter((chunk) => chunk !== '')
    .map((chunk) => {
      const [head, body] = chunk.split('\r\n\r\n');
      expect(head).toBe('\r\ncontent-type: application/json');
      return JSON.parse(body ?? '') as unknown;
    });
}

describe('Apollo’s multipart subscription protocol', () => {
  it('answers with its content type, one {"payload": …} part per event, and the closing delimiter', async () => {
    const requestId = await startEvent('echo', { wire: true });
    const response = await subscribe(requestId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(CONTENT_TYPE);
    const text = await readUntil(response, (so) => so.endsWith('--graphql--\r\n'));
    expect(text.endsWith('\r\n--graphql--\r\n')).toBe(true);
    const payloads = parts(text).filter((body) => JSON.stringify(body) !== '{}');
    const last = payloads.at(-1) as { payload: { data: { invocationUpdates: { status: string; responsePayload: unknown } } } };
    expect(Object.keys(last)).toEqual(['payload']);
    expect(last.payload.data.invocationUpdates).toMatchObject({ status: 'SUCCEEDED', responsePayload: { wire: true } });
    for (const body of payloads) expect(Object.keys((body as { payload: object }).payload)).toEqual(['data']);
  });

  it('sends heartbeat parts {} while the subscription is idle', async () => {
    const response = await subscribe('88888888-8888-4888-8888-000000000001');
    const text = await readUntil(response, (so) => so.split('\r\n\r\n{}').length > 3);
    const bodies = parts(text.slice(0, text.lastIndexOf('\r\n--graphql') + '\r\n--graphql'.length));
    expect(bodies.length).toBeGreaterThanOrEqual(3);
    for (const body of bodies) expect(body).toEqual({});
    await expect.poll(() => events.open, { interval: 10 }).toBe(0);
  });

  it('keeps a GraphQL error of the subscription inside its payload, then closes the stream', async () => {
    // The reader role may not see `sleep`: following its invocation is refused mid-stream, which
    // graphql-js reports as the subscription's last result.
    const requestId = await startEvent('sleep', { ms: 50 });
    const response = await subscribe(requestId, { apiKey: READER_KEY });
    expect(response.status).toBe(200);
    const text = await readUntil(response, (so) => so.endsWith('--graphql--\r\n'));
    expect(text.endsWith('\r\n--graphql--\r\n')).toBe(true);
    expect(parts(text).filter((body) => JSON.stringify(body) !== '{}')).toEqual([
      {
        payload: {
          errors: [
            expect.objectContaining({
              message: 'Following this invocation is not allowed by this gateway’s access rules',
              extensions: { code: 'FORBIDDEN' },
            }),
          ],
        },
      },
    ]);
  });

  it('leaves a subscription refused before it starts as a plain JSON error (401 without credentials)', async () => {
    const response = await subscribe('88888888-8888-4888-8888-000000000002', { apiKey: 'wrong' });
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^application\/(graphql-response\+)?json/);
    expect(await response.json()).toMatchObject({ errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  it('releases the subscription on the server when the client disconnects', async () => {
    const controller = new AbortController();
    const response = await subscribe('88888888-8888-4888-8888-000000000003', { signal: controller.signal });
    expect(response.status).toBe(200);
    await expect.poll(() => events.open, { interval: 10 }).toBe(1);
    controller.abort();
    await expect.poll(() => events.open, { interval: 10 }).toBe(0);
  });
});

describe('other clients keep their formats', () => {
  it('SSE still gets text/event-stream', async () => {
    const controller = new AbortController();
    const response = await subscribe('88888888-8888-4888-8888-000000000004', { accept: 'text/event-stream', signal: controller.signal });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    controller.abort();
    await expect.poll(() => events.open, { interval: 10 }).toBe(0);
  });

  it('a query asking for multipart/mixed without subscriptionSpec gets yoga’s incremental-delivery format', async () => {
    const response = await fetch(gateway.running.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'multipart/mixed', 'x-api-key': OPS_KEY },
      body: JSON.stringify({ query: '{ gateway { region } }' }),
    });
    expect(response.headers.get('content-type')).toBe('multipart/mixed; boundary="-"');
    expect(await response.text()).toContain('{"data":{"gateway":{"region":"us-east-1"}}}');
  });

  it.each([
    [APOLLO_ACCEPT, true],
    ['multipart/mixed; boundary="graphql"; subscriptionSpec="1.0", application/json', true],
    ['Multipart/Mixed;SubscriptionSpec=1.0', true],
    ['multipart/mixed', false],
    ['multipart/mixed;deferSpec=20220824, application/json', false],
    ['text/event-stream', false],
  ])('Accept %j asks for Apollo’s format: %s', (accept, expected) => {
    expect(acceptsApolloMultipart(accept)).toBe(expected);
  });
});
