/**
 * Benchmark of the gateway against the targets in README.md (Performance), in one run against one
 * local Lambda:
 *
 *   1. Overhead (`overhead.ts`): `noop` invoked through the gateway (a GraphQL POST of
 *      `invokeFunction` over a keep-alive node:http agent) vs through `@aws-sdk/client-lambda`
 *      directly — throughput ratio gateway/direct ≥ 0.6 at 16 in flight, added median latency
 *      ≤ 0.5 ms at 1 in flight. Beside both, a reference: a bare graphql-yoga server
 *      (`bench/support/yoga-floor-server.ts`) — the least any yoga server in front of the SDK
 *      costs. Measured in the same rounds, it shows how much of the gateway's overhead is its own
 *      and how much is the stack's.
 *   2. Batching (`batching.ts`): one `invokeFunctions` of 50 `sleep` {ms: 20} vs 50 sequential
 *      `invokeFunction` requests of the same, through the gateway — ≥ 8× faster.
 *   3. A 6 MB payload round trip (`big-payload.ts`): intact, nothing retained, one byte more refused.
 *
 * Three processes (`setup.ts`): the local Lambda and the gateway each in a child process started
 * with `--expose-gc`, and the clients — the SDK and the GraphQL client — in this one. CPU is
 * measured per process. Only 127.0.0.1 is ever contacted. The default warm-up is 3,000 invocations
 * per path at 16 in flight (then 500 at 1 in flight): the SDK — in this process and inside the
 * gateway — is not at steady state before ~2,000.
 *
 *   npm run bench:gateway                      full size
 *   npm run bench:gateway -- --quick           quick run (smaller counts; flags still override)
 *   npm run bench:gateway -- --cpu-prof        profile the gateway and local Lambda processes
 *   npm run bench:gateway -- --help            every option
 */
import { exitWith } from '../harness/exit.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import { MB, fixed, megabytes, signed } from '../harness/table.ts';
import { batchPhase } from './batching.ts';
import { bigPayloadPhase } from './big-payload.ts';
import { overheadPhase } from './overhead.ts';
import { gatewayReport } from './report.ts';
import { OPTIONS, setup } from './setup.ts';

/** The targets in README.md (Performance); the heap criterion is this benchmark's reading of "bounded memory". */
const TARGETS = {
  /** Gateway throughput / direct SDK throughput at 16 in flight. */
  minThroughputRatio: 0.6,
  /** Gateway median latency − direct SDK median latency at 1 in flight. */
  maxAddedMedianMs: 0.5,
  /** Median time of 50 sequential invokeFunction requests / median time of one invokeFunctions of 50. */
  minBatchSpeedup: 8,
  /**
   * After the 6 MB round trips, the gateway's heap after full collections is back within this many
   * bytes of where it was before them: nothing of them is retained.
   */
  maxHeapRetainedBytes: 5 * MB,
} as const;

export const benchmark = defineBenchmark({
  name: 'gateway',
  exitStatus: 'check',
  cpuProfiles: 'gateway-bench-profiles',
  options: OPTIONS,
  setup,
  phases: {
    overhead: { run: overheadPhase },
    batch: {
      progress: (o) => `batching: ${o.batchSize} × sleep {ms: ${o.sleepMs}}, ${o.batchRepeats} repeats…`,
      run: batchPhase,
    },
    bigPayload: {
      progress: (o) => `6 MB: ${o.bigRepeats} round trips through the gateway, then as many direct…`,
      run: bigPayloadPhase,
    },
  },

  targets: ({ overhead, batch, bigPayload }, options) => [
    {
      name: `throughput gateway ÷ direct SDK, ${options.concurrency} in flight`,
      value: overhead.throughputRatio,
      comparison: '≥',
      target: TARGETS.minThroughputRatio,
      format: (ratio) => fixed(ratio, 2),
    },
    {
      name: 'added median latency, 1 in flight',
      value: overhead.addedMedianMs,
      comparison: '≤',
      target: TARGETS.maxAddedMedianMs,
      format: (ms) => `${signed(fixed(ms, 3), ms)} ms`,
    },
    {
      name: `batching speed-up (${batch.batchSize} sequential ÷ one invokeFunctions)`,
      value: batch.speedup,
      comparison: '≥',
      target: TARGETS.minBatchSpeedup,
      format: (speedup) => `${fixed(speedup, 1)}×`,
    },
    { name: '6 MB round trips intact', value: bigPayload.intact, comparison: '=', target: true },
    { name: 'one byte more refused (PayloadTooLargeError)', value: bigPayload.oneByteOver.refused, comparison: '=', target: true },
    {
      name: 'gateway heapUsed retained after the 6 MB round trips',
      value: bigPayload.memory.heapRetainedBytes,
      comparison: '≤',
      target: TARGETS.maxHeapRetainedBytes,
      format: (bytes) => signed(megabytes(bytes), bytes),
    },
  ],

  report: gatewayReport,
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
