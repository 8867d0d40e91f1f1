/**
 * Phase 2 of `bench/gateway`, batching: one `invokeFunctions` of `--batch-size` `sleep` inputs vs
 * as many sequential `invokeFunction` requests of the same, through the gateway (its default
 * per-function concurrency cap, 250), the order alternating between repeats.
 */
import { BATCH_QUERY, INVOKE_QUERY, dataOf, expectInvocation, graphqlBody } from './graphql-client.ts';
import { median, round } from '../support/stats.ts';
import type { Env, Options } from './setup.ts';

export interface BatchResult {
  readonly batchSize: number;
  readonly sleepMs: number;
  readonly repeats: number;
  /** Milliseconds of each repeat. */
  readonly batchMs: readonly number[];
  readonly sequentialMs: readonly number[];
  readonly batchMedianMs: number;
  readonly sequentialMedianMs: number;
  /** sequential median ÷ batch median. */
  readonly speedup: number;
  /** The median of the per-repeat speed-ups. */
  readonly speedupPerRepeatMedian: number;
}

export async function batchPhase({ graphql: client }: Env, options: Options): Promise<BatchResult> {
  const input = { functionName: 'sleep', payload: { ms: options.sleepMs } };
  const batchBody = graphqlBody(BATCH_QUERY, { inputs: Array.from({ length: options.batchSize }, () => input) });
  const singleBody = graphqlBody(INVOKE_QUERY, { input });
  const slept = (payload: unknown): boolean => (payload as { sleptMs?: unknown } | null)?.sleptMs === options.sleepMs;

  const batch = async (): Promise<number> => {
    const started = performance.now();
    const body = await client.post(batchBody);
    const elapsed = performance.now() - started;
    const results = dataOf(body, 'invokeFunctions');
    if (!Array.isArray(results) || results.length !== options.batchSize)
      throw new Error(`invokeFunctions answered ${JSON.stringify(results).slice(0, 300)}`);
    for (const result of results) expectInvocation(result, slept, 'sleep in invokeFunctions');
    return elapsed;
  };
  const sequential = async (): Promise<number> => {
    let elapsed = 0;
    for (let i = 0; i < options.batchSize; i += 1) {
      const started = performance.now();
      const body = await client.post(singleBody);
      elapsed += performance.now() - started;
      expectInvocation(dataOf(body, 'invokeFunction'), slept, 'sleep in invokeFunction');
    }
    return elapsed;
  };

  // Warm the sleep environments (as many as the gateway runs at once) and both code paths.
  await batch();
  await sequential();

  const batchMs: number[] = [];
  const sequentialMs: number[] = [];
  for (let repeat = 1; repeat <= options.batchRepeats; repeat += 1) {
    console.error(`batching ${repeat}/${options.batchRepeats}…`);
    if (repeat % 2 === 1) {
      batchMs.push(await batch());
      sequentialMs.push(await sequential());
    } else {
      sequentialMs.push(await sequential());
      batchMs.push(await batch());
    }
  }
  const batchMedianMs = median(batchMs);
  const sequentialMedianMs = median(sequentialMs);
  const speedup = sequentialMedianMs / batchMedianMs;
  return {
    batchSize: options.batchSize,
    sleepMs: options.sleepMs,
    repeats: options.batchRepeats,
    batchMs: batchMs.map((ms) => round(ms, 1)),
    sequentialMs: sequentialMs.map((ms) => round(ms, 1)),
    batchMedianMs: round(batchMedianMs, 1),
    sequentialMedianMs: round(sequentialMedianMs, 1),
    speedup: round(speedup, 2),
    speedupPerRepeatMedian: round(median(batchMs.map((ms, i) => (sequentialMs[i] ?? Number.NaN) / ms)), 2),
  };
}
