/**
 * Benchmark of the gateway against the targets in README.md (Performance), in one run against one local
 * Lambda:
 *
 *   1. Overhead: `noop` invoked through the gateway (a GraphQL POST of `invokeFunction` over a
 *      keep-alive node:http agent) vs through `@aws-sdk/client-lambda` directly — throughput ratio
 *      gateway/direct ≥ 0.6 at 16 in flight, added median latency ≤ 0.5 ms at 1 in flight.
 *   2. Batching: one `invokeFunctions` of 50 `sleep` {ms: 20} vs 50 sequential `invokeFunction`
 *      requests of the same, through the gateway (its default invokeConcurrency 16) — ≥ 8× faster.
 *   Beside both, a reference: a bare graphql-yoga server (`bench/support/yoga-floor-server.ts`,
 *      its defaults and a one-mutation schema whose resolver makes the direct path's SDK call) —
 *      the least any yoga server in front of the SDK costs. Measured in the same rounds, it shows
 *      how much of the gateway's overhead is its own and how much is the stack's.
 *   3. A 6 MB payload round trip: `echo` with a payload just under 6,291,456 bytes, selecting
 *      `payloadJson` — every round trip intact, nothing retained by the gateway afterwards, and
 *      one byte more refused. The gateway's peak RSS (maxRSS) and heap are reported before, during
 *      and after, so "bounded memory" can be judged; the targets give no figure for the peak.
 *
 * Three processes: the local Lambda (`bench/support/local-lambda-server.ts`) and the gateway
 * (`bench/support/gateway-server.ts`, `startGatewayServer` with `lambda: { kind: 'endpoint' }`
 * pointing at that local Lambda) each in a child process started with `--expose-gc`, and the
 * clients — the SDK and the GraphQL client — in this one. CPU is measured per process. Only
 * 127.0.0.1 is ever contacted.
 *
 * The machine is small and shared, so the two paths of phase 1 alternate in `--rounds` rounds
 * (the order swapping every round) after each has been warmed up; the figures reported are the
 * medians of the per-round figures, the ratio and the added latency being computed per round.
 * The default warm-up is 3,000 invocations per path at 16 in flight (then 500 at 1 in flight):
 * the SDK — in this process and inside the gateway — is not at steady state before ~2,000.
 *
 *   npm run bench:gateway                      full size
 *   npm run bench:gateway -- --quick           quick run (smaller counts; flags still override)
 *   npm run bench:gateway -- --cpu-prof        profile the gateway and local Lambda processes
 *   npm run bench:gateway -- --help            every option
 *
 * Results are printed as a table and written to `bench/results/gateway.json`.
 */
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { MAX_SYNC_REQUEST_BYTES } from '../src/protocol/limits.ts';
import { ChildServer, cpuProfArgs } from './support/child-server.ts';
import type { MemoryFigures } from './support/child-main.ts';
import { cpuProfDir, exitOnSignals, failureMessage, parseCommandLine, parseCount, readOptions, writeResults } from './support/cli.ts';
import { exitWith } from './support/exit.ts';
import type { GatewayParentRequest, GatewayServerMessage } from './support/gateway-server.ts';
import { NOOP, NOOP_PAYLOAD, invokeNoopDirect, localLambdaClient, run } from './support/load.ts';
import type { ParentRequest, ServerMessage } from './support/local-lambda-server.ts';
import { describeMachine, type Machine, machineLine } from './support/machine.ts';
import { cpuMicros, latencies, median, round } from './support/stats.ts';
import { MB, fixed, integer, megabytes, signed, table } from './support/table.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const LAMBDA_SCRIPT = path.join(BENCH_DIR, 'support', 'local-lambda-server.ts');
const GATEWAY_SCRIPT = path.join(BENCH_DIR, 'support', 'gateway-server.ts');
const FLOOR_SCRIPT = path.join(BENCH_DIR, 'support', 'yoga-floor-server.ts');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'gateway.json');

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

const INVOKE_QUERY = `mutation Invoke($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) { __typename ... on Invocation { statusCode payloadJson } ... on Error { message } }
}`;
const BATCH_QUERY = `mutation InvokeMany($inputs: [InvokeFunctionInput!]!) {
  invokeFunctions(inputs: $inputs) { __typename ... on Invocation { statusCode payloadJson } ... on Error { message } }
}`;
const TOO_LARGE_QUERY = `mutation InvokeTooLarge($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) { __typename ... on PayloadTooLargeError { sizeBytes limitBytes } ... on Error { message } }
}`;

const USAGE = `Usage: npm run bench:gateway -- [options]

Options (full size / --quick):
  --quick                      smaller counts for a quick check; any count given explicitly wins
  --rounds <count>             rounds alternating the direct and gateway paths (5 / 2)
  --n <count>                  invocations per path per round at 1 in flight (2000 / 300)
  --concurrent-n <count>       invocations per path per round at --concurrency (5000 / 1000)
  --concurrency <count>        in flight for the throughput comparison (16)
  --warmup <count>             warm-up invocations per path at --concurrency (3000 / 1000)
  --warmup-sequential <count>  then warm-up invocations per path at 1 in flight (500 / 200)
  --batch-size <count>         inputs of the invokeFunctions batch (50)
  --sleep-ms <ms>              what each batch input asks 'sleep' to wait (20)
  --batch-repeats <count>      batch vs sequential comparisons (5 / 2)
  --big-repeats <count>        6 MB round trips (10 / 3)
  --big-chars <count>          characters of the JSON string sent to 'echo' (6291000: 6,291,002 bytes)
  --cpu-prof                   run both servers with --cpu-prof (profiles go to --cpu-prof-dir)
  --cpu-prof-dir <dir>         default: <tmpdir>/gateway-bench-profiles
  --check                      exit with status 2 when a target is missed
  --help                       this text`;

interface Options {
  readonly quick: boolean;
  readonly rounds: number;
  readonly n: number;
  readonly concurrentN: number;
  readonly concurrency: number;
  readonly warmup: number;
  readonly warmupSequential: number;
  readonly batchSize: number;
  readonly sleepMs: number;
  readonly batchRepeats: number;
  readonly bigRepeats: number;
  readonly bigChars: number;
  readonly cpuProfDir: string | undefined;
  readonly check: boolean;
}

const FULL = { rounds: 5, n: 2000, concurrentN: 5000, warmup: 3000, warmupSequential: 500, batchRepeats: 5, bigRepeats: 10 } as const;
const QUICK = { rounds: 2, n: 300, concurrentN: 1000, warmup: 1000, warmupSequential: 200, batchRepeats: 2, bigRepeats: 3 } as const;

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseCommandLine(argv, {
    quick: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    n: { type: 'string' },
    'concurrent-n': { type: 'string' },
    concurrency: { type: 'string' },
    warmup: { type: 'string' },
    'warmup-sequential': { type: 'string' },
    'batch-size': { type: 'string' },
    'sleep-ms': { type: 'string' },
    'batch-repeats': { type: 'string' },
    'big-repeats': { type: 'string' },
    'big-chars': { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return 'help';
  const sizes = values.quick ? QUICK : FULL;
  return {
    quick: values.quick,
    rounds: parseCount('rounds', values.rounds, sizes.rounds, 1),
    n: parseCount('n', values.n, sizes.n, 1),
    concurrentN: parseCount('concurrent-n', values['concurrent-n'], sizes.concurrentN, 1),
    concurrency: parseCount('concurrency', values.concurrency, 16, 1),
    warmup: parseCount('warmup', values.warmup, sizes.warmup, 0),
    warmupSequential: parseCount('warmup-sequential', values['warmup-sequential'], sizes.warmupSequential, 0),
    batchSize: parseCount('batch-size', values['batch-size'], 50, 1),
    sleepMs: parseCount('sleep-ms', values['sleep-ms'], 20, 0),
    batchRepeats: parseCount('batch-repeats', values['batch-repeats'], sizes.batchRepeats, 1),
    bigRepeats: parseCount('big-repeats', values['big-repeats'], sizes.bigRepeats, 1),
    bigChars: parseCount('big-chars', values['big-chars'], 6_291_000, 1),
    cpuProfDir: cpuProfDir(values['cpu-prof-dir'], values['cpu-prof'], 'gateway-bench-profiles'),
    check: values.check,
  };
}

// --- The server processes --------------------------------------------------------------------

type LambdaProcess = ChildServer<ServerMessage, ParentRequest>;
type GatewayProcess = ChildServer<GatewayServerMessage, GatewayParentRequest>;

function startLambda(cpuProfDir: string | undefined): Promise<LambdaProcess> {
  return ChildServer.start<ServerMessage, ParentRequest>({
    name: 'the local Lambda',
    script: LAMBDA_SCRIPT,
    execArgv: ['--expose-gc', ...cpuProfArgs(cpuProfDir, 'local-lambda')],
    ready: (message) => (message.type === 'ready' ? message.endpoint : undefined),
  });
}

function startGateway(endpoint: string, cpuProfDir: string | undefined, kind: 'gateway' | 'floor' = 'gateway'): Promise<GatewayProcess> {
  return ChildServer.start<GatewayServerMessage, GatewayParentRequest>({
    name: kind === 'gateway' ? 'the gateway' : 'the bare yoga server',
    script: kind === 'gateway' ? GATEWAY_SCRIPT : FLOOR_SCRIPT,
    args: [endpoint],
    execArgv: ['--expose-gc', ...cpuProfArgs(cpuProfDir, kind === 'gateway' ? 'gateway' : 'yoga-floor')],
    ready: (message) => (message.type === 'ready' ? message.url : undefined),
  });
}

async function lambdaCpu(lambda: LambdaProcess): Promise<number> {
  const reply = await lambda.request((id) => ({ type: 'cpu', id }));
  if (reply.type !== 'cpu') throw new Error(`unexpected reply ${reply.type} from the local Lambda`);
  return cpuMicros(reply.cpu);
}

async function gatewayCpu(gateway: GatewayProcess): Promise<number> {
  const reply = await gateway.request((id) => ({ type: 'cpu', id }));
  if (reply.type !== 'cpu') throw new Error(`unexpected reply ${reply.type} from the gateway`);
  return cpuMicros(reply.cpu);
}

interface GatewayMemory {
  readonly memory: MemoryFigures;
  readonly maxRssBytes: number;
}

async function gatewayMemory(gateway: GatewayProcess, gc: boolean): Promise<GatewayMemory> {
  const reply = await gateway.request((id) => ({ type: 'memory', id, gc }));
  if (reply.type !== 'memory') throw new Error(`unexpected reply ${reply.type} from the gateway`);
  return { memory: reply.memory, maxRssBytes: reply.maxRssBytes };
}

// --- Clients ---------------------------------------------------------------------------------

/** GraphQL over HTTP POST on a keep-alive node:http agent: the lightest client node offers. */
class GraphqlClient {
  readonly #url: URL;
  readonly #agent: Agent;

  constructor(url: string, maxSockets: number) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  /** POSTs a prepared JSON body; resolves with the whole response body once it has arrived. */
  post(body: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const request = httpRequest(
        {
          host: this.#url.hostname,
          port: this.#url.port,
          path: this.#url.pathname,
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': body.byteLength, accept: 'application/graphql-response+json' },
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const text = chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks);
            if (response.statusCode === 200) resolve(text);
            else reject(new Error(`the gateway answered ${response.statusCode}: ${text.toString('utf8', 0, 500)}`));
          });
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

function graphqlBody(query: string, variables: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify({ query, variables }));
}

interface InvocationResult {
  readonly __typename: string;
  readonly statusCode?: number;
  readonly payloadJson?: unknown;
  readonly message?: string;
}

/** The `data[field]` of a GraphQL response; throws for GraphQL errors. */
function dataOf(body: Buffer, field: string): unknown {
  const response = JSON.parse(body.toString('utf8')) as { data?: Record<string, unknown> | null; errors?: readonly { message?: string }[] };
  if (response.errors !== undefined && response.errors.length > 0) {
    throw new Error(`GraphQL errors: ${response.errors.map((error) => error.message).join('; ').slice(0, 500)}`);
  }
  const value = response.data?.[field];
  if (value === undefined || value === null) throw new Error(`no data.${field} in ${body.toString('utf8', 0, 500)}`);
  return value;
}

/** Throws unless `value` is an Invocation with status 200 whose payloadJson passes `check`. */
function expectInvocation(value: unknown, check: (payload: unknown) => boolean, what: string): void {
  const result = value as InvocationResult;
  if (result.__typename !== 'Invocation' || result.statusCode !== 200 || !check(result.payloadJson)) {
    throw new Error(`unexpected answer for ${what}: ${JSON.stringify(value).slice(0, 500)}`);
  }
}

const NOOP_BODY = graphqlBody(INVOKE_QUERY, { input: { functionName: NOOP } });

async function invokeNoopThroughGateway(client: GraphqlClient): Promise<void> {
  expectInvocation(dataOf(await client.post(NOOP_BODY), 'invokeFunction'), (payload) => payload === null, `${NOOP} through the gateway`);
}

// --- Runs ------------------------------------------------------------------------------------

/** CPU microseconds per invocation in each process over one run. */
interface CpuPerInvocation {
  readonly client: number;
  readonly gateway: number;
  readonly lambda: number;
}

interface PathRun {
  readonly invocations: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly cpuUsPerInvocation: CpuPerInvocation;
}

interface Servers {
  readonly lambda: LambdaProcess;
  readonly gateway: GatewayProcess;
  /** The bare yoga server. */
  readonly floor: GatewayProcess;
}

/**
 * One measured run, with the CPU every process spent on it; `middle` is the server between the
 * client and Lambda (the gateway, or the bare yoga server; for the direct path the idle gateway).
 */
async function measuredRun(servers: Servers, middle: GatewayProcess, invokeOnce: () => Promise<void>, total: number, concurrency: number): Promise<PathRun> {
  const [lambdaBefore, gatewayBefore] = await Promise.all([lambdaCpu(servers.lambda), gatewayCpu(middle)]);
  const clientBefore = process.cpuUsage();
  const figures = await run(invokeOnce, total, concurrency);
  const clientCpu = cpuMicros(process.cpuUsage(clientBefore));
  const [lambdaAfter, gatewayAfter] = await Promise.all([lambdaCpu(servers.lambda), gatewayCpu(middle)]);
  const sorted = figures.latencies.slice().sort();
  return {
    invocations: total,
    concurrency,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round((total / figures.elapsedMs) * 1000, 0),
    ...latencies(sorted),
    cpuUsPerInvocation: {
      client: round(clientCpu / total, 0),
      gateway: round((gatewayAfter - gatewayBefore) / total, 0),
      lambda: round((lambdaAfter - lambdaBefore) / total, 0),
    },
  };
}

// --- Phase 1: overhead -----------------------------------------------------------------------

type PathName = 'direct' | 'floor' | 'gateway';
const PATH_NAMES = ['direct', 'floor', 'gateway'] as const satisfies readonly PathName[];
const PATH_LABELS: Readonly<Record<PathName, string>> = { direct: 'direct SDK', floor: 'bare yoga', gateway: 'gateway' };

interface OverheadRound {
  readonly round: number;
  readonly order: readonly PathName[];
  readonly sequential: Readonly<Record<PathName, PathRun>>;
  readonly concurrent: Readonly<Record<PathName, PathRun>>;
  /** gateway median − direct median at 1 in flight. */
  readonly addedMedianMs: number;
  readonly addedP99Ms: number;
  /** gateway inv/s ÷ direct inv/s at `concurrency` in flight. */
  readonly throughputRatio: number;
  /** The same two figures for the bare yoga server. */
  readonly floorAddedMedianMs: number;
  readonly floorThroughputRatio: number;
}

interface OverheadResult {
  readonly rounds: readonly OverheadRound[];
  /** Medians over the rounds. */
  readonly sequential: Readonly<Record<PathName, { readonly medianMs: number; readonly p99Ms: number; readonly perSecond: number; readonly cpuUsPerInvocation: CpuPerInvocation }>>;
  readonly concurrent: Readonly<Record<PathName, { readonly perSecond: number; readonly medianMs: number; readonly p99Ms: number; readonly cpuUsPerInvocation: CpuPerInvocation }>>;
  readonly addedMedianMs: number;
  readonly addedP99Ms: number;
  readonly throughputRatio: number;
  readonly floorAddedMedianMs: number;
  readonly floorThroughputRatio: number;
  readonly target: {
    readonly minThroughputRatio: number;
    readonly throughputMet: boolean;
    readonly maxAddedMedianMs: number;
    readonly latencyMet: boolean;
  };
}

function medianCpu(runs: readonly PathRun[]): CpuPerInvocation {
  return {
    client: round(median(runs.map((r) => r.cpuUsPerInvocation.client)), 0),
    gateway: round(median(runs.map((r) => r.cpuUsPerInvocation.gateway)), 0),
    lambda: round(median(runs.map((r) => r.cpuUsPerInvocation.lambda)), 0),
  };
}

async function overheadPhase(servers: Servers, paths: Readonly<Record<PathName, () => Promise<void>>>, options: Options): Promise<OverheadResult> {
  for (const name of PATH_NAMES) {
    console.error(`warm-up ${name}: ${options.warmup} at ${options.concurrency} in flight, ${options.warmupSequential} at 1…`);
    if (options.warmup > 0) await run(paths[name], options.warmup, options.concurrency);
    if (options.warmupSequential > 0) await run(paths[name], options.warmupSequential, 1);
  }

  const rounds: OverheadRound[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    // Each path goes first, second and last in turn.
    const shift = (round - 1) % PATH_NAMES.length;
    const order: readonly PathName[] = [...PATH_NAMES.slice(shift), ...PATH_NAMES.slice(0, shift)];
    const middle = (name: PathName): GatewayProcess => (name === 'floor' ? servers.floor : servers.gateway);
    console.error(`round ${round}/${options.rounds} (${order.join(' first, then ')}): ${options.n} at 1 in flight, ${options.concurrentN} at ${options.concurrency}…`);
    const sequential: Partial<Record<PathName, PathRun>> = {};
    const concurrent: Partial<Record<PathName, PathRun>> = {};
    for (const name of order) sequential[name] = await measuredRun(servers, middle(name), paths[name], options.n, 1);
    for (const name of order) concurrent[name] = await measuredRun(servers, middle(name), paths[name], options.concurrentN, options.concurrency);
    const { direct: seqDirect, floor: seqFloor, gateway: seqGateway } = sequential;
    const { direct: concDirect, floor: concFloor, gateway: concGateway } = concurrent;
    if (seqDirect === undefined || seqFloor === undefined || seqGateway === undefined || concDirect === undefined || concFloor === undefined || concGateway === undefined) {
      throw new Error('a path did not run');
    }
    rounds.push({
      round,
      order,
      sequential: { direct: seqDirect, floor: seqFloor, gateway: seqGateway },
      concurrent: { direct: concDirect, floor: concFloor, gateway: concGateway },
      addedMedianMs: round3(seqGateway.medianMs - seqDirect.medianMs),
      addedP99Ms: round3(seqGateway.p99Ms - seqDirect.p99Ms),
      throughputRatio: round3(concGateway.perSecond / concDirect.perSecond),
      floorAddedMedianMs: round3(seqFloor.medianMs - seqDirect.medianMs),
      floorThroughputRatio: round3(concFloor.perSecond / concDirect.perSecond),
    });
  }

  const summary = (pick: (r: OverheadRound) => PathRun) => ({
    perSecond: round(median(rounds.map((r) => pick(r).perSecond)), 0),
    medianMs: round3(median(rounds.map((r) => pick(r).medianMs))),
    p99Ms: round3(median(rounds.map((r) => pick(r).p99Ms))),
    cpuUsPerInvocation: medianCpu(rounds.map(pick)),
  });
  const addedMedianMs = round3(median(rounds.map((r) => r.addedMedianMs)));
  const throughputRatio = round3(median(rounds.map((r) => r.throughputRatio)));
  return {
    rounds,
    sequential: { direct: summary((r) => r.sequential.direct), floor: summary((r) => r.sequential.floor), gateway: summary((r) => r.sequential.gateway) },
    concurrent: { direct: summary((r) => r.concurrent.direct), floor: summary((r) => r.concurrent.floor), gateway: summary((r) => r.concurrent.gateway) },
    addedMedianMs,
    addedP99Ms: round3(median(rounds.map((r) => r.addedP99Ms))),
    throughputRatio,
    floorAddedMedianMs: round3(median(rounds.map((r) => r.floorAddedMedianMs))),
    floorThroughputRatio: round3(median(rounds.map((r) => r.floorThroughputRatio))),
    target: {
      minThroughputRatio: TARGETS.minThroughputRatio,
      throughputMet: throughputRatio >= TARGETS.minThroughputRatio,
      maxAddedMedianMs: TARGETS.maxAddedMedianMs,
      latencyMet: addedMedianMs <= TARGETS.maxAddedMedianMs,
    },
  };
}

// --- Phase 2: batching -----------------------------------------------------------------------

interface BatchResult {
  readonly batchSize: number;
  readonly sleepMs: number;
  readonly repeats: number;
  /** Milliseconds of each repeat. */
  readonly batchMs: readonly number[];
  readonly sequentialMs: readonly number[];
  readonly batchMedianMs: number;
  readonly sequentialMedianMs: number;
  /** sequential median ÷ batch median. */
  readonly speedup: number;
  /** The median of the per-repeat speed-ups. */
  readonly speedupPerRepeatMedian: number;
  readonly target: { readonly minSpeedup: number; readonly met: boolean };
}

async function batchPhase(client: GraphqlClient, options: Options): Promise<BatchResult> {
  const input = { functionName: 'sleep', payload: { ms: options.sleepMs } };
  const batchBody = graphqlBody(BATCH_QUERY, { inputs: Array.from({ length: options.batchSize }, () => input) });
  const singleBody = graphqlBody(INVOKE_QUERY, { input });
  const slept = (payload: unknown): boolean => (payload as { sleptMs?: unknown } | null)?.sleptMs === options.sleepMs;

  const batch = async (): Promise<number> => {
    const started = performance.now();
    const body = await client.post(batchBody);
    const elapsed = performance.now() - started;
    const results = dataOf(body, 'invokeFunctions');
    if (!Array.isArray(results) || results.length !== options.batchSize) throw new Error(`invokeFunctions answered ${JSON.stringify(results).slice(0, 300)}`);
    for (const result of results) expectInvocation(result, slept, 'sleep in invokeFunctions');
    return elapsed;
  };
  const sequential = async (): Promise<number> => {
    let elapsed = 0;
    for (let i = 0; i < options.batchSize; i += 1) {
      const started = performance.now();
      const body = await client.post(singleBody);
      elapsed += performance.now() - started;
      expectInvocation(dataOf(body, 'invokeFunction'), slept, 'sleep in invokeFunction');
    }
    return elapsed;
  };

  // Warm the sleep environments (as many as the gateway runs at once) and both code paths.
  await batch();
  await sequential();

  const batchMs: number[] = [];
  const sequentialMs: number[] = [];
  for (let repeat = 1; repeat <= options.batchRepeats; repeat += 1) {
    console.error(`batching ${repeat}/${options.batchRepeats}…`);
    if (repeat % 2 === 1) {
      batchMs.push(await batch());
      sequentialMs.push(await sequential());
    } else {
      sequentialMs.push(await sequential());
      batchMs.push(await batch());
    }
  }
  const batchMedianMs = median(batchMs);
  const sequentialMedianMs = median(sequentialMs);
  const speedup = sequentialMedianMs / batchMedianMs;
  return {
    batchSize: options.batchSize,
    sleepMs: options.sleepMs,
    repeats: options.batchRepeats,
    batchMs: batchMs.map((ms) => round(ms, 1)),
    sequentialMs: sequentialMs.map((ms) => round(ms, 1)),
    batchMedianMs: round(batchMedianMs, 1),
    sequentialMedianMs: round(sequentialMedianMs, 1),
    speedup: round(speedup, 2),
    speedupPerRepeatMedian: round(median(batchMs.map((ms, i) => (sequentialMs[i] ?? Number.NaN) / ms)), 2),
    target: { minSpeedup: TARGETS.minBatchSpeedup, met: speedup >= TARGETS.minBatchSpeedup },
  };
}

// --- Phase 3: 6 MB ---------------------------------------------------------------------------

interface BigPayloadResult {
  readonly payloadBytes: number;
  readonly requestBodyBytes: number;
  readonly repeats: number;
  readonly gatewayMs: readonly number[];
  readonly gatewayMedianMs: number;
  /** The same payload straight through the SDK, for reference. */
  readonly directMs: readonly number[];
  readonly directMedianMs: number;
  readonly intact: boolean;
  readonly memory: {
    /** After full collections, before the first 6 MB round trip. */
    readonly before: GatewayMemory;
    /** Right after each round trip (no collection). */
    readonly afterEach: readonly GatewayMemory[];
    /** Right after the first round trip (no collection). */
    readonly afterFirst: GatewayMemory;
    /** Right after round trip ⌈repeats / 2⌉ (no collection). */
    readonly afterHalf: GatewayMemory;
    /** Right after the last round trip (no collection). */
    readonly afterLast: GatewayMemory;
    /** After full collections, at the end. */
    readonly afterGc: GatewayMemory;
    readonly peakRssGrowthBytes: number;
    /** maxRSS after the last round trip − after round trip ⌈repeats / 2⌉. */
    readonly peakRssClimbSecondHalfBytes: number;
    readonly heapRetainedBytes: number;
  };
  /** One byte over the limit: the gateway's answer. */
  readonly oneByteOver: { readonly payloadBytes: number; readonly typename: string; readonly refused: boolean };
  readonly target: {
    readonly maxHeapRetainedBytes: number;
    /** Nothing retained: heapUsed after gc − before ≤ maxHeapRetainedBytes. */
    readonly notRetained: boolean;
    readonly met: boolean;
  };
}

async function bigPayloadPhase(client: GraphqlClient, sdk: LambdaClient, gateway: GatewayProcess, options: Options): Promise<BigPayloadResult> {
  const big = 'x'.repeat(options.bigChars);
  const payloadBytes = Buffer.byteLength(JSON.stringify(big));
  const body = graphqlBody(INVOKE_QUERY, { input: { functionName: 'echo', payload: big } });
  const echoed = (payload: unknown): boolean => payload === big;

  // Warm the echo environment with a small event, so no round trip measured pays a cold start.
  await sdk.send(new InvokeCommand({ FunctionName: 'echo', Payload: NOOP_PAYLOAD }));

  const before = await gatewayMemory(gateway, true);
  const gatewayMs: number[] = [];
  const afterEach: GatewayMemory[] = [];
  let intact = true;
  for (let repeat = 1; repeat <= options.bigRepeats; repeat += 1) {
    const started = performance.now();
    const answer = await client.post(body);
    gatewayMs.push(performance.now() - started);
    try {
      expectInvocation(dataOf(answer, 'invokeFunction'), echoed, `echo of ${payloadBytes} bytes`);
    } catch (error) {
      intact = false;
      console.error(`6 MB round trip ${repeat}: ${(error as Error).message.slice(0, 300)}`);
    }
    afterEach.push(await gatewayMemory(gateway, false));
  }
  const afterGc = await gatewayMemory(gateway, true);
  const half = Math.ceil(options.bigRepeats / 2);
  const [afterFirst, afterHalf, afterLast] = [afterEach[0], afterEach[half - 1], afterEach[afterEach.length - 1]];
  if (afterFirst === undefined || afterHalf === undefined || afterLast === undefined) throw new Error('no memory readings');

  const directPayload = Buffer.from(JSON.stringify(big));
  const directMs: number[] = [];
  for (let repeat = 1; repeat <= options.bigRepeats; repeat += 1) {
    const started = performance.now();
    const output = await sdk.send(new InvokeCommand({ FunctionName: 'echo', Payload: directPayload }));
    directMs.push(performance.now() - started);
    if (output.StatusCode !== 200 || output.FunctionError !== undefined || output.Payload?.byteLength !== payloadBytes) {
      throw new Error(`echo of ${payloadBytes} bytes through the SDK: status ${output.StatusCode}, FunctionError ${output.FunctionError}, ${output.Payload?.byteLength} bytes back`);
    }
  }

  // One byte more than Lambda takes: the gateway must refuse it (PayloadTooLargeError).
  const overChars = MAX_SYNC_REQUEST_BYTES - 2 + 1;
  const overAnswer = dataOf(await client.post(graphqlBody(TOO_LARGE_QUERY, { input: { functionName: 'echo', payload: 'x'.repeat(overChars) } })), 'invokeFunction') as InvocationResult;

  const peakRssClimbSecondHalfBytes = afterLast.maxRssBytes - afterHalf.maxRssBytes;
  const heapRetainedBytes = afterGc.memory.heapUsed - before.memory.heapUsed;
  const notRetained = heapRetainedBytes <= TARGETS.maxHeapRetainedBytes;
  const refused = overAnswer.__typename === 'PayloadTooLargeError';
  return {
    payloadBytes,
    requestBodyBytes: body.byteLength,
    repeats: options.bigRepeats,
    gatewayMs: gatewayMs.map((ms) => round(ms, 1)),
    gatewayMedianMs: round(median(gatewayMs), 1),
    directMs: directMs.map((ms) => round(ms, 1)),
    directMedianMs: round(median(directMs), 1),
    intact,
    memory: {
      before,
      afterEach,
      afterFirst,
      afterHalf,
      afterLast,
      afterGc,
      peakRssGrowthBytes: afterLast.maxRssBytes - before.maxRssBytes,
      peakRssClimbSecondHalfBytes,
      heapRetainedBytes,
    },
    oneByteOver: { payloadBytes: overChars + 2, typename: overAnswer.__typename, refused },
    target: { maxHeapRetainedBytes: TARGETS.maxHeapRetainedBytes, notRetained, met: intact && notRetained && refused },
  };
}

// --- Report ----------------------------------------------------------------------------------

const round3 = (value: number): number => round(value, 3);

const verdict = (met: boolean): string => (met ? 'PASS' : 'FAIL');

const cpuCells = (cpu: CpuPerInvocation): string[] => [
  integer.format(cpu.client),
  integer.format(cpu.gateway),
  integer.format(cpu.lambda),
  integer.format(cpu.client + cpu.gateway + cpu.lambda),
];

function report(machine: Machine, options: Options, overhead: OverheadResult, batch: BatchResult, big: BigPayloadResult): string {
  const c = options.concurrency;
  const lines: string[] = [];
  lines.push(
    `Gateway benchmark: '${NOOP}' through the gateway (GraphQL POST, keep-alive node:http) vs @aws-sdk/client-lambda directly, one local Lambda`,
    machineLine(machine),
    '',
  );

  const { sequential: seq, concurrent: conc } = overhead;
  lines.push(table(
    [`overhead (median of ${overhead.rounds.length} rounds)`, 'direct SDK', 'bare yoga', 'gateway', 'comparison', 'target', 'result'],
    [
      [
        `throughput, ${c} in flight`,
        `${integer.format(conc.direct.perSecond)}/s`,
        `${integer.format(conc.floor.perSecond)}/s`,
        `${integer.format(conc.gateway.perSecond)}/s`,
        `ratio ${fixed(overhead.throughputRatio, 2)}`,
        `≥ ${fixed(TARGETS.minThroughputRatio, 2)}`,
        verdict(overhead.target.throughputMet),
      ],
      [
        'latency, 1 in flight, median',
        `${fixed(seq.direct.medianMs, 3)} ms`,
        `${fixed(seq.floor.medianMs, 3)} ms`,
        `${fixed(seq.gateway.medianMs, 3)} ms`,
        `added ${signed(fixed(overhead.addedMedianMs, 3), overhead.addedMedianMs)} ms`,
        `≤ ${fixed(TARGETS.maxAddedMedianMs, 1)} ms`,
        verdict(overhead.target.latencyMet),
      ],
      [
        'latency, 1 in flight, p99',
        `${fixed(seq.direct.p99Ms, 3)} ms`,
        `${fixed(seq.floor.p99Ms, 3)} ms`,
        `${fixed(seq.gateway.p99Ms, 3)} ms`,
        `added ${signed(fixed(overhead.addedP99Ms, 3), overhead.addedP99Ms)} ms`,
        '',
        '',
      ],
      ['throughput, 1 in flight', `${integer.format(seq.direct.perSecond)}/s`, `${integer.format(seq.floor.perSecond)}/s`, `${integer.format(seq.gateway.perSecond)}/s`, '', '', ''],
      [`latency, ${c} in flight, median`, `${fixed(conc.direct.medianMs, 3)} ms`, `${fixed(conc.floor.medianMs, 3)} ms`, `${fixed(conc.gateway.medianMs, 3)} ms`, '', '', ''],
      [
        `bare yoga vs direct SDK`,
        '',
        `ratio ${fixed(overhead.floorThroughputRatio, 2)}`,
        '',
        `added ${signed(fixed(overhead.floorAddedMedianMs, 3), overhead.floorAddedMedianMs)} ms`,
        '(reference)',
        '',
      ],
    ],
  ));
  lines.push(
    `(bare yoga: createYoga's defaults and a one-mutation schema whose resolver makes the direct path's SDK call — the least a yoga`,
    ` server in front of the SDK costs, for reference; the ratio and the added latency are computed per round, then their median taken; each path warmed up first with`,
    ` ${integer.format(options.warmup)} invocations at ${c} in flight and ${integer.format(options.warmupSequential)} at 1; per round ${integer.format(options.n)} at 1 and ${integer.format(options.concurrentN)} at ${c} per path)`,
    '',
  );

  lines.push(table(
    ['round', 'order', 'direct med ms', 'yoga med ms', 'gateway med ms', 'added ms', 'direct p99', 'gateway p99', `direct/s @${c}`, `yoga/s @${c}`, `gateway/s @${c}`, 'ratio'],
    overhead.rounds.map((r) => [
      String(r.round),
      r.order.map((name) => PATH_LABELS[name]).join(', '),
      fixed(r.sequential.direct.medianMs, 3),
      fixed(r.sequential.floor.medianMs, 3),
      fixed(r.sequential.gateway.medianMs, 3),
      signed(fixed(r.addedMedianMs, 3), r.addedMedianMs),
      fixed(r.sequential.direct.p99Ms, 3),
      fixed(r.sequential.gateway.p99Ms, 3),
      integer.format(r.concurrent.direct.perSecond),
      integer.format(r.concurrent.floor.perSecond),
      integer.format(r.concurrent.gateway.perSecond),
      fixed(r.throughputRatio, 3),
    ]),
  ));
  lines.push('');

  lines.push(table(
    ['CPU µs per invocation (median of rounds)', 'client', 'gateway', 'local Lambda', 'total'],
    [
      ['direct SDK, 1 in flight', ...cpuCells(seq.direct.cpuUsPerInvocation)],
      ['bare yoga, 1 in flight', ...cpuCells(seq.floor.cpuUsPerInvocation)],
      ['gateway, 1 in flight', ...cpuCells(seq.gateway.cpuUsPerInvocation)],
      [`direct SDK, ${c} in flight`, ...cpuCells(conc.direct.cpuUsPerInvocation)],
      [`bare yoga, ${c} in flight`, ...cpuCells(conc.floor.cpuUsPerInvocation)],
      [`gateway, ${c} in flight`, ...cpuCells(conc.gateway.cpuUsPerInvocation)],
    ],
  ));
  lines.push(
    `(client: this process — the SDK, or the GraphQL HTTP client; gateway: the gateway's (or the bare yoga server's) process, GraphQL and its own SDK client; local Lambda: its process`,
    ` with its workers. On ${machine.cpus} cores, throughput is at most ${machine.cpus} × 1,000,000 ÷ total when CPU-bound.)`,
    '',
  );

  lines.push(table(
    [`batching (${batch.batchSize} × sleep {ms: ${batch.sleepMs}}, ${batch.repeats} repeats)`, 'median ms', 'min ms', 'max ms', 'target', 'result'],
    [
      [`one invokeFunctions of ${batch.batchSize}`, fixed(batch.batchMedianMs, 1), fixed(Math.min(...batch.batchMs), 1), fixed(Math.max(...batch.batchMs), 1), '', ''],
      [`${batch.batchSize} sequential invokeFunction requests`, fixed(batch.sequentialMedianMs, 1), fixed(Math.min(...batch.sequentialMs), 1), fixed(Math.max(...batch.sequentialMs), 1), '', ''],
      [
        'speed-up (sequential ÷ batch)',
        `${fixed(batch.speedup, 1)}×`,
        '',
        '',
        `≥ ${TARGETS.minBatchSpeedup}×`,
        verdict(batch.target.met),
      ],
    ],
  ));
  lines.push(`(per-repeat speed-ups: median ${fixed(batch.speedupPerRepeatMedian, 1)}×; the gateway runs at most 16 invocations at once by default)`, '');

  const mem = big.memory;
  lines.push(table(
    [`6 MB round trip (echo, ${integer.format(big.payloadBytes)}-byte payload, ${big.repeats} repeats)`, 'median ms', 'min ms', 'max ms', 'result'],
    [
      ['through the gateway (payloadJson)', fixed(big.gatewayMedianMs, 1), fixed(Math.min(...big.gatewayMs), 1), fixed(Math.max(...big.gatewayMs), 1), big.intact ? 'PASS (intact)' : 'FAIL (altered)'],
      ['direct SDK (reference)', fixed(big.directMedianMs, 1), fixed(Math.min(...big.directMs), 1), fixed(Math.max(...big.directMs), 1), ''],
      [`one byte more (${integer.format(big.oneByteOver.payloadBytes)} bytes)`, '', '', '', `${verdict(big.oneByteOver.refused)} (${big.oneByteOver.typename})`],
    ],
  ));
  lines.push('');
  // Readings right after round trips #1, #⌈n/2⌉ and #n (fewer when they coincide).
  const during = [...new Set([1, Math.ceil(big.repeats / 2), big.repeats])];
  const row = (name: string, pick: (m: GatewayMemory) => number): string[] => [
    name,
    megabytes(pick(mem.before)),
    ...during.map((n) => megabytes(pick(mem.afterEach[n - 1] ?? mem.afterLast))),
    megabytes(pick(mem.afterGc)),
  ];
  lines.push(table(
    ['gateway memory', 'before (gc)', ...during.map((n) => `after #${n}`), 'after (gc)'],
    [
      row('peak RSS (maxRSS)', (m) => m.maxRssBytes),
      row('rss', (m) => m.memory.rss),
      row('heapTotal', (m) => m.memory.heapTotal),
      row('heapUsed', (m) => m.memory.heapUsed),
      row('external', (m) => m.memory.external),
      row('arrayBuffers', (m) => m.memory.arrayBuffers),
    ],
  ));
  lines.push('');
  const payloads = (bytes: number): string => `${signed(megabytes(bytes), bytes)} (${fixed(bytes / big.payloadBytes, 1)} payloads)`;
  lines.push(table(
    ['bounded memory', 'value', 'target', 'result'],
    [
      ['peak RSS growth, before → after #1', payloads(mem.afterFirst.maxRssBytes - mem.before.maxRssBytes), '', ''],
      [`peak RSS growth, before → after #${big.repeats}`, payloads(mem.peakRssGrowthBytes), '', ''],
      [`peak RSS climb, #${Math.ceil(big.repeats / 2)} → #${big.repeats} (levelling off?)`, payloads(mem.peakRssClimbSecondHalfBytes), '', ''],
      [
        'heapUsed retained (after gc − before)',
        signed(megabytes(mem.heapRetainedBytes), mem.heapRetainedBytes),
        `≤ ${megabytes(big.target.maxHeapRetainedBytes)}`,
        verdict(big.target.notRetained),
      ],
    ],
  ));
  lines.push('(peak RSS has no target figure: judge it from the rows above; the verdict is on retention only)');
  return lines.join('\n');
}

// --- Main ------------------------------------------------------------------------------------

/** Runs the benchmark; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = readOptions(USAGE, () => parseOptions(argv));
  if (typeof options === 'number') return options;

  const machine = describeMachine();
  let lambda: LambdaProcess | undefined;
  let gateway: GatewayProcess | undefined;
  let floor: GatewayProcess | undefined;
  let sdk: LambdaClient | undefined;
  let graphql: GraphqlClient | undefined;
  let floorGraphql: GraphqlClient | undefined;
  const removeSignalHandlers = exitOnSignals(() => {
    gateway?.kill();
    floor?.kill();
    lambda?.kill();
  });
  try {
    lambda = await startLambda(options.cpuProfDir);
    console.error(`local Lambda (pid ${lambda.child.pid}) at ${lambda.address}`);
    gateway = await startGateway(lambda.address, options.cpuProfDir);
    console.error(`gateway (pid ${gateway.child.pid}) at ${gateway.address}`);
    floor = await startGateway(lambda.address, options.cpuProfDir, 'floor');
    console.error(`bare yoga server (pid ${floor.child.pid}) at ${floor.address}`);
    const servers: Servers = { lambda, gateway, floor };

    sdk = localLambdaClient(lambda.address);
    const graphqlClient = new GraphqlClient(gateway.address, Math.max(64, options.concurrency));
    graphql = graphqlClient;
    const floorClient = new GraphqlClient(floor.address, Math.max(64, options.concurrency));
    floorGraphql = floorClient;
    const sdkClient = sdk;

    // One invocation each way first, so a broken setup fails here with a clear message.
    await invokeNoopDirect(sdkClient);
    await invokeNoopThroughGateway(graphqlClient);
    await invokeNoopThroughGateway(floorClient);

    const overhead = await overheadPhase(
      servers,
      { direct: () => invokeNoopDirect(sdkClient), floor: () => invokeNoopThroughGateway(floorClient), gateway: () => invokeNoopThroughGateway(graphqlClient) },
      options,
    );
    console.error(`batching: ${options.batchSize} × sleep {ms: ${options.sleepMs}}, ${options.batchRepeats} repeats…`);
    const batch = await batchPhase(graphqlClient, options);
    console.error(`6 MB: ${options.bigRepeats} round trips through the gateway, then as many direct…`);
    const big = await bigPayloadPhase(graphqlClient, sdkClient, gateway, options);

    console.log(`\n${report(machine, options, overhead, batch, big)}`);
    const targetsMet = overhead.target.throughputMet && overhead.target.latencyMet && batch.target.met && big.target.met;
    const results = {
      benchmark: 'gateway',
      date: new Date().toISOString(),
      machine,
      options: { ...options, cpuProf: options.cpuProfDir !== undefined },
      targets: TARGETS,
      overhead,
      batch,
      bigPayload: big,
      targetsMet,
    };
    const written = writeResults(RESULTS_FILE, results);
    console.log(`\nall targets ${targetsMet ? 'met' : 'NOT met'}; results written to ${written}`);
    if (options.cpuProfDir !== undefined) console.log(`CPU profiles (gateway/, local-lambda/): ${options.cpuProfDir}`);
    return options.check && !targetsMet ? 2 : 0;
  } catch (error) {
    console.error(failureMessage(error));
    return 1;
  } finally {
    graphql?.destroy();
    floorGraphql?.destroy();
    sdk?.destroy();
    await gateway?.close({ type: 'close' });
    await floor?.close({ type: 'close' });
    await lambda?.close({ type: 'close' });
    removeSignalHandlers();
  }
}

if (import.meta.main) {
  exitWith(await main(process.argv.slice(2)));
}
