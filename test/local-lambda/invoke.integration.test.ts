/**
 * Invoke through the real `@aws-sdk/client-lambda` against the local Lambda on port 0: what the
 * SDK returns, and the exception classes and fields it raises, for every outcome.
 */
import {
  InvalidParameterValueException,
  InvalidRequestContentException,
  InvokeCommand,
  type InvokeCommandInput,
  LambdaServiceException,
  ResourceNotFoundException,
  TooManyRequestsException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureLambda, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

let lambda: FixtureLambda;
beforeAll(async () => {
  lambda = await startFixtureLambda();
});
afterAll(() => lambda.close());

const invoke = (input: InvokeCommandInput) => lambda.client.send(new InvokeCommand(input));

async function rejection(input: InvokeCommandInput): Promise<LambdaServiceException> {
  try {
    await invoke(input);
  } catch (error) {
    if (error instanceof LambdaServiceException) return error;
    throw error;
  }
  throw new Error('expected the invocation to be refused');
}

function decodeLog(logResult: string | undefined): string {
  expect(logResult).toBeDefined();
  return Buffer.from(logResult ?? '', 'base64').toString('utf8');
}

describe('RequestResponse', () => {
  it('returns the result with 200, $LATEST and a request id that is the handler’s awsRequestId', async () => {
    const result = await invoke({ FunctionName: 'context', Payload: payloadOf({}) });
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(result.ExecutedVersion).toBe('$LATEST');
    const seen = json(result.Payload) as { awsRequestId: string };
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(seen.awsRequestId).toBe(result.$metadata.requestId);
  });

  it('answers the 4 bytes null for a handler that returns nothing', async () => {
    const result = await invoke({ FunctionName: 'noop' });
    expect(Buffer.from(result.Payload ?? new Uint8Array()).toString()).toBe('null');
  });

  it('treats a missing payload as {}', async () => {
    const result = await invoke({ FunctionName: 'echo' });
    expect(json(result.Payload)).toEqual({});
  });

  it('accepts any JSON value as the payload', async () => {
    for (const value of ['a string', 42, [1, 'two'], null, true]) {
      const result = await invoke({ FunctionName: 'echo', Payload: payloadOf(value) });
      expect(json(result.Payload)).toEqual(value);
    }
  });

  it('round-trips unicode unchanged', async () => {
    const value = { text: 'ünïcødé ✓ 🚀 中文', nested: { emoji: '👩‍💻' } };
    const result = await invoke({ FunctionName: 'echo', Payload: payloadOf(value) });
    expect(json(result.Payload)).toEqual(value);
  });
});

describe('qualifiers, aliases and ARNs', () => {
  const cases: Array<[string, InvokeCommandInput, string, unknown]> = [
    ['bare name', { FunctionName: 'echo' }, '$LATEST', { n: 1 }],
    ['name:$LATEST', { FunctionName: 'echo:$LATEST' }, '$LATEST', { n: 1 }],
    ['Qualifier version 1', { FunctionName: 'echo', Qualifier: '1' }, '1', { code: 'v1', event: { n: 1 } }],
    ['name:2', { FunctionName: 'echo:2' }, '2', { code: 'v2', event: { n: 1 }, note: 'two' }],
    ['alias live → 1', { FunctionName: 'echo:live' }, '1', { code: 'v1', event: { n: 1 } }],
    ['Qualifier alias live', { FunctionName: 'echo', Qualifier: 'live' }, '1', { code: 'v1', event: { n: 1 } }],
    ['alias edge → $LATEST', { FunctionName: 'echo', Qualifier: 'edge' }, '$LATEST', { n: 1 }],
    ['partial ARN', { FunctionName: '123456789012:function:echo' }, '$LATEST', { n: 1 }],
    ['full ARN', { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo' }, '$LATEST', { n: 1 }],
    [
      'full ARN with alias',
      { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:echo:live' },
      '1',
      { code: 'v1', event: { n: 1 } },
    ],
    ['same qualifier in name and Qualifier', { FunctionName: 'echo:2', Qualifier: '2' }, '2', { code: 'v2', event: { n: 1 }, note: 'two' }],
  ];
  it.each(cases)('%s runs the pinned code and reports its version', async (_name, input, version, expected) => {
    const result = await invoke({ ...input, Payload: payloadOf({ n: 1 }) });
    expect(result.ExecutedVersion).toBe(version);
    expect(json(result.Payload)).toEqual(expected);
  });

  it('passes the invoked ARN to the handler: unqualified without a qualifier, with the alias otherwise', async () => {
    const plain = json((await invoke({ FunctionName: 'context' })).Payload) as { invokedFunctionArn: string };
    expect(plain.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:context');
    const viaArn = json((await invoke({ FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:context:$LATEST' })).Payload) as {
      invokedFunctionArn: string;
    };
    expect(viaArn.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:123456789012:function:context:$LATEST');
  });

  it('refuses a qualifier in the name that differs from Qualifier', async () => {
    const error = await rejection({ FunctionName: 'echo:1', Qualifier: '2' });
    expect(error).toBeInstanceOf(InvalidParameterValueException);
    expect(error.message).toBe('The derived qualifier from the function name does not match the specified qualifier.');
    expect(error.$metadata.httpStatusCode).toBe(400);
  });
});

describe('not found', () => {
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function';
  it.each([
    ['unknown name', { FunctionName: 'nope' }, `${arn}:nope:$LATEST`],
    ['unknown alias', { FunctionName: 'echo:missing' }, `${arn}:echo:missing`],
    ['unknown version via Qualifier', { FunctionName: 'echo', Qualifier: '9' }, `${arn}:echo:9`],
    ['unknown ARN', { FunctionName: `${arn}:ghost` }, `${arn}:ghost:$LATEST`],
    ['lower-case $latest', { FunctionName: 'echo', Qualifier: '$latest' }, `${arn}:echo:$latest`],
    ['65-character name', { FunctionName: 'a'.repeat(65) }, `${arn}:${'a'.repeat(65)}:$LATEST`],
  ] as Array<[string, InvokeCommandInput, string]>)('%s → ResourceNotFoundException naming the ARN', async (_name, input, expectedArn) => {
    const error = await rejection(input);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe(`Function not found: ${expectedArn}`);
    expect((error as ResourceNotFoundException).Type).toBe('User');
    expect(error.$metadata.httpStatusCode).toBe(404);
    expect(error.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('an ARN from another region is not reachable', async () => {
    const error = await rejection({ FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:echo' });
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error.message).toBe("Functions from 'eu-west-1' are not reachable in this region ('us-east-1')");
  });
});

describe('validation', () => {
  it('names the constraint a bad function name breaks, as a ValidationException', async () => {
    const error = await rejection({ FunctionName: 'bad name!' });
    expect(error.name).toBe('ValidationException');
    expect(error.$metadata.httpStatusCode).toBe(400);
    expect(error.message).toMatch(
      /^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });

  it('reports every violation at once', async () => {
    const error = await rejection({ FunctionName: 'bad name!', Qualifier: 'x'.repeat(129) });
    expect(error.message).toMatch(
      /^2 validation errors detected: .*'functionName'.*; Value 'x{129}' at 'qualifier' failed to satisfy constraint: Member must have length less than or equal to 128$/,
    );
  });
});

describe('DryRun and Event', () => {
  it('DryRun answers 204 with no payload and no executed version, and runs nothing', async () => {
    const before = json((await invoke({ FunctionName: 'counter' })).Payload) as { invocations: number; environmentId: string };
    const result = await invoke({ FunctionName: 'counter', InvocationType: 'DryRun' });
    expect(result.StatusCode).toBe(204);
    expect(result.Payload?.length ?? 0).toBe(0);
    expect(result.ExecutedVersion).toBeUndefined();
    const after = json((await invoke({ FunctionName: 'counter' })).Payload) as { invocations: number; environmentId: string };
    expect(after.environmentId).toBe(before.environmentId);
    expect(after.invocations).toBe(before.invocations + 1);
  });

  it('DryRun still checks that the function exists', async () => {
    expect(await rejection({ FunctionName: 'nope', InvocationType: 'DryRun' })).toBeInstanceOf(ResourceNotFoundException);
  });

  it('Event answers 202 with a request id and no payload', async () => {
    const result = await invoke({ FunctionName: 'echo', InvocationType: 'Event', Payload: payloadOf({ a: 1 }) });
    expect(result.StatusCode).toBe(202);
    expect(result.Payload?.length ?? 0).toBe(0);
    expect(result.ExecutedVersion).toBeUndefined();
    expect(result.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('Tail logs', () => {
  it('returns START, the function’s lines in Node’s format, END and a tab-separated REPORT', async () => {
    const result = await invoke({ FunctionName: 'logs', Payload: payloadOf({ lines: 2 }), LogType: 'Tail' });
    const id = result.$metadata.requestId ?? '';
    const lines = decodeLog(result.LogResult).split('\n');
    expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
    const iso = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z`;
    expect(lines[1]).toMatch(new RegExp(`^${iso}\\t${id}\\tINFO\\tline 1 $`));
    expect(lines[2]).toMatch(new RegExp(`^${iso}\\t${id}\\tINFO\\tline 2 $`));
    expect(lines[3]).toMatch(new RegExp(`^${iso}\\t${id}\\tWARN\\ta warning$`));
    expect(lines[4]).toMatch(new RegExp(`^${iso}\\t${id}\\tERROR\\tan error line$`));
    expect(lines[5]).toBe('raw write');
    expect(lines[6]).toBe(`END RequestId: ${id}`);
    expect(lines[7]).toMatch(
      new RegExp(
        `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d{2} ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB\\t(Init Duration: \\d+\\.\\d{2} ms\\t)?$`,
      ),
    );
    expect(lines[8]).toBe('');
  });

  it('puts Init Duration on the cold start only, and bills it', async () => {
    const fresh = await startFixtureLambda();
    try {
      const send = () => fresh.client.send(new InvokeCommand({ FunctionName: 'noop', LogType: 'Tail' }));
      const cold = decodeLog((await send()).LogResult);
      const warm = decodeLog((await send()).LogResult);
      const coldReport = /Duration: ([\d.]+) ms\tBilled Duration: (\d+) ms\t.*Init Duration: ([\d.]+) ms\t\n$/.exec(cold);
      expect(coldReport).not.toBeNull();
      const [, duration, billed, init] = coldReport ?? [];
      expect(Number(billed)).toBe(Math.ceil(Number(duration) + Number(init)));
      expect(warm).not.toContain('Init Duration');
    } finally {
      await fresh.close();
    }
  });

  it('shows the executed version in START for an alias', async () => {
    const result = await invoke({ FunctionName: 'echo:live', LogType: 'Tail' });
    expect(decodeLog(result.LogResult)).toMatch(/^START RequestId: [0-9a-f-]{36} Version: 1\n/);
  });

  it('keeps only the last 4 KB of a long log', async () => {
    const result = await invoke({ FunctionName: 'logs', Payload: payloadOf({ lines: 200, width: 80 }), LogType: 'Tail' });
    const log = Buffer.from(result.LogResult ?? '', 'base64');
    expect(log.length).toBe(4096);
    const text = log.toString('utf8');
    expect(text).not.toContain('START RequestId');
    expect(text).toMatch(/END RequestId: [0-9a-f-]{36}\nREPORT RequestId: [^\n]+\t\n$/);
  });

  it('sends no log header unless asked for', async () => {
    const result = await invoke({ FunctionName: 'logs', Payload: payloadOf({ lines: 1 }) });
    expect(result.LogResult).toBeUndefined();
  });
});

describe('client context', () => {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64');

  it('is decoded and handed to the handler', async () => {
    const clientContext = { client: { installation_id: 'i-1', app_title: 'tests' }, custom: { tenant: 'acme' }, env: { locale: 'en' } };
    const result = await invoke({ FunctionName: 'context', ClientContext: encode(clientContext) });
    expect((json(result.Payload) as { clientContext: unknown }).clientContext).toEqual(clientContext);
  });

  it('must be base64 of a JSON object', async () => {
    for (const bad of ['not base64!', Buffer.from('not json').toString('base64'), encode([1, 2]), encode('text')]) {
      const error = await rejection({ FunctionName: 'context', ClientContext: bad });
      expect(error).toBeInstanceOf(InvalidRequestContentException);
      expect(error.message).toBe('Client context must be a valid Base64-encoded JSON object.');
    }
  });
});

describe('payloads', () => {
  it('refuses a payload that is not JSON, with AWS’s prefix', async () => {
    const error = await rejection({ FunctionName: 'echo', Payload: new TextEncoder().encode('{"unterminated": ') });
    expect(error).toBeInstanceOf(InvalidRequestContentException);
    expect(error.message).toMatch(/^Could not parse request body into json: Could not parse payload into json: /);
  });

  it('refuses bytes that are not UTF-8, naming the byte', async () => {
    const error = await rejection({ FunctionName: 'echo', Payload: Uint8Array.from([0x22, 0x61, 0x87, 0x22]) });
    expect(error).toBeInstanceOf(InvalidRequestContentException);
    expect(error.message).toContain('Invalid UTF-8 start byte 0x87');
    expect(error.message).toContain('line: 1, column: 3');
  });

  it('round-trips a payload of exactly 6,291,456 bytes and refuses one byte more before running anything', async () => {
    const limit = 6_291_456;
    const exact = new TextEncoder().encode(JSON.stringify('y'.repeat(limit - 2)));
    expect(exact.length).toBe(limit);
    const result = await invoke({ FunctionName: 'echo', Payload: exact });
    expect(result.FunctionError).toBeUndefined();
    expect(result.Payload?.length).toBe(limit);

    const over = new TextEncoder().encode(JSON.stringify('y'.repeat(limit - 1)));
    const error = await rejection({ FunctionName: 'echo', Payload: over });
    expect(error.name).toBe('RequestEntityTooLargeException');
    expect(error.$metadata.httpStatusCode).toBe(413);
    expect(error.message).toBe('Request must be smaller than 6291456 bytes for the InvokeFunction operation');
  });
});

describe('function errors', () => {
  it('reports a thrown error as data: 200, Unhandled, Node’s error shape', async () => {
    const result = await invoke({ FunctionName: 'fail', Payload: payloadOf({ message: 'boom' }) });
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    expect(result.ExecutedVersion).toBe('$LATEST');
    const body = json(result.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(Object.keys(body)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(body.errorType).toBe('FixtureError');
    expect(body.errorMessage).toBe('boom');
    expect(body.trace[0]).toBe('FixtureError: boom');
    expect(body.trace[1]).toMatch(/fail\.ts/);
  });

  it('reports a thrown string by its type', async () => {
    const result = await invoke({ FunctionName: 'throw-string' });
    expect(json(result.Payload)).toEqual({ errorType: 'string', errorMessage: 'a plain string', trace: [] });
  });

  it('logs the error in the tail', async () => {
    const result = await invoke({ FunctionName: 'fail', LogType: 'Tail' });
    const log = decodeLog(result.LogResult);
    expect(log).toContain('\tERROR\tabout to fail\n');
    expect(log).toMatch(/\tERROR\tInvoke Error \t\{"errorType":"FixtureError"/);
  });

  it('times out with Sandbox.Timedout and AWS’s message, and REPORT says so', async () => {
    const result = await invoke({ FunctionName: 'timeout', Payload: payloadOf({ ms: 5000 }), LogType: 'Tail' });
    const id = result.$metadata.requestId ?? '';
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    });
    const log = decodeLog(result.LogResult);
    expect(log).toContain('\tINFO\tsleeping 5000 ms\n');
    expect(log).toMatch(new RegExp(`\\d{4}-\\d{2}-\\d{2}T[\\d:.]+Z ${id} Task timed out after 1.00 seconds\\n`));
    expect(log).toMatch(/\tStatus: timeout\t\n$/);
  });

  it('reports a process exit as Runtime.ExitError', async () => {
    const clean = await invoke({ FunctionName: 'exit', Payload: payloadOf({ code: 0 }), LogType: 'Tail' });
    expect(clean.FunctionError).toBe('Unhandled');
    expect(json(clean.Payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${clean.$metadata.requestId} Error: Runtime exited without providing a reason`,
    });
    expect(decodeLog(clean.LogResult)).toMatch(/\tStatus: error\tError Type: Runtime.ExitError\t\n$/);
    const failed = await invoke({ FunctionName: 'exit', Payload: payloadOf({ code: 3 }) });
    expect(json(failed.Payload)).toEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${failed.$metadata.requestId} Error: Runtime exited with error: exit status 3`,
    });
  });

  it('reports an uncaught exception from a timer with the error’s type', async () => {
    const result = await invoke({ FunctionName: 'crash' });
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'thrown from a timer' });
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection, the reason as text', async () => {
    const result = await invoke({ FunctionName: 'reject' });
    expect(json(result.Payload)).toMatchObject({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody handles this',
    });
  });

  it('reports running out of the function’s memory as Runtime.OutOfMemory', async () => {
    const result = await invoke({ FunctionName: 'oom', LogType: 'Tail' });
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toEqual({
      errorType: 'Runtime.OutOfMemory',
      errorMessage: `RequestId: ${result.$metadata.requestId} Error: Runtime exited with error: signal: killed`,
    });
    expect(decodeLog(result.LogResult)).toMatch(/Max Memory Used: 128 MB\t.*Status: error\tError Type: Runtime.OutOfMemory\t\n$/);
  });

  it('reports an init failure on every invocation until the code is fixed', async () => {
    for (let i = 0; i < 2; i++) {
      const result = await invoke({ FunctionName: 'init-error', LogType: 'Tail' });
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toMatchObject({ errorType: 'Error', errorMessage: 'init failed on purpose' });
      expect(decodeLog(result.LogResult)).toContain('\tINFO\tinitialising, then failing\n');
    }
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    const result = await invoke({ FunctionName: 'missing-export' });
    expect(json(result.Payload)).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'noop.doesNotExist is undefined or not exported',
    });
  });

  it('explains that callback handlers are not supported on Node.js 24', async () => {
    const result = await invoke({ FunctionName: 'callback' });
    expect(json(result.Payload)).toMatchObject({ errorType: 'Runtime.CallbackHandlerDeprecated' });
  });

  it('runs CommonJS handlers', async () => {
    const result = await invoke({ FunctionName: 'commonjs', Payload: payloadOf({ a: 1 }) });
    expect(json(result.Payload)).toEqual({ commonjs: true, event: { a: 1 } });
  });
});

describe('throttling', () => {
  it('throttles a function with reserved concurrency 0: 429 with the reason', async () => {
    const error = await rejection({ FunctionName: 'throttled' });
    expect(error).toBeInstanceOf(TooManyRequestsException);
    const throttle = error as TooManyRequestsException;
    expect(throttle.Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect(throttle.message).toBe('Rate Exceeded.');
    expect(throttle.Type).toBe('User');
    expect(throttle.retryAfterSeconds).toBe('1');
    expect(throttle.$metadata.httpStatusCode).toBe(429);
  });

  it('throttles the invocation beyond reserved concurrency 1, and only that one', async () => {
    const first = invoke({ FunctionName: 'reserved-one', Payload: payloadOf({ ms: 1000 }) });
    await expect.poll(() => lambda.running.lambda.inFlight('reserved-one'), { interval: 5 }).toBe(1);
    const error = await rejection({ FunctionName: 'reserved-one', Payload: payloadOf({ ms: 0 }) });
    expect((error as TooManyRequestsException).Reason).toBe('ReservedFunctionConcurrentInvocationLimitExceeded');
    expect((await first).StatusCode).toBe(200);
    expect((await invoke({ FunctionName: 'reserved-one', Payload: payloadOf({ ms: 0 }) })).StatusCode).toBe(200);
  });

  it('throttles at the account concurrency with ConcurrentInvocationLimitExceeded', async () => {
    // 3 minus the 1 reserved by reserved-one leaves 2 for unreserved functions.
    const small = await startFixtureLambda({ accountConcurrency: 3 });
    try {
      const send = (ms: number) => small.client.send(new InvokeCommand({ FunctionName: 'sleep', Payload: payloadOf({ ms }) }));
      const running = [send(1000), send(1000)];
      await expect.poll(() => small.running.lambda.inFlight('sleep'), { interval: 5 }).toBe(2);
      const error = await send(0).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TooManyRequestsException);
      expect((error as TooManyRequestsException).Reason).toBe('ConcurrentInvocationLimitExceeded');
      expect((await Promise.all(running)).map((r) => r.StatusCode)).toEqual([200, 200]);
    } finally {
      await small.close();
    }
  });
});
