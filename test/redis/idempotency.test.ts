/**
 * Idempotency keys shared by gateway instances through Redis: a replay on another instance gets
 * the first outcome, and another request under the key is a conflict there too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvokeFunctionInput, InvokeResultFieldsFragment } from '../../generated/graphql/graphql.ts';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { startRedis, type TestRedis } from '../helpers/redis.ts';
import { InvokeFunctionDocument } from '../gateway/documents.ts';

async function invoke(target: TestGateway, input: InvokeFunctionInput): Promise<InvokeResultFieldsFragment> {
  const result = await target.execute(InvokeFunctionDocument, { input });
  const outcome = result.data?.invokeFunction;
  if (outcome === undefined) throw new Error(JSON.stringify(result));
  return outcome;
}

describe('idempotency keys through Redis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());

  it('a replay on another instance gets the first outcome', async () => {
    const a = await startTestGateway({ redis: { url: redis.url } });
    const b = await startTestGateway({ redis: { url: redis.url } });
    try {
      const first = await invoke(a, { functionName: 'echo', payload: { n: 1 }, idempotencyKey: 'shared-1' });
      const replay = await invoke(b, { functionName: 'echo', payload: { n: 1 }, idempotencyKey: 'shared-1' });
      if (first.__typename !== 'Invocation') throw new Error('expected an invocation');
      expect(replay).toEqual({ ...first, replayed: true });
      expect(await invoke(b, { functionName: 'echo', payload: { n: 2 }, idempotencyKey: 'shared-1' })).toMatchObject({
        conflict: 'DIFFERENT_REQUEST',
      });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
