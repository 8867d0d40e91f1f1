/**
 * The harness every benchmark runs on. A benchmark is a declaration (`Benchmark`): its options, a
 * `setup` starting what its phases share, its phases in order, its targets and the blocks of its
 * report. `runBenchmark` does the rest, the same way for all of them:
 *
 *   - the command line: the declared options plus the harness's own (`--quick` when a count has a
 *     quick size, `--cpu-prof`/`--cpu-prof-dir` when the benchmark can profile its children,
 *     `--check` when the exit status follows the targets only on request, `--results`, `--help`);
 *   - the machine line, taken before anything starts;
 *   - SIGINT/SIGTERM: every child killed, exit 130/143; and no child outlives the run anyway (each
 *     is SIGKILLed when this process exits);
 *   - the report (one renderer), the results file `bench/results/<name>.json`, and the exit status:
 *     0; 1 when the benchmark failed or its usage was wrong; 2 when a counted target was missed —
 *     always, or only with `--check`, as the benchmark declares.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeMachine, type Machine } from './machine.ts';
import { type OptionTable, type OptionValues, flag, parseOptions, text, usage } from './options.ts';
import { type Report, renderReport, verdictLine } from './report.ts';
import { Scope } from './scope.ts';
import { type Target, allMet, checkTarget } from './targets.ts';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** What the harness parses for every benchmark, beside its declared options. */
export interface HarnessOptions {
  /** `--quick`: counts at their quick sizes (false when the benchmark has none). */
  readonly quick: boolean;
  /** `--check`: a missed target makes the exit status 2 (always false when the benchmark exits 2 anyway). */
  readonly check: boolean;
  /** Absolute folder for the children's CPU profiles; undefined: no profiling. */
  readonly cpuProfDir: string | undefined;
  /** Absolute path of the results file. */
  readonly resultsFile: string;
}

export type Options<T extends OptionTable> = OptionValues<T> & HarnessOptions;

export interface Phase<O, E, R> {
  /** A progress line (stderr) before the phase runs. */
  readonly progress?: (options: O) => string;
  readonly run: (env: E, options: O, scope: Scope) => Promise<R>;
}

/**
 * The phases producing `R`: each phase's measurements under its name, as in the results file.
 * `R` is inferred from the `run` functions, so give them typed parameters (a named phase function,
 * or an arrow with annotated parameters): TypeScript cannot infer through an unannotated arrow.
 */
export type Phases<O, E, R> = { readonly [K in keyof R]: Phase<O, E, R[K]> };

export interface Benchmark<T extends OptionTable, E, R> {
  /** `bench:<name>` runs it, `bench/results/<name>.json` gets its results. */
  readonly name: string;
  readonly options: T;
  /** Lines under the options in --help. */
  readonly usageNotes?: readonly string[];
  /** 'always': exit 2 on a missed target; 'check': only with --check. */
  readonly exitStatus: 'always' | 'check';
  /** The default profile folder under the temporary folder; absent: no --cpu-prof. */
  readonly cpuProfiles?: string;
  /** A usage problem the table cannot express (one option against another), or undefined. */
  readonly validate?: (options: Options<T>) => string | undefined;
  /** Starts what the phases share (owned by `scope`, closed after the run). */
  readonly setup: (scope: Scope, options: Options<T>) => Promise<E>;
  /** Run in this order. */
  readonly phases: Phases<Options<T>, E, R>;
  // NoInfer: the phases alone say what the results are.
  readonly targets: (results: NoInfer<R>, options: Options<T>) => readonly Target[];
  readonly report: (results: NoInfer<R>, options: Options<T>, machine: Machine) => Report;
  /** Fields of the results file beside the options and the measurements (what they were taken of). */
  readonly context?: (options: Options<T>) => Readonly<Record<string, unknown>>;
}

/** Identity, for inference: the options, the environment and the phases type the rest. */
export const defineBenchmark = <const T extends OptionTable, E, R>(benchmark: Benchmark<T, E, R>): Benchmark<T, E, R> => benchmark;

const hasQuickSizes = (table: OptionTable): boolean =>
  Object.values(table).some((spec) => spec.kind === 'count' && spec.quick !== undefined);

/** The declared options and the harness's own, in the order --help lists them. */
function commandLineTable(benchmark: {
  readonly options: OptionTable;
  readonly exitStatus: 'always' | 'check';
  readonly cpuProfiles?: string;
}): OptionTable {
  return {
    ...benchmark.options,
    ...(hasQuickSizes(benchmark.options) ? { quick: flag('smaller counts for a quick check; any count given explicitly wins') } : {}),
    ...(benchmark.cpuProfiles === undefined
      ? {}
      : {
          cpuProf: flag('run the server children with --cpu-prof (profiles go to --cpu-prof-dir)'),
          cpuProfDir: text(`default: <tmpdir>/${benchmark.cpuProfiles}`, '<dir>'),
        }),
    ...(benchmark.exitStatus === 'check' ? { check: flag('exit with status 2 when a target is missed') } : {}),
    results: text('where to write the results JSON', '<file>'),
  };
}

/** Exits with 130/143 on SIGINT/SIGTERM after `kill`; the returned function removes the handlers. */
function exitOnSignals(kill: () => void): () => void {
  const onSignal = (signal: NodeJS.Signals): void => {
    kill();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}

const describeError = (error: unknown): string => (error instanceof Error ? (error.stack ?? error.message) : String(error));

function writeResults(file: string, results: unknown): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  const relative = path.relative(process.cwd(), file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

/** The options of a run, or the exit status when there is nothing to run (--help, a usage error). */
function readCommandLine<T extends OptionTable, E, R>(benchmark: Benchmark<T, E, R>, argv: readonly string[]): Options<T> | number {
  const table = commandLineTable(benchmark);
  const help = usage(`npm run bench:${benchmark.name}`, table, benchmark.usageNotes);
  const parsed = parseOptions(table, argv);
  if (parsed.kind === 'help') {
    console.log(help);
    return 0;
  }
  if (parsed.kind === 'error') {
    console.error(`${parsed.message}\n\n${help}`);
    return 1;
  }
  const raw = parsed.values as Readonly<Record<string, unknown>>;
  const profiles = benchmark.cpuProfiles;
  const cpuProfDir =
    typeof raw.cpuProfDir === 'string'
      ? raw.cpuProfDir
      : raw.cpuProf === true && profiles !== undefined
        ? path.join(os.tmpdir(), profiles)
        : undefined;
  const options = {
    ...Object.fromEntries(Object.keys(benchmark.options).map((key) => [key, raw[key]])),
    quick: raw.quick === true,
    check: raw.check === true,
    cpuProfDir: cpuProfDir === undefined ? undefined : path.resolve(cpuProfDir),
    resultsFile: path.resolve(typeof raw.results === 'string' ? raw.results : path.join(RESULTS_DIR, `${benchmark.name}.json`)),
  } as Options<T>;
  const problem = benchmark.validate?.(options);
  if (problem !== undefined) {
    console.error(`${problem}\n\n${help}`);
    return 1;
  }
  return options;
}

/** The options as the results file records them: the declared ones, and the harness's that apply. */
function recordedOptions<T extends OptionTable, E, R>(benchmark: Benchmark<T, E, R>, options: Options<T>): Record<string, unknown> {
  const declared = options as Readonly<Record<string, unknown>>;
  return {
    ...Object.fromEntries(Object.keys(benchmark.options).map((key) => [key, declared[key]])),
    ...(hasQuickSizes(benchmark.options) ? { quick: options.quick } : {}),
    ...(benchmark.exitStatus === 'check' ? { check: options.check } : {}),
    ...(benchmark.cpuProfiles === undefined ? {} : { cpuProf: options.cpuProfDir !== undefined }),
  };
}

/** Runs the benchmark; resolves with the exit status. */
export async function runBenchmark<T extends OptionTable, E, R>(benchmark: Benchmark<T, E, R>, argv: readonly string[]): Promise<number> {
  const options = readCommandLine(benchmark, argv);
  if (typeof options === 'number') return options;

  const machine = describeMachine();
  const scope = new Scope();
  const removeSignalHandlers = exitOnSignals(() => scope.kill());
  let status: number;
  try {
    const env = await benchmark.setup(scope, options);
    const results: Record<string, unknown> = {};
    for (const [name, phase] of Object.entries<Phase<Options<T>, E, unknown>>(benchmark.phases)) {
      if (phase.progress !== undefined) console.error(phase.progress(options));
      results[name] = await phase.run(env, options, scope);
    }
    const declaredTargets = benchmark.targets(results as R, options);
    const targets = declaredTargets.map(checkTarget);
    console.log(`\n${renderReport(benchmark.report(results as R, options, machine), machine, declaredTargets)}`);
    const met = allMet(targets);
    const written = writeResults(options.resultsFile, {
      benchmark: benchmark.name,
      date: new Date().toISOString(),
      machine,
      options: recordedOptions(benchmark, options),
      ...benchmark.context?.(options),
      ...results,
      targets,
      targetsMet: met,
    });
    console.log(`\n${verdictLine(targets)}; results written to ${written}`);
    if (options.cpuProfDir !== undefined) console.log(`CPU profiles: ${options.cpuProfDir}`);
    status = met || (benchmark.exitStatus === 'check' && !options.check) ? 0 : 2;
  } catch (error) {
    console.error(`\nbenchmark failed: ${describeError(error)}`);
    status = 1;
  }
  try {
    await scope.close();
  } catch (error) {
    console.error(`\n${describeError(error)}`);
    status = 1;
  } finally {
    removeSignalHandlers();
  }
  return status;
}

/** The benchmark module's entry point: `npm run bench:<name>` and `npm run bench -- <name>` both call it. */
export const benchmarkMain =
  <T extends OptionTable, E, R>(benchmark: Benchmark<T, E, R>) =>
  (argv: readonly string[]): Promise<number> =>
    runBenchmark(benchmark, argv);
