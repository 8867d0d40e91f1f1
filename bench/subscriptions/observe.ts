/**
 * Watching the gateway of `bench/subscriptions` from outside: polling its counters until the
 * subscriptions are live (or gone), and measuring what a publishing phase cost both processes
 * (CPU, event-loop delay). Plus the latency summary every phase reports.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventLoopDelay, SubscriptionsServerStats } from '../support/gateway-subscriptions-server.ts';
import { type Latencies, cpuMicros, latencies, round } from '../support/stats.ts';
import type { GatewayProcess } from './setup.ts';

/** Waiting for subscriptions to be live (or gone) on the server is abandoned after this long without progress. */
const STALL_MS = 30_000;

/**
 * Polls the gateway's counters until `done` holds; fails when they stop moving for `STALL_MS`.
 * Resolves with the last counters read.
 */
export async function waitForServer(
  gateway: GatewayProcess,
  what: string,
  done: (stats: SubscriptionsServerStats) => boolean,
  progress: (stats: SubscriptionsServerStats) => string,
): Promise<SubscriptionsServerStats> {
  let seen = '';
  let lastProgress = performance.now();
  for (;;) {
    const stats = await gateway.call('stats');
    if (done(stats)) return stats;
    const now = progress(stats);
    if (now !== seen) {
      seen = now;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > STALL_MS) {
      throw new Error(`${what}: no progress for ${STALL_MS / 1000} s (${now})`);
    }
    await sleep(20);
  }
}

/** Polls the gateway's counters until `done` holds or `ms` have passed; resolves with the last reading. */
export async function pollServer(
  gateway: GatewayProcess,
  done: (stats: SubscriptionsServerStats) => boolean,
  ms: number,
): Promise<{ stats: SubscriptionsServerStats; met: boolean; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const stats = await gateway.call('stats');
    const waitedMs = performance.now() - started;
    if (done(stats)) return { stats, met: true, waitedMs };
    if (waitedMs >= ms) return { stats, met: false, waitedMs };
    await sleep(20);
  }
}

export interface LatencySummary extends Latencies {
  readonly count: number;
}

export function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values)
    .filter((value) => !Number.isNaN(value))
    .sort();
  return { count: sorted.length, ...latencies(sorted) };
}

/** What a publishing phase cost, from the first POST until every subscriber had its records. */
export interface PhaseLoad {
  readonly windowMs: number;
  /** Gateway CPU (µs) per record published, all its deliveries included. */
  readonly gatewayCpuUsPerRecord: number;
  /** Percent of one core over the window. */
  readonly gatewayCpuPercent: number;
  /** The benchmark process: POSTs and every subscriber. */
  readonly clientCpuUsPerRecord: number;
  readonly clientCpuPercent: number;
  /** Event-loop delay over the window: a stalled subscriber process would skew the latencies. */
  readonly gatewayLoopDelay: EventLoopDelay;
  readonly clientLoopDelay: EventLoopDelay;
}

/** Runs `work` (publishing, then waiting for the deliveries) and measures what it cost both processes. */
export async function measureLoad<T>(
  gateway: GatewayProcess,
  records: number,
  work: () => Promise<T>,
): Promise<{ result: T; load: PhaseLoad }> {
  const clientLoop = monitorEventLoopDelay({ resolution: 10 });
  const gatewayBefore = await gateway.call('stats', { reset: true });
  const clientBefore = process.cpuUsage();
  clientLoop.enable();
  const started = performance.now();
  try {
    const result = await work();
    const windowMs = performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const gatewayAfter = await gateway.call('stats');
    const gatewayUs = cpuMicros(gatewayAfter.cpu) - cpuMicros(gatewayBefore.cpu);
    const clientUs = clientCpu.user + clientCpu.system;
    const delay = (figures: EventLoopDelay): EventLoopDelay => ({ p99Ms: round(figures.p99Ms, 1), maxMs: round(figures.maxMs, 1) });
    return {
      result,
      load: {
        windowMs: round(windowMs, 1),
        gatewayCpuUsPerRecord: round(gatewayUs / records, 0),
        gatewayCpuPercent: round((gatewayUs / 1000 / windowMs) * 100, 0),
        clientCpuUsPerRecord: round(clientUs / records, 0),
        clientCpuPercent: round((clientUs / 1000 / windowMs) * 100, 0),
        gatewayLoopDelay: delay(gatewayAfter.eventLoopDelay),
        clientLoopDelay: delay({ p99Ms: clientLoop.percentile(99) / 1e6, maxMs: clientLoop.max / 1e6 }),
      },
    };
  } finally {
    clientLoop.disable();
  }
}
