/** The blocks of `bench/gateway`'s report: its measurements, phase by phase (the targets are the harness's table). */
import type { MemoryReading } from '../harness/child-protocol.ts';
import type { Machine } from '../harness/machine.ts';
import type { Report } from '../harness/report.ts';
import { fixed, integer, megabytes, signed } from '../harness/table.ts';
import { NOOP } from '../support/load.ts';
import type { BatchResult } from './batching.ts';
import type { BigPayloadResult } from './big-payload.ts';
import { type CpuPerInvocation, type OverheadResult, PATH_LABELS } from './overhead.ts';
import type { Options } from './setup.ts';

const ms = (value: number, digits: number): string => `${fixed(value, digits)} ms`;
const perSecond = (value: number): string => `${integer(value)}/s`;
const added = (value: number): string => `added ${signed(fixed(value, 3), value)} ms`;

const cpuCells = (cpu: CpuPerInvocation): string[] => [
  integer(cpu.client),
  integer(cpu.gateway),
  integer(cpu.lambda),
  integer(cpu.client + cpu.gateway + cpu.lambda),
];

export function gatewayReport(
  {
    overhead,
    batch,
    bigPayload: big,
  }: { readonly overhead: OverheadResult; readonly batch: BatchResult; readonly bigPayload: BigPayloadResult },
  options: Options,
  machine: Machine,
): Report {
  const c = options.concurrency;
  const { sequential: seq, concurrent: conc } = overhead;
  const mem = big.memory;
  // Readings right after round trips #1, #⌈n/2⌉ and #n (fewer when they coincide).
  const during = [...new Set([1, Math.ceil(big.repeats / 2), big.repeats])];
  const memoryRow = (name: string, pick: (m: MemoryReading) => number): string[] => [
    name,
    megabytes(pick(mem.before)),
    ...during.map((n) => megabytes(pick(mem.afterEach[n - 1] ?? mem.afterLast))),
    megabytes(pick(mem.afterGc)),
  ];
  const payloads = (bytes: number): string => `${signed(megabytes(bytes), bytes)} (${fixed(bytes / big.payloadBytes, 1)} payloads)`;
  const spread = (values: readonly number[], median: number): string[] => [
    fixed(median, 1),
    fixed(Math.min(...values), 1),
    fixed(Math.max(...values), 1),
  ];

  return {
    title: `Gateway benchmark: '${NOOP}' through the gateway (GraphQL POST, keep-alive node:http) vs @aws-sdk/client-lambda directly, one local Lambda`,
    blocks: [
      {
        header: [`overhead (median of ${overhead.rounds.length} rounds)`, 'direct SDK', 'bare yoga', 'gateway', 'comparison'],
        rows: [
          [
            `throughput, ${c} in flight`,
            perSecond(conc.direct.perSecond),
            perSecond(conc.floor.perSecond),
            perSecond(conc.gateway.perSecond),
            `ratio ${fixed(overhead.throughputRatio, 2)}`,
          ],
          [
            'latency, 1 in flight, median',
            ms(seq.direct.medianMs, 3),
            ms(seq.floor.medianMs, 3),
            ms(seq.gateway.medianMs, 3),
            added(overhead.addedMedianMs),
          ],
          [
            'latency, 1 in flight, p99',
            ms(seq.direct.p99Ms, 3),
            ms(seq.floor.p99Ms, 3),
            ms(seq.gateway.p99Ms, 3),
            added(overhead.addedP99Ms),
          ],
          [
            'throughput, 1 in flight',
            perSecond(seq.direct.perSecond),
            perSecond(seq.floor.perSecond),
            perSecond(seq.gateway.perSecond),
            '',
          ],
          [`latency, ${c} in flight, median`, ms(conc.direct.medianMs, 3), ms(conc.floor.medianMs, 3), ms(conc.gateway.medianMs, 3), ''],
          [
            'bare yoga vs direct SDK (reference)',
            '',
            `ratio ${fixed(overhead.floorThroughputRatio, 2)}`,
            '',
            added(overhead.floorAddedMedianMs),
          ],
        ],
        notes: [
          `(bare yoga: createYoga's defaults and a one-mutation schema whose resolver makes the direct path's SDK call — the least a yoga`,
          ` server in front of the SDK costs, for reference; the ratio and the added latency are computed per round, then their median taken; each path warmed up first with`,
          ` ${integer(options.warmup)} invocations at ${c} in flight and ${integer(options.warmupSequential)} at 1; per round ${integer(options.n)} at 1 and ${integer(options.concurrentN)} at ${c} per path)`,
        ],
      },
      {
        header: [
          'round',
          'order',
          'direct med ms',
          'yoga med ms',
          'gateway med ms',
          'added ms',
          'direct p99',
          'gateway p99',
          `direct/s @${c}`,
          `yoga/s @${c}`,
          `gateway/s @${c}`,
          'ratio',
        ],
        rows: overhead.rounds.map((r) => [
          String(r.round),
          r.order.map((name) => PATH_LABELS[name]).join(', '),
          fixed(r.sequential.direct.medianMs, 3),
          fixed(r.sequential.floor.medianMs, 3),
          fixed(r.sequential.gateway.medianMs, 3),
          signed(fixed(r.addedMedianMs, 3), r.addedMedianMs),
          fixed(r.sequential.direct.p99Ms, 3),
          fixed(r.sequential.gateway.p99Ms, 3),
          integer(r.concurrent.direct.perSecond),
          integer(r.concurrent.floor.perSecond),
          integer(r.concurrent.gateway.perSecond),
          fixed(r.throughputRatio, 3),
        ]),
      },
      {
        header: ['CPU µs per invocation (median of rounds)', 'client', 'gateway', 'local Lambda', 'total'],
        rows: [
          ['direct SDK, 1 in flight', ...cpuCells(seq.direct.cpuUsPerInvocation)],
          ['bare yoga, 1 in flight', ...cpuCells(seq.floor.cpuUsPerInvocation)],
          ['gateway, 1 in flight', ...cpuCells(seq.gateway.cpuUsPerInvocation)],
          [`direct SDK, ${c} in flight`, ...cpuCells(conc.direct.cpuUsPerInvocation)],
          [`bare yoga, ${c} in flight`, ...cpuCells(conc.floor.cpuUsPerInvocation)],
          [`gateway, ${c} in flight`, ...cpuCells(conc.gateway.cpuUsPerInvocation)],
        ],
        notes: [
          `(client: this process — the SDK, or the GraphQL HTTP client; gateway: the gateway's (or the bare yoga server's) process, GraphQL and its own SDK client; local Lambda: its process`,
          ` with its workers. On ${machine.cpus} cores, throughput is at most ${machine.cpus} × 1,000,000 ÷ total when CPU-bound.)`,
        ],
      },
      {
        header: [`batching (${batch.batchSize} × sleep {ms: ${batch.sleepMs}}, ${batch.repeats} repeats)`, 'median ms', 'min ms', 'max ms'],
        rows: [
          [`one invokeFunctions of ${batch.batchSize}`, ...spread(batch.batchMs, batch.batchMedianMs)],
          [`${batch.batchSize} sequential invokeFunction requests`, ...spread(batch.sequentialMs, batch.sequentialMedianMs)],
          ['speed-up (sequential ÷ batch)', `${fixed(batch.speedup, 1)}×`, '', ''],
        ],
        notes: [
          `(per-repeat speed-ups: median ${fixed(batch.speedupPerRepeatMedian, 1)}×; the gateway runs up to 250 invocations of one function at once by default)`,
        ],
      },
      {
        header: [
          `6 MB round trip (echo, ${integer(big.payloadBytes)}-byte payload, ${big.repeats} repeats)`,
          'median ms',
          'min ms',
          'max ms',
          'answer',
        ],
        rows: [
          ['through the gateway (payloadJson)', ...spread(big.gatewayMs, big.gatewayMedianMs), big.intact ? 'intact' : 'ALTERED'],
          ['direct SDK (reference)', ...spread(big.directMs, big.directMedianMs), ''],
          [`one byte more (${integer(big.oneByteOver.payloadBytes)} bytes)`, '', '', '', big.oneByteOver.typename],
        ],
      },
      {
        header: ['gateway memory', 'before (gc)', ...during.map((n) => `after #${n}`), 'after (gc)'],
        rows: [
          memoryRow('peak RSS (maxRSS)', (m) => m.maxRssBytes),
          memoryRow('rss', (m) => m.memory.rss),
          memoryRow('heapTotal', (m) => m.memory.heapTotal),
          memoryRow('heapUsed', (m) => m.memory.heapUsed),
          memoryRow('external', (m) => m.memory.external),
          memoryRow('arrayBuffers', (m) => m.memory.arrayBuffers),
        ],
      },
      {
        header: ['bounded memory', 'value'],
        rows: [
          ['peak RSS growth, before → after #1', payloads(mem.afterFirst.maxRssBytes - mem.before.maxRssBytes)],
          [`peak RSS growth, before → after #${big.repeats}`, payloads(mem.peakRssGrowthBytes)],
          [`peak RSS climb, #${Math.ceil(big.repeats / 2)} → #${big.repeats} (levelling off?)`, payloads(mem.peakRssClimbSecondHalfBytes)],
          ['heapUsed retained (after gc − before)', signed(megabytes(mem.heapRetainedBytes), mem.heapRetainedBytes)],
        ],
        notes: ['(peak RSS has no target figure: judge it from the rows above; the target is on retention only)'],
      },
    ],
  };
}
