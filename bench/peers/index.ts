/**
 * The gateway with every default feature on (metrics, activity log, limits, access rules, request
 * log) against the GraphQL servers a user would put in front of the SDK instead — bare
 * graphql-yoga 5, Apollo Server 5 (standalone), Mercurius 16 on Fastify 5, graphql-http +
 * graphql-js — with identical resolvers (one InvokeCommand through one shared LambdaClient per
 * server; a list field doing Promise.all for the fan-out), and the SDK called directly, all against
 * one local Lambda child, in alternating rounds:
 *
 *   1. Overhead (`overhead.ts`): throughput at --concurrency, median and p99 latency at 1 in flight,
 *      CPU per request of each server process.
 *   2. Fan-out (`fanout.ts`): one operation of 50 × sleep {ms: 20}: wall time, CPU per invocation.
 *   3. In process (`in-process.ts`): what the gateway's defaults cost on their own — the gateway
 *      and bare yoga through `fetch`, no socket, an invoker answering at once — CPU µs per request
 *      and per fan-out invocation (reported, no target).
 *
 * The targets (README.md, Performance) are ratios within the run: throughput ≥ the best peer's,
 * added median latency ≤ the best peer's, fan-out wall time within 10 % of the fastest peer's,
 * CPU per invocation in the fan-out ≤ 1.2 × the leanest peer's. The peers that need graphql 16
 * (Apollo Server, Mercurius) come from the `bench/peer-packages` workspace.
 *
 *   npm run bench:peers                      full size
 *   npm run bench:peers -- --quick           smoke run (smaller counts)
 *   npm run bench:peers -- --cpu-prof        profile every server child and the local Lambda
 */
import { exitWith } from '../harness/exit.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import { fixed, signed } from '../harness/table.ts';
import { fanoutPhase } from './fanout.ts';
import { inProcessPhase } from './in-process.ts';
import { overheadPhase } from './overhead.ts';
import { peersReport } from './report.ts';
import { OPTIONS, setup } from './setup.ts';

const TARGETS = {
  /** Gateway throughput ÷ the best peer's at 16 in flight. */
  minThroughputVsBestPeer: 1,
  /** Gateway added median − the best peer's added median at 1 in flight. */
  maxAddedMedianVsBestPeerMs: 0,
  /** Gateway fan-out wall time ÷ the fastest peer's. */
  maxFanoutVsFastestPeer: 1.1,
  /** Gateway CPU per invocation in the fan-out ÷ the leanest peer's. */
  maxFanoutCpuVsLeanestPeer: 1.2,
} as const;

export const benchmark = defineBenchmark({
  name: 'peers',
  exitStatus: 'check',
  cpuProfiles: 'peers-bench-profiles',
  options: OPTIONS,
  setup,
  phases: {
    overhead: { run: overheadPhase },
    fanout: {
      progress: (o) => `fan-out: ${o.fanout} × sleep {ms: ${o.sleepMs}} in one operation, ${o.fanoutRepeats} repeats per path…`,
      run: fanoutPhase,
    },
    inProcess: {
      progress: () => 'in process: the gateway vs bare yoga through fetch, an invoker answering at once…',
      run: inProcessPhase,
    },
  },
  targets: ({ overhead, fanout }, options) => [
    {
      name: `throughput gateway ÷ best peer, ${options.concurrency} in flight`,
      value: overhead.throughputVsBestPeer,
      comparison: '≥',
      target: TARGETS.minThroughputVsBestPeer,
      format: (ratio) => fixed(ratio, 2),
    },
    {
      name: 'added median latency, gateway − best peer, 1 in flight',
      value: overhead.addedMedianVsBestPeerMs,
      comparison: '≤',
      target: TARGETS.maxAddedMedianVsBestPeerMs,
      format: (value) => `${signed(fixed(value, 3), value)} ms`,
    },
    {
      name: `fan-out of ${fanout.size}: gateway ÷ fastest peer, wall time`,
      value: fanout.wallVsFastestPeer,
      comparison: '≤',
      target: TARGETS.maxFanoutVsFastestPeer,
      format: (ratio) => fixed(ratio, 2),
    },
    {
      name: `fan-out of ${fanout.size}: gateway ÷ leanest peer, CPU per invocation`,
      value: fanout.cpuVsLeanestPeer,
      comparison: '≤',
      target: TARGETS.maxFanoutCpuVsLeanestPeer,
      format: (ratio) => fixed(ratio, 2),
    },
  ],
  report: peersReport,
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
