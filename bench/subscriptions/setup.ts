/**
 * What the phases of `bench/subscriptions` share: its options, the run id every request id starts
 * with, and — per backend — a fresh gateway child (`bench/support/gateway-subscriptions-server.ts`,
 * started with `--expose-gc`), with Redis a private redis-server on a Unix socket, the graphql-ws
 * clients and the keep-alive agent the destination records are POSTed with.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Client } from 'graphql-ws';
import { type ChildServer, cpuProfArgs } from '../harness/child-server.ts';
import { count, list } from '../harness/options.ts';
import type { Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import type { SubscriptionsGatewayMethods, SubscriptionsServerArgs } from '../support/gateway-subscriptions-server.ts';
import { startBenchRedis } from '../support/redis-server.ts';
import { type PublishFigures, publish } from './publish.ts';
import { connectClients } from './subscribers.ts';

const SERVER_SCRIPT = fileURLToPath(new URL('../support/gateway-subscriptions-server.ts', import.meta.url));

export type Backend = 'memory' | 'redis';

export const OPTIONS = {
  subscribers: count('invocationUpdates subscribers, one request id each', { default: 1000, quick: 100, min: 1 }),
  connections: count('WebSockets they are spread over, round robin', { default: 10, quick: 2, min: 1 }),
  rate: count('destination records POSTed per second', { default: 200, min: 1, placeholder: '<per second>' }),
  warmup: count('warm-up subscribers before the measured phase', { default: 50, quick: 10 }),
  timeoutMs: count('a record not received this long after the last POST is lost', { default: 15_000, min: 100, placeholder: '<ms>' }),
  cancelSubscribers: count(
    'idle subscribers that go away (half unsubscribe, half disconnect), to see whether the gateway releases them; 0 skips it',
    {
      default: 100,
      quick: 20,
    },
  ),
  feedSubscribers: count('invocationEvents subscribers in the feed phase; 0 skips it', { default: 100, quick: 10 }),
  feedRecords: count('records published in the feed phase', { default: 1000, quick: 100, min: 1 }),
  feedRate: count('records per second in the feed phase', { default: 100, min: 1, placeholder: '<per second>' }),
  feedIdle: count('idle invocationUpdates subscribers kept open during the feed phase', { default: 0 }),
  backends: list('memory, redis or memory,redis', ['memory', 'redis'] as const satisfies readonly Backend[]),
} as const;

export type Options = HarnessOptions<typeof OPTIONS>;

export type GatewayProcess = ChildServer<SubscriptionsGatewayMethods>;

export interface Env {
  /** Request ids of this run start with it, so no two runs share an id on a Redis. */
  readonly runId: string;
}

export const setup = (): Promise<Env> => Promise.resolve({ runId: randomUUID().slice(0, 8) });

/** What one backend's phases run against. */
export interface BackendEnv {
  readonly gateway: GatewayProcess;
  readonly clients: readonly Client[];
  /** POSTs one SUCCEEDED destination record per id, `rate` per second. */
  readonly publishWith: (ids: readonly string[], rate: number) => Promise<PublishFigures>;
}

/** A gateway for `backend` (and its redis-server), its clients and the records' agent, all owned by `scope`. */
export async function startBackend(scope: Scope, backend: Backend, options: Options): Promise<BackendEnv> {
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  scope.defer(() => agent.destroy());
  let redisUrl: string | undefined;
  if (backend === 'redis') {
    const redis = scope.own(await startBenchRedis());
    console.error(`[redis] private redis-server (pid ${redis.pid}) on ${redis.url}`);
    redisUrl = redis.url;
  }
  const secret = randomBytes(24).toString('base64url');
  const args: SubscriptionsServerArgs = redisUrl === undefined ? { secret } : { secret, redisUrl };
  const gateway = await scope.start<SubscriptionsGatewayMethods>({
    name: `[${backend}] the gateway`,
    script: SERVER_SCRIPT,
    args: [JSON.stringify(args)],
    execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir)],
  });
  const destinations = gateway.urls.destinations;
  if (destinations === undefined) throw new Error('the gateway did not say where destination records go');
  const clients = await connectClients(gateway.address, options.connections);
  scope.defer(() => Promise.allSettled(clients.map(async (client) => client.dispose())).then(() => undefined));
  return { gateway, clients, publishWith: (ids, rate) => publish(destinations, secret, agent, ids, rate) };
}
