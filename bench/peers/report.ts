/** The blocks of `bench/peers`'s report: the peer table, the rounds, the fan-out (the targets are the harness's table). */
import type { Machine } from '../harness/machine.ts';
import type { Report } from '../harness/report.ts';
import { fixed, integer, signed } from '../harness/table.ts';
import type { FanoutResult } from './fanout.ts';
import type { InProcessResult } from './in-process.ts';
import type { OverheadResult } from './overhead.ts';
import { LABELS, type Options, PATH_NAMES, SERVER_NAMES } from './setup.ts';

const ms = (value: number): string => `${fixed(value, 3)} ms`;
const added = (value: number): string => `${signed(fixed(value, 3), value)} ms`;

export function peersReport(
  {
    overhead,
    fanout,
    inProcess,
  }: { readonly overhead: OverheadResult; readonly fanout: FanoutResult; readonly inProcess: InProcessResult },
  options: Options,
  machine: Machine,
): Report {
  const c = options.concurrency;
  const { sequential: seq, concurrent: conc } = overhead;
  return {
    title: `Peers benchmark: the gateway (defaults) vs the GraphQL servers a user would pick instead, one SDK call per invocation, one local Lambda`,
    blocks: [
      {
        header: [
          `server (median of ${overhead.rounds.length} rounds)`,
          `req/s @${c}`,
          'median @1',
          'added median',
          'p99 @1',
          'added p99',
          'CPU µs/req @1',
          `CPU µs/req @${c}`,
          `fan-out ${fanout.size} (median)`,
          'CPU µs/inv in fan-out',
        ],
        rows: PATH_NAMES.map((name) => [
          LABELS[name],
          integer(conc[name].perSecond),
          ms(seq[name].medianMs),
          name === 'direct' ? '' : added(overhead.addedMedianMs[name]),
          ms(seq[name].p99Ms),
          name === 'direct' ? '' : added(overhead.addedP99Ms[name]),
          name === 'direct' ? '' : integer(seq[name].serverCpuUs),
          name === 'direct' ? '' : integer(conc[name].serverCpuUs),
          `${fixed(fanout.medianWallMs[name], 1)} ms`,
          name === 'direct' ? '' : integer(fanout.serverCpuUsPerInvocation[name]),
        ]),
        notes: [
          `(added: over the direct SDK path in the same round; CPU: the server's own process, its SDK client included; fan-out: one operation of`,
          ` ${fanout.size} × sleep {ms: ${fanout.sleepMs}} — the gateway's invokeFunctions, a peer's list field doing Promise.all, the SDK's Promise.all —`,
          ` ${fanout.repeats} repeats. Per round ${integer(options.n)} requests at 1 and ${integer(options.concurrentN)} at ${c} per path, after`,
          ` ${integer(options.warmup)} at ${c} and ${integer(options.warmupSequential)} at 1. ${machine.cpus} cores shared by the client, six servers' processes and the local Lambda.)`,
        ],
      },
      {
        header: [
          'round',
          ...SERVER_NAMES.map((name) => `${name}/s`),
          'gw ÷ best',
          ...SERVER_NAMES.map((name) => `${name} +ms`),
          'gw − best',
        ],
        rows: overhead.rounds.map((r) => [
          String(r.round),
          ...SERVER_NAMES.map((name) => integer(r.concurrent[name].perSecond)),
          fixed(r.throughputVsBestPeer, 3),
          ...SERVER_NAMES.map((name) => fixed(r.addedMedianMs[name], 3)),
          added(r.addedMedianVsBestPeerMs),
        ]),
      },
      {
        header: ['in process, no socket, no SDK (CPU µs, median)', 'gateway (defaults)', 'bare yoga', 'the gateway adds'],
        rows: [
          [
            'one invokeFunction, per request',
            fixed(inProcess.single.gateway, 1),
            fixed(inProcess.single.yoga, 1),
            fixed(inProcess.single.addedUs, 1),
          ],
          [
            `fan-out of ${inProcess.fanout.size}, per invocation`,
            fixed(inProcess.fanout.gateway, 1),
            fixed(inProcess.fanout.yoga, 1),
            fixed(inProcess.fanout.addedUs, 1),
          ],
        ],
        notes: [
          "(both through fetch in the benchmark process with an invoker that answers at once: the GraphQL server and the gateway's own work alone)",
        ],
      },
      {
        header: ['fan-out wall ms per repeat', ...PATH_NAMES.map((name) => name)],
        rows: Array.from({ length: fanout.repeats }, (_, i) => [
          String(i + 1),
          ...PATH_NAMES.map((name) => fixed(fanout.wallMs[name][i] ?? Number.NaN, 1)),
        ]),
      },
    ],
  };
}
