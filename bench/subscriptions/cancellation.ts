/**
 * The cancellation phase of `bench/subscriptions`: `--cancel-subscribers` idle invocationUpdates
 * subscribers that go away before their invocation completes — the first half unsubscribe
 * (graphql-ws `complete`), the second half lose their WebSocket — and whether the gateway releases
 * them at once (`release.ts`).
 */
import type { Client } from 'graphql-ws';
import { waitForServer } from './observe.ts';
import { type Release, measureRelease } from './release.ts';
import type { BackendEnv, Options } from './setup.ts';
import { connectClients, subscribeUpdates } from './subscribers.ts';

export interface Cancellation extends Release {
  readonly unsubscribed: number;
  readonly disconnected: number;
}

export async function cancellationPhase(
  { gateway, clients, publishWith }: BackendEnv,
  options: Options,
  runId: string,
): Promise<Cancellation> {
  const count = options.cancelSubscribers;
  const rate = options.rate;
  const before = await gateway.call('stats');
  const [doomed] = await connectClients(gateway.address, 1);
  if (doomed === undefined) throw new Error('no client to disconnect');
  const unsubscribed = Math.ceil(count / 2);
  const ids = Array.from({ length: count }, (_, index) => `${runId}-cancel-${index}`);
  const subscriptions = ids.map((id, index) =>
    subscribeUpdates(index < unsubscribed ? (clients[index % clients.length] as Client) : doomed, id),
  );
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${count} subscriptions to be live`,
    (stats) =>
      stats.listeners >= before.listeners + count &&
      stats.storeReads >= before.storeReads + count &&
      (!redis || (stats.redisChannels ?? 0) >= (before.redisChannels ?? 0) + count),
    (stats) => `${stats.listeners} listening`,
  );
  for (const subscription of subscriptions.slice(0, unsubscribed)) subscription.unsubscribe();
  // Closes the WebSocket (code 4499) without completing its subscriptions first, as a lost client would.
  doomed.terminate();
  try {
    const release = await measureRelease(
      gateway,
      count,
      (stats) => stats.listeners - before.listeners,
      (stats) => (stats.redisChannels === undefined ? undefined : stats.redisChannels - (before.redisChannels ?? 0)),
      () => publishWith(ids, rate),
    );
    return { ...release, unsubscribed, disconnected: count - unsubscribed };
  } finally {
    await doomed.dispose();
  }
}
