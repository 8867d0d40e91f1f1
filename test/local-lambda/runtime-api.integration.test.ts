/**
 * The Runtime API of one execution environment (src/local-lambda/runtime-api.ts), driven over
 * HTTP the way a runtime drives it: `next` held until an invocation is offered and answered with
 * Lambda's headers, responses and errors accepted with 202, AWS's answers for an unknown request
 * id, a response over 6 MB and an init error after init, and streamed responses with trailers.
 */
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { RuntimeApi, type RuntimeApiEvents, type RuntimeInvocation } from '../../src/local-lambda/runtime-api.ts';

interface Reply {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

type Event = { readonly kind: keyof RuntimeApiEvents; readonly requestId?: string; readonly data?: unknown };

let api: RuntimeApi | undefined;
afterEach(() => api?.close());

/** An API whose events are recorded, and a way to wait for the next one of a kind. */
async function listen(): Promise<{ api: RuntimeApi; events: Event[]; next: (kind: Event['kind']) => Promise<Event> }> {
  const events: Event[] = [];
  const waiters: Array<{ kind: Event['kind']; resolve: (event: Event) => void }> = [];
  const record = (event: Event): void => {
    events.push(event);
    const index = waiters.findIndex((w) => w.kind === event.kind);
    if (index >= 0) waiters.splice(index, 1)[0]?.resolve(event);
  };
  api = await RuntimeApi.listen({
    onReady: () => record({ kind: 'onReady' }),
    onInitError: (error) => record({ kind: 'onInitError', data: { ...error, body: Buffer.from(error.body).toString() } }),
    onResponse: (requestId, payload) => record({ kind: 'onResponse', requestId, data: Buffer.from(payload).toString() }),
    onResponseTooLarge: (requestId) => record({ kind: 'onResponseTooLarge', requestId }),
    onInvocationError: (requestId, error) =>
      record({ kind: 'onInvocationError', requestId, data: { ...error, body: Buffer.from(error.body).toString() } }),
    onStreamChunk: (requestId, chunk, passedOn) => {
      record({ kind: 'onStreamChunk', requestId, data: Buffer.from(chunk).toString() });
      passedOn();
    },
    onStreamEnd: (requestId, error) =>
      record({
        kind: 'onStreamEnd',
        requestId,
        data: error === undefined ? undefined : { ...error, body: Buffer.from(error.body).toString() },
      }),
  });
  const next = (kind: Event['kind']): Promise<Event> => {
    const seen = events.find((e) => e.kind === kind);
    if (seen !== undefined) {
      events.splice(events.indexOf(seen), 1);
      return Promise.resolve(seen);
    }
    return new Promise((resolve) => waiters.push({ kind, resolve }));
  };
  return { api, events, next };
}

function call(
  method: string,
  path: string,
  body?: Buffer | string,
  headers: OutgoingHttpHeaders = {},
  trailers?: Record<string, string>,
): Promise<Reply> {
  if (api === undefined) throw new Error('no API');
  const [host, port] = api.address.split(':');
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host, port: Number(port), method, path, headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString() }),
      );
    });
    request.on('error', reject);
    if (trailers !== undefined) {
      request.write(body ?? '');
      request.addTrailers(trailers);
      request.end();
    } else {
      request.end(body);
    }
  });
}

const invocation = (requestId: string, extra: Partial<RuntimeInvocation> = {}): RuntimeInvocation => ({
  requestId,
  payload: new TextEncoder().encode('{"n":1}'),
  deadlineMs: 1_900_000_000_000,
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:f:live',
  traceId: 'Root=1-5f000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
  clientContext: undefined,
  cognitoIdentity: undefined,
  ...extra,
});

const NEXT = '/2018-06-01/runtime/invocation/next';

describe('the Runtime API', () => {
  it('listens on 127.0.0.1, holds `next` until an invocation is offered, and gives it with Lambda’s headers', async () => {
    const { api: running, next } = await listen();
    expect(running.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const polled = call('GET', NEXT);
    await next('onReady');
    running.offer(invocation('id-1', { clientContext: '{"custom":{"a":1}}', cognitoIdentity: '{"cognitoIdentityId":"c"}' }));
    const reply = await polled;
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('{"n":1}');
    expect(reply.headers).toMatchObject({
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': 'id-1',
      'lambda-runtime-deadline-ms': '1900000000000',
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:f:live',
      'lambda-runtime-trace-id': 'Root=1-5f000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
      'lambda-runtime-client-context': '{"custom":{"a":1}}',
      'lambda-runtime-cognito-identity': '{"cognitoIdentityId":"c"}',
    });
    expect(await call('POST', '/2018-06-01/runtime/invocation/id-1/response', '{"ok":true}')).toMatchObject({
      status: 202,
      body: '{"status":"OK"}',
    });
    expect(await next('onResponse')).toStrictEqual({ kind: 'onResponse', requestId: 'id-1', data: '{"ok":true}' });
  });

  it('answers `next` at once when an invocation is waiting, without the optional headers when there is nothing to send', async () => {
    const { api: running } = await listen();
    running.offer(invocation('id-2'));
    const reply = await call('GET', NEXT);
    expect(reply.headers['lambda-runtime-aws-request-id']).toBe('id-2');
    expect(reply.headers).not.toHaveProperty('lambda-runtime-client-context');
    expect(reply.headers).not.toHaveProperty('lambda-runtime-cognito-identity');
  });

  it('refuses a response or error for a request id it is not running, as Lambda does', async () => {
    const { api: running, events } = await listen();
    running.offer(invocation('id-3'));
    // Offered but not yet handed out: not running either.
    const early = await call('POST', '/2018-06-01/runtime/invocation/id-3/response', '{}');
    expect(early).toMatchObject({ status: 400, body: '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}' });
    await call('GET', NEXT);
    for (const path of ['/2018-06-01/runtime/invocation/other/response', '/2018-06-01/runtime/invocation/other/error']) {
      expect(await call('POST', path, '{}')).toMatchObject({
        status: 400,
        body: '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}',
      });
    }
    expect(events.filter((e) => e.kind === 'onResponse' || e.kind === 'onInvocationError')).toStrictEqual([]);
    // Answered once, the id is spent.
    await call('POST', '/2018-06-01/runtime/invocation/id-3/response', '{}');
    expect((await call('POST', '/2018-06-01/runtime/invocation/id-3/response', '{}')).status).toBe(400);
  });

  it('answers a response over 6 MB with 413 and AWS’s RequestEntityTooLarge body', async () => {
    const { api: running, next } = await listen();
    running.offer(invocation('id-4'));
    await call('GET', NEXT);
    const reply = await call('POST', '/2018-06-01/runtime/invocation/id-4/response', Buffer.alloc(6_291_557, 0x61));
    expect(reply).toMatchObject({
      status: 413,
      body: '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}',
    });
    expect(await next('onResponseTooLarge')).toMatchObject({ requestId: 'id-4' });
  });

  it('takes an invocation error with its type from Lambda-Runtime-Function-Error-Type', async () => {
    const { api: running, next } = await listen();
    running.offer(invocation('id-5'));
    await call('GET', NEXT);
    const body = '{"errorMessage":"boom","errorType":"Custom","stackTrace":[]}';
    const reply = await call('POST', '/2018-06-01/runtime/invocation/id-5/error', body, {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.Custom',
    });
    expect(reply.status).toBe(202);
    expect(await next('onInvocationError')).toStrictEqual({
      kind: 'onInvocationError',
      requestId: 'id-5',
      data: { errorType: 'Runtime.Custom', errorMessage: 'boom', body },
    });
  });

  it('takes an init error before the first `next`, and refuses one after', async () => {
    const { next } = await listen();
    const body = '{"errorMessage":"no config","errorType":"Runtime.NoConfig"}';
    expect((await call('POST', '/2018-06-01/runtime/init/error', body)).status).toBe(202);
    expect(await next('onInitError')).toMatchObject({ data: { errorType: 'Runtime.NoConfig', errorMessage: 'no config', body } });
    // Held until the API closes, which resets it.
    call('GET', NEXT).catch(() => undefined);
    await next('onReady');
    const late = await call('POST', '/2018-06-01/runtime/init/error', body);
    expect(late.status).toBe(403);
    expect(JSON.parse(late.body)).toMatchObject({ errorType: 'InvalidStateTransition' });
  });

  it('passes a streamed response on piece by piece, and reads an error from its trailers', async () => {
    const { api: running, next } = await listen();
    running.offer(invocation('id-6'));
    await call('GET', NEXT);
    const streaming = {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Transfer-Encoding': 'chunked',
      Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
    };
    const errorBody = '{"errorMessage":"stream broke","errorType":"StreamError"}';
    const reply = await call('POST', '/2018-06-01/runtime/invocation/id-6/response', 'partial', streaming, {
      'Lambda-Runtime-Function-Error-Type': 'Runtime.StreamBroke',
      'Lambda-Runtime-Function-Error-Body': Buffer.from(errorBody).toString('base64'),
    });
    expect(reply.status).toBe(202);
    expect(await next('onStreamChunk')).toMatchObject({ requestId: 'id-6', data: 'partial' });
    expect(await next('onStreamEnd')).toStrictEqual({
      kind: 'onStreamEnd',
      requestId: 'id-6',
      data: { errorType: 'Runtime.StreamBroke', errorMessage: 'stream broke', body: errorBody },
    });
  });

  it('answers an unknown route with 404', async () => {
    await listen();
    expect((await call('GET', '/2018-06-01/runtime/invocation/nope')).status).toBe(404);
  });
});
