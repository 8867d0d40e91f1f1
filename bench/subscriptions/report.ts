/** The blocks of `bench/subscriptions`' report: both backends side by side (the delivery checks are the harness's targets table). */
import type { Machine } from '../harness/machine.ts';
import { loadAverage } from '../harness/machine.ts';
import type { Report } from '../harness/report.ts';
import { type Block, fixed, integer, megabytes } from '../harness/table.ts';
import type { BackendResult } from './backend.ts';
import type { FeedPhase } from './feed.ts';
import { RELEASE_WAIT_MS, type Release } from './release.ts';
import type { Options } from './setup.ts';

/** A stall of the benchmark's own event loop beyond this is reported: its latencies include it. */
const CLIENT_STALL_MS = 50;

export function subscriptionsReport(
  { memory, redis }: { readonly memory: BackendResult | undefined; readonly redis: BackendResult | undefined },
  options: Options,
  machine: Machine,
): Report {
  const results = [memory, redis].filter((result) => result !== undefined);
  const blocks: Block[] = [];
  const perConnection = Math.ceil(options.subscribers / options.connections);
  const column = (pick: (result: BackendResult) => string): string[] => results.map(pick);
  blocks.push({
    header: ['invocationUpdates', ...results.map((r) => r.backend)],
    rows: [
      ['time until all live (ms)', ...column((r) => fixed(r.updates.subscribeMs, 0))],
      [
        'gateway memory before / idle (heapUsed)',
        ...column((r) => `${megabytes(r.updates.memoryBefore.heapUsed)} / ${megabytes(r.updates.memoryIdle.heapUsed)}`),
      ],
      ['memory per idle subscriber, heapUsed (KB)', ...column((r) => fixed(r.updates.perIdleSubscriberKb.heapUsed, 2))],
      ['memory per idle subscriber, rss (KB)', ...column((r) => fixed(r.updates.perIdleSubscriberKb.rss, 2))],
      [
        '  marginal, 2nd half only: heapUsed / rss (KB)',
        ...column(
          (r) => `${fixed(r.updates.marginalPerIdleSubscriberKb.heapUsed, 2)} / ${fixed(r.updates.marginalPerIdleSubscriberKb.rss, 2)}`,
        ),
      ],
      ['retained after completion, heapUsed (KB/sub)', ...column((r) => fixed(r.updates.retainedPerSubscriberKb.heapUsed, 2))],
      ['records/s, target → achieved', ...column((r) => `${r.updates.publish.targetPerSecond} → ${fixed(r.updates.publish.perSecond, 1)}`)],
      [
        'POST round trip median / p99 (ms)',
        ...column((r) => `${fixed(r.updates.publish.post.medianMs, 2)} / ${fixed(r.updates.publish.post.p99Ms, 2)}`),
      ],
      ['publish → receive median (ms)', ...column((r) => fixed(r.updates.outcome.latency.medianMs, 2))],
      ['publish → receive p99 (ms)', ...column((r) => fixed(r.updates.outcome.latency.p99Ms, 2))],
      ['publish → receive max (ms)', ...column((r) => fixed(r.updates.outcome.latency.maxMs, 2))],
      ['records received', ...column((r) => `${integer(r.updates.outcome.received)} / ${integer(r.updates.outcome.subscriptions)}`)],
      ['events lost', ...column((r) => integer(r.updates.outcome.lost))],
      ['duplicates', ...column((r) => integer(r.updates.outcome.duplicates))],
      ['received but not completed', ...column((r) => integer(r.updates.outcome.notCompleted))],
      ['errors / wrong records / failed POSTs', ...column((r) => `${r.updates.outcome.withProblems} / ${r.updates.publish.failures}`)],
      [
        'listeners left on the gateway afterwards',
        ...column(
          (r) =>
            `${r.updates.serverAfter.listeners}${r.updates.serverAfter.redisChannels === undefined ? '' : ` (Redis channels ${r.updates.serverAfter.redisChannels})`}`,
        ),
      ],
      [
        'gateway CPU per record (µs), % of a core',
        ...column((r) => `${integer(r.updates.load.gatewayCpuUsPerRecord)}, ${r.updates.load.gatewayCpuPercent}%`),
      ],
      ['bench client CPU, % of a core', ...column((r) => `${r.updates.load.clientCpuPercent}%`)],
      [
        'event-loop delay max: gateway / client (ms)',
        ...column((r) => `${fixed(r.updates.load.gatewayLoopDelay.maxMs, 0)} / ${fixed(r.updates.load.clientLoopDelay.maxMs, 0)}`),
      ],
    ],
  });

  const feeds = results.filter((r) => r.feed !== undefined);
  if (feeds.length > 0) {
    const feedColumn = (pick: (feed: FeedPhase) => string): string[] => feeds.map((r) => (r.feed === undefined ? '' : pick(r.feed)));
    blocks.push({
      header: [
        `invocationEvents feed (${options.feedSubscribers} subscribers × ${integer(options.feedRecords)} records` +
          `${options.feedIdle > 0 ? `, ${integer(options.feedIdle)} idle invocationUpdates beside` : ''})`,
        ...feeds.map((r) => r.backend),
      ],
      rows: [
        ['records/s, target → achieved', ...feedColumn((f) => `${f.publish.targetPerSecond} → ${fixed(f.publish.perSecond, 1)}`)],
        ['deliveries received / expected', ...feedColumn((f) => `${integer(f.deliveries)} / ${integer(f.expectedDeliveries)}`)],
        [
          'POST round trip median / p99 (ms)',
          ...feedColumn((f) => `${fixed(f.publish.post.medianMs, 2)} / ${fixed(f.publish.post.p99Ms, 2)}`),
        ],
        ['publish → receive median (ms)', ...feedColumn((f) => fixed(f.latency.medianMs, 2))],
        ['publish → receive p99 (ms)', ...feedColumn((f) => fixed(f.latency.p99Ms, 2))],
        ['publish → receive max (ms)', ...feedColumn((f) => fixed(f.latency.maxMs, 2))],
        ['deliveries lost', ...feedColumn((f) => integer(f.lost))],
        ['duplicates', ...feedColumn((f) => integer(f.duplicates))],
        ['errors / failed POSTs', ...feedColumn((f) => `${f.problems} / ${f.publish.failures}`)],
        [
          'gateway CPU per record (µs), % of a core',
          ...feedColumn((f) => `${integer(f.load.gatewayCpuUsPerRecord)}, ${f.load.gatewayCpuPercent}%`),
        ],
        ['bench client CPU, % of a core', ...feedColumn((f) => `${f.load.clientCpuPercent}%`)],
        [
          'event-loop delay max: gateway / client (ms)',
          ...feedColumn((f) => `${fixed(f.load.gatewayLoopDelay.maxMs, 0)} / ${fixed(f.load.clientLoopDelay.maxMs, 0)}`),
        ],
      ],
    });
  }

  // Cancellation: idle invocationUpdates subscribers and the feed subscribers going away.
  const releases: { name: string; pick: (result: BackendResult) => Release | undefined }[] = [
    { name: `${options.cancelSubscribers} idle invocationUpdates (½ unsubscribe, ½ disconnect)`, pick: (r) => r.cancellation },
    { name: `${options.feedSubscribers} invocationEvents feeds (unsubscribe)`, pick: (r) => r.feed?.release },
  ];
  const releaseRows: string[][] = [];
  for (const { name, pick } of releases) {
    if (results.every((r) => pick(r) === undefined)) continue;
    const releaseColumn = (show: (release: Release) => string): string[] =>
      results.map((r) => {
        const release = pick(r);
        return release === undefined ? '–' : show(release);
      });
    releaseRows.push(
      [name, ...results.map(() => '')],
      [`  listeners left ${RELEASE_WAIT_MS / 1000} s after they went away`, ...releaseColumn((x) => `${x.leftAfterWait} / ${x.cancelled}`)],
      ...(results.some((r) => pick(r)?.redisChannelsLeft !== undefined)
        ? [
            [
              '  Redis channels still subscribed then',
              ...releaseColumn((x) => (x.redisChannelsLeft === undefined ? '–' : String(x.redisChannelsLeft))),
            ],
          ]
        : []),
      [
        '  listeners left once one more event arrived',
        ...releaseColumn((x) => (x.leftAfterNextEvent === undefined ? '(not needed)' : String(x.leftAfterNextEvent))),
      ],
    );
  }
  const notes = [
    '(latency: from just before the POST of the destination record to the subscriber’s graphql-ws `next` callback, same process;',
    ' memory: the gateway process after two full collections, WebSockets open in both readings;',
    ' CPU and event-loop delay: from the first POST until the last delivery; CPU % is of one core, the gateway process and this one)',
  ];
  if (releaseRows.length > 0)
    blocks.push({ header: ['cancelled subscriptions', ...results.map((r) => r.backend)], rows: releaseRows, notes: ['', ...notes] });
  else blocks.push({ text: notes });
  const stalls = results.flatMap((r) => [
    ...(r.updates.load.clientLoopDelay.maxMs > CLIENT_STALL_MS
      ? [`${r.backend} invocationUpdates (${fixed(r.updates.load.clientLoopDelay.maxMs, 0)} ms)`]
      : []),
    ...(r.feed !== undefined && r.feed.load.clientLoopDelay.maxMs > CLIENT_STALL_MS
      ? [`${r.backend} feed (${fixed(r.feed.load.clientLoopDelay.maxMs, 0)} ms)`]
      : []),
  ]);
  const after: string[] = [];
  if (stalls.length > 0) {
    after.push(
      `note: this benchmark's own event loop stalled for more than ${CLIENT_STALL_MS} ms in ${stalls.join(', ')}: latencies there include`,
      `      the stall (other load on the machine? load average now ${loadAverage().join(' ')}, at start ${machine.loadAverage.join(' ')})`,
    );
  }
  for (const result of results) {
    const samples = [
      ...result.updates.outcome.problemSamples,
      ...result.updates.publish.failureSamples,
      ...(result.feed?.problemSamples ?? []),
      ...(result.feed?.publish.failureSamples ?? []),
    ];
    if (samples.length > 0) after.push(`[${result.backend}] problems, e.g.:`, ...samples.map((sample) => `  ${sample}`));
    if (result.gatewayWarnings.length > 0)
      after.push(`[${result.backend}] gateway warnings:`, ...result.gatewayWarnings.map((warning) => `  ${warning}`));
  }
  if (after.length > 0) blocks.push({ text: after });
  return {
    title:
      `Subscriptions benchmark: ${integer(options.subscribers)} invocationUpdates subscribers over ${options.connections} graphql-ws WebSockets` +
      ` (≤ ${perConnection} each), one SUCCEEDED record each at ${options.rate}/s`,
    blocks,
  };
}
