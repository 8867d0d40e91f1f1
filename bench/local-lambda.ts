/**
 * Benchmark of the built-in local Lambda, through the real `@aws-sdk/client-lambda` client, against
 * the targets in README.md (Performance): warm no-op invocations ≥ 1,000/s sequential, ≥ 2,000/s at 16 in
 * flight, memory flat after 50,000 invocations.
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
 *
 * Results are printed as a table and written to `bench/results/local-lambda.json`.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { ChildServer, cpuProfArgs } from './support/child-server.ts';
import type { CpuFigures, MemoryFigures } from './support/child-main.ts';
import { cpuProfDir, exitOnSignals, failureMessage, parseCommandLine, parseCount, readOptions, writeResults } from './support/cli.ts';
import { exitWith } from './support/exit.ts';
import { NOOP as FUNCTION_NAME, invokeNoopDirect, localLambdaClient, run } from './support/load.ts';
import type { ParentRequest, ServerMessage, ServerStats } from './support/local-lambda-server.ts';
import { describeMachine, type Machine, machineLine } from './support/machine.ts';
import { latencies, round } from './support/stats.ts';
import { MB, fixed, integer, megabytes, signed, table } from './support/table.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SERVER_SCRIPT = path.join(BENCH_DIR, 'support', 'local-lambda-server.ts');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'local-lambda.json');

/** The targets in README.md (Performance). */
const TARGETS = {
  sequentialPerSecond: 1000,
  concurrentPerSecond: 2000,
  /** "Flat": heapUsed grows by less than this percentage… */
  heapGrowthPercent: 10,
  /** …or by less than this many bytes. */
  heapGrowthBytes: 5 * 1024 * 1024,
} as const;

const USAGE = `Usage: npm run bench:local-lambda -- [options]

Options:
  --n <count>            measured invocations per throughput phase (default 5000)
  --warmup <count>       warm-up invocations before each throughput phase (default 2000)
  --concurrency <count>  invocations in flight in the concurrent and memory phases (default 16)
  --memory-n <count>     invocations between the two memory readings (default 50000)
  --cpu-prof             run the server with --cpu-prof (profiles go to --cpu-prof-dir)
  --cpu-prof-dir <dir>   default: <tmpdir>/local-lambda-bench-profiles
  --check                exit with status 2 when a target is missed
  --help                 this text`;

interface Options {
  readonly n: number;
  readonly warmup: number;
  readonly concurrency: number;
  readonly memoryN: number;
  readonly cpuProfDir: string | undefined;
  readonly check: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseCommandLine(argv, {
    n: { type: 'string' },
    warmup: { type: 'string' },
    concurrency: { type: 'string' },
    'memory-n': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return 'help';
  return {
    n: parseCount('n', values.n, 5000, 1),
    warmup: parseCount('warmup', values.warmup, 2000, 0),
    concurrency: parseCount('concurrency', values.concurrency, 16, 1),
    memoryN: parseCount('memory-n', values['memory-n'], 50_000, 1),
    cpuProfDir: cpuProfDir(values['cpu-prof-dir'], values['cpu-prof'], 'local-lambda-bench-profiles'),
    check: values.check,
  };
}

// --- The server process ----------------------------------------------------------------------

/** The local Lambda in its child process, and the IPC requests the benchmark makes to it. */
class ServerProcess {
  readonly #server: ChildServer<ServerMessage, ParentRequest>;

  private constructor(server: ChildServer<ServerMessage, ParentRequest>) {
    this.#server = server;
  }

  static async start(cpuProfDir: string | undefined): Promise<ServerProcess> {
    return new ServerProcess(
      await ChildServer.start<ServerMessage, ParentRequest>({
        name: 'the local Lambda',
        script: SERVER_SCRIPT,
        execArgv: ['--expose-gc', ...cpuProfArgs(cpuProfDir)],
        ready: (message) => (message.type === 'ready' ? message.endpoint : undefined),
      }),
    );
  }

  get endpoint(): string {
    return this.#server.address;
  }

  get pid(): number | undefined {
    return this.#server.child.pid;
  }

  /** Memory after two full collections. */
  async memory(): Promise<{ memory: MemoryFigures; stats: ServerStats }> {
    const reply = await this.#server.request((id) => ({ type: 'memory', id }));
    if (reply.type !== 'memory') throw new Error(`unexpected reply ${reply.type}`);
    return { memory: reply.memory, stats: reply.stats };
  }

  async cpu(): Promise<{ cpu: CpuFigures; stats: ServerStats }> {
    const reply = await this.#server.request((id) => ({ type: 'cpu', id }));
    if (reply.type !== 'cpu') throw new Error(`unexpected reply ${reply.type}`);
    return { cpu: reply.cpu, stats: reply.stats };
  }

  /** Asks the server to close (so a CPU profile gets written); kills it if it does not exit in time. */
  close(): Promise<void> {
    return this.#server.close({ type: 'close' });
  }

  kill(): void {
    this.#server.kill();
  }
}

// --- Invocations -----------------------------------------------------------------------------

/** CPU used by each process while `work` runs (the server figure covers its worker threads). */
async function measureCpu<T>(server: ServerProcess, work: () => Promise<T>): Promise<{ result: T; clientCpuUs: number; serverCpuUs: number; stats: ServerStats }> {
  const serverBefore = await server.cpu();
  const clientBefore = process.cpuUsage();
  const result = await work();
  const clientCpu = process.cpuUsage(clientBefore);
  const serverAfter = await server.cpu();
  return {
    result,
    clientCpuUs: clientCpu.user + clientCpu.system,
    serverCpuUs: serverAfter.cpu.user + serverAfter.cpu.system - serverBefore.cpu.user - serverBefore.cpu.system,
    stats: serverAfter.stats,
  };
}

/** CPU per invocation and as a share of one core over the run: shows which side is saturated. */
interface CpuShare {
  /** Microseconds per invocation: the benchmark process (SDK client)… */
  readonly clientCpuUsPerInvocation: number;
  /** …and the local Lambda process (HTTP server, main thread and worker threads). */
  readonly serverCpuUsPerInvocation: number;
  /** Percent of one core over the run (100 = one core saturated). */
  readonly clientCpuPercent: number;
  readonly serverCpuPercent: number;
}

function cpuShare(invocations: number, elapsedMs: number, clientCpuUs: number, serverCpuUs: number): CpuShare {
  return {
    clientCpuUsPerInvocation: round(clientCpuUs / invocations, 0),
    serverCpuUsPerInvocation: round(serverCpuUs / invocations, 0),
    clientCpuPercent: round((clientCpuUs / 1000 / elapsedMs) * 100, 0),
    serverCpuPercent: round((serverCpuUs / 1000 / elapsedMs) * 100, 0),
  };
}

interface ThroughputResult extends CpuShare {
  readonly name: string;
  readonly invocations: number;
  readonly concurrency: number;
  readonly warmupInvocations: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly environments: number;
  readonly target: { readonly minPerSecond: number; readonly met: boolean };
}

async function throughputPhase(
  name: string,
  client: LambdaClient,
  server: ServerProcess,
  options: Options,
  concurrency: number,
  minPerSecond: number,
): Promise<ThroughputResult> {
  if (options.warmup > 0) await run(() => invokeNoopDirect(client), options.warmup, concurrency);
  const { result: figures, clientCpuUs, serverCpuUs, stats } = await measureCpu(server, () => run(() => invokeNoopDirect(client), options.n, concurrency));
  const sorted = figures.latencies.slice().sort();
  const perSecond = (figures.invocations / figures.elapsedMs) * 1000;
  return {
    name,
    invocations: figures.invocations,
    concurrency,
    warmupInvocations: options.warmup,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round(perSecond, 0),
    ...latencies(sorted),
    ...cpuShare(figures.invocations, figures.elapsedMs, clientCpuUs, serverCpuUs),
    environments: stats.environments,
    target: { minPerSecond, met: perSecond >= minPerSecond },
  };
}

interface MemoryResult extends CpuShare {
  readonly invocations: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly before: MemoryFigures;
  readonly after: MemoryFigures;
  readonly rssGrowthBytes: number;
  readonly rssGrowthPercent: number;
  readonly heapUsedGrowthBytes: number;
  readonly heapUsedGrowthPercent: number;
  readonly environmentsBefore: number;
  readonly environmentsAfter: number;
  readonly target: { readonly maxGrowthPercent: number; readonly maxGrowthBytes: number; readonly flat: boolean };
}

async function memoryPhase(client: LambdaClient, server: ServerProcess, options: Options): Promise<MemoryResult> {
  const before = await server.memory();
  const { result: figures, clientCpuUs, serverCpuUs } = await measureCpu(server, () => run(() => invokeNoopDirect(client), options.memoryN, options.concurrency));
  const after = await server.memory();
  const heapGrowth = after.memory.heapUsed - before.memory.heapUsed;
  const heapGrowthPercent = (heapGrowth / before.memory.heapUsed) * 100;
  const rssGrowth = after.memory.rss - before.memory.rss;
  return {
    invocations: figures.invocations,
    concurrency: options.concurrency,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round((figures.invocations / figures.elapsedMs) * 1000, 0),
    ...cpuShare(figures.invocations, figures.elapsedMs, clientCpuUs, serverCpuUs),
    before: before.memory,
    after: after.memory,
    rssGrowthBytes: rssGrowth,
    rssGrowthPercent: round((rssGrowth / before.memory.rss) * 100, 2),
    heapUsedGrowthBytes: heapGrowth,
    heapUsedGrowthPercent: round(heapGrowthPercent, 2),
    environmentsBefore: before.stats.environments,
    environmentsAfter: after.stats.environments,
    target: {
      maxGrowthPercent: TARGETS.heapGrowthPercent,
      maxGrowthBytes: TARGETS.heapGrowthBytes,
      flat: heapGrowthPercent < TARGETS.heapGrowthPercent || heapGrowth < TARGETS.heapGrowthBytes,
    },
  };
}

// --- Report ----------------------------------------------------------------------------------

function report(machine: Machine, options: Options, throughput: readonly ThroughputResult[], memory: MemoryResult): string {
  const lines: string[] = [];
  lines.push(
    `Local Lambda benchmark: '${FUNCTION_NAME}' with payload {} through @aws-sdk/client-lambda`,
    machineLine(machine),
    '',
  );
  lines.push(table(
    ['throughput (warm)', 'invocations', 'inv/s', 'median ms', 'p99 ms', 'max ms', 'CPU µs/inv client', 'server', 'CPU % client', 'server', 'envs', 'target', 'result'],
    throughput.map((r) => [
      r.name,
      integer.format(r.invocations),
      integer.format(r.perSecond),
      fixed(r.medianMs, 3),
      fixed(r.p99Ms, 3),
      fixed(r.maxMs, 1),
      integer.format(r.clientCpuUsPerInvocation),
      integer.format(r.serverCpuUsPerInvocation),
      `${r.clientCpuPercent}%`,
      `${r.serverCpuPercent}%`,
      String(r.environments),
      `≥ ${integer.format(r.target.minPerSecond)}/s`,
      r.target.met ? 'PASS' : 'MISS',
    ]),
  ));
  lines.push(
    `(each phase after ${integer.format(options.warmup)} warm-up invocations at the same concurrency; CPU % is of one core,`,
    ' the client being the single-threaded SDK in this process, the server the local Lambda process with its workers)',
    '',
  );

  const growth = (before: number, after: number): string => {
    const delta = after - before;
    return `${signed(megabytes(delta), delta)} (${signed(fixed((delta / before) * 100, 1), delta)}%)`;
  };
  lines.push(table(
    [`server memory after gc (${integer.format(memory.invocations)} invocations, ${memory.concurrency} in flight)`, 'before', 'after', 'growth', 'target', 'result'],
    [
      ['rss', megabytes(memory.before.rss), megabytes(memory.after.rss), growth(memory.before.rss, memory.after.rss), '', ''],
      [
        'heapUsed',
        megabytes(memory.before.heapUsed),
        megabytes(memory.after.heapUsed),
        growth(memory.before.heapUsed, memory.after.heapUsed),
        `flat (< ${TARGETS.heapGrowthPercent}% or < ${TARGETS.heapGrowthBytes / MB} MB)`,
        memory.target.flat ? 'PASS (flat)' : 'MISS (grows)',
      ],
      ['external', megabytes(memory.before.external), megabytes(memory.after.external), growth(memory.before.external, memory.after.external), '', ''],
    ],
  ));
  lines.push(
    `(memory phase: ${integer.format(memory.perSecond)} inv/s, CPU µs/inv client ${memory.clientCpuUsPerInvocation} server ${memory.serverCpuUsPerInvocation},` +
      ` CPU % client ${memory.clientCpuPercent}% server ${memory.serverCpuPercent}%; environments ${memory.environmentsBefore} → ${memory.environmentsAfter};`,
    ' heapUsed is the server main thread only, worker heaps count in rss)',
  );
  return lines.join('\n');
}

// --- Main ------------------------------------------------------------------------------------

/** Runs the benchmark; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = readOptions(USAGE, () => parseOptions(argv));
  if (typeof options === 'number') return options;

  const machine = describeMachine();
  let server: ServerProcess | undefined;
  let client: LambdaClient | undefined;
  const removeSignalHandlers = exitOnSignals(() => server?.kill());
  try {
    server = await ServerProcess.start(options.cpuProfDir);
    client = localLambdaClient(server.endpoint);
    console.error(`local Lambda (pid ${server.pid}) at ${server.endpoint}`);

    // One cold invocation first, so a broken setup fails here with a clear message.
    await invokeNoopDirect(client);

    console.error(`sequential: ${options.warmup} warm-up + ${options.n} invocations…`);
    const sequential = await throughputPhase('sequential (1 in flight)', client, server, options, 1, TARGETS.sequentialPerSecond);
    console.error(`${options.concurrency} in flight: ${options.warmup} warm-up + ${options.n} invocations…`);
    const concurrent = await throughputPhase(
      `${options.concurrency} in flight`,
      client,
      server,
      options,
      options.concurrency,
      TARGETS.concurrentPerSecond,
    );
    console.error(`memory: ${options.memoryN} invocations at ${options.concurrency} in flight…`);
    const memory = await memoryPhase(client, server, options);

    console.log(`\n${report(machine, options, [sequential, concurrent], memory)}`);
    const targetsMet = sequential.target.met && concurrent.target.met && memory.target.flat;
    const results = {
      benchmark: 'local-lambda',
      date: new Date().toISOString(),
      machine,
      options: { n: options.n, warmup: options.warmup, concurrency: options.concurrency, memoryN: options.memoryN, cpuProf: options.cpuProfDir !== undefined },
      function: FUNCTION_NAME,
      targets: TARGETS,
      sequential,
      concurrent,
      memory,
      targetsMet,
    };
    const written = writeResults(RESULTS_FILE, results);
    console.log(`\nall targets ${targetsMet ? 'met' : 'NOT met'}; results written to ${written}`);
    if (options.cpuProfDir !== undefined) console.log(`server CPU profiles: ${options.cpuProfDir}`);
    return options.check && !targetsMet ? 2 : 0;
  } catch (error) {
    console.error(failureMessage(error));
    return 1;
  } finally {
    client?.destroy();
    await server?.close();
    removeSignalHandlers();
  }
}

if (import.meta.main) {
  exitWith(await main(process.argv.slice(2)));
}
