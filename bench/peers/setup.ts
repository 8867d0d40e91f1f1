/**
 * What the phases of `bench/peers` share: its options, one local Lambda, the gateway with its
 * defaults and the four peer servers in front of it — each in its own child process started with
 * `--expose-gc` — and the clients in this process: the SDK (the direct path) and one keep-alive
 * GraphQL client per server.
 */
import { fileURLToPath } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { type ChildServer, cpuProfArgs } from '../harness/child-server.ts';
import { count } from '../harness/options.ts';
import type { Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import { invokeNoopDirect, localLambdaClient } from '../support/load.ts';
import type { LocalLambdaMethods } from '../support/local-lambda-server.ts';
import { GraphqlClient, invokeNoopThroughGateway } from '../gateway/graphql-client.ts';

const script = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

export const OPTIONS = {
  rounds: count('rounds alternating the paths', { default: 5, quick: 1, min: 1 }),
  n: count('invocations per path per round at 1 in flight', { default: 400, quick: 100, min: 1 }),
  concurrentN: count('invocations per path per round at --concurrency', { default: 1500, quick: 300, min: 1 }),
  concurrency: count('in flight for the throughput comparison', { default: 16, min: 1 }),
  warmup: count('warm-up invocations per path at --concurrency', { default: 1000, quick: 200 }),
  warmupSequential: count('then warm-up invocations per path at 1 in flight', { default: 200, quick: 50 }),
  fanout: count('invocations in the one fan-out operation', { default: 50, min: 1 }),
  sleepMs: count("what each fan-out input asks 'sleep' to wait", { default: 20, placeholder: '<ms>' }),
  fanoutRepeats: count('fan-out operations per server (alternating)', { default: 20, quick: 2, min: 1 }),
} as const;

export type Options = HarnessOptions<typeof OPTIONS>;

/** The GraphQL servers, the gateway first. */
export const SERVER_NAMES = ['gateway', 'yoga', 'apollo', 'mercurius', 'graphqlHttp'] as const;
export type ServerName = (typeof SERVER_NAMES)[number];
export const PEER_NAMES = SERVER_NAMES.filter((name) => name !== 'gateway') as readonly Exclude<ServerName, 'gateway'>[];
export type PathName = 'direct' | ServerName;
export const PATH_NAMES: readonly PathName[] = ['direct', ...SERVER_NAMES];

export const LABELS: Readonly<Record<PathName, string>> = {
  direct: 'direct SDK',
  gateway: 'gateway (defaults)',
  yoga: 'bare graphql-yoga 5',
  apollo: 'Apollo Server 5 (standalone)',
  mercurius: 'Mercurius 16 on Fastify 5',
  graphqlHttp: 'graphql-http + graphql-js',
};

const SCRIPTS: Readonly<Record<ServerName, string>> = {
  gateway: 'gateway-server.ts',
  yoga: 'yoga-floor-server.ts',
  apollo: 'apollo-server.ts',
  mercurius: 'mercurius-server.ts',
  graphqlHttp: 'graphql-http-server.ts',
};

export interface Server {
  readonly process: ChildServer;
  readonly graphql: GraphqlClient;
}

export interface Env {
  readonly lambda: ChildServer<LocalLambdaMethods>;
  readonly servers: Readonly<Record<ServerName, Server>>;
  readonly sdk: LambdaClient;
  /** One noop invocation along each path. */
  readonly paths: Readonly<Record<PathName, () => Promise<void>>>;
}

export async function setup(scope: Scope, options: Options): Promise<Env> {
  const lambda = await scope.start<LocalLambdaMethods>({
    name: 'the local Lambda',
    script: script('local-lambda-server.ts'),
    execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir, 'local-lambda')],
  });
  const servers: Partial<Record<ServerName, Server>> = {};
  for (const name of SERVER_NAMES) {
    const child = await scope.start({
      name: LABELS[name],
      script: script(SCRIPTS[name]),
      args: [lambda.address],
      execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir, name)],
    });
    const graphql = new GraphqlClient(child.address, Math.max(64, options.concurrency));
    scope.defer(() => graphql.destroy());
    servers[name] = { process: child, graphql };
  }
  const all = servers as Record<ServerName, Server>;
  const sdk = localLambdaClient(lambda.address);
  scope.defer(() => sdk.destroy());

  // One invocation each way first, so a broken setup fails here with a clear message.
  await invokeNoopDirect(sdk);
  for (const name of SERVER_NAMES) await invokeNoopThroughGateway(all[name].graphql);

  const paths = { direct: () => invokeNoopDirect(sdk) } as Record<PathName, () => Promise<void>>;
  for (const name of SERVER_NAMES) paths[name] = () => invokeNoopThroughGateway(all[name].graphql);
  return { lambda, servers: all, sdk, paths };
}
