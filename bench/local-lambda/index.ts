/**
 * Benchmark of the built-in local Lambda, through the real `@aws-sdk/client-lambda` client, against
 * the targets in README.md (Performance): warm no-op invocations ≥ 1,000/s sequential, ≥ 2,000/s at
 * 16 in flight, memory flat after 50,000 invocations.
 *
 * The local Lambda runs in a child process (`bench/support/local-lambda-server.ts`, started with
 * `--expose-gc`), so its memory can be measured after full collections and its CPU time apart from
 * the client's. Only 127.0.0.1 is ever contacted.
 *
 *   npm run bench:local-lambda                               full size
 *   npm run bench:local-lambda -- --n 500 --memory-n 2000    quick run
 *   npm run bench:local-lambda -- --help                     every option
 *
 * Phases, in one run against one server: sequential (1 in flight), then `--concurrency` in flight,
 * each after its own warm-up; then memory: a reading after two full collections, `--memory-n`
 * invocations at `--concurrency` in flight, another reading. The default warm-up is 2,000
 * invocations because the SDK client (which shares the CPUs with the server) is not at steady state
 * after 500: its CPU per invocation keeps falling for a few thousand calls.
 */
import { fileURLToPath } from 'node:url';
import { cpuProfArgs } from '../harness/child-server.ts';
import { exitWith } from '../harness/exit.ts';
import { count } from '../harness/options.ts';
import { benchmarkMain, defineBenchmark } from '../harness/run.ts';
import { MB, fixed, integer, megabytes, signed } from '../harness/table.ts';
import { NOOP as FUNCTION_NAME, invokeNoopDirect, localLambdaClient } from '../support/load.ts';
import type { LocalLambdaMethods } from '../support/local-lambda-server.ts';
import { coldStartPhase, type Env, memoryPhase, throughputPhase } from './phases.ts';

const SERVER_SCRIPT = fileURLToPath(new URL('../support/local-lambda-server.ts', import.meta.url));

/** The same no-op as a Python function and as a custom runtime (a shell + curl bootstrap). */
const PYTHON_NOOP = 'noop-python';
const CUSTOM_NOOP = 'noop-custom';
/** Published versions of both: each has environments of its own, so each first call is a cold start. */
const COLD_QUALIFIERS = ['1', '2', '3', '4', '5'];

/** The targets in README.md (Performance). */
const TARGETS = {
  sequentialPerSecond: 1000,
  pythonSequentialPerSecond: 500,
  concurrentPerSecond: 2000,
  /** "Flat": heapUsed grows by less than this percentage… */
  heapGrowthPercent: 10,
  /** …or by less than this many bytes. */
  heapGrowthBytes: 5 * MB,
} as const;

const perSecond = (value: number): string => `${integer(value)}/s`;
const growth = (before: number, after: number): string => {
  const delta = after - before;
  return `${signed(megabytes(delta), delta)} (${signed(fixed((delta / before) * 100, 1), delta)}%)`;
};

export const benchmark = defineBenchmark({
  name: 'local-lambda',
  exitStatus: 'check',
  cpuProfiles: 'local-lambda-bench-profiles',
  options: {
    n: count('measured invocations per throughput phase', { default: 5000, min: 1 }),
    warmup: count('warm-up invocations before each throughput phase', { default: 2000 }),
    concurrency: count('invocations in flight in the concurrent and memory phases', { default: 16, min: 1 }),
    memoryN: count('invocations between the two memory readings', { default: 50_000, min: 1 }),
    runtimeN: count('measured invocations per Python / custom-runtime throughput phase', { default: 2000, min: 1 }),
    runtimeWarmup: count('warm-up invocations before each Python / custom-runtime phase', { default: 200 }),
  },
  context: () => ({ function: FUNCTION_NAME }),

  async setup(scope, options): Promise<Env> {
    const server = await scope.start<LocalLambdaMethods>({
      name: 'the local Lambda',
      script: SERVER_SCRIPT,
      execArgv: ['--expose-gc', ...cpuProfArgs(options.cpuProfDir)],
    });
    const client = localLambdaClient(server.address);
    scope.defer(() => client.destroy());
    // One cold invocation first, so a broken setup fails here with a clear message.
    await invokeNoopDirect(client);
    return { server, client };
  },

  phases: {
    sequential: {
      progress: (o) => `sequential: ${o.warmup} warm-up + ${o.n} invocations…`,
      run: (env: Env, o) => throughputPhase('sequential (1 in flight)', env, o, 1),
    },
    concurrent: {
      progress: (o) => `${o.concurrency} in flight: ${o.warmup} warm-up + ${o.n} invocations…`,
      run: (env: Env, o) => throughputPhase(`${o.concurrency} in flight`, env, o, o.concurrency),
    },
    memory: {
      progress: (o) => `memory: ${o.memoryN} invocations at ${o.concurrency} in flight…`,
      run: (env: Env, o) => memoryPhase(env, o.memoryN, o.concurrency),
    },
    pythonCold: {
      progress: () => `Python: ${COLD_QUALIFIERS.length} cold starts…`,
      run: (env: Env) => coldStartPhase('Python (python3.12)', env, PYTHON_NOOP, COLD_QUALIFIERS),
    },
    pythonSequential: {
      progress: (o) => `Python sequential: ${o.runtimeWarmup} warm-up + ${o.runtimeN} invocations…`,
      run: (env: Env, o) => throughputPhase('Python, sequential', env, { warmup: o.runtimeWarmup, n: o.runtimeN }, 1, PYTHON_NOOP),
    },
    pythonConcurrent: {
      progress: (o) => `Python ${o.concurrency} in flight: ${o.runtimeWarmup} warm-up + ${o.runtimeN} invocations…`,
      run: (env: Env, o) =>
        throughputPhase(`Python, ${o.concurrency} in flight`, env, { warmup: o.runtimeWarmup, n: o.runtimeN }, o.concurrency, PYTHON_NOOP),
    },
    customCold: {
      progress: () => `custom runtime: ${COLD_QUALIFIERS.length} cold starts…`,
      run: (env: Env) => coldStartPhase('custom runtime (sh + curl)', env, CUSTOM_NOOP, COLD_QUALIFIERS),
    },
    customSequential: {
      progress: (o) => `custom runtime sequential: ${o.runtimeWarmup} warm-up + ${o.runtimeN} invocations…`,
      run: (env: Env, o) => throughputPhase('custom runtime, sequential', env, { warmup: o.runtimeWarmup, n: o.runtimeN }, 1, CUSTOM_NOOP),
    },
    customConcurrent: {
      progress: (o) => `custom runtime ${o.concurrency} in flight: ${o.runtimeWarmup} warm-up + ${o.runtimeN} invocations…`,
      run: (env: Env, o) =>
        throughputPhase(
          `custom runtime, ${o.concurrency} in flight`,
          env,
          { warmup: o.runtimeWarmup, n: o.runtimeN },
          o.concurrency,
          CUSTOM_NOOP,
        ),
    },
  },

  targets: ({ sequential, concurrent, memory, pythonSequential }) => [
    {
      name: 'warm invocations, sequential',
      value: sequential.perSecond,
      comparison: '≥',
      target: TARGETS.sequentialPerSecond,
      format: perSecond,
    },
    {
      name: `warm invocations, ${concurrent.concurrency} in flight`,
      value: concurrent.perSecond,
      comparison: '≥',
      target: TARGETS.concurrentPerSecond,
      format: perSecond,
    },
    {
      name: `server heapUsed flat after ${integer(memory.invocations)} invocations`,
      value: memory.heapUsedGrowthPercent,
      comparison: '<',
      target: TARGETS.heapGrowthPercent,
      format: (percent) => `${fixed(percent, 1)}%`,
      or: { value: memory.heapUsedGrowthBytes, comparison: '<', target: TARGETS.heapGrowthBytes, format: megabytes },
    },
    {
      name: 'warm Python invocations, sequential',
      value: pythonSequential.perSecond,
      comparison: '≥',
      target: TARGETS.pythonSequentialPerSecond,
      format: perSecond,
    },
  ],

  report: (
    { sequential, concurrent, memory, pythonCold, pythonSequential, pythonConcurrent, customCold, customSequential, customConcurrent },
    options,
  ) => ({
    title: `Local Lambda benchmark: '${FUNCTION_NAME}' with payload {} through @aws-sdk/client-lambda`,
    blocks: [
      {
        header: [
          'throughput (warm)',
          'invocations',
          'inv/s',
          'median ms',
          'p99 ms',
          'max ms',
          'CPU µs/inv client',
          'server',
          'CPU % client',
          'server',
          'envs',
        ],
        rows: [sequential, concurrent, pythonSequential, pythonConcurrent, customSequential, customConcurrent].map((r) => [
          r.name,
          integer(r.invocations),
          integer(r.perSecond),
          fixed(r.medianMs, 3),
          fixed(r.p99Ms, 3),
          fixed(r.maxMs, 1),
          integer(r.clientCpuUsPerInvocation),
          integer(r.serverCpuUsPerInvocation),
          `${r.clientCpuPercent}%`,
          `${r.serverCpuPercent}%`,
          String(r.environments),
        ]),
        notes: [
          `(each phase after ${integer(options.warmup)} warm-up invocations at the same concurrency; CPU % is of one core,`,
          ' the client being the single-threaded SDK in this process, the server the local Lambda process with its workers;',
          ` Python and custom-runtime rows: ${integer(options.runtimeWarmup)} warm-up and ${integer(options.runtimeN)} invocations, of noop-python and noop-custom;`,
          ' their server CPU is the local Lambda process only, not the runtime processes)',
        ],
      },
      {
        header: ['cold start (one invocation of a fresh version)', 'samples', 'median ms', 'max ms'],
        rows: [pythonCold, customCold].map((r) => [r.name, String(r.samples), fixed(r.medianMs, 1), fixed(r.maxMs, 1)]),
        notes: ['(whole invocation latency through the SDK: process start, runtime init, one no-op; one after another)'],
      },
      {
        header: [
          `server memory after gc (${integer(memory.invocations)} invocations, ${memory.concurrency} in flight)`,
          'before',
          'after',
          'growth',
        ],
        rows: (['rss', 'heapUsed', 'external'] as const).map((field) => [
          field,
          megabytes(memory.before[field]),
          megabytes(memory.after[field]),
          growth(memory.before[field], memory.after[field]),
        ]),
        notes: [
          `(memory phase: ${integer(memory.perSecond)} inv/s, CPU µs/inv client ${memory.clientCpuUsPerInvocation} server ${memory.serverCpuUsPerInvocation},` +
            ` CPU % client ${memory.clientCpuPercent}% server ${memory.serverCpuPercent}%; environments ${memory.environmentsBefore} → ${memory.environmentsAfter};`,
          ' heapUsed is the server main thread only, worker heaps count in rss)',
        ],
      },
    ],
  }),
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
