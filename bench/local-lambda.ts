/**
 * Benchmark of the built-in local Lambda, through the real `@aws-sdk/client-lambda` client, against
 * the targets of DESIGN.md §5: warm no-op invocations ≥ 1,000/s sequential, ≥ 2,000/s at 16 in
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
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { exitWith } from './support/exit.ts';
import type { CpuFigures, MemoryFigures, ParentRequest, ServerMessage, ServerStats } from './support/local-lambda-server.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SERVER_SCRIPT = path.join(BENCH_DIR, 'support', 'local-lambda-server.ts');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'local-lambda.json');

/** DESIGN.md §5. */
const TARGETS = {
  sequentialPerSecond: 1000,
  concurrentPerSecond: 2000,
  /** "Flat": heapUsed grows by less than this percentage… */
  heapGrowthPercent: 10,
  /** …or by less than this many bytes. */
  heapGrowthBytes: 5 * 1024 * 1024,
} as const;

const FUNCTION_NAME = 'noop';
const PAYLOAD = new TextEncoder().encode('{}');
const MB = 1024 * 1024;
/** A phase in which no invocation completes for this long is abandoned. */
const STALL_MS = 30_000;
const SERVER_START_MS = 30_000;
const SERVER_REPLY_MS = 30_000;
const SERVER_EXIT_MS = 10_000;

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

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        n: { type: 'string', default: '5000' },
        warmup: { type: 'string', default: '2000' },
        concurrency: { type: 'string', default: '16' },
        'memory-n': { type: 'string', default: '50000' },
        'cpu-prof': { type: 'boolean', default: false },
        'cpu-prof-dir': { type: 'string' },
        check: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  if (values.help) return 'help';
  const count = (name: string, text: string, min: number): number => {
    const value = Number(text.replaceAll('_', ''));
    if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(text)})`);
    return value;
  };
  const cpuProfDir = values['cpu-prof-dir'] ?? (values['cpu-prof'] ? path.join(os.tmpdir(), 'local-lambda-bench-profiles') : undefined);
  return {
    n: count('n', values.n, 1),
    warmup: count('warmup', values.warmup, 0),
    concurrency: count('concurrency', values.concurrency, 1),
    memoryN: count('memory-n', values['memory-n'], 1),
    cpuProfDir: cpuProfDir === undefined ? undefined : path.resolve(cpuProfDir),
    check: values.check,
  };
}

// --- The server process ----------------------------------------------------------------------

function isServerMessage(message: unknown): message is ServerMessage {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}

/** The local Lambda in its child process, and the IPC requests the benchmark makes to it. */
class ServerProcess {
  readonly child: ChildProcess;
  readonly endpoint: string;
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (message: ServerMessage) => void; reject: (error: Error) => void }>();
  #exited: Promise<void>;

  private constructor(child: ChildProcess, endpoint: string, exited: Promise<void>) {
    this.child = child;
    this.endpoint = endpoint;
    this.#exited = exited;
    child.on('message', (message: unknown) => {
      if (!isServerMessage(message) || !('id' in message)) return;
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiting?.resolve(message);
    });
    void exited.then(() => {
      for (const waiting of this.#waiting.values()) waiting.reject(new Error('the local Lambda process exited'));
      this.#waiting.clear();
    });
  }

  static async start(cpuProfDir: string | undefined): Promise<ServerProcess> {
    const execArgv = ['--expose-gc'];
    if (cpuProfDir !== undefined) {
      mkdirSync(cpuProfDir, { recursive: true });
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`);
    }
    const child = fork(SERVER_SCRIPT, [], {
      execPath: process.execPath,
      execArgv,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    // Whatever happens to the benchmark, the server does not outlive it.
    const killOnExit = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    const exited = new Promise<void>((resolve) => child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }));

    try {
      const endpoint = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the local Lambda did not start within ${SERVER_START_MS} ms`)), SERVER_START_MS);
        child.on('message', (message: unknown) => {
          if (!isServerMessage(message)) return;
          if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message.endpoint);
          } else if (message.type === 'fatal') {
            clearTimeout(timer);
            reject(new Error(`the local Lambda failed to start:\n${message.message}`));
          }
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`the local Lambda process exited during start-up (code ${child.exitCode}, signal ${child.signalCode})`));
        });
      });
      const url = new URL(endpoint);
      if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
        throw new Error(`the local Lambda listens on ${endpoint}; this benchmark only talks to 127.0.0.1`);
      }
      return new ServerProcess(child, endpoint, exited);
    } catch (error) {
      killOnExit();
      throw error;
    }
  }

  /** Memory after two full collections. */
  async memory(): Promise<{ memory: MemoryFigures; stats: ServerStats }> {
    const reply = await this.#request('memory');
    if (reply.type !== 'memory') throw new Error(`unexpected reply ${reply.type}`);
    return { memory: reply.memory, stats: reply.stats };
  }

  async cpu(): Promise<{ cpu: CpuFigures; stats: ServerStats }> {
    const reply = await this.#request('cpu');
    if (reply.type !== 'cpu') throw new Error(`unexpected reply ${reply.type}`);
    return { cpu: reply.cpu, stats: reply.stats };
  }

  #request(type: 'memory' | 'cpu'): Promise<ServerMessage> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`the local Lambda did not answer a ${type} request within ${SERVER_REPLY_MS} ms`));
      }, SERVER_REPLY_MS);
      this.#waiting.set(id, {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      const request: ParentRequest = { type, id };
      this.child.send(request);
    });
  }

  /** Asks the server to close (so a CPU profile gets written); kills it if it does not exit in time. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) {
      const request: ParentRequest = { type: 'close' };
      this.child.send(request);
    }
    const timer = setTimeout(() => this.kill(), SERVER_EXIT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

// --- Invocations -----------------------------------------------------------------------------

async function invokeNoop(client: LambdaClient): Promise<void> {
  const output = await client.send(new InvokeCommand({ FunctionName: FUNCTION_NAME, Payload: PAYLOAD }));
  const payload = output.Payload;
  // `noop` returns nothing: Lambda answers 200 with the 4 bytes `null`.
  if (output.StatusCode !== 200 || output.FunctionError !== undefined || payload?.byteLength !== 4 || payload[0] !== 0x6e) {
    const text = payload === undefined ? '(none)' : Buffer.from(payload).toString('utf8').slice(0, 200);
    throw new Error(`unexpected answer from ${FUNCTION_NAME}: status ${output.StatusCode}, FunctionError ${output.FunctionError}, payload ${text}`);
  }
}

interface RunFigures {
  readonly invocations: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  /** Milliseconds per invocation, in completion-slot order. */
  readonly latencies: Float64Array;
}

/**
 * `total` invocations from `concurrency` loops, each starting the next one as soon as its own
 * returns. The first failure stops every loop and rejects; so does a stall of `STALL_MS`.
 */
async function run(client: LambdaClient, total: number, concurrency: number): Promise<RunFigures> {
  const latencies = new Float64Array(total);
  let next = 0;
  let completed = 0;
  let failed = false;
  const loop = async (): Promise<void> => {
    while (!failed) {
      const index = next++;
      if (index >= total) return;
      const started = performance.now();
      try {
        await invokeNoop(client);
      } catch (error) {
        failed = true;
        throw error;
      }
      latencies[index] = performance.now() - started;
      completed += 1;
    }
  };

  let watchdog: NodeJS.Timeout | undefined;
  const stalled = new Promise<never>((_, reject) => {
    let seen = -1;
    let lastProgress = performance.now();
    watchdog = setInterval(() => {
      if (completed !== seen) {
        seen = completed;
        lastProgress = performance.now();
      } else if (performance.now() - lastProgress > STALL_MS) {
        failed = true;
        reject(new Error(`no invocation completed for ${STALL_MS / 1000} s (${completed} of ${total} done)`));
      }
    }, 1000);
  });
  const started = performance.now();
  try {
    const loops = Array.from({ length: Math.min(concurrency, total) }, loop);
    await Promise.race([Promise.all(loops), stalled]);
  } finally {
    clearInterval(watchdog);
  }
  return { invocations: total, concurrency, elapsedMs: performance.now() - started, latencies };
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

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
  if (options.warmup > 0) await run(client, options.warmup, concurrency);
  const { result: figures, clientCpuUs, serverCpuUs, stats } = await measureCpu(server, () => run(client, options.n, concurrency));
  const sorted = figures.latencies.slice().sort();
  const perSecond = (figures.invocations / figures.elapsedMs) * 1000;
  return {
    name,
    invocations: figures.invocations,
    concurrency,
    warmupInvocations: options.warmup,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round(perSecond, 0),
    medianMs: round(percentile(sorted, 50), 3),
    p99Ms: round(percentile(sorted, 99), 3),
    maxMs: round(sorted[sorted.length - 1] ?? Number.NaN, 3),
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
  const { result: figures, clientCpuUs, serverCpuUs } = await measureCpu(server, () => run(client, options.memoryN, options.concurrency));
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

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = (value: number, digits: number): string =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
const megabytes = (bytes: number): string => `${fixed(bytes / MB, 1)} MB`;
const signed = (text: string, value: number): string => (value >= 0 ? `+${text}` : text);

/** Left-aligns the first column, right-aligns the others. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

function report(machine: Machine, options: Options, throughput: readonly ThroughputResult[], memory: MemoryResult): string {
  const lines: string[] = [];
  lines.push(
    `Local Lambda benchmark: '${FUNCTION_NAME}' with payload {} through @aws-sdk/client-lambda`,
    `node ${machine.node}, ${machine.platform}/${machine.arch}, ${machine.cpus} × ${machine.cpuModel}, load average at start ${machine.loadAverage.join(' ')}`,
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

interface Machine {
  readonly node: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpus: number;
  readonly cpuModel: string;
  readonly totalMemoryMb: number;
  /** 1-, 5- and 15-minute load averages when the run started: other work on the machine skews the figures. */
  readonly loadAverage: readonly number[];
}

function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: os.availableParallelism(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown CPU',
    totalMemoryMb: Math.round(os.totalmem() / MB),
    loadAverage: os.loadavg().map((load) => round(load, 2)),
  };
}

// --- Main ------------------------------------------------------------------------------------

/** Runs the benchmark; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    const parsed = parseOptions(argv);
    if (parsed === 'help') {
      console.log(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${USAGE}`);
    return 1;
  }

  const machine = describeMachine();
  let server: ServerProcess | undefined;
  let client: LambdaClient | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    server?.kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    server = await ServerProcess.start(options.cpuProfDir);
    client = new LambdaClient({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
    });
    console.error(`local Lambda (pid ${server.child.pid}) at ${server.endpoint}`);

    // One cold invocation first, so a broken setup fails here with a clear message.
    await invokeNoop(client);

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
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nall targets ${targetsMet ? 'met' : 'NOT met'}; results written to ${path.relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
    if (options.cpuProfDir !== undefined) console.log(`server CPU profiles: ${options.cpuProfDir}`);
    return options.check && !targetsMet ? 2 : 0;
  } catch (error) {
    console.error(`\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    client?.destroy();
    await server?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

if (import.meta.main) {
  exitWith(await main(process.argv.slice(2)));
}
