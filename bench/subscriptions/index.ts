/**
 * Benchmark of subscriptions: many `invocationUpdates` subscribers, each waiting for one
 * invocation, then their completions arriving as destination records at a steady rate — once with
 * the in-memory backend, once with Redis (a private redis-server on a Unix socket): one phase per
 * backend (`backend.ts`), each against a fresh gateway child (`setup.ts`).
 *
 * The gateway runs in a child process (`bench/support/gateway-subscriptions-server.ts`, started
 * with `--expose-gc`) so its memory is measured after full collections and its CPU apart from the
 * subscribers'. No Lambda is involved: the benchmark POSTs the destination records itself
 * (`publish.ts`). Subscribers use the real `graphql-ws` client over `ws` (`subscribers.ts`),
 * several subscriptions multiplexed on each WebSocket. Only 127.0.0.1 and the Redis socket are ever
 * contacted.
 *
 *   npm run bench:subscriptions                      full size: 1,000 subscribers, 200 records/s
 *   npm run bench:subscriptions -- --quick           a quick run (100 subscribers, small feed phase)
 *   npm run bench:subscriptions -- --help            every option
 *
 * Per backend: warm-up, invocationUpdates (`updates.ts`), cancellation (`cancellation.ts`), the
 * feed (`feed.ts`). The exit status is 2 when an event was lost or duplicated (or a subscription
 * misbehaved); cancelled subscriptions the gateway does not release are reported as targets that
 * do not count.
 */
import { exitWith } from '../harness/exit.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import type { Target } from '../harness/targets.ts';
import { integer } from '../harness/table.ts';
import { type BackendResult, backendPhase } from './backend.ts';
import { subscriptionsReport } from './report.ts';
import { OPTIONS, setup } from './setup.ts';

/** The delivery targets of one backend (counted), and whether cancelled subscriptions were released (reported). */
function backendTargets(result: BackendResult | undefined): Target[] {
  if (result === undefined) return [];
  const { backend, updates, feed, cancellation } = result;
  const zero = (name: string, value: number | undefined, counts = true): Target => ({
    name: `${backend}: ${name}`,
    value,
    comparison: '=',
    target: 0,
    format: integer,
    counts,
  });
  return [
    zero('invocationUpdates events lost', updates.outcome.lost),
    zero('invocationUpdates duplicates', updates.outcome.duplicates),
    zero('invocationUpdates received but not completed', updates.outcome.notCompleted),
    zero('invocationUpdates errors, wrong records, failed POSTs', updates.outcome.withProblems + updates.publish.failures),
    zero('feed deliveries lost', feed?.lost),
    zero('feed duplicates', feed?.duplicates),
    zero('feed errors, failed POSTs', feed === undefined ? undefined : feed.problems + feed.publish.failures),
    {
      name: `${backend}: cancelled idle subscriptions released without waiting for an event`,
      value: cancellation?.released,
      comparison: '=',
      target: true,
      counts: false,
    },
    {
      name: `${backend}: cancelled feeds released without waiting for an event`,
      value: feed?.release.released,
      comparison: '=',
      target: true,
      counts: false,
    },
  ];
}

export const benchmark = defineBenchmark({
  name: 'subscriptions',
  exitStatus: 'always',
  cpuProfiles: 'subscriptions-bench-profiles',
  options: OPTIONS,
  usageNotes: [
    'The exit status is 2 when an event was lost or duplicated (or a subscription misbehaved), 1 when the',
    'benchmark itself failed. Cancelled subscriptions the gateway does not release are reported, not',
    'counted in the exit status.',
  ],
  validate: (o) => (o.connections > o.subscribers ? '--connections cannot exceed --subscribers' : undefined),
  context: (o) => ({ multiplexing: `${o.subscribers} subscriptions over ${o.connections} graphql-ws WebSockets, round robin` }),
  setup,
  phases: {
    memory: { run: backendPhase('memory') },
    redis: { run: backendPhase('redis') },
  },
  targets: ({ memory, redis }) => [...backendTargets(memory), ...backendTargets(redis)],
  report: subscriptionsReport,
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
