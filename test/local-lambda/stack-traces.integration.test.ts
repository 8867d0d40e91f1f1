/**
 * Stack traces as AWS shows them: the function's frames only, under the task root `/var/task`,
 * with no host path and none of the local Lambda's own frames — in the error payload, in the
 * logged lines, and in messages that name a file. `LAMBDA_TASK_ROOT` stays the folder the code
 * really runs from, so files next to the code are found.
 */
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureLambda, FIXTURE_FUNCTIONS, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

interface ErrorPayload {
  readonly errorType: string;
  readonly errorMessage: string;
  readonly trace: string[];
}

let lambda: FixtureLambda;
beforeAll(async () => {
  lambda = await startFixtureLambda();
});
afterAll(() => lambda.close());

const invoke = (functionName: string, event: unknown = {}): Promise<InvokeCommandOutput> =>
  lambda.client.send(new InvokeCommand({ FunctionName: functionName, Payload: payloadOf(event), LogType: 'Tail' }));
const tail = (result: InvokeCommandOutput): string => Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');

/** Nothing of the machine the local Lambda runs on, nor of the local Lambda itself. */
function expectNoHostDetails(text: string): void {
  expect(text).not.toContain(FIXTURE_FUNCTIONS);
  expect(text).not.toContain(process.cwd());
  expect(text).not.toContain('worker-child');
  expect(text).not.toContain('node:internal');
}

describe('stack traces', () => {
  it('a thrown error shows the handler’s frame under /var/task, in the payload and in the Invoke Error line', async () => {
    const result = await invoke('fail', { message: 'boom' });
    const body = json(result.Payload) as ErrorPayload;
    expect(body.trace).toEqual(['FixtureError: boom', '    at handler (file:///var/task/fail.ts:7:9)']);
    const log = tail(result);
    expect(log).toContain(
      '\tERROR\tInvoke Error \t{"errorType":"FixtureError","errorMessage":"boom","name":"FixtureError","stack":["FixtureError: boom","    at handler (file:///var/task/fail.ts:7:9)"]}\n',
    );
    expectNoHostDetails(JSON.stringify(body) + log);
  });

  it('an uncaught exception from a timer shows the timer’s frame only', async () => {
    const result = await invoke('crash');
    const body = json(result.Payload) as ErrorPayload;
    expect(body).toEqual({
      errorType: 'TypeError',
      errorMessage: 'thrown from a timer',
      trace: ['TypeError: thrown from a timer', '    at Timeout._onTimeout (file:///var/task/crash.ts:4:11)'],
    });
    expect(tail(result)).toContain(
      '\tERROR\tUncaught Exception \t{"errorType":"TypeError","errorMessage":"thrown from a timer","stack":["TypeError: thrown from a timer","    at Timeout._onTimeout (file:///var/task/crash.ts:4:11)"]}\n',
    );
    expectNoHostDetails(tail(result));
  });

  it('an unhandled rejection is reported as Node’s runtime does: the reason as text', async () => {
    const result = await invoke('reject');
    expect(json(result.Payload)).toEqual({
      errorType: 'Runtime.UnhandledPromiseRejection',
      errorMessage: 'Error: nobody handles this',
      trace: ['Runtime.UnhandledPromiseRejection: Error: nobody handles this'],
    });
    const log = tail(result);
    expect(log).toContain(
      '"reason":{"errorType":"Error","errorMessage":"nobody handles this","stack":["Error: nobody handles this","    at handler (file:///var/task/reject.ts:',
    );
    expectNoHostDetails(log);
  });

  it('an init failure shows the module’s frame under /var/task', async () => {
    const result = await invoke('init-error');
    const body = json(result.Payload) as ErrorPayload;
    expect(body.errorMessage).toBe('init failed on purpose');
    expect(body.trace).toEqual(['Error: init failed on purpose', '    at file:///var/task/init-error.ts:2:7']);
    expectNoHostDetails(JSON.stringify(body) + tail(result));
  });

  it('the function’s own error.stack and a message naming a file under the task root show /var/task too', async () => {
    const result = await invoke('task-root', { file: 'missing.json' });
    const body = json(result.Payload) as ErrorPayload;
    expect(body.errorType).toBe('Error');
    expect(body.errorMessage).toBe("ENOENT: no such file or directory, open '/var/task/missing.json'");
    const log = tail(result);
    // console.error(error) prints error.stack: the function sees what AWS would show it.
    expect(log).toContain("\tERROR\tcannot read Error: ENOENT: no such file or directory, open '/var/task/missing.json'");
    expectNoHostDetails(JSON.stringify(body) + log);
  });
});

describe('LAMBDA_TASK_ROOT', () => {
  it('is the folder of functions.json, where the code runs from: a file next to the code is found', async () => {
    const result = await invoke('task-root', { file: 'functions.json' });
    expect(result.FunctionError).toBeUndefined();
    expect(json(result.Payload)).toMatchObject({ taskRoot: FIXTURE_FUNCTIONS });
  });
});
