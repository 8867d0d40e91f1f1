/**
 * Phase 1 of `bench/gateway`, the overhead: `noop` through the gateway vs through the SDK directly,
 * with the bare yoga server beside them. The machine is small and shared, so the paths alternate
 * in `--rounds` rounds (the order rotating every round) after each has been warmed up; the figures
 * reported are the medians of the per-round figures, the ratio and the added latency being
 * computed per round. The CPU every process spent is measured around each run.
 */
import { run } from '../support/load.ts';
import { cpuMicros, latencies, median, round } from '../support/stats.ts';
import type { Env, GatewayProcess, Options, PathName } from './setup.ts';

export const PATH_NAMES = ['direct', 'floor', 'gateway'] as const satisfies readonly PathName[];
export const PATH_LABELS: Readonly<Record<PathName, string>> = { direct: 'direct SDK', floor: 'bare yoga', gateway: 'gateway' };

const round3 = (value: number): number => round(value, 3);

/** CPU microseconds per invocation in each process over one run. */
export interface CpuPerInvocation {
  readonly client: number;
  readonly gateway: number;
  readonly lambda: number;
}

export interface PathRun {
  readonly invocations: number;
  readonly concurrency: number;
  readonly elapsedMs: number;
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly cpuUsPerInvocation: CpuPerInvocation;
}

/**
 * One measured run, with the CPU every process spent on it; `middle` is the server between the
 * client and Lambda (the gateway, or the bare yoga server; for the direct path the idle gateway).
 */
async function measuredRun(
  env: Env,
  middle: GatewayProcess,
  invokeOnce: () => Promise<void>,
  total: number,
  concurrency: number,
): Promise<PathRun> {
  const cpuNow = async (): Promise<[number, number]> => {
    const [lambda, gateway] = await Promise.all([env.lambda.call('cpu'), middle.call('cpu')]);
    return [cpuMicros(lambda), cpuMicros(gateway)];
  };
  const [lambdaBefore, gatewayBefore] = await cpuNow();
  const clientBefore = process.cpuUsage();
  const figures = await run(invokeOnce, total, concurrency);
  const clientCpu = cpuMicros(process.cpuUsage(clientBefore));
  const [lambdaAfter, gatewayAfter] = await cpuNow();
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

export interface OverheadRound {
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

export interface OverheadResult {
  readonly rounds: readonly OverheadRound[];
  /** Medians over the rounds. */
  readonly sequential: Readonly<
    Record<
      PathName,
      { readonly medianMs: number; readonly p99Ms: number; readonly perSecond: number; readonly cpuUsPerInvocation: CpuPerInvocation }
    >
  >;
  readonly concurrent: Readonly<
    Record<
      PathName,
      { readonly perSecond: number; readonly medianMs: number; readonly p99Ms: number; readonly cpuUsPerInvocation: CpuPerInvocation }
    >
  >;
  readonly addedMedianMs: number;
  readonly addedP99Ms: number;
  readonly throughputRatio: number;
  readonly floorAddedMedianMs: number;
  readonly floorThroughputRatio: number;
}

function medianCpu(runs: readonly PathRun[]): CpuPerInvocation {
  return {
    client: round(median(runs.map((r) => r.cpuUsPerInvocation.client)), 0),
    gateway: round(median(runs.map((r) => r.cpuUsPerInvocation.gateway)), 0),
    lambda: round(median(runs.map((r) => r.cpuUsPerInvocation.lambda)), 0),
  };
}

export async function overheadPhase(env: Env, options: Options): Promise<OverheadResult> {
  const { paths } = env;
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
    const middle = (name: PathName): GatewayProcess => (name === 'floor' ? env.floor : env.gateway);
    console.error(
      `round ${round}/${options.rounds} (${order.join(' first, then ')}): ${options.n} at 1 in flight, ${options.concurrentN} at ${options.concurrency}…`,
    );
    const sequential: Partial<Record<PathName, PathRun>> = {};
    const concurrent: Partial<Record<PathName, PathRun>> = {};
    for (const name of order) sequential[name] = await measuredRun(env, middle(name), paths[name], options.n, 1);
    for (const name of order)
      concurrent[name] = await measuredRun(env, middle(name), paths[name], options.concurrentN, options.concurrency);
    const { direct: seqDirect, floor: seqFloor, gateway: seqGateway } = sequential;
    const { direct: concDirect, floor: concFloor, gateway: concGateway } = concurrent;
    if (
      seqDirect === undefined ||
      seqFloor === undefined ||
      seqGateway === undefined ||
      concDirect === undefined ||
      concFloor === undefined ||
      concGateway === undefined
    ) {
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
  return {
    rounds,
    sequential: {
      direct: summary((r) => r.sequential.direct),
      floor: summary((r) => r.sequential.floor),
      gateway: summary((r) => r.sequential.gateway),
    },
    concurrent: {
      direct: summary((r) => r.concurrent.direct),
      floor: summary((r) => r.concurrent.floor),
      gateway: summary((r) => r.concurrent.gateway),
    },
    addedMedianMs: round3(median(rounds.map((r) => r.addedMedianMs))),
    addedP99Ms: round3(median(rounds.map((r) => r.addedP99Ms))),
    throughputRatio: round3(median(rounds.map((r) => r.throughputRatio))),
    floorAddedMedianMs: round3(median(rounds.map((r) => r.floorAddedMedianMs))),
    floorThroughputRatio: round3(median(rounds.map((r) => r.floorThroughputRatio))),
  };
}
