/**
 * `/metrics` for EVENT invocations: Lambda accepting them is counted apart from how they ended,
 * which the local Lambda reports with a destination record to the gateway's port. The other
 * metrics are tested in the unit tier (metrics.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.ts';
import { InvocationDocument, InvokeFunctionDocument } from './documents.ts';

describe('EVENT invocations', () => {
  it('count Lambda accepting them apart from how they ended, which comes with the destination record', async () => {
    const events = await startTestGateway({}, { localLambda: { async: { retryDelaysMs: [10, 20] } } });
    try {
      const ids: string[] = [];
      for (const functionName of ['fail', 'echo', 'echo']) {
        const outcome = (await events.execute(InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT' } })).data
          ?.invokeFunction;
        if (outcome?.__typename !== 'Invocation') throw new Error('not accepted');
        ids.push(outcome.requestId);
      }
      for (const requestId of ids) {
        await expect
          .poll(async () => (await events.execute(InvocationDocument, { requestId })).data?.invocation?.status, { interval: 20 })
          .not.toBe('ACCEPTED');
      }
      const text = await (await fetch(new URL('/metrics', events.running.url))).text();
      // A 202 is an acceptance, not a success: the failing one is not counted as one.
      expect(text).toContain('lambda_invocations_total{function="fail",invocation_type="Event",outcome="accepted"} 1');
      expect(text).toContain('lambda_invocations_total{function="echo",invocation_type="Event",outcome="accepted"} 2');
      expect(text).not.toMatch(/invocation_type="Event",outcome="success"/);
      expect(text).toContain('lambda_async_completions_total{function="fail",status="failed"} 1');
      expect(text).toContain('lambda_async_completions_total{function="echo",status="succeeded"} 2');
    } finally {
      await events.close();
    }
  });
});
