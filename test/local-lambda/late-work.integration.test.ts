/**
 * Work a handler leaves behind after it returned — a throw from a timer, a rejection nobody
 * handles, an exit, a timer that keeps running — as AWS treats it: a late error is logged in the
 * function's log in Node's Lambda format and retires the environment (the next invocation is a
 * cold start), and no later invocation fails because of it. A timer from an earlier invocation
 * that throws while a later one runs fails the running one (Node's runtime cannot tell whose it
 * was). Synchronised on events: log lines, the environment count, signal files.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LogSink } from '../../src/local-lambda/run-invocation.ts';
import { type FixtureLambda, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

interface Entry {
  readonly functionName: string;
  readonly requestId: string;
  readonly text: string;
}

let lambda: FixtureLambda;
let entries: Entry[];
beforeEach(async () => {
  entries = [];
  const sink: LogSink = (entry) => entries.push(entry);
  lambda = await startFixtureLambda({ logSink: sink });
});
afterEach(() => lambda.close());

const invoke = (functionName: string, event: unknown = {}): Promise<InvokeCommandOutput> =>
  lambda.client.send(new InvokeCommand({ FunctionName: functionName, Payload: payloadOf(event), LogType: 'Tail' }));
const logOf = (functionName: string): string =>
  entries
    .filter((e) => e.functionName === functionName)
    .map((e) => e.text)
    .join('');
const tail = (result: InvokeCommandOutput): string => Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');
const environmentOf = (result: InvokeCommandOutput): string => (json(result.Payload) as { environmentId: string }).environmentId;
const environments = (): number => lambda.running.lambda.stats().environments;

/** Three more invocations: all succeed, the first in a new environment (a cold start), then warm. */
async function expectFreshAndWorking(functionName: string, retired: string): Promise<void> {
  const after = [await invoke(functionName), await invoke(functionName), await invoke(functionName)];
  for (const result of after) expect(result.FunctionError, JSON.stringify(json(result.Payload))).toBeUndefined();
  expect(environmentOf(after[0]!)).not.toBe(retired);
  expect(new Set(after.map(environmentOf)).size).toBe(1);
  expect(tail(after[0]!)).toMatch(/\tInit Duration: [\d.]+ ms\t/);
  expect(tail(after[1]!)).not.toContain('Init Duration');
}

describe('an error after the handler returned', () => {
  it('a throw from a timer is logged as an Uncaught Exception, retires the environment, and fails nothing after', async () => {
    const first = await invoke('late', { fail: 'throw' });
    expect(first.FunctionError).toBeUndefined();
    const id = first.$metadata.requestId ?? '';
    // Logged under the invocation that left it behind, in Node's runtime format, /var/task paths.
    await expect
      .poll(() => logOf('late'), { interval: 5 })
      .toMatch(
        new RegExp(
          `\\n[\\d-]+T[\\d:.]+Z\\t${id}\\tERROR\\tUncaught Exception \\t\\{"errorType":"LateError","errorMessage":"thrown after returning","name":"LateError","stack":\\["LateError: thrown after returning","    at Immediate.<anonymous> \\(file:///var/task/late\\.ts:\\d+:\\d+\\)"\\]\\}\\n`,
        ),
      );
    expect(entries.find((e) => e.text.includes('Uncaught Exception'))?.requestId).toBe(id);
    await expect.poll(environments, { interval: 5 }).toBe(0);
    await expectFreshAndWorking('late', environmentOf(first));
  });

  it('a rejection nobody handles is logged as an Unhandled Promise Rejection, with its reason, and retires the environment', async () => {
    const first = await invoke('late', { fail: 'reject' });
    expect(first.FunctionError).toBeUndefined();
    await expect
      .poll(() => logOf('late'), { interval: 5 })
      .toContain(
        '\tERROR\tUnhandled Promise Rejection \t{"errorType":"Runtime.UnhandledPromiseRejection","errorMessage":"LateError: rejected after returning",' +
          '"reason":{"errorType":"LateError","errorMessage":"rejected after returning","name":"LateError","stack":["LateError: rejected after returning","    at Immediate.<anonymous> (file:///var/task/late.ts:',
      );
    await expect.poll(environments, { interval: 5 }).toBe(0);
    await expectFreshAndWorking('late', environmentOf(first));
  });

  it('a process exit retires the environment and fails nothing after', async () => {
    const first = await invoke('late', { fail: 'exit' });
    expect(first.FunctionError).toBeUndefined();
    await expect.poll(environments, { interval: 5 }).toBe(0);
    await expectFreshAndWorking('late', environmentOf(first));
  });

  it('an invocation already handed to the environment when the late error comes runs in a fresh one', async () => {
    const hold = { started: path.join(tmpdir(), `late-work-${randomUUID()}`), release: path.join(tmpdir(), `late-work-${randomUUID()}`) };
    try {
      const first = await invoke('late', { fail: 'throw', hold });
      // The worker is busy in the timer now: the next invocation is handed over and waits.
      await expect.poll(() => existsSync(hold.started), { interval: 5 }).toBe(true);
      const second = invoke('late');
      await expect.poll(() => lambda.running.lambda.inFlight('late'), { interval: 5 }).toBe(1);
      await writeFile(hold.release, '');
      const result = await second;
      expect(result.FunctionError, JSON.stringify(json(result.Payload))).toBeUndefined();
      expect(environmentOf(result)).not.toBe(environmentOf(first));
      expect(tail(result)).toMatch(/\tInit Duration: [\d.]+ ms\t/);
      // The error is in the function's log, not in the invocation that never saw it.
      expect(tail(result)).not.toContain('Uncaught Exception');
      expect(logOf('late')).toContain('\tERROR\tUncaught Exception \t{"errorType":"LateError"');
    } finally {
      await Promise.all([rm(hold.started, { force: true }), rm(hold.release, { force: true })]);
    }
  });
});

describe('a timer that keeps running after the handler returned', () => {
  it('breaks nothing: its output reaches the function’s log, the environment stays warm', async () => {
    const first = await invoke('stray', { start: true });
    const id = first.$metadata.requestId ?? '';
    // Ticks after the response are in the function's log, under the invocation that started them.
    await expect.poll(() => logOf('stray'), { interval: 5 }).toMatch(new RegExp(`\\t${id}\\tINFO\\ttick 3\\n`));
    const later = [await invoke('stray'), await invoke('stray', { start: true }), await invoke('stray')];
    for (const result of later) expect(result.FunctionError).toBeUndefined();
    expect(new Set([first, ...later].map(environmentOf)).size).toBe(1);
    expect(environments()).toBe(1);
  });

  it('throwing while a later invocation runs fails that invocation, which logs it; the next one gets a fresh environment', async () => {
    const first = await invoke('stray', { start: true });
    const armed = await invoke('stray', { arm: true });
    expect(armed.FunctionError).toBe('Unhandled');
    expect(json(armed.Payload)).toEqual({
      errorType: 'Error',
      errorMessage: 'thrown by a timer an earlier invocation started',
      trace: [
        'Error: thrown by a timer an earlier invocation started',
        expect.stringMatching(/^ {4}at Timeout\._onTimeout \(file:\/\/\/var\/task\/stray\.ts:\d+:\d+\)$/),
      ],
    });
    expect(tail(armed)).toContain(
      '\tERROR\tUncaught Exception \t{"errorType":"Error","errorMessage":"thrown by a timer an earlier invocation started"',
    );
    const next = await invoke('stray');
    expect(next.FunctionError).toBeUndefined();
    expect(environmentOf(next)).not.toBe(environmentOf(first));
  });
});
