/**
 * Reliability of the gateway under load, against one local Lambda:
 *
 *   1. Mixed load: `--requests` GraphQL POSTs (default 20,000) at `--concurrency` in flight
 *      (default 64) over keep-alive HTTP, a mix of queries (`{ gateway { region } }`), `echo`
 *      invocations each with a unique payload id, and idempotent replays (`echo` with an
 *      `idempotencyKey` used 2–3 times with the same payload; the replays are sent once the first
 *      answer has arrived, since a replay of an unfinished request is an IN_PROGRESS conflict).
 *      Checked: every request answered exactly once, no 5xx, every echoed id the one sent, the
 *      local Lambda ran `echo` exactly as many times as the gateway answered non-replayed `echo`
 *      invocations, and every replay answered `replayed: true` with the first answer's requestId.
 *   2. SIGTERM during load: `--drain-requests` (default 500) `sleep` {ms: 200} invocations at
 *      `--concurrency` in flight against a fresh gateway child, which gets SIGTERM once half of
 *      them have been started; its handler calls `running.close(--grace-ms)` then exits. Checked:
 *      every request started before SIGTERM got a complete answer (200 with its result, or a clean
 *      503 refusal), none cut (socket reset / hang-up); requests after it are 503s or refused
 *      connections.
 *
 * Three processes: the local Lambda (`bench/support/reliability-lambda-server.ts`, counting
 * executions through `logSink` and Invoke requests on its HTTP server), the gateway
 * (`bench/support/reliability-gateway-server.ts`) and the client, this one. Only 127.0.0.1 is ever
 * contacted.
 *
 *   npm run bench:reliability                  full size
 *   npm run bench:reliability -- --quick       quick run
 *   npm run bench:reliability -- --help        every option
 *
 * Results are printed as a table and written to `bench/results/reliability.json`.
 */
import { Agent, request as httpRequest } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ChildServer } from './support/child-server.ts';
import { exitOnSignals, failureMessage, parseCommandLine, parseCount, readOptions, writeResults } from './support/cli.ts';
import { exitWith } from './support/exit.ts';
import type { ReliabilityGatewayMessage, ReliabilityGatewayRequest } from './support/reliability-gateway-server.ts';
import type { ReliabilityLambdaMessage, ReliabilityLambdaRequest } from './support/reliability-lambda-server.ts';
import { describeMachine, type Machine, machineLine } from './support/machine.ts';
import { latencies, round } from './support/stats.ts';
import { fixed, integer, table } from './support/table.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const LAMBDA_SCRIPT = path.join(BENCH_DIR, 'support', 'reliability-lambda-server.ts');
const GATEWAY_SCRIPT = path.join(BENCH_DIR, 'support', 'reliability-gateway-server.ts');
export const RESULTS_FILE = path.join(BENCH_DIR, 'results', 'reliability.json');

const ECHO = 'echo';
const SLEEP = 'sleep';
const QUERY = '{ gateway { region } }';
const INVOKE_QUERY = `mutation Invoke($input: InvokeFunctionInput!) {
  invokeFunction(input: $input) {
    __typename
    ... on Invocation { statusCode requestId replayed payloadJson }
    ... on IdempotencyConflictError { conflict }
    ... on Error { message }
  }
}`;
/** A request with no answer for this long counts as lost. */
const REQUEST_TIMEOUT_MS = 60_000;

const USAGE = `Usage: npm run bench:reliability -- [options]

Options (full size / --quick):
  --quick                  smaller counts for a quick check; any count given explicitly wins
  --requests <count>       requests of the mixed load (20000 / 2000)
  --concurrency <count>    in flight, both phases (64)
  --drain-requests <count> sleep invocations of the SIGTERM phase (500 / 200)
  --sleep-ms <ms>          what each of them asks 'sleep' to wait (200)
  --grace-ms <ms>          grace the gateway's SIGTERM handler gives close() (5000)
  --check                  exit with status 2 when a check fails
  --help                   this text`;

interface Options {
  readonly quick: boolean;
  readonly requests: number;
  readonly concurrency: number;
  readonly drainRequests: number;
  readonly sleepMs: number;
  readonly graceMs: number;
  readonly check: boolean;
}

function parseOptions(argv: readonly string[]): Options | 'help' {
  const values = parseCommandLine(argv, {
    quick: { type: 'boolean', default: false },
    requests: { type: 'string' },
    concurrency: { type: 'string' },
    'drain-requests': { type: 'string' },
    'sleep-ms': { type: 'string' },
    'grace-ms': { type: 'string' },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  });
  if (values.help) return 'help';
  return {
    quick: values.quick,
    requests: parseCount('requests', values.requests, values.quick ? 2000 : 20_000, 1),
    concurrency: parseCount('concurrency', values.concurrency, 64, 1),
    drainRequests: parseCount('drain-requests', values['drain-requests'], values.quick ? 200 : 500, 2),
    sleepMs: parseCount('sleep-ms', values['sleep-ms'], 200, 0),
    graceMs: parseCount('grace-ms', values['grace-ms'], 5000, 0),
    check: values.check,
  };
}

// --- The server processes --------------------------------------------------------------------

type LambdaProcess = ChildServer<ReliabilityLambdaMessage, ReliabilityLambdaRequest>;
type GatewayProcess = ChildServer<ReliabilityGatewayMessage, ReliabilityGatewayRequest>;

function startLambda(): Promise<LambdaProcess> {
  return ChildServer.start<ReliabilityLambdaMessage, ReliabilityLambdaRequest>({
    name: 'the local Lambda',
    script: LAMBDA_SCRIPT,
    execArgv: ['--expose-gc'],
    ready: (message) => (message.type === 'ready' ? message.endpoint : undefined),
  });
}

function startGateway(endpoint: string, graceMs: number): Promise<GatewayProcess> {
  return ChildServer.start<ReliabilityGatewayMessage, ReliabilityGatewayRequest>({
    name: 'the gateway',
    script: GATEWAY_SCRIPT,
    args: [endpoint, String(graceMs)],
    execArgv: ['--expose-gc'],
    ready: (message) => (message.type === 'ready' ? message.url : undefined),
  });
}

async function lambdaCounts(lambda: LambdaProcess): Promise<{ executions: Readonly<Record<string, number>>; invokeRequests: Readonly<Record<string, number>> }> {
  const reply = await lambda.request((id) => ({ type: 'counts', id }));
  if (reply.type !== 'counts') throw new Error(`unexpected reply ${reply.type} from the local Lambda`);
  return { executions: reply.executions, invokeRequests: reply.invokeRequests };
}

// --- The client ------------------------------------------------------------------------------

/** How one request ended: an HTTP answer, or a transport error (code such as ECONNRESET). */
interface Outcome {
  /** Times the request settled: exactly 1 is right. */
  answers: number;
  status: number | undefined;
  body: string | undefined;
  error: string | undefined;
  /** ms from start to settling. */
  ms: number;
}

/** GraphQL POSTs on a keep-alive node:http agent; never rejects — every outcome is recorded. */
class GraphqlClient {
  readonly #url: URL;
  readonly #agent: Agent;

  constructor(url: string, maxSockets: number) {
    this.#url = new URL(url);
    this.#agent = new Agent({ keepAlive: true, maxSockets });
  }

  post(query: string, variables: Record<string, unknown> | undefined): Promise<Outcome> {
    const body = Buffer.from(JSON.stringify(variables === undefined ? { query } : { query, variables }));
    const started = performance.now();
    const outcome: Outcome = { answers: 0, status: undefined, body: undefined, error: undefined, ms: 0 };
    return new Promise((resolve) => {
      // Counts every settlement (a second one would be a duplicate answer) but resolves once.
      const settle = (): void => {
        outcome.answers += 1;
        if (outcome.answers === 1) {
          outcome.ms = performance.now() - started;
          clearTimeout(timer);
          resolve(outcome);
        }
      };
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
          response.on('error', (error: NodeJS.ErrnoException) => {
            outcome.error ??= error.code ?? error.message;
            settle();
          });
          response.on('end', () => {
            if (!response.complete) outcome.error ??= 'incomplete response';
            outcome.status = response.statusCode;
            outcome.body = Buffer.concat(chunks).toString('utf8');
            settle();
          });
        },
      );
      const timer = setTimeout(() => request.destroy(new Error('no answer (lost)')), REQUEST_TIMEOUT_MS);
      request.on('error', (error: NodeJS.ErrnoException) => {
        // An error after the response ended is not a second answer of the server; ignore it.
        if (outcome.body !== undefined) return;
        outcome.error ??= error.code ?? error.message;
        settle();
      });
      request.end(body);
    });
  }

  destroy(): void {
    this.#agent.destroy();
  }
}

interface InvocationAnswer {
  readonly __typename: string;
  readonly statusCode?: number;
  readonly requestId?: string;
  readonly replayed?: boolean;
  readonly payloadJson?: unknown;
  readonly conflict?: string;
  readonly message?: string;
}

/** `data[field]` of a 200 answer, or a description of what was wrong. */
function dataOf(outcome: Outcome, field: string): { value: unknown } | { problem: string } {
  if (outcome.error !== undefined) return { problem: `transport: ${outcome.error}` };
  if (outcome.status !== 200) return { problem: `HTTP ${outcome.status}: ${(outcome.body ?? '').slice(0, 200)}` };
  try {
    const response = JSON.parse(outcome.body ?? '') as { data?: Record<string, unknown> | null; errors?: readonly { message?: string }[] };
    if (response.errors !== undefined && response.errors.length > 0) return { problem: `GraphQL errors: ${response.errors.map((e) => e.message).join('; ').slice(0, 200)}` };
    const value = response.data?.[field];
    if (value === undefined || value === null) return { problem: `no data.${field}` };
    return { value };
  } catch {
    return { problem: `not JSON: ${(outcome.body ?? '').slice(0, 200)}` };
  }
}

// --- Phase 1: mixed load ---------------------------------------------------------------------

type Task =
  | { readonly kind: 'query' }
  | { readonly kind: 'echo'; readonly id: string }
  /** `uses` requests with the same key and payload, one after another. */
  | { readonly kind: 'replay'; readonly key: string; readonly id: string; readonly uses: number };

/** A small deterministic PRNG (mulberry32), so every run sends the same mix. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Tasks totalling exactly `requests` requests: about 30 % queries, 40 % echo, 30 % in replay groups. */
function makeTasks(requests: number, runId: string): Task[] {
  const random = prng(20_000);
  const tasks: Task[] = [];
  let left = requests;
  let n = 0;
  while (left > 0) {
    n += 1;
    const pick = random();
    if (pick < 0.3) {
      tasks.push({ kind: 'query' });
      left -= 1;
    } else if (pick < 0.7 || left < 2) {
      tasks.push({ kind: 'echo', id: `${runId}-e${n}` });
      left -= 1;
    } else {
      // 2 or 3 uses of the key, never more than what is left.
      const uses = Math.min(left, random() < 0.5 ? 2 : 3);
      tasks.push({ kind: 'replay', key: `${runId}-k${n}`, id: `${runId}-r${n}`, uses });
      left -= uses;
    }
  }
  return tasks;
}

interface MixedResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly latency: { medianMs: number; p99Ms: number; maxMs: number };
  readonly byKind: { readonly query: number; readonly echo: number; readonly replayFirst: number; readonly replay: number; readonly replayGroups: number };
  readonly answeredOnce: number;
  readonly lost: number;
  readonly duplicates: number;
  readonly transportErrors: number;
  readonly statuses: Readonly<Record<string, number>>;
  readonly fiveXx: number;
  readonly queriesCorrect: number;
  /** Echo answers (unique and first of a group) that were Invocations with the id sent. */
  readonly echoCorrect: number;
  readonly echoMismatched: number;
  /** Non-replayed echo Invocations answered: what the gateway was asked to run. */
  readonly echoAsked: number;
  readonly echoExecutions: number;
  readonly echoInvokeRequests: number;
  readonly replaysCorrect: number;
  readonly replaysWrong: number;
  readonly problems: readonly string[];
  readonly pass: {
    readonly answeredExactlyOnce: boolean;
    readonly no5xx: boolean;
    readonly payloadsMatch: boolean;
    readonly executionsMatch: boolean;
    readonly replaysCorrect: boolean;
  };
}

async function mixedPhase(client: GraphqlClient, lambda: LambdaProcess, options: Options): Promise<MixedResult> {
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const tasks = makeTasks(options.requests, runId);
  const before = await lambdaCounts(lambda);
  const outcomes: Outcome[] = [];
  const problems: string[] = [];
  const note = (problem: string): void => {
    if (problems.length < 20) problems.push(problem);
  };
  const byKind = { query: 0, echo: 0, replayFirst: 0, replay: 0, replayGroups: 0 };
  let queriesCorrect = 0;
  let echoCorrect = 0;
  let echoMismatched = 0;
  let echoAsked = 0;
  let replaysCorrect = 0;
  let replaysWrong = 0;

  /** Checks an echo answer; returns the Invocation when it is one. */
  const checkEcho = (outcome: Outcome, id: string, what: string): InvocationAnswer | undefined => {
    const data = dataOf(outcome, 'invokeFunction');
    if ('problem' in data) {
      note(`${what} ${id}: ${data.problem}`);
      return undefined;
    }
    const answer = data.value as InvocationAnswer;
    if (answer.__typename !== 'Invocation') {
      note(`${what} ${id}: ${answer.__typename} ${answer.conflict ?? ''} ${answer.message ?? ''}`);
      return undefined;
    }
    return answer;
  };
  const echoedId = (answer: InvocationAnswer): unknown => (answer.payloadJson as { id?: unknown } | null)?.id;

  const runTask = async (task: Task): Promise<void> => {
    switch (task.kind) {
      case 'query': {
        byKind.query += 1;
        const outcome = await client.post(QUERY, undefined);
        outcomes.push(outcome);
        const data = dataOf(outcome, 'gateway');
        if ('problem' in data) note(`query: ${data.problem}`);
        else if (typeof (data.value as { region?: unknown }).region === 'string') queriesCorrect += 1;
        else note(`query: no region in ${JSON.stringify(data.value)}`);
        return;
      }
      case 'echo': {
        byKind.echo += 1;
        const outcome = await client.post(INVOKE_QUERY, { input: { functionName: ECHO, payload: { id: task.id } } });
        outcomes.push(outcome);
        const answer = checkEcho(outcome, task.id, 'echo');
        if (answer === undefined) return;
        if (!answer.replayed) echoAsked += 1;
        if (answer.statusCode === 200 && !answer.replayed && echoedId(answer) === task.id) echoCorrect += 1;
        else {
          echoMismatched += 1;
          note(`echo ${task.id}: got ${JSON.stringify(answer).slice(0, 200)}`);
        }
        return;
      }
      case 'replay': {
        byKind.replayGroups += 1;
        const variables = { input: { functionName: ECHO, payload: { id: task.id }, idempotencyKey: task.key } };
        let first: InvocationAnswer | undefined;
        for (let use = 0; use < task.uses; use++) {
          const outcome = await client.post(INVOKE_QUERY, variables);
          outcomes.push(outcome);
          const answer = checkEcho(outcome, task.id, use === 0 ? 'keyed echo' : 'replay');
          if (use === 0) {
            byKind.replayFirst += 1;
            first = answer;
            if (answer === undefined) continue;
            if (!answer.replayed) echoAsked += 1;
            if (answer.statusCode === 200 && !answer.replayed && echoedId(answer) === task.id) echoCorrect += 1;
            else {
              echoMismatched += 1;
              note(`keyed echo ${task.id}: got ${JSON.stringify(answer).slice(0, 200)}`);
            }
            continue;
          }
          byKind.replay += 1;
          if (answer === undefined) {
            replaysWrong += 1;
            continue;
          }
          if (!answer.replayed) echoAsked += 1;
          if (answer.replayed === true && first !== undefined && answer.requestId === first.requestId && echoedId(answer) === task.id) replaysCorrect += 1;
          else {
            replaysWrong += 1;
            note(`replay ${task.id} (use ${use + 1}): got ${JSON.stringify(answer).slice(0, 200)}; first requestId ${first?.requestId}`);
          }
        }
        return;
      }
    }
  };

  let next = 0;
  const started = performance.now();
  const loop = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task !== undefined) await runTask(task);
    }
  };
  // The concurrency counts requests in flight; a replay group holds one loop for its requests.
  await Promise.all(Array.from({ length: Math.min(options.concurrency, tasks.length) }, loop));
  const elapsedMs = performance.now() - started;
  // Let any late second settlement of a request show up before counting.
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await lambdaCounts(lambda);

  const statuses: Record<string, number> = {};
  let transportErrors = 0;
  let lost = 0;
  for (const outcome of outcomes) {
    if (outcome.error === 'no answer (lost)') lost += 1;
    else if (outcome.error !== undefined) transportErrors += 1;
    const key = outcome.status === undefined ? `error ${outcome.error ?? ''}` : String(outcome.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const answeredOnce = outcomes.filter((outcome) => outcome.answers === 1 && outcome.error === undefined && outcome.status !== undefined).length;
  const duplicates = outcomes.filter((outcome) => outcome.answers > 1).length;
  const fiveXx = outcomes.filter((outcome) => outcome.status !== undefined && outcome.status >= 500).length;
  const echoExecutions = (after.executions[ECHO] ?? 0) - (before.executions[ECHO] ?? 0);
  const echoInvokeRequests = (after.invokeRequests[ECHO] ?? 0) - (before.invokeRequests[ECHO] ?? 0);
  const sorted = Float64Array.from(outcomes.map((outcome) => outcome.ms)).sort();
  const echoSent = byKind.echo + byKind.replayFirst;
  return {
    requests: outcomes.length,
    concurrency: options.concurrency,
    elapsedMs: round(elapsedMs, 1),
    perSecond: round((outcomes.length / elapsedMs) * 1000, 0),
    latency: latencies(sorted),
    byKind,
    answeredOnce,
    lost,
    duplicates,
    transportErrors,
    statuses,
    fiveXx,
    queriesCorrect,
    echoCorrect,
    echoMismatched,
    echoAsked,
    echoExecutions,
    echoInvokeRequests,
    replaysCorrect,
    replaysWrong,
    problems,
    pass: {
      answeredExactlyOnce: outcomes.length === options.requests && answeredOnce === options.requests && duplicates === 0 && lost === 0,
      no5xx: fiveXx === 0,
      payloadsMatch: echoCorrect === echoSent && echoMismatched === 0 && queriesCorrect === byKind.query,
      executionsMatch: echoExecutions === echoAsked && echoAsked <= echoSent,
      replaysCorrect: replaysCorrect === byKind.replay && replaysWrong === 0,
    },
  };
}

// --- Phase 2: SIGTERM during load ------------------------------------------------------------

interface DrainCounts {
  started: number;
  /** 200 with an Invocation carrying the sleep's result. */
  completed: number;
  /** 503 answered completely. */
  refused503: number;
  /** Connection refused before anything was sent: the server no longer listened. */
  connectionRefused: number;
  /** Cut: a reset, a hang-up or an incomplete response. */
  cut: number;
  /** Anything else: another status, or a 200 without the result. */
  other: number;
}

interface DrainResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly sleepMs: number;
  readonly graceMs: number;
  readonly sigtermAfterStarted: number;
  readonly sigtermAtMs: number;
  readonly closeMs: number | undefined;
  readonly closeError: string | undefined;
  readonly exitCode: number | null;
  readonly beforeSigterm: DrainCounts;
  readonly afterSigterm: DrainCounts;
  readonly lastCompletedMs: number;
  readonly problems: readonly string[];
  readonly pass: {
    readonly acceptedAnswered: boolean;
    readonly noneCut: boolean;
    readonly exitedCleanly: boolean;
  };
}

const emptyCounts = (): DrainCounts => ({ started: 0, completed: 0, refused503: 0, connectionRefused: 0, cut: 0, other: 0 });

async function drainPhase(lambdaEndpoint: string, options: Options): Promise<DrainResult> {
  const gateway = await startGateway(lambdaEndpoint, options.graceMs);
  console.error(`drain: gateway (pid ${gateway.child.pid}) at ${gateway.address}`);
  const client = new GraphqlClient(gateway.address, options.concurrency);
  const problems: string[] = [];
  const note = (problem: string): void => {
    if (problems.length < 20) problems.push(problem);
  };
  let closed: { closeMs: number; error?: string } | undefined;
  const gotClosed = new Promise<void>((resolve) => {
    gateway.child.on('message', (message: ReliabilityGatewayMessage) => {
      if (message.type === 'closed') {
        closed = message;
        resolve();
      }
    });
    gateway.child.once('exit', () => resolve());
  });
  const exited = new Promise<number | null>((resolve) => {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) resolve(gateway.child.exitCode);
    else gateway.child.once('exit', (code) => resolve(code));
  });

  try {
    const body = { input: { functionName: SLEEP, payload: { ms: options.sleepMs } } };
    // One request first, so a broken setup fails here with a clear message.
    const probe = dataOf(await client.post(INVOKE_QUERY, body), 'invokeFunction');
    if ('problem' in probe) throw new Error(`sleep through the gateway: ${probe.problem}`);

    const before = emptyCounts();
    const after = emptyCounts();
    const sigtermAfter = Math.floor(options.drainRequests / 2);
    let sigtermSent = false;
    let sigtermAtMs = 0;
    let lastCompletedMs = 0;
    let next = 0;
    const started = performance.now();
    const one = async (index: number): Promise<void> => {
      if (index === sigtermAfter && !sigtermSent) {
        sigtermSent = true;
        sigtermAtMs = performance.now() - started;
        gateway.child.kill('SIGTERM');
      }
      const counts = sigtermSent ? after : before;
      counts.started += 1;
      const outcome = await client.post(INVOKE_QUERY, body);
      if (outcome.error !== undefined) {
        if (outcome.error === 'ECONNREFUSED') counts.connectionRefused += 1;
        else {
          counts.cut += 1;
          note(`request #${index} (${counts === before ? 'before' : 'after'} SIGTERM): ${outcome.error} after ${fixed(outcome.ms, 0)} ms`);
        }
        return;
      }
      if (outcome.status === 503) {
        counts.refused503 += 1;
        return;
      }
      const data = dataOf(outcome, 'invokeFunction');
      const answer = 'value' in data ? (data.value as InvocationAnswer) : undefined;
      if (answer?.__typename === 'Invocation' && answer.statusCode === 200 && (answer.payloadJson as { sleptMs?: unknown } | null)?.sleptMs === options.sleepMs) {
        counts.completed += 1;
        lastCompletedMs = Math.max(lastCompletedMs, performance.now() - started);
      } else {
        counts.other += 1;
        note(`request #${index} (${counts === before ? 'before' : 'after'} SIGTERM): ${'problem' in data ? data.problem : JSON.stringify(answer).slice(0, 200)}`);
      }
    };
    const loop = async (): Promise<void> => {
      while (next < options.drainRequests) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(options.concurrency, options.drainRequests) }, loop));
    const exitTimer = setTimeout(() => gateway.kill(), options.graceMs + 10_000);
    await gotClosed;
    const exitCode = await exited;
    clearTimeout(exitTimer);
    return {
      requests: options.drainRequests,
      concurrency: options.concurrency,
      sleepMs: options.sleepMs,
      graceMs: options.graceMs,
      sigtermAfterStarted: sigtermAfter,
      sigtermAtMs: round(sigtermAtMs, 1),
      closeMs: closed === undefined ? undefined : round(closed.closeMs, 1),
      closeError: closed?.error,
      exitCode,
      beforeSigterm: before,
      afterSigterm: after,
      lastCompletedMs: round(lastCompletedMs, 1),
      problems,
      pass: {
        acceptedAnswered: before.completed + before.refused503 === before.started && before.other === 0 && after.other === 0,
        noneCut: before.cut === 0,
        exitedCleanly: exitCode === 0 && closed !== undefined && closed.error === undefined,
      },
    };
  } finally {
    client.destroy();
    await gateway.close({ type: 'close' });
  }
}

// --- Report ----------------------------------------------------------------------------------

const verdict = (met: boolean): string => (met ? 'PASS' : 'FAIL');

function report(machine: Machine, mixed: MixedResult, drain: DrainResult): string {
  const lines: string[] = ['Gateway reliability', machineLine(machine), ''];
  const k = mixed.byKind;
  lines.push(
    `mixed load: ${integer.format(mixed.requests)} requests at ${mixed.concurrency} in flight in ${fixed(mixed.elapsedMs / 1000, 1)} s ` +
      `(${integer.format(mixed.perSecond)}/s; median ${fixed(mixed.latency.medianMs, 2)} ms, p99 ${fixed(mixed.latency.p99Ms, 2)} ms, max ${fixed(mixed.latency.maxMs, 1)} ms)`,
    `  ${integer.format(k.query)} queries, ${integer.format(k.echo)} echo (unique id), ${integer.format(k.replayGroups)} idempotency keys: ` +
      `${integer.format(k.replayFirst)} first uses + ${integer.format(k.replay)} replays`,
    `  HTTP statuses: ${Object.entries(mixed.statuses).map(([status, count]) => `${status} × ${integer.format(count)}`).join(', ')}`,
    '',
  );
  const echoSent = k.echo + k.replayFirst;
  lines.push(table(
    ['check', 'value', 'expected', 'result'],
    [
      ['requests answered exactly once', `${integer.format(mixed.answeredOnce)} (lost ${mixed.lost}, dup ${mixed.duplicates}, transport err ${mixed.transportErrors})`, integer.format(mixed.requests), verdict(mixed.pass.answeredExactlyOnce)],
      ['5xx answers', integer.format(mixed.fiveXx), '0', verdict(mixed.pass.no5xx)],
      ['echoed payload id matches (+ queries ok)', `${integer.format(mixed.echoCorrect)} + ${integer.format(mixed.queriesCorrect)}`, `${integer.format(echoSent)} + ${integer.format(k.query)}`, verdict(mixed.pass.payloadsMatch)],
      ['echo executions vs asked (non-replayed answered)', `${integer.format(mixed.echoExecutions)} vs ${integer.format(mixed.echoAsked)}`, `equal, ≤ ${integer.format(echoSent)}`, verdict(mixed.pass.executionsMatch)],
      ['  (Invoke HTTP requests seen by the local Lambda)', integer.format(mixed.echoInvokeRequests), '', ''],
      ['replays: replayed=true, first requestId, same id', `${integer.format(mixed.replaysCorrect)} (wrong ${mixed.replaysWrong})`, integer.format(k.replay), verdict(mixed.pass.replaysCorrect)],
    ],
  ));
  lines.push('');
  const b = drain.beforeSigterm;
  const a = drain.afterSigterm;
  lines.push(
    `SIGTERM during load: ${integer.format(drain.requests)} × sleep {ms: ${drain.sleepMs}} at ${drain.concurrency} in flight; SIGTERM when #${drain.sigtermAfterStarted} was started ` +
      `(${fixed(drain.sigtermAtMs, 0)} ms in), close(${drain.graceMs}) took ${drain.closeMs === undefined ? '—' : `${fixed(drain.closeMs, 0)} ms`}, ` +
      `exit code ${drain.exitCode}; last 200 at ${fixed(drain.lastCompletedMs, 0)} ms`,
    '',
  );
  lines.push(table(
    ['requests', 'started', '200 + result', '503', 'conn refused', 'cut', 'other', 'result'],
    [
      ['started before SIGTERM', integer.format(b.started), integer.format(b.completed), integer.format(b.refused503), integer.format(b.connectionRefused), integer.format(b.cut), integer.format(b.other), verdict(drain.pass.acceptedAnswered && drain.pass.noneCut)],
      ['started after SIGTERM', integer.format(a.started), integer.format(a.completed), integer.format(a.refused503), integer.format(a.connectionRefused), integer.format(a.cut), integer.format(a.other), a.other === 0 ? 'PASS' : 'FAIL'],
      ['gateway closed and exited 0', '', '', '', '', '', '', verdict(drain.pass.exitedCleanly)],
    ],
  ));
  const problems = [...mixed.problems.map((p) => `mixed: ${p}`), ...drain.problems.map((p) => `drain: ${p}`)];
  if (problems.length > 0) lines.push('', 'first problems seen:', ...problems.slice(0, 20).map((p) => `  ${p}`));
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
  let graphql: GraphqlClient | undefined;
  const removeSignalHandlers = exitOnSignals(() => {
    gateway?.kill();
    lambda?.kill();
  });
  try {
    lambda = await startLambda();
    console.error(`local Lambda (pid ${lambda.child.pid}) at ${lambda.address}`);
    gateway = await startGateway(lambda.address, options.graceMs);
    console.error(`gateway (pid ${gateway.child.pid}) at ${gateway.address}`);
    graphql = new GraphqlClient(gateway.address, options.concurrency);

    console.error(`mixed load: ${options.requests} requests at ${options.concurrency} in flight…`);
    const mixed = await mixedPhase(graphql, lambda, options);
    graphql.destroy();
    graphql = undefined;
    await gateway.close({ type: 'close' });
    gateway = undefined;

    console.error(`SIGTERM during load: ${options.drainRequests} × sleep {ms: ${options.sleepMs}}…`);
    const drain = await drainPhase(lambda.address, options);

    console.log(`\n${report(machine, mixed, drain)}`);
    const passed = Object.values(mixed.pass).every(Boolean) && Object.values(drain.pass).every(Boolean) && drain.afterSigterm.other === 0;
    const written = writeResults(RESULTS_FILE, {
      benchmark: 'reliability',
      date: new Date().toISOString(),
      machine,
      options,
      mixed,
      drain,
      passed,
    });
    console.log(`\nall checks ${passed ? 'passed' : 'did NOT pass'}; results written to ${written}`);
    return options.check && !passed ? 2 : 0;
  } catch (error) {
    console.error(failureMessage(error));
    return 1;
  } finally {
    graphql?.destroy();
    await gateway?.close({ type: 'close' });
    await lambda?.close({ type: 'close' });
    removeSignalHandlers();
  }
}

if (import.meta.main) {
  exitWith(await main(process.argv.slice(2)));
}
