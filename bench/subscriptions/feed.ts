/**
 * The feed phase of `bench/subscriptions`: `--feed-subscribers` `invocationEvents(functionName)`
 * subscribers (beside `--feed-idle` idle invocationUpdates ones), then `--feed-records` records at
 * `--feed-rate`; each feed subscriber must get every one once. Then they unsubscribe, and their
 * listeners should be released at once (`release.ts`).
 */
import type { Client } from 'graphql-ws';
import { round } from '../support/stats.ts';
import { type LatencySummary, type PhaseLoad, measureLoad, summarize, waitForServer } from './observe.ts';
import { until } from './publish.ts';
import { type Release, measureRelease } from './release.ts';
import type { BackendEnv, Options } from './setup.ts';
import { subscribeFeed } from './subscribers.ts';
import { subscribeAll } from './updates.ts';

export interface FeedPhase {
  readonly subscribers: number;
  /** invocationUpdates subscribers waiting all along (`--feed-idle`). */
  readonly idleSubscribers: number;
  readonly records: number;
  readonly expectedDeliveries: number;
  readonly deliveries: number;
  /** (subscriber, record) pairs never delivered. */
  readonly lost: number;
  readonly duplicates: number;
  readonly problems: number;
  readonly problemSamples: readonly string[];
  readonly subscribeMs: number;
  readonly publish: {
    readonly targetPerSecond: number;
    readonly perSecond: number;
    readonly maxLagMs: number;
    readonly post: LatencySummary;
    readonly failures: number;
    readonly failureSamples: readonly string[];
  };
  readonly latency: LatencySummary;
  readonly load: PhaseLoad;
  /** Cancelling the feed subscriptions: see `Release`. */
  readonly release: Release;
}

export async function feedPhase({ gateway, clients, publishWith }: BackendEnv, options: Options, runId: string): Promise<FeedPhase> {
  const ids = Array.from({ length: options.feedRecords }, (_, index) => `${runId}-feed-${index}`);
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const expected = options.feedSubscribers * ids.length;
  const latencies: number[] = [];
  const all = Promise.withResolvers<void>();
  let delivered = 0;
  const onDelivery = (): void => {
    delivered += 1;
    if (delivered === expected) all.resolve();
  };

  // Subscribers that wait all along for invocations that never complete, beside the feeds.
  const idle =
    options.feedIdle > 0
      ? await subscribeAll(
          gateway,
          clients,
          Array.from({ length: options.feedIdle }, (_, index) => `${runId}-idle-${index}`),
          0,
        )
      : undefined;
  const before = await gateway.call('stats');
  const started = performance.now();
  const feeds = Array.from({ length: options.feedSubscribers }, (_, index) =>
    subscribeFeed(clients[index % clients.length] as Client, indexOf, latencies, onDelivery),
  );
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${options.feedSubscribers} feed subscriptions to be live`,
    (stats) => stats.feedListeners >= before.feedListeners + options.feedSubscribers && (!redis || (stats.redisFeedSubscribers ?? 0) >= 1),
    (stats) => `${stats.feedListeners} feed listeners`,
  );
  const subscribeMs = performance.now() - started;

  const { result: figures, load } = await measureLoad(gateway, ids.length, async () => {
    const published = await publishWith(ids, options.feedRate);
    await until(all.promise, published.lastSentAt, options.timeoutMs);
    return published;
  });

  for (const feed of feeds) {
    feed.cancelled = true;
    feed.unsubscribe();
  }
  const release = await measureRelease(
    gateway,
    options.feedSubscribers,
    (stats) => stats.feedListeners - before.feedListeners,
    (stats) => stats.redisFeedSubscribers,
    () => publishWith([`${runId}-feed-nudge`], options.feedRate),
  );

  let lost = 0;
  let duplicates = 0;
  for (const feed of feeds) {
    for (const count of feed.counts) {
      if (count === 0) lost += 1;
      else duplicates += count - 1;
    }
  }
  const withProblems = feeds.filter((feed) => feed.problems.length > 0);
  for (const subscription of idle?.subscriptions ?? []) subscription.unsubscribe();
  return {
    subscribers: options.feedSubscribers,
    idleSubscribers: options.feedIdle,
    records: ids.length,
    expectedDeliveries: expected,
    deliveries: delivered,
    lost,
    duplicates,
    problems: withProblems.length,
    problemSamples: withProblems.slice(0, 5).map((feed) => feed.problems.slice(0, 3).join('; ')),
    subscribeMs: round(subscribeMs, 1),
    publish: {
      targetPerSecond: options.feedRate,
      perSecond: round(figures.perSecond, 1),
      maxLagMs: round(figures.maxLagMs, 1),
      post: summarize(figures.postLatencies),
      failures: figures.failures.length,
      failureSamples: figures.failures.slice(0, 5),
    },
    latency: summarize(latencies),
    load,
    release,
  };
}
