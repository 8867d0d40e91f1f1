/**
 * One backend's run of `bench/subscriptions`, against a fresh gateway (`setup.ts`): warm-up, the
 * invocationUpdates phase, cancellation, the feed — in that order, the last two skipped when their
 * subscriber count is 0.
 */
import type { Scope } from '../harness/scope.ts';
import { type Cancellation, cancellationPhase } from './cancellation.ts';
import { type FeedPhase, feedPhase } from './feed.ts';
import { type Backend, type Env, type Options, startBackend } from './setup.ts';
import { type UpdatesPhase, type Warmup, updatesPhase, warmUp } from './updates.ts';

export interface BackendResult {
  readonly backend: Backend;
  readonly warmup: Warmup;
  readonly updates: UpdatesPhase;
  readonly cancellation: Cancellation | undefined;
  readonly feed: FeedPhase | undefined;
  /** Warnings the gateway process emitted (MaxListenersExceededWarning and the like). */
  readonly gatewayWarnings: readonly string[];
}

/** The phase of `backend`; undefined when `--backends` leaves it out. */
export const backendPhase =
  (backend: Backend) =>
  ({ runId }: Env, options: Options, scope: Scope): Promise<BackendResult | undefined> =>
    options.backends.includes(backend) ? scope.scoped((own) => runBackend(own, backend, options, runId)) : Promise.resolve(undefined);

async function runBackend(scope: Scope, backend: Backend, options: Options, runId: string): Promise<BackendResult> {
  const env = await startBackend(scope, backend, options);
  const warmup = await warmUp(env, options, backend, runId);
  const updates = await updatesPhase(env, options, backend, runId);
  let cancellation: Cancellation | undefined;
  if (options.cancelSubscribers > 0) {
    console.error(`[${backend}] cancellation: ${options.cancelSubscribers} idle subscribers go away…`);
    cancellation = await cancellationPhase(env, options, `${runId}-${backend}`);
  }
  let feed: FeedPhase | undefined;
  if (options.feedSubscribers > 0) {
    console.error(
      `[${backend}] feed: ${options.feedSubscribers} invocationEvents subscribers, ${options.feedRecords} records at ${options.feedRate}/s…`,
    );
    feed = await feedPhase(env, options, `${runId}-${backend}`);
  }
  const final = await env.gateway.call('stats');
  return { backend, warmup, updates, cancellation, feed, gatewayWarnings: final.warnings };
}
