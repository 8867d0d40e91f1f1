/**
 * Whether `bench/subscriptions`' gateway releases subscriptions that went away before they ended:
 * their listeners (and Redis channels) should be released at once, not when the next event
 * arrives. Polled for `RELEASE_WAIT_MS`; when some are left, one more event is published for them
 * and the count read again, to tell "released late" from "never released".
 */
import type { SubscriptionsServerStats } from '../support/gateway-subscriptions-server.ts';
import { round } from '../support/stats.ts';
import { pollServer } from './observe.ts';
import type { PublishFigures } from './publish.ts';
import type { GatewayProcess } from './setup.ts';

/** How long cancelled subscriptions get to be released on the gateway before they count as left behind. */
export const RELEASE_WAIT_MS = 5_000;

/** What happened on the gateway to subscriptions that went away. */
export interface Release {
  readonly cancelled: number;
  /** Listeners still open `waitedMs` after the cancellations. */
  readonly leftAfterWait: number;
  readonly waitedMs: number;
  /** Redis only: their channels still subscribed at that point (the feed shares one channel). */
  readonly redisChannelsLeft: number | undefined;
  /** After one more event for the cancelled subscriptions was published (undefined: not needed). */
  readonly leftAfterNextEvent: number | undefined;
  readonly released: boolean;
}

export async function measureRelease(
  gateway: GatewayProcess,
  cancelled: number,
  open: (stats: SubscriptionsServerStats) => number,
  redisChannels: (stats: SubscriptionsServerStats) => number | undefined,
  nudge: () => Promise<PublishFigures>,
): Promise<Release> {
  const waited = await pollServer(gateway, (stats) => open(stats) <= 0, RELEASE_WAIT_MS);
  let leftAfterNextEvent: number | undefined;
  if (!waited.met) {
    // Are they waiting for the next event? Publish it and look again.
    await nudge();
    const after = await pollServer(gateway, (stats) => open(stats) <= 0, RELEASE_WAIT_MS);
    leftAfterNextEvent = open(after.stats);
  }
  return {
    cancelled,
    leftAfterWait: open(waited.stats),
    waitedMs: round(waited.waitedMs, 0),
    redisChannelsLeft: redisChannels(waited.stats),
    leftAfterNextEvent,
    released: waited.met,
  };
}
