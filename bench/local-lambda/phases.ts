/**
 * The phases of `bench/local-lambda`: warm throughput at a given concurrency (after its own
 * warm-up), and the server's memory before and after many invocations — each with the CPU both
 * processes spent, which shows which side is saturated.
 */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ChildServer } from '../harness/child-server.ts';
import type { MemoryFigures } from '../harness/child-protocol.ts';
import { invokeNoopDirect, NOOP, run } from '../support/load.ts';
import type { LocalLambdaMethods, ServerStats } from '../support/local-lambda-server.ts';
import { cpuMicros, latencies, round } from '../support/stats.ts';

export type LocalLambdaProcess = ChildServer<LocalLambdaMethods>;

export interface Env {
  readonly server: LocalLambdaProcess;
  readonly client: LambdaClient;
}

/** CPU used by each process while `work` runs (the server figure covers its worker threads). */
async function measureCpu<T>(
  server: LocalLambdaProcess,
  work: () => Promise<T>,
): Promise<{ result: T; clientCpuUs: number; serverCpuUs: number; stats: ServerStats }> {
  const serverBefore = await server.call('cpu');
  const clientBefore = process.cpuUsage();
  const result = await work();
  const clientCpu = process.cpuUsage(clientBefore);
  const serverAfter = await server.call('cpu');
  const stats = await server.call('stats');
  return { result, clientCpuUs: cpuMicros(clientCpu), serverCpuUs: cpuMicros(serverAfter) - cpuMicros(serverBefore), stats };
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

export interface ThroughputResult extends CpuShare {
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
}

export async function throughputPhase(
  name: string,
  { client, server }: Env,
  sizes: { readonly warmup: number; readonly n: number },
  concurrency: number,
  functionName: string = NOOP,
): Promise<ThroughputResult> {
  const once = (): Promise<void> => invokeNoopDirect(client, functionName);
  if (sizes.warmup > 0) await run(once, sizes.warmup, concurrency);
  const { result: figures, clientCpuUs, serverCpuUs, stats } = await measureCpu(server, () => run(once, sizes.n, concurrency));
  const sorted = figures.latencies.slice().sort();
  return {
    name,
    invocations: figures.invocations,
    concurrency,
    warmupInvocations: sizes.warmup,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round((figures.invocations / figures.elapsedMs) * 1000, 0),
    ...latencies(sorted),
    ...cpuShare(figures.invocations, figures.elapsedMs, clientCpuUs, serverCpuUs),
    environments: stats.environments,
  };
}

export interface MemoryResult extends CpuShare {
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
}

/** Memory after two full collections, and the environments then. */
async function serverMemory(server: LocalLambdaProcess): Promise<{ memory: MemoryFigures; stats: ServerStats }> {
  const { memory } = await server.call('memory', { gc: true });
  return { memory, stats: await server.call('stats') };
}

export async function memoryPhase({ client, server }: Env, invocations: number, concurrency: number): Promise<MemoryResult> {
  const before = await serverMemory(server);
  const {
    result: figures,
    clientCpuUs,
    serverCpuUs,
  } = await measureCpu(server, () => run(() => invokeNoopDirect(client), invocations, concurrency));
  const after = await serverMemory(server);
  const heapGrowth = after.memory.heapUsed - before.memory.heapUsed;
  const rssGrowth = after.memory.rss - before.memory.rss;
  return {
    invocations: figures.invocations,
    concurrency,
    elapsedMs: round(figures.elapsedMs, 1),
    perSecond: round((figures.invocations / figures.elapsedMs) * 1000, 0),
    ...cpuShare(figures.invocations, figures.elapsedMs, clientCpuUs, serverCpuUs),
    before: before.memory,
    after: after.memory,
    rssGrowthBytes: rssGrowth,
    rssGrowthPercent: round((rssGrowth / before.memory.rss) * 100, 2),
    heapUsedGrowthBytes: heapGrowth,
    heapUsedGrowthPercent: round((heapGrowth / before.memory.heapUsed) * 100, 2),
    environmentsBefore: before.stats.environments,
    environmentsAfter: after.stats.environments,
  };
}

export interface ColdStartResult {
  readonly name: string;
  /** One cold start per qualifier: each version has environments of its own. */
  readonly samples: number;
  readonly medianMs: number;
  readonly maxMs: number;
}

/**
 * Cold starts of `functionName`, one per qualifier never invoked before (each published version
 * starts environments of its own), one after another: the invocation's whole latency, init and
 * a no-op included.
 */
export async function coldStartPhase(
  name: string,
  { client }: Env,
  functionName: string,
  qualifiers: readonly string[],
): Promise<ColdStartResult> {
  const samples: number[] = [];
  for (const qualifier of qualifiers) {
    const started = performance.now();
    await invokeNoopDirect(client, functionName, qualifier);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return {
    name,
    samples: samples.length,
    medianMs: round(samples[Math.floor(samples.length / 2)] ?? 0, 1),
    maxMs: round(samples[samples.length - 1] ?? 0, 1),
  };
}
