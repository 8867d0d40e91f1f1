/**
 * What the phases of `bench/reliability` share: its options, and the local Lambda counting what it
 * ran (`bench/support/reliability-lambda-server.ts`). Each phase starts its own gateway
 * (`bench/support/reliability-gateway-server.ts`), so the SIGTERM phase gets a fresh one.
 */
import { fileURLToPath } from 'node:url';
import type { ChildServer } from '../harness/child-server.ts';
import { count } from '../harness/options.ts';
import type { Options as HarnessOptions } from '../harness/run.ts';
import type { Scope } from '../harness/scope.ts';
import type { DrainingGatewayEvents } from '../support/reliability-gateway-server.ts';
import type { CountingLambdaMethods } from '../support/reliability-lambda-server.ts';

const script = (name: string): string => fileURLToPath(new URL(`../support/${name}`, import.meta.url));

export const OPTIONS = {
  requests: count('requests of the mixed load', { default: 20_000, quick: 2000, min: 1 }),
  concurrency: count('in flight, both phases', { default: 64, min: 1 }),
  drainRequests: count('sleep invocations of the SIGTERM phase', { default: 500, quick: 200, min: 2 }),
  sleepMs: count("what each of them asks 'sleep' to wait", { default: 200, placeholder: '<ms>' }),
  graceMs: count("grace the gateway's SIGTERM handler gives close()", { default: 5000, placeholder: '<ms>' }),
} as const;

export type Options = HarnessOptions<typeof OPTIONS>;

export type LambdaProcess = ChildServer<CountingLambdaMethods>;
export type GatewayProcess = ChildServer<Record<never, never>, DrainingGatewayEvents>;

export interface Env {
  readonly lambda: LambdaProcess;
}

export async function setup(scope: Scope): Promise<Env> {
  const lambda = await scope.start<CountingLambdaMethods>({
    name: 'the local Lambda',
    script: script('reliability-lambda-server.ts'),
    execArgv: ['--expose-gc'],
  });
  return { lambda };
}

/** A gateway in front of `lambda`, owned by `scope`; its SIGTERM handler closes with `graceMs`. */
export function startGateway(scope: Scope, lambda: LambdaProcess, graceMs: number): Promise<GatewayProcess> {
  return scope.start<Record<never, never>, DrainingGatewayEvents>({
    name: 'the gateway',
    script: script('reliability-gateway-server.ts'),
    args: [lambda.address, String(graceMs)],
    execArgv: ['--expose-gc'],
  });
}
