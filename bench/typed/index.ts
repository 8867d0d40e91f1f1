/**
 * Benchmark of typed fields (issue 12), against the demo functions on the built-in local Lambda:
 *
 *   1. Batching: one operation reading `--users` users under as many aliases, each with its
 *      orders, through a gateway whose `user` and `User.orders` are batch-aware (the demo's
 *      declarations) vs one whose are not (the same declarations without `batch`, and
 *      `idempotent: false`: one invocation per use) — Lambda invocations per operation, counted by
 *      the local Lambda's own log sink, and the operation's wall time. Targets: ≥ 10× fewer
 *      invocations, ≥ 5× faster.
 *   2. Typed read vs `invokeFunction` of the same function (`users-get`, one id): median latency
 *      of `--reads` sequential requests each, alternating. Target: within 10%.
 *
 * The gateways (with their local Lambdas, whose functions run in worker threads) run in this
 * process: what is compared is invocation counts and wall time on one machine, not CPU per process
 * (bench/gateway measures that), and both sides pay the same client and server costs.
 *
 *   npm run bench:typed                 full size
 *   npm run bench:typed -- --quick      quick run
 *   npm run bench:typed -- --help       every option
 */
import { exitWith } from '../harness/exit.ts';
import { count } from '../harness/options.ts';
import { benchmarkMain, defineBenchmark, type Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import { fixed, integer } from '../harness/table.ts';
import { median, round } from '../support/stats.ts';
import { DEMO_FUNCTIONS, resolveGatewayConfig } from '../../src/config.ts';
import { startGatewayServer } from '../../src/server.ts';
import { DEMO_TYPED_FIELDS, type TypedFieldsOptions } from '../../src/typed-fields/declarations.ts';

const OPTIONS = {
  users: count('users read by the one operation (distinct ids, one alias each)', { default: 100, min: 1 }),
  rounds: count('batched vs unbatched operations, alternating', { default: 20, quick: 5, min: 1 }),
  reads: count('typed reads and invokeFunction calls, alternating', { default: 1000, quick: 200, min: 1 }),
  warmup: count('warm-up operations per gateway', { default: 5, quick: 2 }),
} as const;

type Options = HarnessOptions<typeof OPTIONS>;

/** The demo's declarations, with every read invoked once per use: what a gateway without batching does. */
const UNBATCHED: TypedFieldsOptions = Object.fromEntries(
  Object.entries(DEMO_TYPED_FIELDS).map(([typeName, fields]) => [
    typeName,
    Object.fromEntries(
      Object.entries(fields).map(([name, { batch: _batch, ...field }]) => [
        name,
        typeName === 'Mutation' ? field : { ...field, idempotent: false },
      ]),
    ),
  ]),
);

interface Served {
  readonly url: string;
  /** Invocations the local Lambda ran so far (distinct request ids of its execution logs). */
  invocations(): number;
}

async function serve(scope: Scope, typedFields: TypedFieldsOptions, users: number): Promise<Served> {
  const seen = new Set<string>();
  const config = resolveGatewayConfig({
    lambda: { kind: 'local', functions: DEMO_FUNCTIONS },
    typedFields,
    // One alias per user: the operation is the benchmark, not a limit's refusal.
    limits: { maxAliases: users + 10, maxCost: 1_000_000, maxTokens: 100_000 },
    activityLogSize: 0,
    graphiql: false,
    dashboard: false,
  });
  const running = await startGatewayServer(config, { localLambda: { logSink: ({ requestId }) => seen.add(requestId) } });
  scope.defer(() => running.close());
  return { url: running.url, invocations: () => seen.size };
}

async function post(url: string, query: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  if (response.status !== 200 || body.errors !== undefined)
    throw new Error(`the gateway answered ${response.status}: ${JSON.stringify(body).slice(0, 500)}`);
  return body.data ?? {};
}

interface Env {
  readonly batched: Served;
  readonly unbatched: Served;
}

async function setup(scope: Scope, options: Options): Promise<Env> {
  return { batched: await serve(scope, DEMO_TYPED_FIELDS, options.users), unbatched: await serve(scope, UNBATCHED, options.users) };
}

export interface BatchingResult {
  readonly users: number;
  readonly rounds: number;
  readonly batchedInvocations: number;
  readonly unbatchedInvocations: number;
  readonly fewerInvocations: number;
  readonly batchedMedianMs: number;
  readonly unbatchedMedianMs: number;
  readonly speedup: number;
}

async function batchingPhase({ batched, unbatched }: Env, options: Options): Promise<BatchingResult> {
  const aliases = Array.from({ length: options.users }, (_, i) => `u${i}: user(id: "user-${i + 1}") { id name orders { id total } }`);
  const query = `{ ${aliases.join('\n')} }`;
  const run = async (served: Served): Promise<{ ms: number; invocations: number }> => {
    const before = served.invocations();
    const started = performance.now();
    const data = await post(served.url, query);
    const ms = performance.now() - started;
    if (Object.keys(data).length !== options.users || data.u0 === null)
      throw new Error(`unexpected answer ${JSON.stringify(data).slice(0, 300)}`);
    return { ms, invocations: served.invocations() - before };
  };
  // Warm both: the unbatched gateway's local Lambda starts its environments (16 at once) here.
  for (let i = 0; i < options.warmup; i += 1) {
    await run(batched);
    await run(unbatched);
  }
  const on: { ms: number; invocations: number }[] = [];
  const off: { ms: number; invocations: number }[] = [];
  for (let round = 0; round < options.rounds; round += 1) {
    if (round % 2 === 0) {
      on.push(await run(batched));
      off.push(await run(unbatched));
    } else {
      off.push(await run(unbatched));
      on.push(await run(batched));
    }
  }
  const batchedInvocations = median(on.map((r) => r.invocations));
  const unbatchedInvocations = median(off.map((r) => r.invocations));
  const batchedMedianMs = median(on.map((r) => r.ms));
  const unbatchedMedianMs = median(off.map((r) => r.ms));
  return {
    users: options.users,
    rounds: options.rounds,
    batchedInvocations,
    unbatchedInvocations,
    fewerInvocations: round(unbatchedInvocations / batchedInvocations, 1),
    batchedMedianMs: round(batchedMedianMs, 2),
    unbatchedMedianMs: round(unbatchedMedianMs, 2),
    speedup: round(unbatchedMedianMs / batchedMedianMs, 2),
  };
}

export interface TypedVsGenericResult {
  readonly reads: number;
  readonly typedMedianMs: number;
  readonly invokeFunctionMedianMs: number;
  /** typed ÷ invokeFunction. */
  readonly ratio: number;
}

const TYPED_READ = `query Typed($id: ID!) { user(id: $id) { id name email tier joinedAt } }`;
const GENERIC_READ = `mutation Generic($input: InvokeFunctionInput!) { invokeFunction(input: $input) { ... on Invocation { payloadJson } ... on Error { message } } }`;

async function typedVsGenericPhase({ batched }: Env, options: Options): Promise<TypedVsGenericResult> {
  const typed = async (id: string) => {
    const data = await post(batched.url, TYPED_READ, { id });
    if ((data.user as { id?: unknown } | null)?.id !== id) throw new Error(`typed read answered ${JSON.stringify(data)}`);
  };
  // The same function and the same event as the typed field sends (a single Invoke: arguments, source, info, identity).
  const generic = async (id: string) => {
    const event = {
      arguments: { id },
      source: null,
      info: {
        fieldName: 'user',
        parentTypeName: 'Query',
        variables: { id },
        selectionSetList: ['id', 'name', 'email', 'tier', 'joinedAt'],
        selectionSetGraphQL: '',
      },
      identity: null,
    };
    const data = await post(batched.url, GENERIC_READ, { input: { functionName: 'users-get', payload: event } });
    if (((data.invokeFunction as { payloadJson?: { id?: unknown } }).payloadJson?.id ?? null) !== id)
      throw new Error(`invokeFunction answered ${JSON.stringify(data)}`);
  };
  for (let i = 0; i < 200; i += 1) {
    await typed(`user-${(i % 100) + 1}`);
    await generic(`user-${(i % 100) + 1}`);
  }
  const typedMs: number[] = [];
  const genericMs: number[] = [];
  for (let i = 0; i < options.reads; i += 1) {
    const id = `user-${(i % 100) + 1}`;
    const time = async (read: (id: string) => Promise<void>, into: number[]) => {
      const started = performance.now();
      await read(id);
      into.push(performance.now() - started);
    };
    if (i % 2 === 0) {
      await time(typed, typedMs);
      await time(generic, genericMs);
    } else {
      await time(generic, genericMs);
      await time(typed, typedMs);
    }
  }
  const typedMedianMs = median(typedMs);
  const invokeFunctionMedianMs = median(genericMs);
  return {
    reads: options.reads,
    typedMedianMs: round(typedMedianMs, 3),
    invokeFunctionMedianMs: round(invokeFunctionMedianMs, 3),
    ratio: round(typedMedianMs / invokeFunctionMedianMs, 3),
  };
}

export const benchmark = defineBenchmark({
  name: 'typed',
  exitStatus: 'check',
  options: OPTIONS,
  setup,
  phases: {
    batching: {
      progress: (o) => `batching: one operation reading ${o.users} users with their orders, batched vs not, ${o.rounds} rounds…`,
      run: batchingPhase,
    },
    typedVsGeneric: {
      progress: (o) => `typed read vs invokeFunction of users-get, ${o.reads} each…`,
      run: typedVsGenericPhase,
    },
  },
  targets: ({ batching, typedVsGeneric }) => [
    {
      name: `fewer invocations batched (${batching.users} users with orders, one operation)`,
      value: batching.fewerInvocations,
      comparison: '≥',
      target: 10,
      format: (x) => `${fixed(x, 1)}×`,
    },
    { name: 'speed-up batched vs not', value: batching.speedup, comparison: '≥', target: 5, format: (x) => `${fixed(x, 1)}×` },
    {
      name: 'typed read ÷ invokeFunction of the same function (median latency)',
      value: typedVsGeneric.ratio,
      comparison: '≤',
      target: 1.1,
      format: (x) => fixed(x, 3),
    },
  ],
  report: ({ batching, typedVsGeneric }) => ({
    title: 'Typed fields: batching and the cost of typing (demo functions on the built-in local Lambda)',
    blocks: [
      {
        header: ['one operation', 'Lambda invocations', 'median wall time'],
        rows: [
          ['batched (BatchInvoke, deduplicated)', integer(batching.batchedInvocations), `${fixed(batching.batchedMedianMs, 1)} ms`],
          ['not batched (one invocation per use)', integer(batching.unbatchedInvocations), `${fixed(batching.unbatchedMedianMs, 1)} ms`],
        ],
        notes: [`${batching.users} users under as many aliases, each with its orders; median of ${batching.rounds} rounds, alternating`],
      },
      {
        header: ['one read of users-get', 'median latency'],
        rows: [
          ['typed: Query.user(id:)', `${fixed(typedVsGeneric.typedMedianMs, 3)} ms`],
          ['invokeFunction, same event', `${fixed(typedVsGeneric.invokeFunctionMedianMs, 3)} ms`],
        ],
        notes: [`${typedVsGeneric.reads} sequential requests each, alternating`],
      },
    ],
  }),
});

export const main = benchmarkMain(benchmark);

if (import.meta.main) exitWith(await main(process.argv.slice(2)));
