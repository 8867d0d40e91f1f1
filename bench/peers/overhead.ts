/**
 * Phase 1 of `bench/peers`: `noop` along every path — the SDK directly, the gateway and each peer —
 * at 1 in flight (median, p99: the latency each server adds over the SDK) and at `--concurrency`
 * (throughput), with the CPU each server process spent per request. The machine is small and
 * shared, so the paths alternate in rounds (the order rotating every round) after a warm-up; the
 * gateway is compared with the best peer of the same round, and the medians of those per-round
 * comparisons are reported.
 */
import { run } from '../support/load.ts';
import { cpuMicros, latencies, median, round } from '../support/stats.ts';
import { type Env, type Options, PATH_NAMES, PEER_NAMES, type PathName, SERVER_NAMES, type ServerName } from './setup.ts';

const round3 = (value: number): number => round(value, 3);

export interface PathRun {
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  /** CPU of the server process per request (0 for the direct path: there is none). */
  readonly serverCpuUs: number;
  readonly lambdaCpuUs: number;
}

export interface PeersRound {
  readonly round: number;
  readonly order: readonly PathName[];
  readonly sequential: Readonly<Record<PathName, PathRun>>;
  readonly concurrent: Readonly<Record<PathName, PathRun>>;
  /** Each server's median at 1 in flight − the direct path's, this round. */
  readonly addedMedianMs: Readonly<Record<ServerName, number>>;
  readonly addedP99Ms: Readonly<Record<ServerName, number>>;
  /** Gateway throughput ÷ the best peer's, this round. */
  readonly throughputVsBestPeer: number;
  /** Gateway added median − the best peer's added median, this round. */
  readonly addedMedianVsBestPeerMs: number;
}

export interface PathSummary {
  readonly perSecond: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  readonly serverCpuUs: number;
  readonly lambdaCpuUs: number;
}

export interface OverheadResult {
  readonly rounds: readonly PeersRound[];
  /** Medians over the rounds. */
  readonly sequential: Readonly<Record<PathName, PathSummary>>;
  readonly concurrent: Readonly<Record<PathName, PathSummary>>;
  readonly addedMedianMs: Readonly<Record<ServerName, number>>;
  readonly addedP99Ms: Readonly<Record<ServerName, number>>;
  readonly throughputVsBestPeer: number;
  readonly addedMedianVsBestPeerMs: number;
}

async function measuredRun(env: Env, name: PathName, total: number, concurrency: number): Promise<PathRun> {
  const server = name === 'direct' ? undefined : env.servers[name].process;
  const cpuNow = async (): Promise<[number, number]> => {
    const [lambda, middle] = await Promise.all([env.lambda.call('cpu'), server?.call('cpu')]);
    return [cpuMicros(lambda), middle === undefined ? 0 : cpuMicros(middle)];
  };
  const [lambdaBefore, serverBefore] = await cpuNow();
  const figures = await run(env.paths[name], total, concurrency);
  const [lambdaAfter, serverAfter] = await cpuNow();
  const sorted = figures.latencies.slice().sort();
  const { medianMs, p99Ms } = latencies(sorted);
  return {
    perSecond: round((total / figures.elapsedMs) * 1000, 0),
    medianMs,
    p99Ms,
    serverCpuUs: round((serverAfter - serverBefore) / total, 0),
    lambdaCpuUs: round((lambdaAfter - lambdaBefore) / total, 0),
  };
}

const byPath = <T>(make: (name: PathName) => T): Record<PathName, T> =>
  Object.fromEntries(PATH_NAMES.map((name) => [name, make(name)])) as Record<PathName, T>;
const byServer = <T>(make: (name: ServerName) => T): Record<ServerName, T> =>
  Object.fromEntries(SERVER_NAMES.map((name) => [name, make(name)])) as Record<ServerName, T>;

export async function overheadPhase(env: Env, options: Options): Promise<OverheadResult> {
  for (const name of PATH_NAMES) {
    console.error(`warm-up ${name}: ${options.warmup} at ${options.concurrency} in flight, ${options.warmupSequential} at 1…`);
    if (options.warmup > 0) await run(env.paths[name], options.warmup, options.concurrency);
    if (options.warmupSequential > 0) await run(env.paths[name], options.warmupSequential, 1);
  }

  const rounds: PeersRound[] = [];
  for (let number = 1; number <= options.rounds; number += 1) {
    const shift = (number - 1) % PATH_NAMES.length;
    const order = [...PATH_NAMES.slice(shift), ...PATH_NAMES.slice(0, shift)];
    console.error(
      `round ${number}/${options.rounds}: ${options.n} at 1 in flight, ${options.concurrentN} at ${options.concurrency}, per path…`,
    );
    const sequential: Partial<Record<PathName, PathRun>> = {};
    const concurrent: Partial<Record<PathName, PathRun>> = {};
    for (const name of order) sequential[name] = await measuredRun(env, name, options.n, 1);
    for (const name of order) concurrent[name] = await measuredRun(env, name, options.concurrentN, options.concurrency);
    const seq = sequential as Record<PathName, PathRun>;
    const conc = concurrent as Record<PathName, PathRun>;
    const addedMedianMs = byServer((name) => round3(seq[name].medianMs - seq.direct.medianMs));
    const addedP99Ms = byServer((name) => round3(seq[name].p99Ms - seq.direct.p99Ms));
    const bestPeerPerSecond = Math.max(...PEER_NAMES.map((name) => conc[name].perSecond));
    const bestPeerAdded = Math.min(...PEER_NAMES.map((name) => addedMedianMs[name]));
    rounds.push({
      round: number,
      order,
      sequential: seq,
      concurrent: conc,
      addedMedianMs,
      addedP99Ms,
      throughputVsBestPeer: round3(conc.gateway.perSecond / bestPeerPerSecond),
      addedMedianVsBestPeerMs: round3(addedMedianMs.gateway - bestPeerAdded),
    });
  }

  const summary = (pick: (r: PeersRound) => PathRun): PathSummary => ({
    perSecond: round(median(rounds.map((r) => pick(r).perSecond)), 0),
    medianMs: round3(median(rounds.map((r) => pick(r).medianMs))),
    p99Ms: round3(median(rounds.map((r) => pick(r).p99Ms))),
    serverCpuUs: round(median(rounds.map((r) => pick(r).serverCpuUs)), 0),
    lambdaCpuUs: round(median(rounds.map((r) => pick(r).lambdaCpuUs)), 0),
  });
  return {
    rounds,
    sequential: byPath((name) => summary((r) => r.sequential[name])),
    concurrent: byPath((name) => summary((r) => r.concurrent[name])),
    addedMedianMs: byServer((name) => round3(median(rounds.map((r) => r.addedMedianMs[name])))),
    addedP99Ms: byServer((name) => round3(median(rounds.map((r) => r.addedP99Ms[name])))),
    throughputVsBestPeer: round3(median(rounds.map((r) => r.throughputVsBestPeer))),
    addedMedianVsBestPeerMs: round3(median(rounds.map((r) => r.addedMedianVsBestPeerMs))),
  };
}
