/**
 * Phase 1 of `bench/reliability`, the mixed load: `--requests` GraphQL POSTs at `--concurrency` in
 * flight over keep-alive HTTP, a mix of queries (`{ gateway { region } }`), `echo` invocations each
 * with a unique payload id, and idempotent replays (`echo` with an `idempotencyKey` used 2–3 times
 * with the same payload; the replays are sent once the first answer has arrived, since a replay of
 * an unfinished request is an IN_PROGRESS conflict). It counts what its targets need: requests
 * answered exactly once, 5xx answers, echoed ids, the local Lambda's `echo` executions against the
 * non-replayed `echo` invocations the gateway answered, and replays carrying the first answer's
 * requestId.
 */
import type { Scope } from '../harness/scope.ts';
import { latencies, round } from '../support/stats.ts';
import { GraphqlClient, INVOKE_QUERY, type InvocationAnswer, LOST, type Outcome, dataOf } from './graphql-client.ts';
import { type Env, type LambdaProcess, type Options, startGateway } from './setup.ts';

export const ECHO = 'echo';
const QUERY = '{ gateway { region } }';

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

export interface MixedResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly latency: { medianMs: number; p99Ms: number; maxMs: number };
  readonly byKind: {
    readonly query: number;
    readonly echo: number;
    readonly replayFirst: number;
    readonly replay: number;
    readonly replayGroups: number;
  };
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
}

/** The mixed load against a gateway of its own (closed afterwards). */
export function mixedPhase(env: Env, options: Options, scope: Scope): Promise<MixedResult> {
  return scope.scoped(async (own) => {
    const gateway = await startGateway(own, env.lambda, options.graceMs);
    const client = new GraphqlClient(gateway.address, options.concurrency);
    own.defer(() => client.destroy());
    return mixedLoad(client, env.lambda, options);
  });
}

async function mixedLoad(client: GraphqlClient, lambda: LambdaProcess, options: Options): Promise<MixedResult> {
  const runId = `${Date.now().toString(36)}-${process.pid}`;
  const tasks = makeTasks(options.requests, runId);
  const before = await lambda.call('counts');
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
          if (answer.replayed === true && first !== undefined && answer.requestId === first.requestId && echoedId(answer) === task.id)
            replaysCorrect += 1;
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
  const after = await lambda.call('counts');

  const statuses: Record<string, number> = {};
  let transportErrors = 0;
  let lost = 0;
  for (const outcome of outcomes) {
    if (outcome.error === LOST) lost += 1;
    else if (outcome.error !== undefined) transportErrors += 1;
    const key = outcome.status === undefined ? `error ${outcome.error ?? ''}` : String(outcome.status);
    statuses[key] = (statuses[key] ?? 0) + 1;
  }
  const answeredOnce = outcomes.filter(
    (outcome) => outcome.answers === 1 && outcome.error === undefined && outcome.status !== undefined,
  ).length;
  const duplicates = outcomes.filter((outcome) => outcome.answers > 1).length;
  const fiveXx = outcomes.filter((outcome) => outcome.status !== undefined && outcome.status >= 500).length;
  const echoExecutions = (after.executions[ECHO] ?? 0) - (before.executions[ECHO] ?? 0);
  const echoInvokeRequests = (after.invokeRequests[ECHO] ?? 0) - (before.invokeRequests[ECHO] ?? 0);
  const sorted = Float64Array.from(outcomes.map((outcome) => outcome.ms)).sort();
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
  };
}
