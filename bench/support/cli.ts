/** Command-line options, usage errors and the results file, as every benchmark handles them. */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

interface StrictConfig<O extends ParseArgsOptionsConfig> {
  args: string[];
  strict: true;
  allowPositionals: false;
  options: O;
}

/** `util.parseArgs`, strict and without positionals; what it rejects becomes a UsageError. */
export function parseCommandLine<const O extends ParseArgsOptionsConfig>(
  argv: readonly string[],
  options: O,
): ReturnType<typeof parseArgs<StrictConfig<O>>>['values'] {
  try {
    return parseArgs<StrictConfig<O>>({ args: [...argv], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** An integer option (`_` allowed as separator), `fallback` when absent. */
export function parseCount(name: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`--${name} must be an integer ≥ ${min} (got ${JSON.stringify(text)})`);
  return value;
}

/** `--cpu-prof-dir`, or `<tmpdir>/<defaultName>` with `--cpu-prof`; absolute, or undefined for no profiling. */
export function cpuProfDir(dir: string | undefined, enabled: boolean, defaultName: string): string | undefined {
  const chosen = dir ?? (enabled ? path.join(os.tmpdir(), defaultName) : undefined);
  return chosen === undefined ? undefined : path.resolve(chosen);
}

/**
 * Runs `parse`: its options, or the exit status when there is nothing to run — 0 after printing
 * `usage` for --help, 1 after printing a usage error and `usage`.
 */
export function readOptions<T extends object>(usage: string, parse: () => T | 'help'): T | number {
  try {
    const parsed = parse();
    if (parsed !== 'help') return parsed;
    console.log(usage);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return 1;
  }
}

/** Writes the results as JSON; resolves with the path to show (relative to the working folder). */
export function writeResults(file: string, results: unknown): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return path.relative(process.cwd(), file) || file;
}

export const failureMessage = (error: unknown): string =>
  `\nbenchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;

/** Exits with 130/143 on SIGINT/SIGTERM after `cleanUp`; the returned function removes the handlers. */
export function exitOnSignals(cleanUp: () => void = () => undefined): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    cleanUp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
