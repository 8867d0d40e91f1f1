/**
 * Execution like Lambda: warm environments reused with their module state, parallel environments
 * up to the concurrency, a failing environment replaced without affecting the others, the handler's
 * context and environment, the heap limit, and a graceful shutdown.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSink } from '../../src/local-lambda/run-invocation.ts';
import { type FixtureLambda, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

interface CounterResult {
  readonly environmentId: string;
  readonly invocations: number;
}

let lambda: FixtureLambda;
beforeAll(async () => {
  lambda = await startFixtureLambda();
});
afterAll(() => lambda.close());

const counter = async (target: FixtureLambda = lambda, holdMs?: number): Promise<CounterResult> => {
  const result = await target.client.send(new InvokeCommand({ FunctionName: 'counter', Payload: payloadOf({ holdMs }) }));
  return json(result.Payload) as CounterResult;
};

describe('warm environments', () => {
  it('reuses one environment for sequential invocations: init once, module state kept', async () => {
    const first = await counter();
    const second = await counter();
    const third = await counter();
    expect(second.environmentId).toBe(first.environmentId);
    expect(third.environmentId).toBe(first.environmentId);
    expect([second.invocations - first.invocations, third.invocations - second.invocations]).toEqual([1, 1]);
  });

  it('runs concurrent invocations in parallel environments, and keeps them warm', async () => {
    const fresh = await startFixtureLambda();
    try {
      const parallel = await Promise.all(Array.from({ length: 4 }, () => counter(fresh, 300)));
      // Four distinct environments, each serving one invocation: a new environment starts only
      // when every existing one is busy, so all four invocations ran at the same time (one after
      // the other, they would have shared one warm environment).
      expect(new Set(parallel.map((r) => r.environmentId)).size).toBe(4);
      expect(parallel.every((r) => r.invocations === 1)).toBe(true);
      expect(fresh.running.lambda.stats().environments).toBe(4);
      // The next invocations land on those warm environments.
      const again = await Promise.all(Array.from({ length: 4 }, () => counter(fresh, 50)));
      expect(new Set([...parallel, ...again].map((r) => r.environmentId)).size).toBe(4);
    } finally {
      await fresh.close();
    }
  });

  it('gives each version its own environments', async () => {
    const versions = await Promise.all(
      ['1', '2', '$LATEST'].map(async (qualifier) => {
        const result = await lambda.client.send(new InvokeCommand({ FunctionName: 'echo', Qualifier: qualifier, Payload: payloadOf('x') }));
        return json(result.Payload);
      }),
    );
    expect(versions).toEqual([{ code: 'v1', event: 'x' }, { code: 'v2', event: 'x', note: 'two' }, 'x']);
  });

  it('shuts down environments that stay idle past the idle timeout', async () => {
    const fresh = await startFixtureLambda({ idleTimeoutMs: 50 });
    try {
      const first = await counter(fresh);
      await expect.poll(() => fresh.running.lambda.stats().environments, { interval: 10 }).toBe(0);
      const second = await counter(fresh);
      expect(second.environmentId).not.toBe(first.environmentId);
      expect(second.invocations).toBe(1);
    } finally {
      await fresh.close();
    }
  });
});

describe('failures stay in their environment', () => {
  it('a timeout kills only that environment; the next invocation starts a new one', async () => {
    const fresh = await startFixtureLambda();
    try {
      const send = (ms: number) => fresh.client.send(new InvokeCommand({ FunctionName: 'timeout', Payload: payloadOf({ ms }) }));
      expect((await send(0)).FunctionError).toBeUndefined();
      const busyNeighbour = counter(fresh, 1500);
      const timedOut = await send(5000);
      expect(json(timedOut.Payload)).toMatchObject({ errorType: 'Sandbox.Timedout' });
      // The neighbour in its own environment is unaffected.
      expect((await busyNeighbour).invocations).toBe(1);
      const after = await send(0);
      expect(after.FunctionError).toBeUndefined();
      expect(json(after.Payload)).toEqual({ sleptMs: 0 });
    } finally {
      await fresh.close();
    }
  });

  it('a process exit or crash is followed by a fresh, working environment', async () => {
    const exit = await lambda.client.send(new InvokeCommand({ FunctionName: 'exit', Payload: payloadOf({ code: 1 }) }));
    expect(exit.FunctionError).toBe('Unhandled');
    const crash = await lambda.client.send(new InvokeCommand({ FunctionName: 'crash' }));
    expect(crash.FunctionError).toBe('Unhandled');
    // Other functions keep their warm environments throughout.
    const before = await counter();
    const again = await lambda.client.send(new InvokeCommand({ FunctionName: 'exit', Payload: payloadOf({ code: 2 }) }));
    expect(json(again.Payload)).toMatchObject({ errorType: 'Runtime.ExitError' });
    expect((await counter()).environmentId).toBe(before.environmentId);
  });

  it('a function error keeps the environment warm (module state survives)', async () => {
    const send = () => lambda.client.send(new InvokeCommand({ FunctionName: 'flaky', Payload: payloadOf({ failTimes: 5 }) }));
    const first = await send();
    const second = await send();
    // Each invocation has its own request id, so each is a first attempt that fails.
    expect(json(first.Payload)).toMatchObject({ errorMessage: 'attempt 1 fails' });
    expect(json(second.Payload)).toMatchObject({ errorMessage: 'attempt 1 fails' });
    expect(lambda.running.lambda.inFlight('flaky')).toBe(0);
  });
});

describe('what the handler sees', () => {
  it('a full context, its own environment variables and none of the host’s', async () => {
    const result = await lambda.client.send(new InvokeCommand({ FunctionName: 'context' }));
    const seen = json(result.Payload) as Record<string, unknown> & { env: Record<string, unknown>; remainingTimeInMillis: number };
    expect(seen).toMatchObject({
      awsRequestId: result.$metadata.requestId,
      functionName: 'context',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:context',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/context',
      clientContext: null,
    });
    expect(seen.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen.remainingTimeInMillis).toBeGreaterThan(5000);
    expect(seen.remainingTimeInMillis).toBeLessThanOrEqual(7000);
    expect(seen.env).toEqual({
      GREETING: 'hello',
      AWS_LAMBDA_FUNCTION_NAME: 'context',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: 'us-east-1',
      _HANDLER: 'context.handler',
      HOME: null,
      PATH: null,
    });
  });

  it('the memory size is the environment’s heap limit', async () => {
    const result = await lambda.client.send(new InvokeCommand({ FunctionName: 'context' }));
    const { heapLimitMb } = json(result.Payload) as { heapLimitMb: number };
    // The old generation gets the memory size; V8 adds its young generation on top. Without the
    // limit a worker would get the host's default heap of several gigabytes.
    expect(heapLimitMb).toBeGreaterThanOrEqual(256);
    expect(heapLimitMb).toBeLessThan(512);
  });

  it('streams every piece of the execution log to the log sink', async () => {
    const entries: Array<{ functionName: string; requestId: string; text: string }> = [];
    const sink: LogSink = (entry) => entries.push(entry);
    const fresh = await startFixtureLambda({ logSink: sink });
    try {
      const result = await fresh.client.send(new InvokeCommand({ FunctionName: 'context', Payload: payloadOf({ log: 'hello sink' }) }));
      const id = result.$metadata.requestId ?? '';
      const text = entries
        .filter((e) => e.requestId === id && e.functionName === 'context')
        .map((e) => e.text)
        .join('');
      expect(text).toMatch(
        new RegExp(
          `^START RequestId: ${id} Version: \\$LATEST\\n.*\\t${id}\\tINFO\\thello sink\\nEND RequestId: ${id}\\nREPORT RequestId: ${id}\\t`,
        ),
      );
    } finally {
      await fresh.close();
    }
  });
});

describe('shutdown', () => {
  it('finishes in-flight invocations, refuses new ones, then stops every environment', async () => {
    const fresh = await startFixtureLambda();
    const inFlight = fresh.client.send(new InvokeCommand({ FunctionName: 'sleep', Payload: payloadOf({ ms: 300 }) }));
    await expect.poll(() => fresh.running.lambda.inFlight('sleep'), { interval: 5 }).toBe(1);
    const closing = fresh.running.lambda.close();
    const refused = await fresh.client.send(new InvokeCommand({ FunctionName: 'noop' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((refused as Error).name).toBe('ServiceException');
    expect(json((await inFlight).Payload)).toEqual({ sleptMs: 300 });
    await closing;
    expect(fresh.running.lambda.stats().environments).toBe(0);
    await fresh.close();
  });
});
