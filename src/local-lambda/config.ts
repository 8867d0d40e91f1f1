/**
 * Configuration of the local Lambda: optional input in, one fully resolved object out, validated
 * once. Errors quote the key and the bad value.
 */
import { z } from 'zod';
import { REGION_PATTERN } from '../protocol/function-name.ts';
import { DEFAULT_STREAM_LIMITS, type StreamLimits } from '../protocol/stream-limits.ts';
import { issueKey, quotedValue } from '../protocol/zod-issues.ts';
import { type FunctionDefinition, loadFunctionDefinitions, resolveDefinitionsFile } from './definitions.ts';
import type { LogSink } from './run-invocation.ts';

export interface LocalLambdaOptions {
  /** A folder with `functions.json`, the file itself, or already-loaded definitions. */
  readonly functions: string | readonly FunctionDefinition[];
  /**
   * Reload on edit, for development: watch the folder of the definitions file, and let every
   * invocation that starts after a change to a function's code (any file in its folder but
   * `node_modules` and dotfiles) or to the definitions run the new code. Needs `functions` to be
   * a folder or file. The command lines turn it on unless `--no-watch`; a gateway in production
   * mode never watches. @default false
   */
  readonly watch?: boolean;
  /** Region the endpoint pretends to be in; ARNs naming another region are not found. @default "us-east-1" */
  readonly region?: string;
  /** Account id in ARNs. @default "123456789012" */
  readonly accountId?: string;
  /**
   * Concurrent executions across all functions (each one a worker thread). Lambda's default is
   * 1,000; a laptop is smaller. @default 64
   */
  readonly accountConcurrency?: number;
  /** A warm environment idle this long is shut down. @default 300000 (5 minutes) */
  readonly idleTimeoutMs?: number;
  readonly async?: AsyncOptions;
  /**
   * Limits on InvokeWithResponseStream responses; AWS's by default (200 MiB, the first 6 MiB
   * uncapped, then 2 MiB/s). Lower them to exercise the limits in tests.
   */
  readonly streaming?: Partial<StreamLimits>;
  /** Receives every function's execution log as it is written. @default none */
  readonly logSink?: LogSink;
  /** Operational messages (destination delivery failures, dropped events). @default silent */
  readonly logger?: Logger;
  /**
   * Numbers in [0, 1) that pick the version of an alias with routing weights, one per invocation;
   * tests pass a fixed source to know which version runs. @default Math.random
   */
  readonly random?: () => number;
}

export interface AsyncOptions {
  /**
   * Delays before the first and second retry of a failed Event invocation. AWS waits about
   * 1 and 2 minutes; tests and demos use milliseconds. @default [60000, 120000]
   */
  readonly retryDelaysMs?: readonly [number, number];
  /**
   * A throttled Event invocation goes back to the queue with a delay doubling from this value up
   * to `throttleRetryMaxMs` (AWS: 1 s to 5 min). @default 1000
   */
  readonly throttleRetryBaseMs?: number;
  /** @default 300000 */
  readonly throttleRetryMaxMs?: number;
  /**
   * Where destination records go for functions whose destination is absent or `"gateway"`, when
   * the gateway that invoked the event did not say where it takes them (a gateway that knows it
   * talks to this local Lambda says so on every Event invocation). @default none: not delivered
   */
  readonly defaultOnSuccess?: string;
  readonly defaultOnFailure?: string;
  /**
   * Extra headers on every destination delivery (a shared secret, say); a delivery to the
   * invoking gateway carries that gateway's own secret instead. @default {}
   */
  readonly deliveryHeaders?: Readonly<Record<string, string>>;
  /** Failed deliveries are retried with a delay doubling from this value… @default 500 */
  readonly deliveryRetryBaseMs?: number;
  /** …up to this one. @default 60000 */
  readonly deliveryRetryMaxMs?: number;
  /**
   * A destination that keeps failing (unreachable, 5xx) is retried for this long after the first
   * attempt, then the record is given up, saying so in the log. @default 3600000 (an hour)
   */
  readonly deliveryRetryForMs?: number;
}

export interface Logger {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface ResolvedLocalLambdaConfig {
  /** The definitions loaded at start-up; `registry.list()` has the current ones after a reload. */
  readonly functions: readonly FunctionDefinition[];
  readonly watch: boolean;
  /** The definitions file watched for reloads (its folder is watched); undefined when not watching. */
  readonly watchedDefinitions: string | undefined;
  readonly region: string;
  readonly accountId: string;
  readonly accountConcurrency: number;
  readonly idleTimeoutMs: number;
  readonly async: Required<Omit<AsyncOptions, 'defaultOnSuccess' | 'defaultOnFailure'>> &
    Pick<AsyncOptions, 'defaultOnSuccess' | 'defaultOnFailure'>;
  readonly streaming: StreamLimits;
  readonly logSink: LogSink | undefined;
  readonly logger: Logger;
  readonly random: () => number;
}

const silentLogger: Logger = { info() {}, warn() {}, error() {} };

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const delay = z.number().int().min(0);
const schema = z.object({
  region: z.string().regex(REGION_PATTERN, 'must be a region name such as us-east-1').default('us-east-1'),
  accountId: z
    .string()
    .regex(/^\d{12}$/, 'must be 12 digits')
    .default('123456789012'),
  accountConcurrency: z.number().int().min(1).max(1000).default(64),
  idleTimeoutMs: z.number().int().min(1).default(300_000),
  watch: z.boolean().default(false),
  async: z
    .object({
      retryDelaysMs: z.tuple([delay, delay]).default([60_000, 120_000]),
      throttleRetryBaseMs: z.number().int().min(1).default(1000),
      throttleRetryMaxMs: z.number().int().min(1).default(300_000),
      defaultOnSuccess: httpUrl.optional(),
      defaultOnFailure: httpUrl.optional(),
      deliveryHeaders: z.record(z.string(), z.string()).default({}),
      deliveryRetryBaseMs: z.number().int().min(1).default(500),
      deliveryRetryMaxMs: z.number().int().min(1).default(60_000),
      deliveryRetryForMs: z.number().int().min(0).default(3_600_000),
    })
    // Absent: parsed as {}, so the defaults above apply.
    .prefault({}),
  streaming: z
    .object({
      maxResponseBytes: z.number().int().min(1).default(DEFAULT_STREAM_LIMITS.maxResponseBytes),
      uncappedBytes: z.number().int().min(0).default(DEFAULT_STREAM_LIMITS.uncappedBytes),
      bytesPerSecond: z.number().min(1).default(DEFAULT_STREAM_LIMITS.bytesPerSecond),
    })
    .prefault({}),
});

/** A configuration value that cannot be used; the message names the key and the value. */
export class LocalLambdaConfigError extends Error {
  override readonly name = 'LocalLambdaConfigError';
}

export function resolveLocalLambdaConfig(options: LocalLambdaOptions): ResolvedLocalLambdaConfig {
  const { functions, logSink, logger, random, ...rest } = options;
  const parsed = schema.safeParse(rest);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const value = issue.path.reduce<unknown>((at, k) => (at as Record<PropertyKey, unknown> | undefined)?.[k], rest);
      return `  - ${issueKey(issue.path)}: ${issue.message}${quotedValue(value)}`;
    });
    throw new LocalLambdaConfigError(`invalid local Lambda configuration\n${lines.join('\n')}`);
  }
  if (parsed.data.watch && typeof functions !== 'string') {
    throw new LocalLambdaConfigError(
      'invalid local Lambda configuration\n  - watch: needs functions to be a folder or a functions.json file to watch (got loaded definitions)',
    );
  }
  return {
    ...parsed.data,
    functions: typeof functions === 'string' ? loadFunctionDefinitions(functions) : functions,
    watchedDefinitions: parsed.data.watch && typeof functions === 'string' ? resolveDefinitionsFile(functions) : undefined,
    logSink,
    logger: logger ?? silentLogger,
    random: random ?? Math.random,
  };
}
