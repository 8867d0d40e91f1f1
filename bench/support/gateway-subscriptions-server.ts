/**
 * The gateway side of `bench/subscriptions`, run as a separate process (child_process.fork with
 * `--expose-gc`) so its memory and CPU never mix with the subscribers'. No Lambda is involved:
 * the benchmark POSTs the destination records itself, so the Lambda endpoint is a closed port.
 *
 * The first argument is a JSON `SubscriptionsServerArgs`: the destination secret, and the Redis
 * URL (a Unix socket) for the Redis backend. To count the subscriptions live on the server, the
 * store and the event stream are wrapped in counters and handed to `startGatewayServer` through
 * its `store` / `events` options; with Redis they are built by `connectRedis`, as
 * `startGatewayServer` itself would (only /ready does not watch those connections then).
 *
 * It speaks `harness/child-protocol.ts` (ready with the GraphQL URL and, as `urls.destinations`,
 * the ingestion URL; the standard `memory` and `cpu`) and answers `stats({ reset? })`: the counters
 * below, `reset` restarting the event-loop delay histogram after reading it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Redis } from 'ioredis';
import { InvocationEvents } from '../../src/async/invocation-events.ts';
import type { InvocationRecord } from '../../src/async/invocation-record.ts';
import type { DestinationRecord } from '../../src/protocol/destination-record.ts';
import { type InvocationStore, MemoryInvocationStore, type StoreChange } from '../../src/async/invocation-store.ts';
import { connectRedis, type RedisBackend } from '../../src/async/redis-connections.ts';
import { resolveGatewayConfig } from '../../src/config.ts';
import { startGatewayServer } from '../../src/server.ts';
import type { CpuFigures } from '../harness/child-protocol.ts';
import { closeThenExit, forkedWithGc, runChild, serveParent } from '../harness/child.ts';

export interface SubscriptionsServerArgs {
  readonly secret: string;
  /** Unix socket path of the benchmark's private Redis; absent for the in-memory backend. */
  readonly redisUrl?: string;
}

export interface SubscriptionsServerStats {
  /** `invocationUpdates` listeners on the event stream (listening, not yet returned). */
  readonly listeners: number;
  /** `invocationEvents` (feed) listeners. */
  readonly feedListeners: number;
  /** Store reads finished: a subscription is waiting for news once its initial read is done. */
  readonly storeReads: number;
  /** Destination records applied to the store. */
  readonly completions: number;
  /** Events published by the ingestion. */
  readonly published: number;
  /** Redis only: channels `invocation:*` the gateway is subscribed to, as Redis itself reports. */
  readonly redisChannels: number | undefined;
  /** Redis only: subscribers of the feed channel `invocations`. */
  readonly redisFeedSubscribers: number | undefined;
  readonly cpu: CpuFigures;
  /** Event-loop delay since the last reset (`stats` with `reset`), in milliseconds. */
  readonly eventLoopDelay: EventLoopDelay;
  /** Warnings the process emitted (MaxListenersExceededWarning and the like). */
  readonly warnings: readonly string[];
}

export interface EventLoopDelay {
  readonly p99Ms: number;
  readonly maxMs: number;
}

export type SubscriptionsGatewayMethods = {
  /** `reset`: restart the event-loop delay histogram after reading it. */
  stats(params?: { readonly reset?: boolean }): SubscriptionsServerStats;
};

/** The gateway's event stream, counting the listeners that are open. */
class CountingEvents extends InvocationEvents {
  readonly #inner: InvocationEvents;
  listeners = 0;
  feedListeners = 0;
  published = 0;

  constructor(inner: InvocationEvents) {
    super();
    this.#inner = inner;
  }

  override resync(): void {
    this.#inner.resync();
  }

  override onResync(listener: () => void): () => void {
    return this.#inner.onResync(listener);
  }

  override publish(record: InvocationRecord): void {
    this.published += 1;
    this.#inner.publish(record);
  }

  override listen(requestId: string): AsyncIterator<InvocationRecord> {
    return this.#counted(this.#inner.listen(requestId), 'listeners');
  }

  override listenAll(): AsyncIterator<InvocationRecord> {
    return this.#counted(this.#inner.listenAll(), 'feedListeners');
  }

  #counted(iterator: AsyncIterator<InvocationRecord>, counter: 'listeners' | 'feedListeners'): AsyncIterator<InvocationRecord> {
    this[counter] += 1;
    let open = true;
    return {
      next: () => iterator.next(),
      return: async () => {
        if (open) {
          open = false;
          this[counter] -= 1;
        }
        return (await iterator.return?.()) ?? { done: true, value: undefined };
      },
    };
  }
}

/** The gateway's store, counting reads and completions. */
class CountingStore implements InvocationStore {
  readonly #inner: InvocationStore;
  reads = 0;
  completions = 0;

  constructor(inner: InvocationStore) {
    this.#inner = inner;
  }

  accept(record: InvocationRecord): Promise<StoreChange> {
    return this.#inner.accept(record);
  }

  async complete(destination: DestinationRecord): Promise<StoreChange> {
    const change = await this.#inner.complete(destination);
    this.completions += 1;
    return change;
  }

  expire(accepted: InvocationRecord): Promise<StoreChange> {
    return this.#inner.expire(accepted);
  }

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const record = await this.#inner.get(requestId);
    this.reads += 1;
    return record;
  }

  close(): Promise<void> {
    return this.#inner.close();
  }
}

function parseArgs(text: string | undefined): SubscriptionsServerArgs {
  if (text === undefined) throw new Error('usage: gateway-subscriptions-server.ts <JSON arguments>');
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('the argument must be a JSON object');
  const { secret, redisUrl } = parsed as { secret?: unknown; redisUrl?: unknown };
  if (typeof secret !== 'string') throw new Error('secret must be a string');
  if (redisUrl !== undefined && (typeof redisUrl !== 'string' || !redisUrl.startsWith('/'))) {
    throw new Error(`redisUrl must be the path of a Unix socket (got ${JSON.stringify(redisUrl)})`);
  }
  return redisUrl === undefined ? { secret } : { secret, redisUrl };
}

/** `PUBSUB CHANNELS invocation:*` and `PUBSUB NUMSUB invocations`, from a connection of our own. */
async function redisCounts(redis: Redis): Promise<{ channels: number; feedSubscribers: number }> {
  const [channels, numsub] = await Promise.all([
    redis.call('PUBSUB', 'CHANNELS', 'invocation:*'),
    redis.call('PUBSUB', 'NUMSUB', 'invocations'),
  ]);
  const feed = Array.isArray(numsub) ? Number(numsub[1]) : Number.NaN;
  return { channels: Array.isArray(channels) ? channels.length : Number.NaN, feedSubscribers: feed };
}

async function main(): Promise<void> {
  const gc = forkedWithGc();
  const args = parseArgs(process.argv[2]);

  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  const warnings: string[] = [];
  process.on('warning', (warning) => {
    if (warnings.length < 20) warnings.push(`${warning.name}: ${warning.message}`);
  });

  // Port 9 (discard) on 127.0.0.1: nothing is ever invoked, completions come as destination records.
  const config = resolveGatewayConfig({
    lambda: { kind: 'endpoint', endpoint: 'http://127.0.0.1:9', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
    destinations: { secret: args.secret },
    graphiql: false,
    ...(args.redisUrl === undefined ? {} : { redis: { url: args.redisUrl } }),
  });
  let backend: RedisBackend | undefined;
  let inspector: Redis | undefined;
  if (config.redis !== undefined) {
    backend = await connectRedis(config.redis, config.invocationTtlMs);
    inspector = new Redis(config.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await inspector.connect();
  }
  const store = new CountingStore(backend?.store ?? new MemoryInvocationStore(config.invocationTtlMs));
  const events = new CountingEvents(backend?.events ?? new InvocationEvents());
  // Redis is wired here, not by startGatewayServer, so that the counters sit in front of it.
  const running = await startGatewayServer({ ...config, redis: undefined }, { port: 0, store, events });

  const close = closeThenExit(async () => {
    await running.close(1000).catch((error: unknown) => console.error('closing the gateway failed:', error));
    await backend?.close();
    inspector?.disconnect();
  });

  const stats = async (): Promise<SubscriptionsServerStats> => {
    const counts = inspector === undefined ? undefined : await redisCounts(inspector);
    return {
      listeners: events.listeners,
      feedListeners: events.feedListeners,
      storeReads: store.reads,
      completions: store.completions,
      published: events.published,
      redisChannels: counts?.channels,
      redisFeedSubscribers: counts?.feedSubscribers,
      cpu: process.cpuUsage(),
      eventLoopDelay: { p99Ms: loopDelay.percentile(99) / 1e6, maxMs: loopDelay.max / 1e6 },
      warnings,
    };
  };

  serveParent<SubscriptionsGatewayMethods>({
    url: running.url,
    urls: { destinations: running.destinationsUrl },
    gc,
    close,
    methods: {
      stats: async (params) => {
        const current = await stats();
        if (params?.reset === true) loopDelay.reset();
        return current;
      },
    },
  });
}

runChild(main);
