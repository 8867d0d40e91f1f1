/**
 * The DataLoader contract of src/lambda/invocation-loader.ts, with a fake invoker: each key gets
 * its own outcome in its own slot, in key order; a failure is a value in its slot and fails no
 * other key; only a bug rejects; DryRun probes are shared, real invocations never are.
 */
import { describe, expect, it } from 'vitest';
import { FunctionNotFoundError, ThrottledError } from '../../src/lambda/errors.ts';
import { Invocation } from '../../src/lambda/invocation.ts';
import { createInvocationLoader } from '../../src/lambda/invocation-loader.ts';
import type { InvokeRequest, InvokeResponse } from '../../src/lambda/invoker.ts';
import type { InvocationType } from '../../src/protocol/function-name.ts';
import { accepted, recordingInvoker } from '../invocations/fake-invoker.ts';

function request(functionName: string, invocationType: InvocationType = 'RequestResponse', qualifier?: string): InvokeRequest {
  return {
    functionName,
    qualifier,
    target: { name: functionName, qualifier, region: undefined, account: undefined },
    invocationType,
    logType: 'None',
    payload: new TextEncoder().encode(JSON.stringify({ to: functionName })),
    clientContext: undefined,
  };
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the invocation loader', () => {
  it('gives each key its own outcome, in key order, whatever order the invoker answers in', async () => {
    // The first request answers last.
    const invoker = recordingInvoker(async (req, call) => {
      await delay(call === 1 ? 30 : 0);
      return accepted(req, `request-${req.functionName}`);
    });
    const loader = createInvocationLoader(invoker, undefined);
    const outcomes = await Promise.all(['a', 'b', 'c'].map((name) => loader.load(request(name))));
    expect(outcomes.map((outcome) => (outcome as Invocation).requestId)).toEqual(['request-a', 'request-b', 'request-c']);
    expect(outcomes.every((outcome) => outcome instanceof Invocation)).toBe(true);
    // One batch: all three calls were made in the same tick.
    expect(invoker.calls.map(({ request: r }) => r.functionName)).toEqual(['a', 'b', 'c']);
  });

  it('resolves a failed key with its typed failure, in its own slot, and fails no other key', async () => {
    const invoker = recordingInvoker((req) =>
      req.functionName === 'missing'
        ? Promise.reject(new FunctionNotFoundError('Function not found', 'missing', undefined))
        : Promise.resolve(accepted(req, `request-${req.functionName}`)),
    );
    const loader = createInvocationLoader(invoker, undefined);
    const [first, failed, last] = await Promise.all([
      loader.load(request('a')),
      loader.load(request('missing')),
      loader.load(request('c')),
    ]);
    expect(first).toBeInstanceOf(Invocation);
    expect(failed).toBeInstanceOf(FunctionNotFoundError);
    expect(failed).toMatchObject({ functionName: 'missing' });
    expect(last).toBeInstanceOf(Invocation);
  });

  it('rejects only the key a bug broke, with that Error; the others still settle', async () => {
    const invoker = recordingInvoker((req) =>
      // Not an Error at all: the loader still puts an Error in the slot, as DataLoader requires.
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
      req.functionName === 'bug' ? Promise.reject('a string, not an error') : Promise.resolve(accepted(req, 'ok')),
    );
    const loader = createInvocationLoader(invoker, undefined);
    const results = await Promise.allSettled([loader.load(request('a')), loader.load(request('bug'))]);
    expect(results[0]).toMatchObject({ status: 'fulfilled' });
    expect(results[1]).toMatchObject({ status: 'rejected', reason: new Error('a string, not an error') });
  });

  it('never shares a real invocation: two identical requests are two runs', async () => {
    const invoker = recordingInvoker();
    const loader = createInvocationLoader(invoker, undefined);
    const [one, two] = await Promise.all([loader.load(request('echo')), loader.load(request('echo'))]);
    expect(invoker.calls).toHaveLength(2);
    expect(one).not.toBe(two);
    // Nor across ticks.
    await loader.load(request('echo', 'Event'));
    await loader.load(request('echo', 'Event'));
    expect(invoker.calls).toHaveLength(4);
  });

  it('shares a DryRun probe of the same function and qualifier within the request', async () => {
    const invoker = recordingInvoker();
    const loader = createInvocationLoader(invoker, undefined);
    const [one, two, otherQualifier] = await Promise.all([
      loader.load(request('echo', 'DryRun')),
      loader.load(request('echo', 'DryRun')),
      loader.load(request('echo', 'DryRun', '1')),
    ]);
    expect(one).toBe(two);
    expect(otherQualifier).not.toBe(one);
    await loader.load(request('echo', 'DryRun'));
    expect(invoker.calls.map(({ request: r }) => r.qualifier)).toEqual([undefined, '1']);
  });

  it('shares a failed probe too: the typed failure is the outcome of every identical probe', async () => {
    const invoker = recordingInvoker(() => Promise.reject(new ThrottledError('Rate Exceeded.', undefined, undefined)));
    const loader = createInvocationLoader(invoker, undefined);
    const [one, two] = await Promise.all([loader.load(request('echo', 'DryRun')), loader.load(request('echo', 'DryRun'))]);
    expect(one).toBeInstanceOf(ThrottledError);
    expect(two).toBe(one);
    expect(invoker.calls).toHaveLength(1);
  });

  it("passes the invoker a signal that follows the request's, one for all its calls, and measures each call", async () => {
    const controller = new AbortController();
    const invoker = recordingInvoker(async (req): Promise<InvokeResponse> => {
      await delay(5);
      return accepted(req, 'timed');
    });
    const loader = createInvocationLoader(invoker, controller.signal);
    const outcome = await loader.load(request('echo'));
    await loader.load(request('echo'));
    const signal = invoker.calls[0]?.signal;
    expect(signal?.aborted).toBe(false);
    expect(invoker.calls[1]?.signal).toBe(signal);
    const reason = new Error('client gone');
    controller.abort(reason);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
    expect((outcome as Invocation).durationMs).toBeGreaterThan(0);
  });

  it('passes an aborted signal when the request was aborted before the first call', async () => {
    const controller = new AbortController();
    controller.abort();
    const invoker = recordingInvoker((req): Promise<InvokeResponse> => Promise.resolve(accepted(req, 'late')));
    await createInvocationLoader(invoker, controller.signal).load(request('echo'));
    expect(invoker.calls[0]?.signal?.aborted).toBe(true);
  });
});
