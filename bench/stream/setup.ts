/**
 * What the phases of `bench/stream` share: its options, and two server children started with
 * `--expose-gc` — the local Lambda (`bench/support/stream-lambda-server.ts`) and the gateway in
 * front of it (`bench/support/gateway-server.ts`, the same child `bench:gateway` measures) — with
 * the clients — the SDK, the SSE reader and a graphql-ws client — in this process.
 *
 * Why a separate local Lambda and not the gateway's embedded one: the SDK path must read the very
 * same server the gateway reads, and an embedded one would run inside the gateway's process, so
 * its workers' CPU and its buffers would count as the gateway's RSS — the figure the memory target
 * is about.
 */
import { fileURLToPath } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { Client } from 'graphql-ws';
import type { ChildServer } from '../harness/child-server.ts';
import { count } from '../harness/options.ts';
import type { Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import { localLambdaClient } from '../support/load.ts';
import { connectClients } from '../subscriptions/subscribers.ts';
import { type StreamShape, gatewayStream, graphqlWsStream, sdkStream } from './clients.ts';

const script = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

export const OPTIONS = {
  manyChunks: count('chunks of the many-chunks stream', { default: 1000, min: 1 }),
  manyChunkBytes: count('bytes of each of its chunks (a token or a few)', { default: 32, min: 1 }),
  bigMb: count('MiB of the big stream', { default: 20, quick: 5, min: 1, placeholder: '<MiB>' }),
  bigChunkBytes: count('bytes of each of its chunks', { default: 65_536, min: 1 }),
  manyRounds: count('rounds of the many-chunks stream, alternating SDK and gateway', { default: 30, quick: 6, min: 1 }),
  bigRounds: count('rounds of the big stream, alternating SDK and gateway', { default: 20, quick: 3, min: 1 }),
  warmup: count('warm-up streams per path of each shape', { default: 5, quick: 2 }),
  slowKbPerSecond: count('the slow reader: KiB of SSE text per second', { default: 4096, placeholder: '<KiB/s>', min: 1 }),
  sampleMs: count("how often the gateway's memory is read while the slow reader reads", { default: 25, min: 1, placeholder: '<ms>' }),
} as const;

export type Options = HarnessOptions<typeof OPTIONS>;

export interface Env {
  readonly lambda: ChildServer;
  readonly gateway: ChildServer;
  readonly sdk: LambdaClient;
  /** Connected to the gateway before the rounds, kept for all of them. */
  readonly graphqlWs: Client;
  readonly many: StreamShape;
  readonly big: StreamShape;
}

export const bigShape = (options: Options): StreamShape => ({
  chunks: Math.ceil((options.bigMb * 1024 * 1024) / options.bigChunkBytes),
  chunkBytes: options.bigChunkBytes,
});

export async function setup(scope: Scope, options: Options): Promise<Env> {
  const lambda = await scope.start({
    name: 'the local Lambda',
    script: script('stream-lambda-server.ts'),
    execArgv: ['--expose-gc'],
  });
  const gateway = await scope.start({
    name: 'the gateway',
    script: script('gateway-server.ts'),
    args: [lambda.address],
    execArgv: ['--expose-gc'],
  });
  const sdk = localLambdaClient(lambda.address);
  scope.defer(() => sdk.destroy());
  const [graphqlWs] = await connectClients(gateway.address, 1);
  if (graphqlWs === undefined) throw new Error('no graphql-ws client');
  scope.defer(() => graphqlWs.dispose());
  const many = { chunks: options.manyChunks, chunkBytes: options.manyChunkBytes };
  const big = bigShape(options);
  // Small streams both ways first: a broken setup fails here, and the code paths are loaded
  // before the memory phase takes its baseline. The big shape is not streamed before that phase,
  // so the gateway's peak RSS is still its start-up one when the slow reader begins.
  for (let i = 0; i < Math.max(1, options.warmup); i += 1) {
    await sdkStream(sdk, many);
    await gatewayStream(gateway.address, many);
    await graphqlWsStream(graphqlWs, many);
  }
  return { lambda, gateway, sdk, graphqlWs, many, big };
}
