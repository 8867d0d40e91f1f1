/** What both command lines (`npm start`, `npm run local-lambda`) share: argv parsing, errors, logs. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { LogSink } from './local-lambda/run-invocation.ts';

type Values<T extends ParseArgsOptionsConfig> = ReturnType<typeof parseArgs<{ options: T; strict: true }>>['values'];

export interface CommandLine<T extends ParseArgsOptionsConfig> {
  readonly values: Values<T>;
  /** Prints `program: message` to stderr and exits 1. */
  readonly fail: (message: string) => never;
}

/** Parses argv strictly; `--help`/`-h` prints `help` and exits 0, a bad flag prints it and exits 1. */
export function commandLine<const T extends ParseArgsOptionsConfig>(program: string, help: string, options: T): CommandLine<T> {
  const fail = (message: string): never => {
    process.stderr.write(`${program}: ${message}\n`);
    process.exit(1);
  };
  let values: Values<T>;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, strict: true }).values;
  } catch (error) {
    return fail(`${(error as Error).message}\n\n${help}`);
  }
  if ((values as { help?: boolean }).help === true) {
    process.stdout.write(help);
    process.exit(0);
  }
  return { values, fail };
}

/** `--retry-delays 1000,2000` → `[1000, 2000]`. */
export function parseRetryDelays(value: string | undefined, fail: (message: string) => never): [number, number] | undefined {
  if (value === undefined) return undefined;
  const delays = value.split(',').map(Number);
  const [first, second] = delays;
  if (delays.length !== 2 || first === undefined || second === undefined || delays.some((d) => !Number.isInteger(d) || d < 0)) {
    return fail(`--retry-delays must be two non-negative integers in ms, e.g. 1000,2000; got '${value}'`);
  }
  return [first, second];
}

/**
 * An integer option (ports, counts) from `min` to `max`, or undefined when absent: decimal digits
 * only, `_` allowed between them (`50_000`), so `''`, `1e3` or `0x10` are refused rather than read
 * as numbers. The one parser of counts for the command lines and the benchmarks.
 */
export function parseCount(
  value: string | undefined,
  name: string,
  fail: (message: string) => never,
  { min = 0, max = Number.MAX_SAFE_INTEGER }: { readonly min?: number; readonly max?: number } = {},
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(?:_\d+)*$/.test(value) ? Number(value.replaceAll('_', '')) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
    return fail(`${name} must be an integer ${range}, got '${value}'`);
  }
  return n;
}

/** Prints every function log line as it is written, prefixed with the function's name. */
export const printFunctionLogs: LogSink = ({ functionName, text }) => {
  for (const line of text.split('\n')) if (line !== '') process.stdout.write(`[${functionName}] ${line}\n`);
};

/**
 * Runs `stop` on the first SIGTERM or SIGINT, then exits 0 (1 if it fails). Later signals are
 * ignored while it runs: under `npm start` a Ctrl-C reaches the process twice (from the terminal
 * and forwarded by npm), and the default action of the second would kill the process in the
 * middle of its drain. The drain is bounded by its own grace period; SIGKILL still ends it at once.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => Promise<void>): void {
  let stopping = false;
  const handle = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    stop(signal).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
