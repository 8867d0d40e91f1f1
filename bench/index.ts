/**
 * Runs one benchmark by name: `npm run bench -- <name> [options]`.
 * Each benchmark module exports `main(argv)`, resolving with the exit status.
 */
import { exitWith } from './harness/exit.ts';

interface Benchmark {
  readonly description: string;
  readonly load: () => Promise<{ readonly main: (argv: readonly string[]) => Promise<number> }>;
}

const BENCHMARKS: Readonly<Record<string, Benchmark>> = {
  'local-lambda': {
    description: 'warm no-op invocations of the built-in local Lambda through @aws-sdk/client-lambda (throughput, latency, memory)',
    load: () => import('./local-lambda/index.ts'),
  },
  gateway: {
    description:
      'gateway vs direct SDK against one local Lambda (overhead: throughput ratio, added latency), invokeFunctions batching, 6 MB round trips',
    load: () => import('./gateway/index.ts'),
  },
  peers: {
    description:
      'the gateway (defaults) vs Apollo Server, Mercurius, bare yoga and graphql-http, same resolvers, one local Lambda: throughput, added latency, CPU, 50-way fan-out',
    load: () => import('./peers/index.ts'),
  },
  subscriptions: {
    description:
      '1,000 invocationUpdates subscribers over graphql-ws, completions POSTed as destination records (latency, loss, memory per subscriber), in memory and on Redis',
    load: () => import('./subscriptions/index.ts'),
  },
  reliability: {
    description:
      '20,000 mixed requests at 64 in flight (queries, echo, idempotent replays): answered once, no 5xx, executions = asked; then SIGTERM during load (drain)',
    load: () => import('./reliability/index.ts'),
  },
  typed: {
    description:
      'typed fields on the demo functions: one operation reading 100 users with their orders, batched vs not (invocations, wall time); a typed read vs invokeFunction',
    load: () => import('./typed/index.ts'),
  },
  stream: {
    description:
      'invokeFunctionStream over SSE vs InvokeWithResponseStream through the SDK, one local Lambda: first chunk, throughput (1,000 chunks, 20 MiB); gateway RSS with a slow reader',
    load: () => import('./stream/index.ts'),
  },
};

function listBenchmarks(): string {
  const names = Object.keys(BENCHMARKS);
  const width = Math.max(...names.map((name) => name.length));
  return [
    'Usage: npm run bench -- <name> [options]   (`npm run bench -- <name> --help` for its options)',
    '',
    'Available benchmarks:',
    ...names.map((name) => `  ${name.padEnd(width)}  ${BENCHMARKS[name]?.description ?? ''}`),
  ].join('\n');
}

const [name, ...rest] = process.argv.slice(2);
const benchmark = name === undefined ? undefined : Object.hasOwn(BENCHMARKS, name) ? BENCHMARKS[name] : undefined;
if (benchmark === undefined) {
  if (name === '--help' || name === '-h') {
    console.log(listBenchmarks());
  } else {
    console.error(`${name === undefined ? 'No benchmark named.' : `Unknown benchmark '${name}'.`}\n\n${listBenchmarks()}`);
    process.exitCode = 1;
  }
} else {
  const { main } = await benchmark.load();
  exitWith(await main(rest));
}
