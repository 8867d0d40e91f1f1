/**
 * Benchmark of subscriptions: many `invocationUpdates` subscribers, each waiting for one
 * invocation, then their completions arriving as destination records at a steady rate — once with
 * the in-memory backend, once with Redis (a private redis-server on a Unix socket).
 *
 * The gateway runs in a child process (`bench/support/gateway-subscriptions-server.ts`, started
 * with `--expose-gc`) so its memory is measured after full collections and its CPU apart from the
 * subscribers'. No Lambda is involved: the benchmark POSTs the destination records to
 * /lambda-destinations itself (keep-alive HTTP, `x-destination-secret`). Subscribers use the real
 * `graphql-ws` client over `ws`, several subscriptions multiplexed on each WebSocket. Only
 * 127.0.0.1 and the Redis socket are ever contacted.
 *
 *   npm run bench:subscriptions                      full size: 1,000 subscribers, 200 records/s
 *   npm run bench:subscriptions -- --quick           a quick run (100 subscribers, small feed phase)
 *   npm run bench:subscriptions -- --help            every option
 *
 * Per backend, against one fresh gateway:
 *   1. warm-up: a few subscribers get their records (code paths compiled, caches filled; not counted);
 *   2. memory before (after gc), with the WebSockets already open and no subscription;
 *   3. `--subscribers` subscriptions, each `invocationUpdates(requestId)` of an id not known yet, in
 *      two halves; after each the benchmark waits until the gateway counts them all listening
 *      (and, with Redis, until Redis reports their channels) and reads memory again. (all idle −
 *      before) / subscribers is the memory per idle subscriber; (all − half) / second half is the
 *      marginal figure, free of one-time costs;
 *   4. one SUCCEEDED destination record per subscriber at `--rate` records/s; each record carries
 *      `sentAt` (performance.now() just before its POST), so the subscriber's `next` callback — in
 *      this same process — gives the publish-to-receive latency. Each subscription must get
 *      exactly its record and then complete; what has not arrived `--timeout-ms` after the last
 *      POST is lost;
 *   5. memory after (after gc): what the finished subscriptions left behind;
 *   6. cancellation: `--cancel-subscribers` idle subscribers go away (half unsubscribe, half lose
 *      their WebSocket); their listeners on the gateway should be released at once;
 *   7. feed phase: `--feed-subscribers` `invocationEvents(functionName)` subscribers, then
 *      `--feed-records` records at `--feed-rate`; each feed subscriber must get every one once;
 *      then they unsubscribe, and their listeners should be released at once.
 *
 * Results are printed as a table (both backends side by side) and written to
 * `bench/results/subscriptions.json`. The exit status is 2 when an event was lost or duplicated.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { type Client, createClient } from 'graphql-ws';
import { WebSocket } from 'ws';
import { SECRET_HEADER } from '../src/plugins/use-destination-ingestion.ts';
import { ChildServer, cpuProfArgs } from './support/child-server.ts';
import type { MemoryFigures } from './support/child-main.ts';
import { UsageError, cpuProfDir, exitOnSignals, failureMessage, parseCommandLine, parseCount, readOptions, writeResults } from './support/cli.ts';
import { exitWith } from './support/exit.ts';
import type {
  EventLoopDelay,
  SubscriptionsParentRequest,
  SubscriptionsServerArgs,
  SubscriptionsServerMessage,
  SubscriptionsServerStats,
} from './support/gateway-subscriptions-server.ts';
import { describeMachine, loadAverage, type Machine, machineLine } from './support/machine.ts';
import { type BenchRedis, startBenchRedis } from './support/redis-server.ts';
import { type Latencies, cpuMicros, latencies, round } from './support/stats.ts';
import { KB, MB, fixed as formatFixed, integer, table } from './support/table.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const SERVER_SCRIPT = path.join(BENCH_DIR, 'support', 'gateway-subscriptions-server.ts');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'subscriptions.json');

const FUNCTION_NAME = 'bench';
const FUNCTION_ARN = `arn:aws:lambda:us-east-1:123456789012:function:${FUNCTION_NAME}:$LATEST`;
const CONNECT_MS = 10_000;
/** Waiting for subscriptions to be live (or gone) on the server is abandoned after this long without progress. */
const STALL_MS = 30_000;
const POST_TIMEOUT_MS = 30_000;
/** How long cancelled subscriptions get to be released on the gateway before they count as left behind. */
const RELEASE_WAIT_MS = 5_000;
/** A stall of the benchmark's own event loop beyond this is reported: its latencies include it. */
const CLIENT_STALL_MS = 50;

const UPDATES_QUERY = `subscription BenchUpdates($requestId: ID!) {
  invocationUpdates(requestId: $requestId) { requestId status responsePayload }
}`;
const FEED_QUERY = `subscription BenchFeed($functionName: String) {
  invocationEvents(functionName: $functionName) { requestId status responsePayload }
}`;

type Backend = 'memory' | 'redis';
const BACKENDS: readonly Backend[] = ['memory', 'redis'];

const USAGE = `Usage: npm run bench:subscriptions -- [options]

Options:
  --subscribers <count>       invocationUpdates subscribers, one request id each (default 1000; quick 100)
  --connections <count>       WebSockets they are spread over, round robin (default 10; quick 2)
  --rate <per second>         destination records POSTed per second (default 200)
  --warmup <count>            warm-up subscribers before the measured phase (default 50; quick 10)
  --timeout-ms <ms>           a record not received this long after the last POST is lost (default 15000)
  --cancel-subscribers <count>
                              idle subscribers that go away (half unsubscribe, half disconnect) to see
                              whether the gateway releases them; 0 skips it (default 100; quick 20)
  --feed-subscribers <count>  invocationEvents subscribers in the feed phase; 0 skips it (default 100; quick 10)
  --feed-records <count>      records published in the feed phase (default 1000; quick 100)
  --feed-rate <per second>    records per second in the feed phase (default 100)
  --feed-idle <count>         idle invocationUpdates subscribers kept open during the feed phase (default 0)
  --backends <list>           memory, redis or memory,redis (default memory,redis)
  --cpu-prof                  run the gateways with --cpu-prof (profiles go to --cpu-prof-dir)
  --cpu-prof-dir <dir>        default: <tmpdir>/subscriptions-bench-profiles
  --quick                     small sizes, for a quick check (explicit options still apply)
  --help                      this text

The exit status is 2 when an event was lost or duplicated (or a subscription misbehaved), 1 when the
benchmark itself failed. Cancelled subscriptions the gateway does not release are reported, not
counted in the exit status.`;

interface Options {
  readonly subscribers: number;
  readonly connections: number;
  readonly rate: number;
  readonly warmup: number;
  readonly timeoutMs: number;
  readonly cancelSubscribers: number;
  readonly feedSubscribers: number;
  readonly feedRecords: number;
  readonly feedRate: number;
  readonly feedIdle: number;
  readonly backends: readonly Backend[];
  readonly cpuProfDir: string | undefined;
  readonly quick: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseCommandLine(argv, {
    subscribers: { type: 'string' },
    connections: { type: 'string' },
    rate: { type: 'string' },
    warmup: { type: 'string' },
    'timeout-ms': { type: 'string' },
    'cancel-subscribers': { type: 'string' },
    'feed-subscribers': { type: 'string' },
    'feed-records': { type: 'string' },
    'feed-rate': { type: 'string' },
    'feed-idle': { type: 'string' },
    backends: { type: 'string' },
    'cpu-prof': { type: 'boolean', default: false },
    'cpu-prof-dir': { type: 'string' },
    quick: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return 'help';
  const quick = values.quick;
  const count = (name: string, text: string | undefined, full: number, small: number, min: number): number =>
    parseCount(name, text, quick ? small : full, min);
  const backends = (values.backends ?? BACKENDS.join(',')).split(',').map((name) => name.trim());
  for (const name of backends) {
    if (!(BACKENDS as readonly string[]).includes(name)) throw new UsageError(`--backends takes memory, redis or both (got ${JSON.stringify(name)})`);
  }
  const options: Options = {
    subscribers: count('subscribers', values.subscribers, 1000, 100, 1),
    connections: count('connections', values.connections, 10, 2, 1),
    rate: count('rate', values.rate, 200, 200, 1),
    warmup: count('warmup', values.warmup, 50, 10, 0),
    timeoutMs: count('timeout-ms', values['timeout-ms'], 15_000, 15_000, 100),
    cancelSubscribers: count('cancel-subscribers', values['cancel-subscribers'], 100, 20, 0),
    feedSubscribers: count('feed-subscribers', values['feed-subscribers'], 100, 10, 0),
    feedRecords: count('feed-records', values['feed-records'], 1000, 100, 1),
    feedRate: count('feed-rate', values['feed-rate'], 100, 100, 1),
    feedIdle: count('feed-idle', values['feed-idle'], 0, 0, 0),
    backends: BACKENDS.filter((backend) => backends.includes(backend)),
    cpuProfDir: cpuProfDir(values['cpu-prof-dir'], values['cpu-prof'], 'subscriptions-bench-profiles'),
    quick,
  };
  if (options.connections > options.subscribers) throw new UsageError('--connections cannot exceed --subscribers');
  return options;
}

// --- The gateway process ---------------------------------------------------------------------

/** The gateway in its child process, and the IPC requests the benchmark makes to it. */
class GatewayProcess {
  readonly #server: ChildServer<SubscriptionsServerMessage, SubscriptionsParentRequest>;
  readonly url: string;
  readonly destinationsUrl: string;

  private constructor(server: ChildServer<SubscriptionsServerMessage, SubscriptionsParentRequest>, destinationsUrl: string) {
    this.#server = server;
    this.url = server.address;
    this.destinationsUrl = destinationsUrl;
  }

  static async start(args: SubscriptionsServerArgs, cpuProfDir: string | undefined): Promise<GatewayProcess> {
    const server = await ChildServer.start<SubscriptionsServerMessage, SubscriptionsParentRequest>({
      name: 'the gateway',
      script: SERVER_SCRIPT,
      args: [JSON.stringify(args)],
      execArgv: ['--expose-gc', ...cpuProfArgs(cpuProfDir)],
      ready: (message) => (message.type === 'ready' ? [message.url, message.destinationsUrl] : undefined),
    });
    return new GatewayProcess(server, server.addresses[1] ?? server.address);
  }

  get pid(): number | undefined {
    return this.#server.child.pid;
  }

  /** Memory after two full collections, and the counters. */
  async memory(): Promise<{ memory: MemoryFigures; stats: SubscriptionsServerStats }> {
    const reply = await this.#server.request((id) => ({ type: 'memory', id }));
    if (reply.type !== 'memory') throw new Error(`unexpected reply ${reply.type}`);
    return { memory: reply.memory, stats: reply.stats };
  }

  /** The counters; `reset` restarts the gateway's event-loop delay histogram after reading it. */
  async stats(reset = false): Promise<SubscriptionsServerStats> {
    const reply = await this.#server.request((id) => ({ type: 'stats', id, reset }));
    if (reply.type !== 'stats') throw new Error(`unexpected reply ${reply.type}`);
    return reply.stats;
  }

  /** Asks the gateway to close; kills it if it does not exit in time. */
  close(): Promise<void> {
    return this.#server.close({ type: 'close' });
  }
}

/**
 * Polls the gateway's counters until `done` holds; fails when they stop moving for `STALL_MS`.
 * Resolves with the last counters read.
 */
async function waitForServer(
  gateway: GatewayProcess,
  what: string,
  done: (stats: SubscriptionsServerStats) => boolean,
  progress: (stats: SubscriptionsServerStats) => string,
): Promise<SubscriptionsServerStats> {
  let seen = '';
  let lastProgress = performance.now();
  for (;;) {
    const stats = await gateway.stats();
    if (done(stats)) return stats;
    const now = progress(stats);
    if (now !== seen) {
      seen = now;
      lastProgress = performance.now();
    } else if (performance.now() - lastProgress > STALL_MS) {
      throw new Error(`${what}: no progress for ${STALL_MS / 1000} s (${now})`);
    }
    await sleep(20);
  }
}

/** Polls the gateway's counters until `done` holds or `ms` have passed; resolves with the last reading. */
async function pollServer(
  gateway: GatewayProcess,
  done: (stats: SubscriptionsServerStats) => boolean,
  ms: number,
): Promise<{ stats: SubscriptionsServerStats; met: boolean; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const stats = await gateway.stats();
    const waitedMs = performance.now() - started;
    if (done(stats)) return { stats, met: true, waitedMs };
    if (waitedMs >= ms) return { stats, met: false, waitedMs };
    await sleep(20);
  }
}

// --- Subscribers -------------------------------------------------------------------------------

/** What the subscriptions select of an InvocationRecord. */
interface ReceivedRecord {
  readonly requestId: string;
  readonly status: string;
  readonly sentAt: number;
}

function readRecord(data: Record<string, unknown> | null | undefined, field: string): ReceivedRecord | undefined {
  const record = data?.[field];
  if (typeof record !== 'object' || record === null) return undefined;
  const { requestId, status, responsePayload } = record as { requestId?: unknown; status?: unknown; responsePayload?: unknown };
  const sentAt = typeof responsePayload === 'object' && responsePayload !== null ? (responsePayload as { sentAt?: unknown }).sentAt : undefined;
  if (typeof requestId !== 'string' || typeof status !== 'string' || typeof sentAt !== 'number') return undefined;
  return { requestId, status, sentAt };
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && 'code' in error && 'reason' in error) {
    return `socket closed ${String(error.code)}: ${String(error.reason)}`;
  }
  return JSON.stringify(error);
}

/** `count` graphql-ws clients, each on its own WebSocket, connected before this resolves. */
async function connectClients(url: string, count: number): Promise<Client[]> {
  const wsUrl = url.replace(/^http/, 'ws');
  return Promise.all(
    Array.from({ length: count }, () => {
      const connected = Promise.withResolvers<Client>();
      const timer = setTimeout(() => connected.reject(new Error(`a graphql-ws client did not connect within ${CONNECT_MS} ms`)), CONNECT_MS);
      const client: Client = createClient({
        url: wsUrl,
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        onNonLazyError: (error) => {
          clearTimeout(timer);
          connected.reject(new Error(`a graphql-ws client failed: ${describeError(error)}`));
        },
        on: {
          connected: () => {
            clearTimeout(timer);
            connected.resolve(client);
          },
        },
      });
      return connected.promise;
    }),
  );
}

/** One `invocationUpdates` subscription and what it saw. */
interface UpdateSubscription {
  readonly requestId: string;
  /** Records received (more than one is a duplicate). */
  received: number;
  latencyMs: number;
  completed: boolean;
  /** Errors, wrong records: anything a correct gateway never sends. */
  problems: string[];
  /** Resolves when the server completes the subscription or it errors. */
  readonly settled: Promise<void>;
  readonly unsubscribe: () => void;
}

function subscribeUpdates(client: Client, requestId: string): UpdateSubscription {
  const settled = Promise.withResolvers<void>();
  const subscription: UpdateSubscription = {
    requestId,
    received: 0,
    latencyMs: Number.NaN,
    completed: false,
    problems: [],
    settled: settled.promise,
    unsubscribe: () => undefined,
  };
  const unsubscribe = client.subscribe(
    { query: UPDATES_QUERY, variables: { requestId } },
    {
      next: (result) => {
        const receivedAt = performance.now();
        if (result.errors !== undefined) {
          subscription.problems.push(`errors: ${JSON.stringify(result.errors)}`);
          return;
        }
        const record = readRecord(result.data, 'invocationUpdates');
        if (record === undefined) {
          subscription.problems.push(`unreadable record: ${JSON.stringify(result.data)}`);
          return;
        }
        if (record.requestId !== requestId || record.status !== 'SUCCEEDED') {
          subscription.problems.push(`wrong record: ${record.requestId} ${record.status}`);
          return;
        }
        subscription.received += 1;
        if (subscription.received === 1) subscription.latencyMs = receivedAt - record.sentAt;
      },
      error: (error) => {
        subscription.problems.push(`error: ${describeError(error)}`);
        settled.resolve();
      },
      complete: () => {
        subscription.completed = true;
        settled.resolve();
      },
    },
  );
  return Object.assign(subscription, { unsubscribe });
}

/** One `invocationEvents` subscription: how often it saw each record of the phase. */
interface FeedSubscription {
  readonly counts: Uint16Array;
  problems: string[];
  /** Set before unsubscribing: the client then completes the sink itself. */
  cancelled: boolean;
  readonly unsubscribe: () => void;
}

function subscribeFeed(client: Client, indexOf: ReadonlyMap<string, number>, latencies: number[], onDelivery: () => void): FeedSubscription {
  const subscription: FeedSubscription = { counts: new Uint16Array(indexOf.size), problems: [], cancelled: false, unsubscribe: () => undefined };
  const unsubscribe = client.subscribe(
    { query: FEED_QUERY, variables: { functionName: FUNCTION_NAME } },
    {
      next: (result) => {
        const receivedAt = performance.now();
        const record = result.errors === undefined ? readRecord(result.data, 'invocationEvents') : undefined;
        const index = record === undefined ? undefined : indexOf.get(record.requestId);
        if (record === undefined || index === undefined || record.status !== 'SUCCEEDED') {
          subscription.problems.push(`unexpected: ${JSON.stringify(result)}`);
          return;
        }
        const seen = subscription.counts[index] ?? 0;
        subscription.counts[index] = seen + 1;
        if (seen === 0) {
          latencies.push(receivedAt - record.sentAt);
          onDelivery();
        }
      },
      error: (error) => subscription.problems.push(`error: ${describeError(error)}`),
      complete: () => {
        if (!subscription.cancelled) subscription.problems.push('the server completed a feed subscription');
      },
    },
  );
  return Object.assign(subscription, { unsubscribe });
}

// --- Publishing --------------------------------------------------------------------------------

function destinationRecord(requestId: string, sentAt: number): string {
  return JSON.stringify({
    version: '1.0',
    timestamp: new Date().toISOString(),
    requestContext: { requestId, functionArn: FUNCTION_ARN, condition: 'Success', approximateInvokeCount: 1 },
    requestPayload: {},
    responseContext: { statusCode: 200, executedVersion: '$LATEST' },
    responsePayload: { sentAt },
  });
}

function post(url: URL, agent: Agent, secret: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [SECRET_HEADER]: secret },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.setTimeout(POST_TIMEOUT_MS, () => request.destroy(new Error(`no answer within ${POST_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}

interface PublishFigures {
  readonly records: number;
  readonly elapsedMs: number;
  /** When the last POST was sent (performance.now()). */
  readonly lastSentAt: number;
  /** Records per second actually sent. */
  readonly perSecond: number;
  /** How late the scheduler sent a record at worst. */
  readonly maxLagMs: number;
  /** Round trips of the POSTs (202 answers). */
  readonly postLatencies: Float64Array;
  readonly failures: readonly string[];
}

/** POSTs one SUCCEEDED record per id, `rate` per second, open loop (not waiting for answers). */
async function publish(destinationsUrl: string, secret: string, agent: Agent, requestIds: readonly string[], rate: number): Promise<PublishFigures> {
  const url = new URL(destinationsUrl);
  const postLatencies = new Float64Array(requestIds.length);
  const failures: string[] = [];
  const interval = 1000 / rate;
  const sends: Promise<void>[] = [];
  let maxLagMs = 0;
  let lastSentAt = 0;
  const started = performance.now();
  for (const [index, requestId] of requestIds.entries()) {
    const due = started + index * interval;
    const wait = due - performance.now();
    if (wait >= 1) await sleep(Math.floor(wait));
    const sentAt = performance.now();
    maxLagMs = Math.max(maxLagMs, sentAt - due);
    lastSentAt = sentAt;
    sends.push(
      post(url, agent, secret, destinationRecord(requestId, sentAt)).then(
        ({ status, text }) => {
          postLatencies[index] = performance.now() - sentAt;
          let changed: unknown;
          try {
            changed = (JSON.parse(text) as { changed?: unknown }).changed;
          } catch {
            changed = undefined;
          }
          if (status !== 202 || changed !== true) failures.push(`${requestId}: HTTP ${status} ${text.slice(0, 200)}`);
        },
        (error: unknown) => {
          postLatencies[index] = Number.NaN;
          failures.push(`${requestId}: ${describeError(error)}`);
        },
      ),
    );
  }
  await Promise.all(sends);
  const elapsedMs = lastSentAt - started;
  return {
    records: requestIds.length,
    elapsedMs,
    lastSentAt,
    perSecond: requestIds.length > 1 ? ((requestIds.length - 1) / elapsedMs) * 1000 : Number.NaN,
    maxLagMs,
    postLatencies,
    failures,
  };
}

/** Resolves when `promise` does or `ms` after `from` (performance.now()), whichever is first. */
async function until(promise: Promise<unknown>, from: number, ms: number): Promise<void> {
  const controller = new AbortController();
  const remaining = Math.max(0, from + ms - performance.now());
  await Promise.race([promise, sleep(remaining, undefined, { signal: controller.signal }).catch(() => undefined)]);
  controller.abort();
}

// --- Phases ------------------------------------------------------------------------------------

interface LatencySummary extends Latencies {
  readonly count: number;
}

function summarize(values: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(values).filter((value) => !Number.isNaN(value)).sort();
  return { count: sorted.length, ...latencies(sorted) };
}

interface UpdatesOutcome {
  readonly subscriptions: number;
  readonly received: number;
  /** Subscriptions that did not receive their record within the timeout. */
  readonly lost: number;
  /** Records received beyond the first. */
  readonly duplicates: number;
  /** Received their record but were not completed by the server. */
  readonly notCompleted: number;
  /** Subscriptions with errors or wrong records. */
  readonly withProblems: number;
  readonly problemSamples: readonly string[];
  readonly latency: LatencySummary;
}

function updatesOutcome(subscriptions: readonly UpdateSubscription[]): UpdatesOutcome {
  const withProblems = subscriptions.filter((s) => s.problems.length > 0);
  return {
    subscriptions: subscriptions.length,
    received: subscriptions.filter((s) => s.received > 0).length,
    lost: subscriptions.filter((s) => s.received === 0).length,
    duplicates: subscriptions.reduce((sum, s) => sum + Math.max(0, s.received - 1), 0),
    notCompleted: subscriptions.filter((s) => s.received > 0 && !s.completed).length,
    withProblems: withProblems.length,
    problemSamples: withProblems.slice(0, 5).map((s) => `${s.requestId}: ${s.problems.join('; ')}`),
    latency: summarize(subscriptions.map((s) => s.latencyMs)),
  };
}

/** What a publishing phase cost, from the first POST until every subscriber had its records. */
interface PhaseLoad {
  readonly windowMs: number;
  /** Gateway CPU (µs) per record published, all its deliveries included. */
  readonly gatewayCpuUsPerRecord: number;
  /** Percent of one core over the window. */
  readonly gatewayCpuPercent: number;
  /** The benchmark process: POSTs and every subscriber. */
  readonly clientCpuUsPerRecord: number;
  readonly clientCpuPercent: number;
  /** Event-loop delay over the window: a stalled subscriber process would skew the latencies. */
  readonly gatewayLoopDelay: EventLoopDelay;
  readonly clientLoopDelay: EventLoopDelay;
}

/** Runs `work` (publishing, then waiting for the deliveries) and measures what it cost both processes. */
async function measureLoad<T>(gateway: GatewayProcess, records: number, work: () => Promise<T>): Promise<{ result: T; load: PhaseLoad }> {
  const clientLoop = monitorEventLoopDelay({ resolution: 10 });
  const gatewayBefore = await gateway.stats(true);
  const clientBefore = process.cpuUsage();
  clientLoop.enable();
  const started = performance.now();
  try {
    const result = await work();
    const windowMs = performance.now() - started;
    const clientCpu = process.cpuUsage(clientBefore);
    const gatewayAfter = await gateway.stats();
    const gatewayUs = cpuMicros(gatewayAfter.cpu) - cpuMicros(gatewayBefore.cpu);
    const clientUs = clientCpu.user + clientCpu.system;
    const delay = (figures: EventLoopDelay): EventLoopDelay => ({ p99Ms: round(figures.p99Ms, 1), maxMs: round(figures.maxMs, 1) });
    return {
      result,
      load: {
        windowMs: round(windowMs, 1),
        gatewayCpuUsPerRecord: round(gatewayUs / records, 0),
        gatewayCpuPercent: round((gatewayUs / 1000 / windowMs) * 100, 0),
        clientCpuUsPerRecord: round(clientUs / records, 0),
        clientCpuPercent: round((clientUs / 1000 / windowMs) * 100, 0),
        gatewayLoopDelay: delay(gatewayAfter.eventLoopDelay),
        clientLoopDelay: delay({ p99Ms: clientLoop.percentile(99) / 1e6, maxMs: clientLoop.max / 1e6 }),
      },
    };
  } finally {
    clientLoop.disable();
  }
}


interface UpdatesPhase {
  readonly subscribers: number;
  readonly connections: number;
  /** From the first subscribe until the gateway counted them all listening. */
  readonly subscribeMs: number;
  readonly memoryBefore: MemoryFigures;
  readonly memoryIdle: MemoryFigures;
  readonly memoryAfter: MemoryFigures;
  /** (idle − before) / subscribers. */
  readonly perIdleSubscriberKb: { readonly heapUsed: number; readonly rss: number; readonly external: number };
  /**
   * (idle − half idle) / second half: the same without one-time costs (code optimised as paths
   * get hot, tables growing), since half the subscribers were already there.
   */
  readonly marginalPerIdleSubscriberKb: { readonly heapUsed: number; readonly rss: number };
  /** (after − before) / subscribers: what finished subscriptions leave behind (records in the store included). */
  readonly retainedPerSubscriberKb: { readonly heapUsed: number; readonly rss: number };
  readonly publish: {
    readonly targetPerSecond: number;
    readonly perSecond: number;
    readonly elapsedMs: number;
    readonly maxLagMs: number;
    readonly post: LatencySummary;
    readonly failures: number;
    readonly failureSamples: readonly string[];
  };
  readonly outcome: UpdatesOutcome;
  /** The ten slowest deliveries, by publishing order: a burst of them points at a stall. */
  readonly slowest: readonly { readonly record: number; readonly latencyMs: number; readonly postMs: number }[];
  readonly load: PhaseLoad;
  /** The gateway's counters once every subscription had finished (listeners should be 0). */
  readonly serverAfter: { readonly listeners: number; readonly redisChannels: number | undefined };
}

/**
 * `ids.length` subscriptions spread round robin over `clients`, live on the gateway, then their
 * records published; resolves once every subscription has settled or the timeout has passed.
 */
/**
 * Subscribes `ids` (the subscription for `ids[i]` on client `(first + i) % clients`) and waits
 * until the gateway counts them all listening after their initial read — and, with Redis, until
 * Redis reports their channels. Resolves with the subscriptions and the time that took.
 */
async function subscribeAll(
  gateway: GatewayProcess,
  clients: readonly Client[],
  ids: readonly string[],
  first: number,
): Promise<{ subscriptions: UpdateSubscription[]; ms: number }> {
  const before = await gateway.stats();
  const started = performance.now();
  const subscriptions = ids.map((id, index) => subscribeUpdates(clients[(first + index) % clients.length] as Client, id));
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${ids.length} subscriptions to be live`,
    (stats) =>
      stats.listeners >= before.listeners + ids.length &&
      stats.storeReads >= before.storeReads + ids.length &&
      (!redis || (stats.redisChannels ?? 0) >= (before.redisChannels ?? 0) + ids.length),
    (stats) => `${stats.listeners} listening, ${stats.storeReads - before.storeReads} initial reads, ${stats.redisChannels ?? '-'} Redis channels`,
  );
  const ms = performance.now() - started;
  const broken = subscriptions.filter((s) => s.problems.length > 0);
  if (broken.length > 0) throw new Error(`${broken.length} subscriptions failed before any record was sent, e.g. ${broken[0]?.problems.join('; ')}`);
  return { subscriptions, ms };
}

/**
 * `ids.length` subscriptions spread round robin over `clients`, in two halves, each live on the
 * gateway before `onHalfLive` / `onLive` run; then their records are published. Resolves once every
 * subscription has settled or the timeout has passed.
 */
async function runUpdates(
  gateway: GatewayProcess,
  clients: readonly Client[],
  ids: readonly string[],
  rate: number,
  timeoutMs: number,
  publishWith: (ids: readonly string[], rate: number) => Promise<PublishFigures>,
  hooks: { readonly onHalfLive?: () => Promise<void>; readonly onLive?: () => Promise<void> } = {},
): Promise<{ subscriptions: UpdateSubscription[]; subscribeMs: number; publish: PublishFigures; load: PhaseLoad }> {
  const half = Math.floor(ids.length / 2);
  const firstHalf = await subscribeAll(gateway, clients, ids.slice(0, half), 0);
  await hooks.onHalfLive?.();
  const secondHalf = await subscribeAll(gateway, clients, ids.slice(half), half);
  await hooks.onLive?.();
  const subscriptions = [...firstHalf.subscriptions, ...secondHalf.subscriptions];
  const subscribeMs = firstHalf.ms + secondHalf.ms;

  const { result: figures, load } = await measureLoad(gateway, ids.length, async () => {
    const published = await publishWith(ids, rate);
    await until(Promise.all(subscriptions.map((s) => s.settled)), published.lastSentAt, timeoutMs);
    return published;
  });
  return { subscriptions, subscribeMs, publish: figures, load };
}

interface FeedPhase {
  readonly subscribers: number;
  /** invocationUpdates subscribers waiting all along (`--feed-idle`). */
  readonly idleSubscribers: number;
  readonly records: number;
  readonly expectedDeliveries: number;
  readonly deliveries: number;
  /** (subscriber, record) pairs never delivered. */
  readonly lost: number;
  readonly duplicates: number;
  readonly problems: number;
  readonly problemSamples: readonly string[];
  readonly subscribeMs: number;
  readonly publish: {
    readonly targetPerSecond: number;
    readonly perSecond: number;
    readonly maxLagMs: number;
    readonly post: LatencySummary;
    readonly failures: number;
    readonly failureSamples: readonly string[];
  };
  readonly latency: LatencySummary;
  readonly load: PhaseLoad;
  /** Cancelling the feed subscriptions: see `Release`. */
  readonly release: Release;
}

async function runFeed(
  gateway: GatewayProcess,
  clients: readonly Client[],
  options: Options,
  runId: string,
  publishWith: (ids: readonly string[], rate: number) => Promise<PublishFigures>,
): Promise<FeedPhase> {
  const ids = Array.from({ length: options.feedRecords }, (_, index) => `${runId}-feed-${index}`);
  const indexOf = new Map(ids.map((id, index) => [id, index]));
  const expected = options.feedSubscribers * ids.length;
  const latencies: number[] = [];
  const all = Promise.withResolvers<void>();
  let delivered = 0;
  const onDelivery = (): void => {
    delivered += 1;
    if (delivered === expected) all.resolve();
  };

  // Subscribers that wait all along for invocations that never complete, beside the feeds.
  const idle = options.feedIdle > 0 ? await subscribeAll(gateway, clients, Array.from({ length: options.feedIdle }, (_, index) => `${runId}-idle-${index}`), 0) : undefined;
  const before = await gateway.stats();
  const started = performance.now();
  const feeds = Array.from({ length: options.feedSubscribers }, (_, index) => subscribeFeed(clients[index % clients.length] as Client, indexOf, latencies, onDelivery));
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${options.feedSubscribers} feed subscriptions to be live`,
    (stats) => stats.feedListeners >= before.feedListeners + options.feedSubscribers && (!redis || (stats.redisFeedSubscribers ?? 0) >= 1),
    (stats) => `${stats.feedListeners} feed listeners`,
  );
  const subscribeMs = performance.now() - started;

  const { result: figures, load } = await measureLoad(gateway, ids.length, async () => {
    const published = await publishWith(ids, options.feedRate);
    await until(all.promise, published.lastSentAt, options.timeoutMs);
    return published;
  });

  for (const feed of feeds) {
    feed.cancelled = true;
    feed.unsubscribe();
  }
  const release = await measureRelease(
    gateway,
    options.feedSubscribers,
    (stats) => stats.feedListeners - before.feedListeners,
    (stats) => stats.redisFeedSubscribers,
    () => publishWith([`${runId}-feed-nudge`], options.feedRate),
  );

  let lost = 0;
  let duplicates = 0;
  for (const feed of feeds) {
    for (const count of feed.counts) {
      if (count === 0) lost += 1;
      else duplicates += count - 1;
    }
  }
  const withProblems = feeds.filter((feed) => feed.problems.length > 0);
  for (const subscription of idle?.subscriptions ?? []) subscription.unsubscribe();
  return {
    subscribers: options.feedSubscribers,
    idleSubscribers: options.feedIdle,
    records: ids.length,
    expectedDeliveries: expected,
    deliveries: delivered,
    lost,
    duplicates,
    problems: withProblems.length,
    problemSamples: withProblems.slice(0, 5).map((feed) => feed.problems.slice(0, 3).join('; ')),
    subscribeMs: round(subscribeMs, 1),
    publish: {
      targetPerSecond: options.feedRate,
      perSecond: round(figures.perSecond, 1),
      maxLagMs: round(figures.maxLagMs, 1),
      post: summarize(figures.postLatencies),
      failures: figures.failures.length,
      failureSamples: figures.failures.slice(0, 5),
    },
    latency: summarize(latencies),
    load,
    release,
  };
}

/**
 * What happens on the gateway when subscribers go away before their subscription ended: the
 * listeners (and Redis channels) should be released at once, not when the next event arrives.
 */
interface Release {
  readonly cancelled: number;
  /** Listeners still open `waitedMs` after the cancellations. */
  readonly leftAfterWait: number;
  readonly waitedMs: number;
  /** Redis only: their channels still subscribed at that point (the feed shares one channel). */
  readonly redisChannelsLeft: number | undefined;
  /** After one more event for the cancelled subscriptions was published (undefined: not needed). */
  readonly leftAfterNextEvent: number | undefined;
  readonly released: boolean;
}

async function measureRelease(
  gateway: GatewayProcess,
  cancelled: number,
  open: (stats: SubscriptionsServerStats) => number,
  redisChannels: (stats: SubscriptionsServerStats) => number | undefined,
  nudge: () => Promise<PublishFigures>,
): Promise<Release> {
  const waited = await pollServer(gateway, (stats) => open(stats) <= 0, RELEASE_WAIT_MS);
  let leftAfterNextEvent: number | undefined;
  if (!waited.met) {
    // Are they waiting for the next event? Publish it and look again.
    await nudge();
    const after = await pollServer(gateway, (stats) => open(stats) <= 0, RELEASE_WAIT_MS);
    leftAfterNextEvent = open(after.stats);
  }
  return {
    cancelled,
    leftAfterWait: open(waited.stats),
    waitedMs: round(waited.waitedMs, 0),
    redisChannelsLeft: redisChannels(waited.stats),
    leftAfterNextEvent,
    released: waited.met,
  };
}

/**
 * `count` idle invocationUpdates subscribers that go away before their invocation completes: the
 * first half unsubscribe (graphql-ws `complete`), the second half lose their WebSocket.
 */
async function runCancellation(
  gateway: GatewayProcess,
  clients: readonly Client[],
  count: number,
  runId: string,
  rate: number,
  publishWith: (ids: readonly string[], rate: number) => Promise<PublishFigures>,
): Promise<Release & { readonly unsubscribed: number; readonly disconnected: number }> {
  const before = await gateway.stats();
  const [doomed] = await connectClients(gateway.url, 1);
  if (doomed === undefined) throw new Error('no client to disconnect');
  const unsubscribed = Math.ceil(count / 2);
  const ids = Array.from({ length: count }, (_, index) => `${runId}-cancel-${index}`);
  const subscriptions = ids.map((id, index) => subscribeUpdates(index < unsubscribed ? (clients[index % clients.length] as Client) : doomed, id));
  const redis = before.redisChannels !== undefined;
  await waitForServer(
    gateway,
    `waiting for ${count} subscriptions to be live`,
    (stats) =>
      stats.listeners >= before.listeners + count &&
      stats.storeReads >= before.storeReads + count &&
      (!redis || (stats.redisChannels ?? 0) >= (before.redisChannels ?? 0) + count),
    (stats) => `${stats.listeners} listening`,
  );
  for (const subscription of subscriptions.slice(0, unsubscribed)) subscription.unsubscribe();
  // Closes the WebSocket (code 4499) without completing its subscriptions first, as a lost client would.
  doomed.terminate();
  try {
    const release = await measureRelease(
      gateway,
      count,
      (stats) => stats.listeners - before.listeners,
      (stats) => (stats.redisChannels === undefined ? undefined : stats.redisChannels - (before.redisChannels ?? 0)),
      () => publishWith(ids, rate),
    );
    return { ...release, unsubscribed, disconnected: count - unsubscribed };
  } finally {
    await doomed.dispose();
  }
}

interface BackendResult {
  readonly backend: Backend;
  readonly warmup: { readonly subscribers: number; readonly lost: number; readonly duplicates: number };
  readonly updates: UpdatesPhase;
  readonly cancellation: (Release & { readonly unsubscribed: number; readonly disconnected: number }) | undefined;
  readonly feed: FeedPhase | undefined;
  readonly gatewayWarnings: readonly string[];
  readonly checks: {
    readonly noneLost: boolean;
    readonly noDuplicates: boolean;
    readonly allCompleted: boolean;
    readonly noProblems: boolean;
    readonly feedNoneLost: boolean | undefined;
    readonly feedNoDuplicates: boolean | undefined;
    readonly feedNoProblems: boolean | undefined;
  };
  /** The delivery checks: what the exit status reflects. */
  readonly passed: boolean;
  /** Cancelled subscriptions (idle ones and feeds) were released at once. */
  readonly released: boolean;
}

const perSubscriberKb = (after: number, before: number, count: number): number => round((after - before) / count / KB, 2);

async function runBackend(backend: Backend, options: Options, runId: string): Promise<BackendResult> {
  let redis: BenchRedis | undefined;
  let gateway: GatewayProcess | undefined;
  let clients: Client[] = [];
  const agent = new Agent({ keepAlive: true, maxSockets: 32 });
  try {
    if (backend === 'redis') {
      redis = await startBenchRedis();
      console.error(`[redis] private redis-server (pid ${redis.pid}) on ${redis.url}`);
    }
    const secret = randomBytes(24).toString('base64url');
    gateway = await GatewayProcess.start(redis === undefined ? { secret } : { secret, redisUrl: redis.url }, options.cpuProfDir);
    const running = gateway;
    console.error(`[${backend}] gateway (pid ${running.pid}) at ${running.url}`);
    const publishWith = (ids: readonly string[], rate: number): Promise<PublishFigures> => publish(running.destinationsUrl, secret, agent, ids, rate);

    clients = await connectClients(running.url, options.connections);

    // Warm-up: the same path, small, not counted; a broken setup fails here.
    let warmup = { subscribers: 0, lost: 0, duplicates: 0 };
    if (options.warmup > 0) {
      console.error(`[${backend}] warm-up: ${options.warmup} subscribers…`);
      const ids = Array.from({ length: options.warmup }, (_, index) => `${runId}-${backend}-warmup-${index}`);
      const run = await runUpdates(running, clients, ids, options.rate, options.timeoutMs, publishWith);
      const outcome = updatesOutcome(run.subscriptions);
      warmup = { subscribers: ids.length, lost: outcome.lost, duplicates: outcome.duplicates };
      if (outcome.lost > 0 || outcome.withProblems > 0 || run.publish.failures.length > 0) {
        throw new Error(
          `the warm-up failed: ${outcome.lost} of ${ids.length} records not received; ` +
            [...outcome.problemSamples, ...run.publish.failures.slice(0, 3)].join(' | '),
        );
      }
    }
    await waitForServer(running, 'waiting for the warm-up subscriptions to end', (stats) => stats.listeners === 0, (stats) => `${stats.listeners} listening`);

    const before = await running.memory();
    console.error(`[${backend}] ${options.subscribers} subscribers over ${options.connections} WebSockets…`);
    const ids = Array.from({ length: options.subscribers }, (_, index) => `${runId}-${backend}-${index}-${randomUUID()}`);
    let halfIdle: { memory: MemoryFigures; stats: SubscriptionsServerStats } | undefined;
    let idle: { memory: MemoryFigures; stats: SubscriptionsServerStats } | undefined;
    const run = await runUpdates(running, clients, ids, options.rate, options.timeoutMs, publishWith, {
      onHalfLive: async () => {
        halfIdle = await running.memory();
      },
      onLive: async () => {
        idle = await running.memory();
        console.error(`[${backend}] all live; publishing ${ids.length} records at ${options.rate}/s…`);
      },
    });
    if (halfIdle === undefined || idle === undefined) throw new Error('no memory reading with the subscribers idle');
    const secondHalf = ids.length - Math.floor(ids.length / 2);
    const outcome = updatesOutcome(run.subscriptions);
    const ended = await waitForServer(running, 'waiting for the subscriptions to end', (stats) => stats.listeners === 0, (stats) => `${stats.listeners} listening`).catch(
      () => running.stats(),
    );
    const after = await running.memory();
    for (const subscription of run.subscriptions) if (!subscription.completed) subscription.unsubscribe();
    const updates: UpdatesPhase = {
      subscribers: options.subscribers,
      connections: options.connections,
      subscribeMs: round(run.subscribeMs, 1),
      memoryBefore: before.memory,
      memoryIdle: idle.memory,
      memoryAfter: after.memory,
      perIdleSubscriberKb: {
        heapUsed: perSubscriberKb(idle.memory.heapUsed, before.memory.heapUsed, ids.length),
        rss: perSubscriberKb(idle.memory.rss, before.memory.rss, ids.length),
        external: perSubscriberKb(idle.memory.external, before.memory.external, ids.length),
      },
      marginalPerIdleSubscriberKb: {
        heapUsed: perSubscriberKb(idle.memory.heapUsed, halfIdle.memory.heapUsed, secondHalf),
        rss: perSubscriberKb(idle.memory.rss, halfIdle.memory.rss, secondHalf),
      },
      retainedPerSubscriberKb: {
        heapUsed: perSubscriberKb(after.memory.heapUsed, before.memory.heapUsed, ids.length),
        rss: perSubscriberKb(after.memory.rss, before.memory.rss, ids.length),
      },
      publish: {
        targetPerSecond: options.rate,
        perSecond: round(run.publish.perSecond, 1),
        elapsedMs: round(run.publish.elapsedMs, 1),
        maxLagMs: round(run.publish.maxLagMs, 1),
        post: summarize(run.publish.postLatencies),
        failures: run.publish.failures.length,
        failureSamples: run.publish.failures.slice(0, 5),
      },
      outcome,
      slowest: run.subscriptions
        .map((subscription, record) => ({ record, latencyMs: round(subscription.latencyMs, 2), postMs: round(run.publish.postLatencies[record] ?? Number.NaN, 2) }))
        .filter((entry) => !Number.isNaN(entry.latencyMs))
        .sort((a, b) => b.latencyMs - a.latencyMs)
        .slice(0, 10),
      load: run.load,
      serverAfter: { listeners: ended.listeners, redisChannels: ended.redisChannels },
    };

    let cancellation: Awaited<ReturnType<typeof runCancellation>> | undefined;
    if (options.cancelSubscribers > 0) {
      console.error(`[${backend}] cancellation: ${options.cancelSubscribers} idle subscribers go away…`);
      cancellation = await runCancellation(running, clients, options.cancelSubscribers, `${runId}-${backend}`, options.rate, publishWith);
    }

    let feed: FeedPhase | undefined;
    if (options.feedSubscribers > 0) {
      console.error(`[${backend}] feed: ${options.feedSubscribers} invocationEvents subscribers, ${options.feedRecords} records at ${options.feedRate}/s…`);
      feed = await runFeed(running, clients, options, `${runId}-${backend}`, publishWith);
    }
    const final = await running.stats();

    const checks = {
      noneLost: outcome.lost === 0,
      noDuplicates: outcome.duplicates === 0,
      allCompleted: outcome.notCompleted === 0,
      noProblems: outcome.withProblems === 0 && updates.publish.failures === 0,
      feedNoneLost: feed === undefined ? undefined : feed.lost === 0,
      feedNoDuplicates: feed === undefined ? undefined : feed.duplicates === 0,
      feedNoProblems: feed === undefined ? undefined : feed.problems === 0 && feed.publish.failures === 0,
    };
    return {
      backend,
      warmup,
      updates,
      cancellation,
      feed,
      gatewayWarnings: final.warnings,
      checks,
      passed: Object.values(checks).every((check) => check !== false),
      released: cancellation?.released !== false && feed?.release.released !== false,
    };
  } finally {
    await Promise.allSettled(clients.map(async (client) => client.dispose()));
    agent.destroy();
    await gateway?.close();
    await redis?.stop();
  }
}

// --- Report ------------------------------------------------------------------------------------

/** Numbers as in `table.ts`, NaN (nothing measured) as a dash. */
const fixed = (value: number, digits: number): string => (Number.isNaN(value) ? '–' : formatFixed(value, digits));
const megabytes = (bytes: number): string => `${fixed(bytes / MB, 1)} MB`;
const verdict = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? 'PASS' : 'FAIL');

function report(machine: Machine, options: Options, results: readonly BackendResult[]): string {
  const lines: string[] = [];
  const perConnection = Math.ceil(options.subscribers / options.connections);
  lines.push(
    `Subscriptions benchmark: ${integer.format(options.subscribers)} invocationUpdates subscribers over ${options.connections} graphql-ws WebSockets` +
      ` (≤ ${perConnection} each), one SUCCEEDED record each at ${options.rate}/s`,
    machineLine(machine),
    '',
  );
  const column = (pick: (result: BackendResult) => string): string[] => results.map(pick);
  const rows: string[][] = [
    ['time until all live (ms)', ...column((r) => fixed(r.updates.subscribeMs, 0))],
    ['gateway memory before / idle (heapUsed)', ...column((r) => `${megabytes(r.updates.memoryBefore.heapUsed)} / ${megabytes(r.updates.memoryIdle.heapUsed)}`)],
    ['memory per idle subscriber, heapUsed (KB)', ...column((r) => fixed(r.updates.perIdleSubscriberKb.heapUsed, 2))],
    ['memory per idle subscriber, rss (KB)', ...column((r) => fixed(r.updates.perIdleSubscriberKb.rss, 2))],
    ['  marginal, 2nd half only: heapUsed / rss (KB)', ...column((r) => `${fixed(r.updates.marginalPerIdleSubscriberKb.heapUsed, 2)} / ${fixed(r.updates.marginalPerIdleSubscriberKb.rss, 2)}`)],
    ['retained after completion, heapUsed (KB/sub)', ...column((r) => fixed(r.updates.retainedPerSubscriberKb.heapUsed, 2))],
    ['records/s, target → achieved', ...column((r) => `${r.updates.publish.targetPerSecond} → ${fixed(r.updates.publish.perSecond, 1)}`)],
    ['POST round trip median / p99 (ms)', ...column((r) => `${fixed(r.updates.publish.post.medianMs, 2)} / ${fixed(r.updates.publish.post.p99Ms, 2)}`)],
    ['publish → receive median (ms)', ...column((r) => fixed(r.updates.outcome.latency.medianMs, 2))],
    ['publish → receive p99 (ms)', ...column((r) => fixed(r.updates.outcome.latency.p99Ms, 2))],
    ['publish → receive max (ms)', ...column((r) => fixed(r.updates.outcome.latency.maxMs, 2))],
    ['records received', ...column((r) => `${integer.format(r.updates.outcome.received)} / ${integer.format(r.updates.outcome.subscriptions)}`)],
    ['events lost', ...column((r) => integer.format(r.updates.outcome.lost))],
    ['duplicates', ...column((r) => integer.format(r.updates.outcome.duplicates))],
    ['received but not completed', ...column((r) => integer.format(r.updates.outcome.notCompleted))],
    ['errors / wrong records / failed POSTs', ...column((r) => `${r.updates.outcome.withProblems} / ${r.updates.publish.failures}`)],
    ['listeners left on the gateway afterwards', ...column((r) => `${r.updates.serverAfter.listeners}${r.updates.serverAfter.redisChannels === undefined ? '' : ` (Redis channels ${r.updates.serverAfter.redisChannels})`}`)],
    ['gateway CPU per record (µs), % of a core', ...column((r) => `${integer.format(r.updates.load.gatewayCpuUsPerRecord)}, ${r.updates.load.gatewayCpuPercent}%`)],
    ['bench client CPU, % of a core', ...column((r) => `${r.updates.load.clientCpuPercent}%`)],
    ['event-loop delay max: gateway / client (ms)', ...column((r) => `${fixed(r.updates.load.gatewayLoopDelay.maxMs, 0)} / ${fixed(r.updates.load.clientLoopDelay.maxMs, 0)}`)],
    ['events lost = 0', ...column((r) => verdict(r.checks.noneLost))],
    ['duplicates = 0', ...column((r) => verdict(r.checks.noDuplicates))],
    ['every subscription completed', ...column((r) => verdict(r.checks.allCompleted))],
  ];
  lines.push(table(['invocationUpdates', ...results.map((r) => r.backend)], rows));

  const feeds = results.filter((r) => r.feed !== undefined);
  if (feeds.length > 0) {
    const feedColumn = (pick: (feed: FeedPhase) => string): string[] => feeds.map((r) => (r.feed === undefined ? '' : pick(r.feed)));
    lines.push('');
    lines.push(
      table(
        [
          `invocationEvents feed (${options.feedSubscribers} subscribers × ${integer.format(options.feedRecords)} records` +
            `${options.feedIdle > 0 ? `, ${integer.format(options.feedIdle)} idle invocationUpdates beside` : ''})`,
          ...feeds.map((r) => r.backend),
        ],
        [
          ['records/s, target → achieved', ...feedColumn((f) => `${f.publish.targetPerSecond} → ${fixed(f.publish.perSecond, 1)}`)],
          ['deliveries received / expected', ...feedColumn((f) => `${integer.format(f.deliveries)} / ${integer.format(f.expectedDeliveries)}`)],
          ['POST round trip median / p99 (ms)', ...feedColumn((f) => `${fixed(f.publish.post.medianMs, 2)} / ${fixed(f.publish.post.p99Ms, 2)}`)],
          ['publish → receive median (ms)', ...feedColumn((f) => fixed(f.latency.medianMs, 2))],
          ['publish → receive p99 (ms)', ...feedColumn((f) => fixed(f.latency.p99Ms, 2))],
          ['publish → receive max (ms)', ...feedColumn((f) => fixed(f.latency.maxMs, 2))],
          ['deliveries lost', ...feedColumn((f) => integer.format(f.lost))],
          ['duplicates', ...feedColumn((f) => integer.format(f.duplicates))],
          ['errors / failed POSTs', ...feedColumn((f) => `${f.problems} / ${f.publish.failures}`)],
          ['gateway CPU per record (µs), % of a core', ...feedColumn((f) => `${integer.format(f.load.gatewayCpuUsPerRecord)}, ${f.load.gatewayCpuPercent}%`)],
          ['bench client CPU, % of a core', ...feedColumn((f) => `${f.load.clientCpuPercent}%`)],
          ['event-loop delay max: gateway / client (ms)', ...feedColumn((f) => `${fixed(f.load.gatewayLoopDelay.maxMs, 0)} / ${fixed(f.load.clientLoopDelay.maxMs, 0)}`)],
          ['deliveries lost = 0', ...feedColumn((f) => verdict(f.lost === 0))],
          ['duplicates = 0', ...feedColumn((f) => verdict(f.duplicates === 0))],
        ],
      ),
    );
  }

  // Cancellation: idle invocationUpdates subscribers and the feed subscribers going away.
  const releases: { name: string; pick: (result: BackendResult) => Release | undefined }[] = [
    { name: `${options.cancelSubscribers} idle invocationUpdates (½ unsubscribe, ½ disconnect)`, pick: (r) => r.cancellation },
    { name: `${options.feedSubscribers} invocationEvents feeds (unsubscribe)`, pick: (r) => r.feed?.release },
  ];
  const releaseRows: string[][] = [];
  for (const { name, pick } of releases) {
    if (results.every((r) => pick(r) === undefined)) continue;
    const releaseColumn = (show: (release: Release) => string): string[] => results.map((r) => {
      const release = pick(r);
      return release === undefined ? '–' : show(release);
    });
    releaseRows.push(
      [name, ...results.map(() => '')],
      [`  listeners left ${RELEASE_WAIT_MS / 1000} s after they went away`, ...releaseColumn((x) => `${x.leftAfterWait} / ${x.cancelled}`)],
      ...(results.some((r) => pick(r)?.redisChannelsLeft !== undefined)
        ? [['  Redis channels still subscribed then', ...releaseColumn((x) => (x.redisChannelsLeft === undefined ? '–' : String(x.redisChannelsLeft)))]]
        : []),
      ['  listeners left once one more event arrived', ...releaseColumn((x) => (x.leftAfterNextEvent === undefined ? '(not needed)' : String(x.leftAfterNextEvent)))],
      ['  released without waiting for an event', ...releaseColumn((x) => verdict(x.released))],
    );
  }
  if (releaseRows.length > 0) {
    lines.push('', table(['cancelled subscriptions', ...results.map((r) => r.backend)], releaseRows));
  }
  lines.push(
    '',
    '(latency: from just before the POST of the destination record to the subscriber’s graphql-ws `next` callback, same process;',
    ' memory: the gateway process after two full collections, WebSockets open in both readings;',
    ' CPU and event-loop delay: from the first POST until the last delivery; CPU % is of one core, the gateway process and this one)',
  );
  const stalls = results.flatMap((r) => [
    ...(r.updates.load.clientLoopDelay.maxMs > CLIENT_STALL_MS ? [`${r.backend} invocationUpdates (${fixed(r.updates.load.clientLoopDelay.maxMs, 0)} ms)`] : []),
    ...(r.feed !== undefined && r.feed.load.clientLoopDelay.maxMs > CLIENT_STALL_MS ? [`${r.backend} feed (${fixed(r.feed.load.clientLoopDelay.maxMs, 0)} ms)`] : []),
  ]);
  if (stalls.length > 0) {
    lines.push(
      `note: this benchmark's own event loop stalled for more than ${CLIENT_STALL_MS} ms in ${stalls.join(', ')}: latencies there include`,
      `      the stall (other load on the machine? load average now ${loadAverage().join(' ')}, at start ${machine.loadAverage.join(' ')})`,
    );
  }
  for (const result of results) {
    const samples = [...result.updates.outcome.problemSamples, ...result.updates.publish.failureSamples, ...(result.feed?.problemSamples ?? []), ...(result.feed?.publish.failureSamples ?? [])];
    if (samples.length > 0) lines.push(`[${result.backend}] problems, e.g.:`, ...samples.map((sample) => `  ${sample}`));
    if (result.gatewayWarnings.length > 0) lines.push(`[${result.backend}] gateway warnings:`, ...result.gatewayWarnings.map((warning) => `  ${warning}`));
  }
  return lines.join('\n');
}

// --- Main --------------------------------------------------------------------------------------

/** Runs the benchmark; resolves with the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const options = readOptions(USAGE, () => parseOptions(argv));
  if (typeof options === 'number') return options;

  const machine = describeMachine();
  // Children (gateway, redis-server) are killed by their own 'exit' handlers.
  const removeSignalHandlers = exitOnSignals();
  try {
    const runId = randomUUID().slice(0, 8);
    const results: BackendResult[] = [];
    for (const backend of options.backends) results.push(await runBackend(backend, options, runId));

    console.log(`\n${report(machine, options, results)}`);
    const passed = results.every((result) => result.passed);
    const released = results.every((result) => result.released);
    const output = {
      benchmark: 'subscriptions',
      date: new Date().toISOString(),
      machine,
      options,
      multiplexing: `${options.subscribers} subscriptions over ${options.connections} graphql-ws WebSockets, round robin`,
      results,
      passed,
      released,
    };
    if (options.cpuProfDir !== undefined) console.log(`gateway CPU profiles: ${options.cpuProfDir}`);
    const written = writeResults(RESULTS_FILE, output);
    console.log(
      `\n${passed ? 'delivery checks passed' : 'DELIVERY CHECKS FAILED'}` +
        `${released ? '' : '; cancelled subscriptions are NOT released by the gateway until their next event'}` +
        `; results written to ${written}`,
    );
    return passed ? 0 : 2;
  } catch (error) {
    console.error(failureMessage(error));
    return 1;
  } finally {
    removeSignalHandlers();
  }
}

if (import.meta.main) {
  exitWith(await main(process.argv.slice(2)));
}
