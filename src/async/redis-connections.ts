/**
 * The Redis connections of a gateway instance: one for commands (the store), one to publish and
 * one to subscribe (a subscribed connection can do nothing else). Reconnection is ioredis's; when
 * the subscribing connection comes back, subscribers resync from the store.
 */
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import { InvocationEvents, type InvocationPubSub } from './invocation-events.ts';
import { RedisInvocationStore } from './redis-invocation-store.ts';

export interface RedisOptions {
  /** `redis://host:port/db`, `rediss://…`, or the path of a Unix socket. */
  readonly url: string;
  /** Prefix of every key, so deployments can share a Redis (pub/sub channels are not prefixed). */
  readonly keyPrefix: string;
}

export interface RedisBackend {
  /** The connection for plain commands (shared by the store and the rate limiter). */
  readonly commands: Redis;
  readonly store: RedisInvocationStore;
  readonly events: InvocationEvents;
  /** True when all three connections are ready. */
  readonly ready: () => boolean;
  close(): Promise<void>;
}

export async function connectRedis(options: RedisOptions, ttlMs: number): Promise<RedisBackend> {
  const connect = (): Redis =>
    new Redis(options.url, {
      // Reconnect quickly and forever; commands wait in the offline queue meanwhile.
      retryStrategy: (attempt) => Math.min(attempt * 50, 1000),
      lazyConnect: true,
    });
  const commands = connect();
  const publisher = connect();
  const subscriber = connect();
  await Promise.all([commands.connect(), publisher.connect(), subscriber.connect()]);

  const pubsub = createPubSub({
    eventTarget: createRedisEventTarget({ publishClient: publisher, subscribeClient: subscriber }),
  }) as InvocationPubSub;
  const events = new InvocationEvents(pubsub);
  // 'ready' fires again after every reconnection; the first one was awaited above.
  subscriber.on('ready', () => events.resync());

  return {
    commands,
    store: new RedisInvocationStore(commands, ttlMs, options.keyPrefix),
    events,
    ready: () => [commands, publisher, subscriber].every((client) => client.status === 'ready'),
    async close() {
      await Promise.allSettled([commands.quit(), publisher.quit(), subscriber.quit()]);
    },
  };
}
