/**
 * Phase 3 of `bench/gateway`, a 6 MB payload round trip: `echo` with a payload just under
 * 6,291,456 bytes, selecting `payloadJson` — every round trip intact, nothing retained by the
 * gateway afterwards, and one byte more refused. The gateway's peak RSS (maxRSS) and heap are read
 * before, during and after, so "bounded memory" can be judged; the targets give no figure for the
 * peak. The same payload straight through the SDK is timed for reference.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { MAX_SYNC_REQUEST_BYTES } from '../../src/protocol/limits.ts';
import type { MemoryReading } from '../harness/child-protocol.ts';
import { NOOP_PAYLOAD } from '../support/load.ts';
import { median, round } from '../support/stats.ts';
import { INVOKE_QUERY, type InvocationResult, TOO_LARGE_QUERY, dataOf, expectInvocation, graphqlBody } from './graphql-client.ts';
import type { Env, Options } from './setup.ts';

export interface BigPayloadResult {
  readonly payloadBytes: number;
  readonly requestBodyBytes: number;
  readonly repeats: number;
  readonly gatewayMs: readonly number[];
  readonly gatewayMedianMs: number;
  /** The same payload straight through the SDK, for reference. */
  readonly directMs: readonly number[];
  readonly directMedianMs: number;
  readonly intact: boolean;
  readonly memory: {
    /** After full collections, before the first 6 MB round trip. */
    readonly before: MemoryReading;
    /** Right after each round trip (no collection). */
    readonly afterEach: readonly MemoryReading[];
    /** Right after the first round trip (no collection). */
    readonly afterFirst: MemoryReading;
    /** Right after round trip ⌈repeats / 2⌉ (no collection). */
    readonly afterHalf: MemoryReading;
    /** Right after the last round trip (no collection). */
    readonly afterLast: MemoryReading;
    /** After full collections, at the end. */
    readonly afterGc: MemoryReading;
    readonly peakRssGrowthBytes: number;
    /** maxRSS after the last round trip − after round trip ⌈repeats / 2⌉. */
    readonly peakRssClimbSecondHalfBytes: number;
    readonly heapRetainedBytes: number;
  };
  /** One byte over the limit: the gateway's answer. */
  readonly oneByteOver: { readonly payloadBytes: number; readonly typename: string; readonly refused: boolean };
}

export async function bigPayloadPhase({ graphql: client, sdk, gateway }: Env, options: Options): Promise<BigPayloadResult> {
  const big = 'x'.repeat(options.bigChars);
  const payloadBytes = Buffer.byteLength(JSON.stringify(big));
  const body = graphqlBody(INVOKE_QUERY, { input: { functionName: 'echo', payload: big } });
  const echoed = (payload: unknown): boolean => payload === big;

  // Warm the echo environment with a small event, so no round trip measured pays a cold start.
  await sdk.send(new InvokeCommand({ FunctionName: 'echo', Payload: NOOP_PAYLOAD }));

  const before = await gateway.call('memory', { gc: true });
  const gatewayMs: number[] = [];
  const afterEach: MemoryReading[] = [];
  let intact = true;
  for (let repeat = 1; repeat <= options.bigRepeats; repeat += 1) {
    const started = performance.now();
    const answer = await client.post(body);
    gatewayMs.push(performance.now() - started);
    try {
      expectInvocation(dataOf(answer, 'invokeFunction'), echoed, `echo of ${payloadBytes} bytes`);
    } catch (error) {
      intact = false;
      console.error(`6 MB round trip ${repeat}: ${(error as Error).message.slice(0, 300)}`);
    }
    afterEach.push(await gateway.call('memory', { gc: false }));
  }
  const afterGc = await gateway.call('memory', { gc: true });
  const half = Math.ceil(options.bigRepeats / 2);
  const [afterFirst, afterHalf, afterLast] = [afterEach[0], afterEach[half - 1], afterEach[afterEach.length - 1]];
  if (afterFirst === undefined || afterHalf === undefined || afterLast === undefined) throw new Error('no memory readings');

  const directPayload = Buffer.from(JSON.stringify(big));
  const directMs: number[] = [];
  for (let repeat = 1; repeat <= options.bigRepeats; repeat += 1) {
    const started = performance.now();
    const output = await sdk.send(new InvokeCommand({ FunctionName: 'echo', Payload: directPayload }));
    directMs.push(performance.now() - started);
    if (output.StatusCode !== 200 || output.FunctionError !== undefined || output.Payload?.byteLength !== payloadBytes) {
      throw new Error(
        `echo of ${payloadBytes} bytes through the SDK: status ${output.StatusCode}, FunctionError ${output.FunctionError}, ${output.Payload?.byteLength} bytes back`,
      );
    }
  }

  // One byte more than Lambda takes: the gateway must refuse it (PayloadTooLargeError).
  const overChars = MAX_SYNC_REQUEST_BYTES - 2 + 1;
  const overAnswer = dataOf(
    await client.post(graphqlBody(TOO_LARGE_QUERY, { input: { functionName: 'echo', payload: 'x'.repeat(overChars) } })),
    'invokeFunction',
  ) as InvocationResult;

  const peakRssClimbSecondHalfBytes = afterLast.maxRssBytes - afterHalf.maxRssBytes;
  const heapRetainedBytes = afterGc.memory.heapUsed - before.memory.heapUsed;
  return {
    payloadBytes,
    requestBodyBytes: body.byteLength,
    repeats: options.bigRepeats,
    gatewayMs: gatewayMs.map((ms) => round(ms, 1)),
    gatewayMedianMs: round(median(gatewayMs), 1),
    directMs: directMs.map((ms) => round(ms, 1)),
    directMedianMs: round(median(directMs), 1),
    intact,
    memory: {
      before,
      afterEach,
      afterFirst,
      afterHalf,
      afterLast,
      afterGc,
      peakRssGrowthBytes: afterLast.maxRssBytes - before.maxRssBytes,
      peakRssClimbSecondHalfBytes,
      heapRetainedBytes,
    },
    oneByteOver: {
      payloadBytes: overChars + 2,
      typename: overAnswer.__typename,
      refused: overAnswer.__typename === 'PayloadTooLargeError',
    },
  };
}
