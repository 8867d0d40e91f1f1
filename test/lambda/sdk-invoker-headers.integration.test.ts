/**
 * What the SDK invoker puts on the wire for Lambda's defaults: RequestResponse and no log are left
 * out (Lambda treats an absent header as its default), anything else is sent. Read by a plain
 * HTTP server standing in for Lambda, which answers every call with `null`.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyLimits } from '../../src/lambda/concurrency-limits.ts';
import type { InvokeRequest } from '../../src/lambda/invoker.ts';
import { createSdkInvoker, type SdkInvoker } from '../../src/lambda/sdk-invoker.ts';
import { invokeRequest } from '../helpers/invoke-request.ts';

let server: Server;
let invoker: SdkInvoker;
const received: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    received.push(request.headers);
    request.resume();
    request.on('end', () => {
      const status =
        request.headers['x-amz-invocation-type'] === 'Event' ? 202 : request.headers['x-amz-invocation-type'] === 'DryRun' ? 204 : 200;
      response
        .writeHead(status, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST' })
        .end(status === 200 ? 'null' : '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  invoker = createSdkInvoker({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    concurrency: new ConcurrencyLimits({ total: 4, perFunction: 4, functions: [] }),
    timeoutMs: 5000,
  });
});
afterAll(async () => {
  invoker.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const request = (overrides: Partial<InvokeRequest>): InvokeRequest => invokeRequest('echo', overrides);

describe('the SDK invoker on the wire', () => {
  it('leaves out the invocation type and log type when they are Lambda’s defaults', async () => {
    received.length = 0;
    await invoker.invoke(request({}));
    expect(received[0]).not.toHaveProperty('x-amz-invocation-type');
    expect(received[0]).not.toHaveProperty('x-amz-log-type');
  });

  it.each([
    ['Tail', { logType: 'Tail' }, { 'x-amz-log-type': 'Tail' }],
    ['Event', { invocationType: 'Event' }, { 'x-amz-invocation-type': 'Event' }],
    ['DryRun', { invocationType: 'DryRun' }, { 'x-amz-invocation-type': 'DryRun' }],
  ] as const)('sends %s', async (_name, overrides, headers) => {
    received.length = 0;
    await invoker.invoke(request(overrides));
    expect(received[0]).toMatchObject(headers);
  });
});
