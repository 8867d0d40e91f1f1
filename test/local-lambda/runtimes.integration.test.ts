/**
 * Python and custom-runtime functions on the local Lambda, through the real SDK: payloads, errors
 * in each runtime's own format, Tail logs, timeouts, crashes, init errors, the context object and
 * client context, the environment the process sees, concurrency, versions and aliases, Event
 * invocations with retries and destinations, and response streaming from a custom runtime.
 */
import {
  GetFunctionConfigurationCommand,
  InvokeCommand,
  type InvokeCommandOutput,
  InvokeWithResponseStreamCommand,
} from '@aws-sdk/client-lambda';
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import type { LogSink } from '../../src/local-lambda/run-invocation.ts';
import {
  type FixtureLambda,
  json,
  payloadOf,
  type RecordReceiver,
  startFixtureLambda,
  startRecordReceiver,
} from '../helpers/local-lambda.ts';

const FUNCTIONS = fileURLToPath(new URL('../fixtures/runtimes', import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let lambda: FixtureLambda;
let receiver: RecordReceiver;
const logs: Array<{ functionName: string; requestId: string; text: string }> = [];
const sink: LogSink = (entry) => logs.push(entry);

beforeAll(async () => {
  receiver = await startRecordReceiver();
  lambda = await startFixtureLambda({
    functions: FUNCTIONS,
    logSink: sink,
    async: { retryDelaysMs: [10, 10], defaultOnSuccess: receiver.url, defaultOnFailure: receiver.url, deliveryRetryBaseMs: 10 },
  });
});
afterAll(async () => {
  await lambda?.close();
  await receiver?.close();
});

function invoke(name: string, event: unknown, extra: { Qualifier?: string; ClientContext?: string } = {}): Promise<InvokeCommandOutput> {
  return lambda.client.send(new InvokeCommand({ FunctionName: name, Payload: payloadOf(event), LogType: 'Tail', ...extra }));
}

const tail = (result: InvokeCommandOutput): string => Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
const text = (result: InvokeCommandOutput): string => Buffer.from(result.Payload ?? new Uint8Array()).toString('utf8');

describe('Python functions', () => {
  it('return their result, with START / END / REPORT and the function output in the Tail', async () => {
    const result = await invoke('py-echo', { hello: 'world', n: [1, 2] });
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBeUndefined();
    expect(json(result.Payload)).toStrictEqual({ event: { hello: 'world', n: [1, 2] } });
    const log = tail(result);
    const id = result.$metadata.requestId ?? '';
    expect(log).toMatch(new RegExp(`^START RequestId: ${id} Version: \\$LATEST\\n`));
    expect(log).toContain(`END RequestId: ${id}\n`);
    expect(log).toMatch(
      new RegExp(
        `REPORT RequestId: ${id}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB\\tMax Memory Used: \\d+ MB`,
      ),
    );
  });

  it('print to stdout and stderr and log through logging as AWS formats it (WARNING and above by default)', async () => {
    const result = await invoke('py-logs', {});
    expect(json(result.Payload)).toBe('logged');
    const id = result.$metadata.requestId ?? '';
    const log = tail(result);
    expect(log).toContain('printed to stdout\n');
    expect(log).toContain('printed to stderr\n');
    expect(log).toMatch(
      new RegExp(`\\[WARNING\\]\\t\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\ta warning through logging\\n`),
    );
    expect(log).not.toContain('an info line');
  });

  it('see the context object Lambda gives a Python handler, and the client context', async () => {
    const clientContext = { client: { installation_id: 'i-1', app_title: 'tests' }, custom: { tenant: 'acme' }, env: { locale: 'en' } };
    const encoded = Buffer.from(JSON.stringify(clientContext)).toString('base64');
    const result = await invoke('py-describe', {}, { ClientContext: encoded, Qualifier: 'live' });
    expect(result.ExecutedVersion).toBe('1');
    const seen = json(result.Payload) as Record<string, unknown>;
    expect(seen).toMatchObject({
      aws_request_id: result.$metadata.requestId,
      function_name: 'py-describe',
      function_version: '1',
      invoked_function_arn: `${ARN}:py-describe:live`,
      memory_limit_in_mb: '256',
      log_group_name: '/aws/lambda/py-describe',
      client_context: { installation_id: 'i-1', custom: { tenant: 'acme' }, env: { locale: 'en' } },
      identity: { cognito_identity_id: null, cognito_identity_pool_id: null },
    });
    expect(seen['log_stream_name']).toMatch(/^\d{4}\/\d\d\/\d\d\/\[1\][0-9a-f]{32}$/);
    expect(seen['remaining_ms']).toBeGreaterThan(0);
    expect(seen['remaining_ms']).toBeLessThanOrEqual(5000);
    expect(seen['trace_id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  it("get Lambda's environment and nothing of the host's", async () => {
    const result = await invoke('py-describe', {});
    const { environ, cwd } = json(result.Payload) as { environ: Record<string, string>; cwd: string };
    const taskRoot = `${FUNCTIONS}/py`;
    expect(cwd).toBe(taskRoot);
    expect(environ).toMatchObject({
      AWS_LAMBDA_FUNCTION_NAME: 'py-describe',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/py-describe',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      LAMBDA_TASK_ROOT: taskRoot,
      _HANDLER: 'app.describe',
      LANG: 'en_US.UTF-8',
      // The function's own variables, including an unreserved one AWS lets it set.
      GREETING: 'hello',
      TZ: 'Europe/Paris',
    });
    expect(environ['AWS_LAMBDA_RUNTIME_API']).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(environ['PATH']).toMatch(/:\/usr\/local\/bin:\/usr\/bin:\/bin$/);
    // Nothing of the host: no HOME, no credentials or profile, not its PATH.
    for (const key of Object.keys(environ)) {
      expect(key).not.toMatch(
        /^(HOME|USER|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|AWS_PROFILE|npm_.*|VITEST.*|NODE_OPTIONS)$/,
      );
    }
    expect(environ['PATH']).not.toBe(process.env['PATH']);
  });

  it("fail with Python's error payload: errorMessage, errorType, requestId, stackTrace as frame strings", async () => {
    const result = await invoke('py-fail', { message: 'the order has no items' });
    expect(result.StatusCode).toBe(200);
    expect(result.FunctionError).toBe('Unhandled');
    const error = json(result.Payload) as { errorMessage: string; errorType: string; requestId: string; stackTrace: string[] };
    expect(Object.keys(error)).toStrictEqual(['errorMessage', 'errorType', 'requestId', 'stackTrace']);
    expect(error).toMatchObject({ errorMessage: 'the order has no items', errorType: 'ValueError', requestId: result.$metadata.requestId });
    expect(error.stackTrace).toHaveLength(1);
    expect(error.stackTrace[0]).toBe(
      `  File "${FUNCTIONS}/py/app.py", line 46, in fail\n    raise ValueError(event.get("message", "bad input"))\n`,
    );
    const log = tail(result);
    expect(log).toContain('[ERROR] ValueError: the order has no items\nTraceback (most recent call last):\n  File ');
    expect(log).toMatch(/REPORT RequestId: \S+\tDuration: /);
  });

  it('reports a result that is not JSON-serialisable as Runtime.MarshalError', async () => {
    const result = await invoke('py-unserializable', {});
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toMatchObject({
      errorType: 'Runtime.MarshalError',
      errorMessage: 'Unable to marshal response: Object of type object is not JSON serializable',
    });
  });

  it('reports an import error at init as Runtime.ImportModuleError, the init output in the Tail', async () => {
    const result = await invoke('py-import-error', {});
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toStrictEqual({
      errorMessage: "Unable to import module 'broken': No module named 'module_that_does_not_exist'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    expect(tail(result)).toContain("[ERROR] Runtime.ImportModuleError: Unable to import module 'broken': No module named");
    // A fresh environment next time meets the same error.
    const again = await invoke('py-import-error', {});
    expect(json(again.Payload)).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });

  it('reports a missing handler function as Runtime.HandlerNotFound', async () => {
    const result = await invoke('py-missing-handler', {});
    expect(json(result.Payload)).toMatchObject({
      errorMessage: "Handler 'nothing_here' missing on module 'fine'",
      errorType: 'Runtime.HandlerNotFound',
    });
  });

  it('times out as Sandbox.Timedout, kills the process, and the next invocation gets a new one', async () => {
    const first = await invoke('py-sleep', { seconds: 0 });
    const { pid } = json(first.Payload) as { pid: number };
    const result = await invoke('py-sleep', { seconds: 30 });
    const id = result.$metadata.requestId ?? '';
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toStrictEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Task timed out after 1.00 seconds`,
    });
    expect(tail(result)).toMatch(/Task timed out after 1\.00 seconds\n/);
    expect(tail(result)).toMatch(/\tStatus: timeout/);
    // Killed: gone once the local Lambda has reaped it.
    await vi.waitFor(() => expect(() => process.kill(pid, 0)).toThrow());
    const next = await invoke('py-sleep', { seconds: 0 });
    expect((json(next.Payload) as { pid: number }).pid).not.toBe(pid);
  });

  it('reports an exit mid-invocation as Runtime.ExitError with the exit status', async () => {
    const result = await invoke('py-crash', {});
    const id = result.$metadata.requestId ?? '';
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toStrictEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 3`,
    });
    expect(tail(result)).toContain('about to exit\n');
  });

  it('answers a response over 6 MB with Function.ResponseSizeTooLarge, and the environment stays usable', async () => {
    const result = await invoke('py-big', {});
    expect(result.FunctionError).toBe('Unhandled');
    expect(text(result)).toBe(
      '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}',
    );
  });

  it('run several invocations in flight in several processes, and reuse them warm', async () => {
    const pids = await Promise.all(
      [1, 2, 3].map(async () => (json((await invoke('py-sleep', { seconds: 0.3 })).Payload) as { pid: number }).pid),
    );
    expect(new Set(pids).size).toBe(3);
    const warm = await Promise.all(
      [1, 2, 3].map(async () => (json((await invoke('py-sleep', { seconds: 0 })).Payload) as { pid: number }).pid),
    );
    expect(new Set([...pids, ...warm]).size).toBe(3);
  });

  it('fail their init as Runtime.InvalidEntrypoint, naming the PATH, when there is no python3', async () => {
    const hostPath = process.env['PATH'];
    process.env['PATH'] = '/nonexistent';
    try {
      // A function no other test invokes: its first environment starts now, under this PATH.
      const result = await invoke('py-no-python', {});
      const id = result.$metadata.requestId ?? '';
      expect(result.FunctionError).toBe('Unhandled');
      expect(json(result.Payload)).toStrictEqual({
        errorType: 'Runtime.InvalidEntrypoint',
        errorMessage: `RequestId: ${id} Error: python3 was not found on the local Lambda's PATH (/nonexistent)`,
      });
    } finally {
      process.env['PATH'] = hostPath;
    }
  });

  it('retry a failed Event invocation and deliver the failure record', async () => {
    const sent = await lambda.client.send(
      new InvokeCommand({ FunctionName: 'py-fail', InvocationType: 'Event', Payload: payloadOf({ message: 'async boom' }) }),
    );
    expect(sent.StatusCode).toBe(202);
    const id = sent.$metadata.requestId ?? '';
    const { record } = await receiver.waitFor((r: DestinationRecord) => r.requestContext.requestId === id);
    expect(record.requestContext).toMatchObject({
      condition: 'RetriesExhausted',
      approximateInvokeCount: 2,
      functionArn: `${ARN}:py-fail:$LATEST`,
    });
    expect(record.responseContext?.functionError).toBe('Unhandled');
    expect(record.responsePayload).toMatchObject({ errorMessage: 'async boom', errorType: 'ValueError', requestId: id });
  });
});

describe('the catalog', () => {
  it("describes a Python function with its runtime and its module's size, and a custom runtime by its bootstrap", async () => {
    const python = await lambda.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'py-echo' }));
    expect(python).toMatchObject({ Runtime: 'python3.12', Handler: 'app.echo', CodeSize: statSync(`${FUNCTIONS}/py/app.py`).size });
    const custom = await lambda.client.send(new GetFunctionConfigurationCommand({ FunctionName: 'sh-al2' }));
    expect(custom).toMatchObject({
      Runtime: 'provided.al2',
      Handler: 'other.handler',
      CodeSize: statSync(`${FUNCTIONS}/sh-echo/bootstrap`).size,
    });
  });
});

describe('process environments end with the local Lambda', () => {
  it('closing the local Lambda ends every runtime process, warm or busy', async () => {
    const own = await startFixtureLambda({ functions: FUNCTIONS });
    const warm = json(
      (await own.client.send(new InvokeCommand({ FunctionName: 'py-sleep', Payload: payloadOf({ seconds: 0 }) }))).Payload,
    ) as {
      pid: number;
    };
    const busy = own.client
      .send(new InvokeCommand({ FunctionName: 'py-sleep', Payload: payloadOf({ seconds: 0.5 }) }))
      .catch(() => undefined);
    const another = own.client
      .send(new InvokeCommand({ FunctionName: 'py-sleep', Payload: payloadOf({ seconds: 30 }) }))
      .catch(() => undefined);
    await own.close();
    // The 30 s invocation ends with the close, long before its own timeout would end it.
    await Promise.all([busy, another]);
    await vi.waitFor(() => expect(() => process.kill(warm.pid, 0)).toThrow());
  });
});

describe('custom runtimes (provided.al2023, provided.al2)', () => {
  it('start the bootstrap in the code directory, which receives the invocation through the Runtime API', async () => {
    const clientContext = { custom: { tenant: 'acme' } };
    const result = await invoke('sh-echo', { a: 1 }, { ClientContext: Buffer.from(JSON.stringify(clientContext)).toString('base64') });
    expect(result.FunctionError).toBeUndefined();
    const id = result.$metadata.requestId ?? '';
    expect(id).toMatch(UUID);
    const seen = json(result.Payload) as Record<string, unknown>;
    expect(seen).toMatchObject({
      handler: 'function.handler',
      event: { a: 1 },
      requestId: id,
      arn: `${ARN}:sh-echo`,
      clientContext,
      home: '',
      path: '/usr/local/bin:/usr/bin:/bin',
      taskRoot: `${FUNCTIONS}/sh-echo`,
      cwd: `${FUNCTIONS}/sh-echo`,
      // AWS sets no AWS_EXECUTION_ENV for an OS-only runtime.
      executionEnv: '',
    });
    expect(seen['deadlineMs']).toBeGreaterThan(Date.now());
    expect(seen['deadlineMs']).toBeLessThanOrEqual(Date.now() + 3000);
    expect(tail(result)).toContain(`custom runtime got ${id}\n`);
  });

  it('provided.al2 runs the same way, with its own handler string', async () => {
    const result = await invoke('sh-al2', {});
    expect(json(result.Payload)).toMatchObject({ handler: 'other.handler' });
  });

  it('report an init error posted to /init/error with the body and type the runtime gave', async () => {
    const result = await invoke('sh-init-error', {});
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toStrictEqual({
      errorMessage: 'DATABASE_URL is not set',
      errorType: 'Runtime.ConfigMissing',
      stackTrace: [],
    });
    expect(tail(result)).toContain('custom init failing\n');
  });

  it('report an exit before the first invocation as Runtime.ExitError', async () => {
    const result = await invoke('sh-exit-init', {});
    const id = result.$metadata.requestId ?? '';
    expect(json(result.Payload)).toStrictEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 2`,
    });
    expect(tail(result)).toContain('exiting before the first invocation\n');
  });

  it('end an init that takes longer than 10 s: the process is killed and the invocation fails', { timeout: 30_000 }, async () => {
    const result = await invoke('sh-slow-init', {});
    const id = result.$metadata.requestId ?? '';
    expect(result.FunctionError).toBe('Unhandled');
    expect(json(result.Payload)).toStrictEqual({
      errorType: 'Sandbox.Timedout',
      errorMessage: `RequestId: ${id} Error: Init phase timed out after 10.00 seconds`,
    });
    expect(tail(result)).toContain('initialising forever\n');
    expect(tail(result)).toMatch(/\tInit Duration: 1\d{4}\.\d\d ms\t/);
  });

  it('report an exit mid-invocation as Runtime.ExitError with its status', async () => {
    const result = await invoke('sh-crash', {});
    const id = result.$metadata.requestId ?? '';
    expect(json(result.Payload)).toStrictEqual({
      errorType: 'Runtime.ExitError',
      errorMessage: `RequestId: ${id} Error: Runtime exited with error: exit status 7`,
    });
    expect(tail(result)).toContain('crashing mid-invocation\n');
  });

  it('stream a response (Lambda-Runtime-Function-Response-Mode: streaming) to InvokeWithResponseStream', async () => {
    const result = await lambda.client.send(new InvokeWithResponseStreamCommand({ FunctionName: 'sh-stream', Payload: payloadOf({}) }));
    const chunks: string[] = [];
    let complete: unknown;
    for await (const event of result.EventStream ?? []) {
      if (event.PayloadChunk?.Payload !== undefined) chunks.push(Buffer.from(event.PayloadChunk.Payload).toString('utf8'));
      if (event.InvokeComplete !== undefined) complete = event.InvokeComplete;
    }
    expect(chunks.join('')).toBe('one,two,three');
    expect(complete).toStrictEqual({});
  });

  it('answers a streamed response in full to a plain Invoke', async () => {
    const result = await invoke('sh-stream', {});
    expect(text(result)).toBe('one,two,three');
  });
});
