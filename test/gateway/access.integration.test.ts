/**
 * Access rules where the integration tier is needed: reading and following EVENT invocations,
 * whose outcomes arrive as destination records from the local Lambda, and a subscription over
 * WebSocket. The allowlist, the modes, configuration files, roles on synchronous calls and the
 * client context policies are the gateway's own logic, tested in the unit tier (access.test.ts).
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { InvocationDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

describe('authorization per principal', () => {
  const OPS_KEY = 'ops-key-0123456789abcdef';
  const APP_KEY = 'app-key-0123456789abcdef';
  const ops = { 'x-api-key': OPS_KEY };
  const app = { 'x-api-key': APP_KEY };
  const hash = (key: string) => createHash('sha256').update(key).digest('hex');
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway(
      {
        destinations: { secret: 'authorization-tests-secret' },
        auth: {
          apiKeys: [
            { id: 'ops', sha256: hash(OPS_KEY), roles: ['ops'] },
            { id: 'app', sha256: hash(APP_KEY), roles: ['app'] },
          ],
        },
        access: {
          allow: [
            { functions: ['*'], roles: ['ops'] },
            { functions: ['echo', 'fail', 'noop'], roles: ['app'], tailLogs: false, errorDetails: false },
          ],
        },
      },
      { localLambda: { async: { retryDelaysMs: [0, 0] } } },
    );
  });
  afterAll(() => gateway.close());

  it('applies the same rules to reading and following invocations', async () => {
    const started = (
      await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'sleep', invocationType: 'EVENT', payload: { ms: 0 } } }, ops)
    ).data?.invokeFunction;
    if (started?.__typename !== 'Invocation') throw new Error('not accepted');
    const { requestId } = started;
    await expect
      .poll(async () => (await gateway.execute(InvocationDocument, { requestId }, ops)).data?.invocation?.status, { interval: 10 })
      .toBe('SUCCEEDED');
    // Not the app's function: it is as if the invocation did not exist.
    expect((await gateway.execute(InvocationDocument, { requestId }, app)).data?.invocation).toBeNull();
    const following = subscribeWith(
      'graphql-ws',
      gateway.running.url,
      InvocationUpdatesDocument,
      { requestId },
      { connectionParams: { apiKey: APP_KEY } },
    );
    await expect(following.completed).rejects.toThrow(/not allowed/);

    // A failed EVENT of an allowed function: visible, with its error details hidden.
    const failed = (
      await gateway.execute(
        InvokeFunctionDocument,
        { input: { functionName: 'fail', invocationType: 'EVENT', payload: { message: 'async secret' } } },
        app,
      )
    ).data?.invokeFunction;
    if (failed?.__typename !== 'Invocation') throw new Error('not accepted');
    await expect
      .poll(async () => (await gateway.execute(InvocationDocument, { requestId: failed.requestId }, app)).data?.invocation?.status, {
        interval: 10,
      })
      .toBe('FAILED');
    const record = (await gateway.execute(InvocationDocument, { requestId: failed.requestId }, app)).data?.invocation;
    expect(record).toMatchObject({ responsePayload: null, functionError: { errorType: 'Hidden' } });
    const opsView = (await gateway.execute(InvocationDocument, { requestId: failed.requestId }, ops)).data?.invocation;
    expect(opsView).toMatchObject({ functionError: { errorType: 'FixtureError', errorMessage: 'async secret' } });
  });
});
