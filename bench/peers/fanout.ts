/**
 * Phase 2 of `bench/peers`: one operation of `--fanout` × `sleep {ms}` — the gateway's
 * `invokeFunctions`, each peer's list field doing a `Promise.all` — and, for reference, the same
 * `Promise.all` through the SDK directly. Wall time per operation, and the CPU the server process
 * spent per invocation inside it. The servers alternate, the order rotating every repeat.
 */
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { BATCH_QUERY, dataOf, expectInvocation, graphqlBody } from '../gateway/graphql-client.ts';
import { cpuMicros, median, round } from '../support/stats.ts';
import { type Env, type Options, PATH_NAMES, PEER_NAMES, type PathName, type ServerName } from './setup.ts';

export interface FanoutResult {
  readonly size: number;
  readonly sleepMs: number;
  readonly repeats: number;
  /** Wall milliseconds of each repeat, per path. */
  readonly wallMs: Readonly<Record<PathName, readonly number[]>>;
  readonly medianWallMs: Readonly<Record<PathName, number>>;
  /** Server CPU µs per invocation over all repeats (0 for the direct path). */
  readonly serverCpuUsPerInvocation: Readonly<Record<PathName, number>>;
  /**
   * Gateway median wall time ÷ the fastest peer's median. (Not a per-repeat ratio against the
   * fastest peer of each repeat: the least of four noisy samples is biased low.)
   */
  readonly wallVsFastestPeer: number;
  /** Gateway CPU per invocation ÷ the leanest peer's. */
  readonly cpuVsLeanestPeer: number;
}

export async function fanoutPhase(env: Env, options: Options): Promise<FanoutResult> {
  const input = { functionName: 'sleep', payload: { ms: options.sleepMs } };
  const body = graphqlBody(BATCH_QUERY, { inputs: Array.from({ length: options.fanout }, () => input) });
  const payload = new TextEncoder().encode(JSON.stringify(input.payload));
  const slept = (value: unknown): boolean => (value as { sleptMs?: unknown } | null)?.sleptMs === options.sleepMs;

  const once = async (name: PathName): Promise<number> => {
    const started = performance.now();
    if (name === 'direct') {
      const outputs = await Promise.all(
        Array.from({ length: options.fanout }, () => env.sdk.send(new InvokeCommand({ FunctionName: 'sleep', Payload: payload }))),
      );
      const elapsed = performance.now() - started;
      if (outputs.some((output) => output.StatusCode !== 200 || output.FunctionError !== undefined))
        throw new Error('a direct sleep invocation failed');
      return elapsed;
    }
    const answer = await env.servers[name].graphql.post(body);
    const elapsed = performance.now() - started;
    const results = dataOf(answer, 'invokeFunctions');
    if (!Array.isArray(results) || results.length !== options.fanout)
      throw new Error(`${name} answered invokeFunctions with ${JSON.stringify(results).slice(0, 300)}`);
    for (const result of results) expectInvocation(result, slept, `sleep in ${name}'s fan-out`);
    return elapsed;
  };

  // Warm enough sleep environments for one whole fan-out, a few more at a time: starting 50
  // worker threads at once on a small shared machine can outlast the function's init timeout.
  for (let size = Math.min(10, options.fanout); ; size = Math.min(size + 10, options.fanout)) {
    await Promise.allSettled(
      Array.from({ length: size }, () => env.sdk.send(new InvokeCommand({ FunctionName: 'sleep', Payload: payload }))),
    );
    if (size === options.fanout) break;
  }
  // Then each path's code.
  for (const name of PATH_NAMES) {
    await once(name);
    await once(name);
  }

  const wallMs = Object.fromEntries(PATH_NAMES.map((name) => [name, [] as number[]])) as Record<PathName, number[]>;
  const cpuUs = Object.fromEntries(PATH_NAMES.map((name) => [name, 0])) as Record<PathName, number>;
  for (let repeat = 1; repeat <= options.fanoutRepeats; repeat += 1) {
    const shift = (repeat - 1) % PATH_NAMES.length;
    const order = [...PATH_NAMES.slice(shift), ...PATH_NAMES.slice(0, shift)];
    for (const name of order) {
      const server = name === 'direct' ? undefined : env.servers[name].process;
      const before = server === undefined ? 0 : cpuMicros(await server.call('cpu'));
      const elapsed = await once(name);
      const after = server === undefined ? 0 : cpuMicros(await server.call('cpu'));
      wallMs[name].push(round(elapsed, 1));
      cpuUs[name] += after - before;
    }
  }

  const invocations = options.fanout * options.fanoutRepeats;
  const serverCpuUsPerInvocation = Object.fromEntries(PATH_NAMES.map((name) => [name, round(cpuUs[name] / invocations, 0)])) as Record<
    PathName,
    number
  >;
  const leanestPeer = Math.min(...PEER_NAMES.map((name: ServerName) => serverCpuUsPerInvocation[name]));
  const medianWallMs = Object.fromEntries(PATH_NAMES.map((name) => [name, median(wallMs[name])])) as Record<PathName, number>;
  const fastestPeer = Math.min(...PEER_NAMES.map((name: ServerName) => medianWallMs[name]));
  return {
    size: options.fanout,
    sleepMs: options.sleepMs,
    repeats: options.fanoutRepeats,
    wallMs,
    medianWallMs: Object.fromEntries(PATH_NAMES.map((name) => [name, round(medianWallMs[name], 1)])) as Record<PathName, number>,
    serverCpuUsPerInvocation,
    wallVsFastestPeer: round(medianWallMs.gateway / fastestPeer, 3),
    cpuVsLeanestPeer: round(serverCpuUsPerInvocation.gateway / leanestPeer, 3),
  };
}
