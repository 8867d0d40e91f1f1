/**
 * What the phases of `bench/gateway` share: its options, and three server processes — the local
 * Lambda, the gateway in front of it, and a bare graphql-yoga server in front of it too (the floor
 * of the stack) — each in a child started with `--expose-gc`, plus the clients in this process.
 */
import { fileURLToPath } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type ChildServer, cpuProfArgs } from '../harness/child-server.ts';
import { count } from '../harness/options.ts';
import type { Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import { invokeNoopDirect, localLambdaClient } from '../support/load.ts';
import type { LocalLambdaMethods } from '../support/local-lambda-server.ts';
import { GraphqlClient, invokeNoopThroughGateway } from './graphql-client.ts';

const script = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

export const OPTIONS = {
  rounds: count('rounds alternating the direct and gateway paths', { default: 5, quick: 2, min: 1 }),
  n: count('invocations per path per round at 1 in flight', { default: 2000, quick: 300, min: 1 }),
  concurrentN: count('invocations per path per round at --concurrency', { default: 5000, quick: 1000, min: 1 }),
  concurrency: count('in flight for the throughput comparison', { default: 16, min: 1 }),
  warmup: count('warm-up invocations per path at --concurrency', { default: 3000, quick: 1000 }),
  warmupSequential: count('then warm-up invocations per path at 1 in flight', { default: 500, quick: 200 }),
  batchSize: count('inputs of the invokeFunctions batch', { default: 50, min: 1 }),
  sleepMs: count("what each batch input asks 'sleep' to wait", { default: 20, placeholder: '<ms>' }),
  batchRepeats: count('batch vs sequential comparisons', { default: 5, quick: 2, min: 1 }),
  bigRepeats: count('6 MB round trips', { default: 10, quick: 3, min: 1 }),
  bigChars: count("characters of the JSON string sent to 'echo' (6291000: 6,291,002 bytes)", { default: 6_291_000, min: 1 }),
} as const;

export type Options = HarnessOptions<typeof OPTIONS>;

export type LambdaProcess = ChildServer<LocalLambdaMethods>;
/** The gateway, or the bare yoga server: both answer the standard methods only. */
export type GatewayProcess = ChildServer;

export type PathName = 'direct' | 'floor' | 'gateway';

export interface Env {
  readonly lambda: LambdaProcess;
  readonly gateway: GatewayProcess;
  /** The bare yoga server. */
  readonly floor: GatewayProcess;
  readonly sdk: LambdaClient;
  readonly graphql: GraphqlClient;
  /** One noop invocation along each path. */
  readonly paths: Readonly<Record<PathName, () => Promise<void>>>;
}

export async function setup(scope: Scope, options: Options): Promise<Env> {
  const lambda = await scope.start<LocalLambdaMethods>({
    name: 'the local Lambda',
    script: script('local-lambda-server.ts'),
    execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir, 'local-lambda')],
  });
  const gateway = await scope.start({
    name: 'the gateway',
    script: script('gateway-server.ts'),
    args: [lambda.address],
    execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir, 'gateway')],
  });
  const floor = await scope.start({
    name: 'the bare yoga server',
    script: script('yoga-floor-server.ts'),
    args: [lambda.address],
    execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir, 'yoga-floor')],
  });

  const sdk = localLambdaClient(lambda.address);
  scope.defer(() => sdk.destroy());
  const graphql = new GraphqlClient(gateway.address, Math.max(64, options.concurrency));
  scope.defer(() => graphql.destroy());
  const floorGraphql = new GraphqlClient(floor.address, Math.max(64, options.concurrency));
  scope.defer(() => floorGraphql.destroy());

  // One invocation each way first, so a broken setup fails here with a clear message.
  await invokeNoopDirect(sdk);
  await invokeNoopThroughGateway(graphql);
  await invokeNoopThroughGateway(floorGraphql);

  return {
    lambda,
    gateway,
    floor,
    sdk,
    graphql,
    paths: {
      direct: () => invokeNoopDirect(sdk),
      floor: () => invokeNoopThroughGateway(floorGraphql),
      gateway: () => invokeNoopThroughGateway(graphql),
    },
  };
}
