/**
 * Phase 2 of `bench/reliability`, SIGTERM during load: `--drain-requests` `sleep` invocations at
 * `--concurrency` in flight against a fresh gateway child, which gets SIGTERM once half of them
 * have been started; its handler calls `running.close(--grace-ms)` then exits. It counts, apart for
 * the requests started before and after SIGTERM, complete answers (200 with the result, or a clean
 * 503 refusal), refused connections and cut ones (socket reset / hang-up), and how the gateway
 * closed and exited.
 */
import type { Scope } from '../harness/scope.ts';
import { fixed } from '../harness/table.ts';
import { round } from '../support/stats.ts';
import { GraphqlClient, INVOKE_QUERY, type InvocationAnswer, dataOf } from './graphql-client.ts';
import { type Env, type GatewayProcess, type Options, startGateway } from './setup.ts';

const SLEEP = 'sleep';

export interface DrainCounts {
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

export interface DrainResult {
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
}

const emptyCounts = (): DrainCounts => ({ started: 0, completed: 0, refused503: 0, connectionRefused: 0, cut: 0, other: 0 });

/** SIGTERM during load, against a gateway of its own. */
export function drainPhase(env: Env, options: Options, scope: Scope): Promise<DrainResult> {
  return scope.scoped(async (own) => {
    const gateway = await startGateway(own, env.lambda, options.graceMs);
    const client = new GraphqlClient(gateway.address, options.concurrency);
    own.defer(() => client.destroy());
    return drain(gateway, client, options);
  });
}

async function drain(gateway: GatewayProcess, client: GraphqlClient, options: Options): Promise<DrainResult> {
  const problems: string[] = [];
  const note = (problem: string): void => {
    if (problems.length < 20) problems.push(problem);
  };
  let closed: { closeMs: number; error?: string } | undefined;
  const gotClosed = new Promise<void>((resolve) => {
    gateway.on('closed', (message) => {
      closed = message;
      resolve();
    });
    gateway.child.once('exit', () => resolve());
  });
  const exited = new Promise<number | null>((resolve) => {
    if (gateway.child.exitCode !== null || gateway.child.signalCode !== null) resolve(gateway.child.exitCode);
    else gateway.child.once('exit', (code) => resolve(code));
  });

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
    if (
      answer?.__typename === 'Invocation' &&
      answer.statusCode === 200 &&
      (answer.payloadJson as { sleptMs?: unknown } | null)?.sleptMs === options.sleepMs
    ) {
      counts.completed += 1;
      lastCompletedMs = Math.max(lastCompletedMs, performance.now() - started);
    } else {
      counts.other += 1;
      note(
        `request #${index} (${counts === before ? 'before' : 'after'} SIGTERM): ${'problem' in data ? data.problem : JSON.stringify(answer).slice(0, 200)}`,
      );
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
  };
}
