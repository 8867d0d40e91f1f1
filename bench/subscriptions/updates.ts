/**
 * The `invocationUpdates` phase of `bench/subscriptions`: `--subscribers` subscriptions, each of
 * a request id not known yet, spread round robin over the WebSockets in two halves; after each
 * half the benchmark waits until the gateway counts them all listening (and, with Redis, until
 * Redis reports their channels) and reads its memory after full collections. (all idle − before)
 * / subscribers is the memory per idle subscriber; (all − half) / second half the marginal figure,
 * free of one-time costs. Then one SUCCEEDED destination record per subscriber at `--rate`: each
 * subscription must get exactly its record and then complete; what has not arrived `--timeout-ms`
 * after the last POST is lost. A warm-up of the same path, small and not counted, comes first.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import type { MemoryFigures } from '../harness/child-protocol.ts';
import { KB } from '../harness/table.ts';
import { round } from '../support/stats.ts';
import { type LatencySummary, type PhaseLoad, measureLoad, summarize, waitForServer } from './observe.ts';
import { type PublishFigures, until } from './publish.ts';
import type { Backend, BackendEnv, GatewayProcess, Options } from './setup.ts';
import { type UpdateSubscription, subscribeUpdates } from './subscribers.ts';

export interface UpdatesOutcome {
  readonly subscriptions: number;
  readonly received: number;
  /** Subscriptions that did not receive their record within the timeout. */
  readonly lost: number;
  /** Records received beyond the first. */
  readonly duplicates: number;
  /** Received their record but were not completed by the server. */
  readonly notCompleted: number;
  /** Subscriptions with errors or wrong records. */
  readonly withProblems: number;
  readonly problemSamples: readonly string[];
  readonly latency: LatencySummary;
}

export function updatesOutcome(subscriptions: readonly UpdateSubscription[]): UpdatesOutcome {
  const withProblems = subscriptions.filter((s) => s.problems.length > 0);
  return {
    subscriptions: subscriptions.length,
    received: subscriptions.filter((s) => s.received > 0).length,
    lost: subscriptions.filter((s) => s.received === 0).length,
    duplicates: subscriptions.reduce((sum, s) => sum + Math.max(0, s.received - 1), 0),
    notCompleted: subscriptions.filter((s) => s.received > 0 && !s.completed).length,
    withProblems: withProblems.length,
    problemSamples: withProblems.slice(0, 5).map((s) => `${s.requestId}: ${s.problems.join('; ')}`),
    latency: summarize(subscriptions.map((s) => s.latencyMs)),
  };
}

export interface UpdatesPhase {
  readonly subscribers: number;
  readonly connections: number;
  /** From the first subscribe until the gateway counted them all listening. */
  readonly subscribeMs: number;
  readonly memoryBefore: MemoryFigures;
  readonly memoryIdle: MemoryFigures;
  readonly memoryAfter: MemoryFigures;
  /** (idle − before) / subscribers. */
  readonly perIdleSubscriberKb: { readonly heapUsed: number; readonly rss: number; readonly external: number };
  /**
   * (idle − half idle) / second half: the same without one-time costs (code optimised as paths
   * get hot, tables growing), since half the subscribers were already there.
   */
  readonly marginalPerIdleSubscriberKb: { readonly heapUsed: number; readonly rss: number };
  /** (after − before) / subscribers: what finished subscriptions leave behind (records in the store included). */
  readonly retainedPerSubscriberKb: { readonly heapUsed: number; readonly rss: number };
  readonly publish: {
    readonly targetPerSecond: number;
    readonly perSecond: number;
    readonly elapsedMs: number;
    readonly maxLagMs: number;
    readonly post: LatencySummary;
    readonly failures: number;
    readonly failureSamples: readonly string[];
  };
  readonly outcome: UpdatesOutcome;
  /** The ten slowest deliveries, by publishing order: a burst of them points at a stall. */
  readonly slowest: readonly { readonly record: number; readonly latencyMs: number; readonly postMs: number }[];
  readonly load: PhaseLoad;
  /** The gateway's counters once every subscription had finished (listeners should be 0). */
  readonly serverAfter: { readonly listeners: number; readonly redisChannels: number | undefined };
}

/**
 * Subscribes `ids` (the subscription for `ids[i]` on client `(first + i) % clients`) and waits
 * until the gateway counts them all listening after their initial read — and, with Redis, until
 * Redis reports their channels. Resolves with the subscriptions and the time that took.
 */
export async function subscribeAll(
  gateway: GatewayProcess,
  clients: readonly Client[],
  ids: readonly string[],
  first: number,
): Promise<{ subscriptions: UpdateSubscription[]; ms: number }> {
  const before = await gateway.call('stats');
  const started = performance.now();
  const subscriptions = ids.map((id, index) => subscribeUpdates(clients[(first + index) % clients.length] as Client, id));
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${ids.length} subscriptions to be live`,
    (stats) =>
      stats.listeners >= before.listeners + ids.length &&
      stats.storeReads >= before.storeReads + ids.length &&
      (!redis || (stats.redisChannels ?? 0) >= (before.redisChannels ?? 0) + ids.length),
    (stats) =>
      `${stats.listeners} listening, ${stats.storeReads - before.storeReads} initial reads, ${stats.redisChannels ?? '-'} Redis channels`,
  );
  const ms = performance.now() - started;
  const broken = subscriptions.filter((s) => s.problems.length > 0);
  if (broken.length > 0)
    throw new Error(`${broken.length} subscriptions failed before any record was sent, e.g. ${broken[0]?.problems.join('; ')}`);
  return { subscriptions, ms };
}

/**
 * `ids.length` subscriptions spread round robin over `clients`, in two halves, each live on the
 * gateway before `onHalfLive` / `onLive` run; then their records are published. Resolves once every
 * subscription has settled or the timeout has passed.
 */
export async function runUpdates(
  gateway: GatewayProcess,
  clients: readonly Client[],
  ids: readonly string[],
  rate: number,
  timeoutMs: number,
  publishWith: (ids: readonly string[], rate: number) => Promise<PublishFigures>,
  hooks: { readonly onHalfLive?: () => Promise<void>; readonly onLive?: () => Promise<void> } = {},
): Promise<{ subscriptions: UpdateSubscription[]; subscribeMs: number; publish: PublishFigures; load: PhaseLoad }> {
  const half = Math.floor(ids.length / 2);
  const firstHalf = await subscribeAll(gateway, clients, ids.slice(0, half), 0);
  await hooks.onHalfLive?.();
  const secondHalf = await subscribeAll(gateway, clients, ids.slice(half), half);
  await hooks.onLive?.();
  const subscriptions = [...firstHalf.subscriptions, ...secondHalf.subscriptions];
  const subscribeMs = firstHalf.ms + secondHalf.ms;

  const { result: figures, load } = await measureLoad(gateway, ids.length, async () => {
    const published = await publishWith(ids, rate);
    await until(Promise.all(subscriptions.map((s) => s.settled)), published.lastSentAt, timeoutMs);
    return published;
  });
  return { subscriptions, subscribeMs, publish: figures, load };
}

const perSubscriberKb = (after: number, before: number, count: number): number => round((after - before) / count / KB, 2);

const memoryAfterGc = async (gateway: GatewayProcess): Promise<MemoryFigures> => (await gateway.call('memory', { gc: true })).memory;

export interface Warmup {
  readonly subscribers: number;
  readonly lost: number;
  readonly duplicates: number;
}

/** The same path, small, not counted; a broken setup fails here. Resolves once its subscriptions have ended. */
export async function warmUp(
  { gateway, clients, publishWith }: BackendEnv,
  options: Options,
  backend: Backend,
  runId: string,
): Promise<Warmup> {
  let warmup: Warmup = { subscribers: 0, lost: 0, duplicates: 0 };
  if (options.warmup > 0) {
    console.error(`[${backend}] warm-up: ${options.warmup} subscribers…`);
    const ids = Array.from({ length: options.warmup }, (_, index) => `${runId}-${backend}-warmup-${index}`);
    const run = await runUpdates(gateway, clients, ids, options.rate, options.timeoutMs, publishWith);
    const outcome = updatesOutcome(run.subscriptions);
    warmup = { subscribers: ids.length, lost: outcome.lost, duplicates: outcome.duplicates };
    if (outcome.lost > 0 || outcome.withProblems > 0 || run.publish.failures.length > 0) {
      throw new Error(
        `the warm-up failed: ${outcome.lost} of ${ids.length} records not received; ` +
          [...outcome.problemSamples, ...run.publish.failures.slice(0, 3)].join(' | '),
      );
    }
  }
  await waitForServer(
    gateway,
    'waiting for the warm-up subscriptions to end',
    (stats) => stats.listeners === 0,
    (stats) => `${stats.listeners} listening`,
  );
  return warmup;
}

export async function updatesPhase(
  { gateway, clients, publishWith }: BackendEnv,
  options: Options,
  backend: Backend,
  runId: string,
): Promise<UpdatesPhase> {
  const before = await memoryAfterGc(gateway);
  console.error(`[${backend}] ${options.subscribers} subscribers over ${options.connections} WebSockets…`);
  const ids = Array.from({ length: options.subscribers }, (_, index) => `${runId}-${backend}-${index}-${randomUUID()}`);
  let halfIdle: MemoryFigures | undefined;
  let idle: MemoryFigures | undefined;
  const run = await runUpdates(gateway, clients, ids, options.rate, options.timeoutMs, publishWith, {
    onHalfLive: async () => {
      halfIdle = await memoryAfterGc(gateway);
    },
    onLive: async () => {
      idle = await memoryAfterGc(gateway);
      console.error(`[${backend}] all live; publishing ${ids.length} records at ${options.rate}/s…`);
    },
  });
  if (halfIdle === undefined || idle === undefined) throw new Error('no memory reading with the subscribers idle');
  const secondHalf = ids.length - Math.floor(ids.length / 2);
  const outcome = updatesOutcome(run.subscriptions);
  const ended = await waitForServer(
    gateway,
    'waiting for the subscriptions to end',
    (stats) => stats.listeners === 0,
    (stats) => `${stats.listeners} listening`,
  ).catch(() => gateway.call('stats'));
  const after = await memoryAfterGc(gateway);
  for (const subscription of run.subscriptions) if (!subscription.completed) subscription.unsubscribe();
  return {
    subscribers: options.subscribers,
    connections: options.connections,
    subscribeMs: round(run.subscribeMs, 1),
    memoryBefore: before,
    memoryIdle: idle,
    memoryAfter: after,
    perIdleSubscriberKb: {
      heapUsed: perSubscriberKb(idle.heapUsed, before.heapUsed, ids.length),
      rss: perSubscriberKb(idle.rss, before.rss, ids.length),
      external: perSubscriberKb(idle.external, before.external, ids.length),
    },
    marginalPerIdleSubscriberKb: {
      heapUsed: perSubscriberKb(idle.heapUsed, halfIdle.heapUsed, secondHalf),
      rss: perSubscriberKb(idle.rss, halfIdle.rss, secondHalf),
    },
    retainedPerSubscriberKb: {
      heapUsed: perSubscriberKb(after.heapUsed, before.heapUsed, ids.length),
      rss: perSubscriberKb(after.rss, before.rss, ids.length),
    },
    publish: {
      targetPerSecond: options.rate,
      perSecond: round(run.publish.perSecond, 1),
      elapsedMs: round(run.publish.elapsedMs, 1),
      maxLagMs: round(run.publish.maxLagMs, 1),
      post: summarize(run.publish.postLatencies),
      failures: run.publish.failures.length,
      failureSamples: run.publish.failures.slice(0, 5),
    },
    outcome,
    slowest: run.subscriptions
      .map((subscription, record) => ({
        record,
        latencyMs: round(subscription.latencyMs, 2),
        postMs: round(run.publish.postLatencies[record] ?? Number.NaN, 2),
      }))
      .filter((entry) => !Number.isNaN(entry.latencyMs))
      .sort((a, b) => b.latencyMs - a.latencyMs)
      .slice(0, 10),
    load: run.load,
    serverAfter: { listeners: ended.listeners, redisChannels: ended.redisChannels },
  };
}
