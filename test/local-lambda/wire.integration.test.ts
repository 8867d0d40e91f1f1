/**
 * The local Lambda on the wire, byte for byte: status codes, headers, error bodies with AWS's key
 * casing, percent-encoded names, and the request, response and client-context size limits
 * (docs/lambda-invoke-spec.md §1–§4). Raw HTTP only, so nothing an SDK smooths over goes unseen.
 */
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_FUNCTIONS, type FixtureLambda, startFixtureLambda } from '../helpers/local-lambda.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TRACE_ID = /^root=1-[0-9a-f]{8}-[0-9a-f]{24};sampled=0$/;
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const SYNC_LIMIT = 6_291_456;
const EVENT_LIMIT = 1_048_576;
const RESPONSE_LIMIT = 6_291_556;
const CLIENT_CONTEXT_LIMIT = 3583;
const NAME_PATTERN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:)?((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_\.]+)(:(\$LATEST(\.PUBLISHED)?|[a-zA-Z0-9-_]+))?`;
const PAYLOAD_ERROR = 'Could not parse request body into json: Could not parse payload into json: ';
const SOURCE_REDACTED = 'at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled)';

let lambda: FixtureLambda;
let host: string;
let port: number;

beforeAll(async () => {
  lambda = await startFixtureLambda();
  const url = new URL(lambda.endpoint);
  host = url.hostname;
  port = Number(url.port);
});

afterAll(async () => {
  await lambda.close();
});

interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

interface RawRequest {
  readonly method?: string;
  readonly headers?: OutgoingHttpHeaders;
  /** Sent with a Content-Length (Node adds it for a single `end(body)`). */
  readonly body?: Buffer | string;
  /** Sent with `Transfer-Encoding: chunked` and no Content-Length. */
  readonly chunks?: readonly Buffer[];
  /** Send the headers only and wait for the answer (the body is never sent). */
  readonly headersOnly?: boolean;
}

/** One request on its own connection, with nothing added beyond Host (and Content-Length/Transfer-Encoding). */
function raw(path: string, init: RawRequest = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host, port, method: init.method ?? 'POST', path, headers: init.headers ?? {}, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
          if (init.headersOnly === true) request.destroy();
        });
      },
    );
    request.on('error', reject);
    if (init.headersOnly === true) {
      request.flushHeaders();
    } else if (init.chunks !== undefined) {
      for (const chunk of init.chunks) request.write(chunk);
      request.end();
    } else {
      request.end(init.body);
    }
  });
}

function invokePath(encodedName: string, query = ''): string {
  return `/2015-03-31/functions/${encodedName}/invocations${query}`;
}

function invoke(name: string, body: unknown, headers: OutgoingHttpHeaders = {}): Promise<RawResponse> {
  return raw(invokePath(encodeURIComponent(name)), { body: JSON.stringify(body), headers });
}

/** A JSON string value of exactly `bytes` bytes, quotes included. */
function jsonString(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 'x');
  buffer[0] = 0x22;
  buffer[bytes - 1] = 0x22;
  return buffer;
}

/** Splits `buffer` into chunks of at most `size` bytes. */
function chunked(buffer: Buffer, size = 64 * 1024): Buffer[] {
  const chunks: Buffer[] = [];
  for (let offset = 0; offset < buffer.length; offset += size) chunks.push(buffer.subarray(offset, offset + size));
  return chunks;
}

/** Status, error type header, JSON content type, a request id, and the exact body (keys and their casing). */
function expectWireError(response: RawResponse, status: number, errorType: string, body: Record<string, string>): void {
  const text = response.body.toString('utf8');
  expect({ status: response.status, errorType: response.headers['x-amzn-errortype'], body: JSON.parse(text) as unknown }).toStrictEqual({
    status,
    errorType,
    body,
  });
  expect(response.headers['content-type']).toBe('application/json');
  expect(response.headers['x-amzn-requestid']).toMatch(UUID);
  expect(response.headers['content-length']).toBe(String(response.body.length));
  // Key order as AWS writes them (modelled extras, then Type, then the message).
  expect(Object.keys(JSON.parse(text) as object)).toStrictEqual(Object.keys(body));
}

function validationMessage(value: string): string {
  return (
    `1 validation error detected: Value '${value}' at 'functionName' failed to satisfy constraint: ` +
    `Member must satisfy regular expression pattern: ${NAME_PATTERN}`
  );
}

describe('error responses', () => {
  it('ValidationException: a name with bad characters', async () => {
    const response = await raw(invokePath('bad%20name!'), { body: '{}' });
    expectWireError(response, 400, 'ValidationException', { message: validationMessage('bad name!') });
  });

  it('ValidationException: an unknown invocation type and a bad qualifier together', async () => {
    const response = await raw(invokePath('echo', '?Qualifier=invalid!'), {
      body: '{}',
      headers: { 'x-amz-invocation-type': 'Foo' },
    });
    expectWireError(response, 400, 'ValidationException', {
      message:
        `2 validation errors detected: ` +
        String.raw`Value 'invalid!' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: \$(LATEST(\.PUBLISHED)?)|[a-zA-Z0-9-_$]+; ` +
        `Value 'Foo' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
    });
  });

  it('InvalidParameterValueException: the derived qualifier differs from Qualifier', async () => {
    const response = await raw(invokePath('echo%3Alive', '?Qualifier=1'), { body: '{}' });
    expectWireError(response, 400, 'InvalidParameterValueException', {
      Type: 'User',
      message: 'The derived qualifier from the function name does not match the specified qualifier.',
    });
  });

  it('InvalidRequestContentException: a body that is not JSON', async () => {
    const text = '{"unterminated": ';
    let parseMessage = '';
    try {
      JSON.parse(text);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    expect(parseMessage).not.toBe('');
    const response = await raw(invokePath('echo'), { body: text });
    expectWireError(response, 400, 'InvalidRequestContentException', { Type: 'User', message: PAYLOAD_ERROR + parseMessage });
    // The same for an Event invocation: nothing is queued.
    const event = await raw(invokePath('echo'), { body: text, headers: { 'x-amz-invocation-type': 'Event' } });
    expectWireError(event, 400, 'InvalidRequestContentException', { Type: 'User', message: PAYLOAD_ERROR + parseMessage });
  });

  it('InvalidRequestContentException: a body that is not UTF-8 (start byte)', async () => {
    const response = await raw(invokePath('echo'), { body: Buffer.from([0x7b, 0x22, 0x87, 0x22, 0x3a, 0x31, 0x7d]) });
    expectWireError(response, 400, 'InvalidRequestContentException', {
      Type: 'User',
      message: `${PAYLOAD_ERROR}Invalid UTF-8 start byte 0x87\n ${SOURCE_REDACTED}; line: 1, column: 3]`,
    });
  });

  it('InvalidRequestContentException: a body that is not UTF-8 (middle byte, second line)', async () => {
    const response = await raw(invokePath('echo'), { body: Buffer.from([0x5b, 0x0a, 0x22, 0xc3, 0x28, 0x22, 0x5d]) });
    expectWireError(response, 400, 'InvalidRequestContentException', {
      Type: 'User',
      message: `${PAYLOAD_ERROR}Invalid UTF-8 middle byte 0x28\n ${SOURCE_REDACTED}; line: 2, column: 3]`,
    });
  });

  it.each([
    ['not base64', 'not base64!'],
    ['base64 of text that is not JSON', Buffer.from('hello').toString('base64')],
    ['base64 of a JSON array', Buffer.from('[1,2]').toString('base64')],
    ['base64 of JSON null', Buffer.from('null').toString('base64')],
  ])('InvalidRequestContentException: a client context that is %s', async (_label, header) => {
    const response = await invoke('echo', {}, { 'x-amz-client-context': header });
    expectWireError(response, 400, 'InvalidRequestContentException', {
      Type: 'User',
      message: 'Client context must be a valid Base64-encoded JSON object.',
    });
  });

  it('ResourceNotFoundException: an unknown function', async () => {
    // Through fetch, as any HTTP client would call it.
    const response = await fetch(`${lambda.endpoint}${invokePath('nope')}`, { method: 'POST', body: '{}' });
    const body = Buffer.from(await response.arrayBuffer());
    expectWireError({ status: response.status, headers: Object.fromEntries(response.headers), body }, 404, 'ResourceNotFoundException', {
      Type: 'User',
      Message: `Function not found: ${ARN}:nope:$LATEST`,
    });
  });

  it.each([
    ['an unknown alias', 'echo%3Anope', `Function not found: ${ARN}:echo:nope`],
    ['an unknown version', 'echo%3A9', `Function not found: ${ARN}:echo:9`],
    ['a 65-character name', 'a'.repeat(65), `Function not found: ${ARN}:${'a'.repeat(65)}:$LATEST`],
    ['an incomplete ARN', encodeURIComponent(ARN), `Function not found: ${ARN}:function:$LATEST`],
    [
      'another account',
      encodeURIComponent('arn:aws:lambda:us-east-1:210987654321:function:echo'),
      'Function not found: arn:aws:lambda:us-east-1:210987654321:function:echo:$LATEST',
    ],
    [
      'another region',
      encodeURIComponent('arn:aws:lambda:eu-west-1:123456789012:function:echo'),
      `Functions from 'eu-west-1' are not reachable in this region ('us-east-1')`,
    ],
  ])('ResourceNotFoundException: %s', async (_label, encodedName, message) => {
    const response = await raw(invokePath(encodedName), { body: '{}' });
    expectWireError(response, 404, 'ResourceNotFoundException', { Type: 'User', Message: message });
  });

  it('ResourceNotFoundException: Qualifier=$latest (lower case) passes validation, then is not found', async () => {
    const response = await raw(invokePath('echo', '?Qualifier=%24latest'), { body: '{}' });
    expectWireError(response, 404, 'ResourceNotFoundException', { Type: 'User', Message: `Function not found: ${ARN}:echo:$latest` });
  });

  it('ValidationException: a lower-case $latest inside the name breaks the name pattern', async () => {
    const response = await raw(invokePath('echo%3A%24latest'), { body: '{}' });
    expectWireError(response, 400, 'ValidationException', { message: validationMessage('echo:$latest') });
  });

  it('RequestEntityTooLargeException: a sync payload declared one byte over 6 MB', async () => {
    const response = await raw(invokePath('noop'), { headersOnly: true, headers: { 'content-length': String(SYNC_LIMIT + 1) } });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('RequestEntityTooLargeException: an Event payload declared one byte over 1 MB', async () => {
    const response = await raw(invokePath('noop'), {
      headersOnly: true,
      headers: { 'content-length': String(EVENT_LIMIT + 1), 'x-amz-invocation-type': 'Event' },
    });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    });
  });

  it('TooManyRequestsException: a function with reserved concurrency 0', async () => {
    const response = await invoke('throttled', {});
    expectWireError(response, 429, 'TooManyRequestsException', {
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
      Type: 'User',
      message: 'Rate Exceeded.',
    });
    expect(response.headers['retry-after']).toBe('1');
  });

  it.each([
    // GetPolicy and DeleteFunction: Lambda operations the local Lambda does not serve.
    ['GET', '/2015-03-31/functions/echo/policy'],
    ['DELETE', '/2015-03-31/functions/echo'],
    ['GET', '/2015-03-31/functions/echo/invocations'],
    ['POST', '/2015-03-31/functions'],
    ['POST', '/2021-11-15/functions/echo/invocations'],
    ['DELETE', '/'],
  ])('UnknownOperationException: %s %s', async (method, path) => {
    const response = await raw(path, { method, ...(method === 'POST' ? { body: '{}' } : {}) });
    expectWireError(response, 404, 'UnknownOperationException', { message: `No Lambda operation at ${method} ${path}` });
  });
});

describe('success responses', () => {
  it('200 carries the content type, executed version, remapped length, a trace id and a request id', async () => {
    const response = await invoke('echo', { hello: 'world' });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('{"hello":"world"}');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['content-length']).toBe('17');
    expect(response.headers['x-amz-executed-version']).toBe('$LATEST');
    expect(response.headers['x-amzn-remapped-content-length']).toBe('0');
    expect(response.headers['x-amzn-trace-id']).toMatch(TRACE_ID);
    expect(response.headers['x-amzn-requestid']).toMatch(UUID);
    expect(response.headers['x-amz-function-error']).toBeUndefined();
    expect(response.headers['x-amz-log-result']).toBeUndefined();
    expect(response.headers['x-amzn-errortype']).toBeUndefined();
  });

  it("the request id is the function's awsRequestId", async () => {
    const response = await invoke('context', {});
    expect(response.status).toBe(200);
    const seen = JSON.parse(response.body.toString('utf8')) as { awsRequestId: string };
    expect(response.headers['x-amzn-requestid']).toBe(seen.awsRequestId);
  });

  it('a handler returning nothing answers with the 4 bytes null', async () => {
    const response = await invoke('noop', {});
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('null');
  });

  it('202 for Event: empty body, no content type and no executed version', async () => {
    const response = await invoke('noop', { queued: true }, { 'x-amz-invocation-type': 'Event' });
    expect(response.status).toBe(202);
    expect(response.body.length).toBe(0);
    expect(response.headers['content-length']).toBe('0');
    expect(response.headers['content-type']).toBeUndefined();
    expect(response.headers['x-amz-executed-version']).toBeUndefined();
    expect(response.headers['x-amzn-remapped-content-length']).toBe('0');
    expect(response.headers['x-amzn-trace-id']).toMatch(TRACE_ID);
    expect(response.headers['x-amzn-requestid']).toMatch(UUID);
  });

  it('204 for DryRun: empty body, no executed version', async () => {
    const response = await invoke('echo', { dry: true }, { 'x-amz-invocation-type': 'DryRun' });
    expect(response.status).toBe(204);
    expect(response.body.length).toBe(0);
    expect(response.headers['x-amz-executed-version']).toBeUndefined();
    expect(response.headers['x-amzn-requestid']).toMatch(UUID);
  });

  it('DryRun still checks that the function exists', async () => {
    const response = await invoke('nope', {}, { 'x-amz-invocation-type': 'DryRun' });
    expectWireError(response, 404, 'ResourceNotFoundException', { Type: 'User', Message: `Function not found: ${ARN}:nope:$LATEST` });
  });

  it('a function error is a 200 with x-amz-function-error: Unhandled', async () => {
    const response = await invoke('fail', { message: 'wire failure' });
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-function-error']).toBe('Unhandled');
    expect(response.headers['x-amz-executed-version']).toBe('$LATEST');
    expect(JSON.parse(response.body.toString('utf8'))).toMatchObject({ errorType: 'FixtureError', errorMessage: 'wire failure' });
  });

  it('boto3 style: no Content-Type and Content-Length 0 → {} reaches the function', async () => {
    const response = await raw(invokePath('echo'), { headers: { 'content-length': '0' } });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('{}');
  });

  it('JS SDK style: an empty application/octet-stream body → {}', async () => {
    const response = await raw(invokePath('echo'), { body: '', headers: { 'content-type': 'application/octet-stream' } });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('{}');
  });

  it('a JSON payload with an unusual content type is still accepted', async () => {
    const response = await raw(invokePath('echo'), { body: '[1,"two"]', headers: { 'content-type': 'text/plain' } });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('[1,"two"]');
  });
});

describe('percent-encoded names and qualifiers', () => {
  it.each([
    ['echo%3Alive', '', '1', { code: 'v1', event: { n: 1 } }],
    ['echo%3A2', '', '2', { code: 'v2', event: { n: 1 }, note: 'two' }],
    ['echo%3Aedge', '', '$LATEST', { n: 1 }],
    ['echo', '?Qualifier=%24LATEST', '$LATEST', { n: 1 }],
    ['echo', '?Qualifier=live', '1', { code: 'v1', event: { n: 1 } }],
    ['arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho', '', '$LATEST', { n: 1 }],
    ['arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho%3Alive', '', '1', { code: 'v1', event: { n: 1 } }],
    ['arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aecho', '?Qualifier=%24LATEST', '$LATEST', { n: 1 }],
    ['123456789012%3Afunction%3Aecho', '', '$LATEST', { n: 1 }],
    ['us-east-1%3Aecho%3A2', '', '2', { code: 'v2', event: { n: 1 }, note: 'two' }],
    // Unencoded colons reach the server too (curl, hand-written requests).
    ['echo:live', '', '1', { code: 'v1', event: { n: 1 } }],
  ])('%s%s runs version %s', async (encodedName, query, version, expected) => {
    const response = await raw(invokePath(encodedName, query), { body: '{"n":1}' });
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-executed-version']).toBe(version);
    expect(JSON.parse(response.body.toString('utf8'))).toStrictEqual(expected);
  });
});

describe('request payload limits', () => {
  it('a sync payload of exactly 6,291,456 bytes is accepted', async () => {
    const payload = jsonString(SYNC_LIMIT);
    const response = await raw(invokePath('echo'), { body: payload });
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-function-error']).toBeUndefined();
    expect(response.body.length).toBe(SYNC_LIMIT);
    expect(response.body.equals(payload)).toBe(true);
  });

  it('a sync payload of 6,291,457 bytes sent in full is refused with 413', async () => {
    const response = await raw(invokePath('noop'), { body: jsonString(SYNC_LIMIT + 1) });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('a chunked sync payload of exactly 6,291,456 bytes is accepted', async () => {
    const payload = jsonString(SYNC_LIMIT);
    const response = await raw(invokePath('echo'), { chunks: chunked(payload) });
    expect(response.status).toBe(200);
    expect(response.body.length).toBe(SYNC_LIMIT);
    expect(response.body.equals(payload)).toBe(true);
  });

  it('a chunked sync payload of 6,291,457 bytes is refused with 413', async () => {
    const response = await raw(invokePath('noop'), { chunks: chunked(jsonString(SYNC_LIMIT + 1)) });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('an Event payload of exactly 1,048,576 bytes is accepted', async () => {
    const response = await raw(invokePath('noop'), { body: jsonString(EVENT_LIMIT), headers: { 'x-amz-invocation-type': 'Event' } });
    expect(response.status).toBe(202);
    expect(response.body.length).toBe(0);
  });

  it('an Event payload of 1,048,577 bytes sent in full is refused with 413', async () => {
    const response = await raw(invokePath('noop'), { body: jsonString(EVENT_LIMIT + 1), headers: { 'x-amz-invocation-type': 'Event' } });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    });
  });

  it('a chunked Event payload of exactly 1,048,576 bytes is accepted', async () => {
    const response = await raw(invokePath('noop'), {
      chunks: chunked(jsonString(EVENT_LIMIT)),
      headers: { 'x-amz-invocation-type': 'Event' },
    });
    expect(response.status).toBe(202);
    expect(response.body.length).toBe(0);
  });

  it('a chunked Event payload of 1,048,577 bytes is refused with its size in the message', async () => {
    const response = await raw(invokePath('noop'), {
      chunks: chunked(jsonString(EVENT_LIMIT + 1)),
      headers: { 'x-amz-invocation-type': 'Event' },
    });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: '1048577 byte payload is too large for the Event invocation type (limit 1048576 bytes)',
    });
  });

  it('a runaway chunked sync upload (8,000,000 bytes) is refused with 413', async () => {
    const response = await raw(invokePath('noop'), { chunks: chunked(Buffer.alloc(8_000_000, 0x20)) });
    expectWireError(response, 413, 'RequestEntityTooLargeException', {
      Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('a chunked Event payload of 8,000,000 bytes reports its real size, as with a Content-Length', async () => {
    const declared = await raw(invokePath('noop'), {
      headersOnly: true,
      headers: { 'content-length': '8000000', 'x-amz-invocation-type': 'Event' },
    });
    const message = '8000000 byte payload is too large for the Event invocation type (limit 1048576 bytes)';
    expectWireError(declared, 413, 'RequestEntityTooLargeException', { Message: message });
    const streamed = await raw(invokePath('noop'), {
      chunks: chunked(Buffer.alloc(8_000_000, 0x20)),
      headers: { 'x-amz-invocation-type': 'Event' },
    });
    expectWireError(streamed, 413, 'RequestEntityTooLargeException', { Message: message });
  });

  it('a sync payload over the Event limit but under the sync limit is fine', async () => {
    const response = await raw(invokePath('noop'), { body: jsonString(EVENT_LIMIT + 1) });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('null');
  });

  it('the server still answers after refusing oversized payloads', async () => {
    const response = await invoke('echo', { after: 'limits' });
    expect(response.status).toBe(200);
    expect(response.body.toString('utf8')).toBe('{"after":"limits"}');
  });
});

describe('response payload limit', () => {
  it('a response of exactly 6,291,556 bytes is returned', async () => {
    const response = await invoke('big', { bytes: RESPONSE_LIMIT });
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-function-error']).toBeUndefined();
    expect(response.headers['content-length']).toBe(String(RESPONSE_LIMIT));
    expect(response.body.length).toBe(RESPONSE_LIMIT);
    expect(response.body.equals(jsonString(RESPONSE_LIMIT))).toBe(true);
  });

  it('a response of 6,291,557 bytes becomes Function.ResponseSizeTooLarge, and the next invoke works', async () => {
    const response = await invoke('big', { bytes: RESPONSE_LIMIT + 1 });
    expect(response.status).toBe(200);
    expect(response.headers['x-amz-function-error']).toBe('Unhandled');
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-amz-executed-version']).toBe('$LATEST');
    expect(response.body.toString('utf8')).toBe(
      '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}',
    );

    const next = await invoke('big', { bytes: 6 });
    expect(next.status).toBe(200);
    expect(next.headers['x-amz-function-error']).toBeUndefined();
    expect(next.body.toString('utf8')).toBe('"xxxx"');
  });
});

describe('client context limit', () => {
  /** Base64 of a JSON object; `padded: false` drops the `=` padding. */
  function clientContext(base64Length: number, padded: boolean): { header: string; value: Record<string, string> } {
    // Each 3 bytes of JSON are 4 base64 characters; an unpadded tail of 2 or 3 characters carries 1 or 2 bytes.
    const jsonBytes = Math.floor(base64Length / 4) * 3 + Math.max(0, (base64Length % 4) - 1);
    const overhead = '{"custom":""}'.length;
    const value = { custom: 'c'.repeat(jsonBytes - overhead) };
    const encoded = Buffer.from(JSON.stringify(value)).toString('base64');
    const header = padded ? encoded : encoded.replace(/=+$/, '');
    expect(header.length).toBe(base64Length);
    return { header, value };
  }

  it('3,580 bytes of padded base64 reach the function', async () => {
    const { header, value } = clientContext(3580, true);
    const response = await invoke('context', {}, { 'x-amz-client-context': header });
    expect(response.status).toBe(200);
    expect((JSON.parse(response.body.toString('utf8')) as { clientContext: unknown }).clientContext).toStrictEqual(value);
  });

  it('exactly 3,583 bytes of base64 are accepted', async () => {
    // 3,583 is not a multiple of 4: only unpadded base64 can be exactly at the limit.
    const { header, value } = clientContext(CLIENT_CONTEXT_LIMIT, false);
    const response = await invoke('context', {}, { 'x-amz-client-context': header });
    expect(response.status, response.body.toString('utf8')).toBe(200);
    expect((JSON.parse(response.body.toString('utf8')) as { clientContext: unknown }).clientContext).toStrictEqual(value);
  });

  it('3,584 bytes are refused, stating the limit and by how much', async () => {
    const { header } = clientContext(CLIENT_CONTEXT_LIMIT + 1, true);
    const response = await invoke('context', {}, { 'x-amz-client-context': header });
    expectWireError(response, 400, 'InvalidParameterValueException', {
      Type: 'User',
      message: 'Client context must be at most 3583 bytes of base64-encoded data; got 3584 bytes (1 over)',
    });
  });
});

describe('ListFunctions', () => {
  const fixtureNames = Object.keys(
    (JSON.parse(readFileSync(`${FIXTURE_FUNCTIONS}/functions.json`, 'utf8')) as { functions: Record<string, unknown> }).functions,
  );

  it.each(['/2015-03-31/functions/', '/2015-03-31/functions'])('GET %s lists the fixture functions', async (path) => {
    const response = await fetch(`${lambda.endpoint}${path}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('x-amzn-requestid')).toMatch(UUID);
    const { Functions } = (await response.json()) as { Functions: Array<Record<string, unknown>> };
    expect(Functions.map((f) => f.FunctionName)).toStrictEqual(fixtureNames);
    expect(Functions.find((f) => f.FunctionName === 'context')).toMatchObject({
      FunctionName: 'context',
      FunctionArn: `${ARN}:context`,
      Runtime: 'nodejs24.x',
      Handler: 'context.handler',
      Description: '',
      Timeout: 7,
      MemorySize: 256,
      Version: '$LATEST',
      Environment: { Variables: { GREETING: 'hello' } },
      PackageType: 'Zip',
      Architectures: ['x86_64'],
    });
  });
});
