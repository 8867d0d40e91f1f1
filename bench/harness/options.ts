/**
 * A benchmark's command line as a declared table: each entry is a typed option with its help text
 * and defaults (full size, and optionally a smaller `--quick` size); `parseOptions` turns argv into
 * the typed values with `util.parseArgs` (strict, no positionals), and `usage` writes the --help
 * text from the same table, so the two cannot drift apart.
 *
 * Keys are camelCase and become kebab-case flags: `memoryN` is `--memory-n`.
 */
import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';
import { parseCount } from '../../src/cli-support.ts';

/** An integer option: `_` may separate digits (`--memory-n 50_000`). */
export interface CountOption {
  readonly kind: 'count';
  readonly help: string;
  readonly default: number;
  /** The default under `--quick`; the full-size default when absent. */
  readonly quick?: number;
  readonly min: number;
  /** What the help text shows after the flag: `<count>` unless given. */
  readonly placeholder: string;
}

export interface FlagOption {
  readonly kind: 'flag';
  readonly help: string;
}

/** A comma-separated subset of `values`; the parsed list keeps the order of `values`. */
export interface ListOption<V extends string = string> {
  readonly kind: 'list';
  readonly help: string;
  readonly values: readonly V[];
  readonly default: readonly V[];
}

/** A text option (a folder, a file), undefined when absent. */
export interface TextOption {
  readonly kind: 'text';
  readonly help: string;
  readonly placeholder: string;
}

export type OptionSpec = CountOption | FlagOption | ListOption | TextOption;
export type OptionTable = Readonly<Record<string, OptionSpec>>;

type ValueOf<S extends OptionSpec> = S extends CountOption
  ? number
  : S extends FlagOption
    ? boolean
    : S extends ListOption<infer V>
      ? readonly V[]
      : string | undefined;

export type OptionValues<T extends OptionTable> = { readonly [K in keyof T]: ValueOf<T[K]> };

export const count = (
  help: string,
  defaults: { readonly default: number; readonly quick?: number; readonly min?: number; readonly placeholder?: string },
): CountOption => ({
  kind: 'count',
  help,
  default: defaults.default,
  ...(defaults.quick === undefined ? {} : { quick: defaults.quick }),
  min: defaults.min ?? 0,
  placeholder: defaults.placeholder ?? '<count>',
});

export const flag = (help: string): FlagOption => ({ kind: 'flag', help });

export const list = <const V extends string>(help: string, values: readonly V[], defaults: readonly V[] = values): ListOption<V> => ({
  kind: 'list',
  help,
  values,
  default: defaults,
});

export const text = (help: string, placeholder: string): TextOption => ({ kind: 'text', help, placeholder });

/** `memoryN` → `memory-n`. */
export const flagName = (key: string): string => key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);

/** What `--help` adds: every benchmark answers it, and none declares it. */
const HELP: FlagOption = flag('this text');

export type Parsed<T extends OptionTable> =
  | { readonly kind: 'options'; readonly values: OptionValues<T> }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

class UsageError extends Error {
  override readonly name = 'UsageError';
}

const fail = (message: string): never => {
  throw new UsageError(message);
};

/**
 * Parses `argv` against `table`. `--quick` switches counts to their quick defaults when the table
 * has an option named `quick`; a count given explicitly always wins. Never throws for bad input:
 * a usage problem comes back as `{ kind: 'error' }`.
 */
export function parseOptions<const T extends OptionTable>(table: T, argv: readonly string[]): Parsed<T> {
  const config: ParseArgsOptionsConfig = { help: { type: 'boolean', short: 'h' } };
  for (const [key, spec] of Object.entries(table)) config[flagName(key)] = { type: spec.kind === 'flag' ? 'boolean' : 'string' };
  let raw: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    raw = parseArgs({ args: [...argv], strict: true, allowPositionals: false, options: config }).values;
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (raw.help === true) return { kind: 'help' };
  const quick = raw.quick === true;
  const values: Record<string, unknown> = {};
  try {
    for (const [key, spec] of Object.entries(table)) {
      const name = `--${flagName(key)}`;
      const given = raw[flagName(key)];
      switch (spec.kind) {
        case 'flag':
          values[key] = given === true;
          break;
        case 'count': {
          const fallback = quick ? (spec.quick ?? spec.default) : spec.default;
          values[key] = parseCount(typeof given === 'string' ? given : undefined, name, fail, { min: spec.min }) ?? fallback;
          break;
        }
        case 'list': {
          if (typeof given !== 'string') {
            values[key] = spec.default;
            break;
          }
          const names = given.split(',').map((part) => part.trim());
          for (const part of names) {
            if (!spec.values.includes(part))
              fail(`${name} takes ${spec.values.join(', ')} or a comma-separated list of them (got ${JSON.stringify(part)})`);
          }
          values[key] = spec.values.filter((value) => names.includes(value));
          break;
        }
        case 'text':
          values[key] = typeof given === 'string' ? given : undefined;
          break;
      }
    }
  } catch (error) {
    if (error instanceof UsageError) return { kind: 'error', message: error.message };
    throw error;
  }
  return { kind: 'options', values: values as OptionValues<T> };
}

function defaults(spec: OptionSpec): string {
  switch (spec.kind) {
    case 'count':
      return spec.quick === undefined || spec.quick === spec.default
        ? ` (default ${spec.default})`
        : ` (default ${spec.default}; quick ${spec.quick})`;
    case 'list':
      return ` (default ${spec.default.join(',')})`;
    case 'flag':
    case 'text':
      return '';
  }
}

/** The --help text: `Usage: <command> -- [options]`, the options in table order, then `notes`. */
export function usage(command: string, table: OptionTable, notes: readonly string[] = []): string {
  const entries = [...Object.entries(table), ['help', HELP] as const].map(([key, spec]) => {
    const placeholder = spec.kind === 'count' || spec.kind === 'text' ? ` ${spec.placeholder}` : spec.kind === 'list' ? ' <list>' : '';
    return { flag: `--${flagName(key)}${placeholder}`, help: `${spec.help}${defaults(spec)}` };
  });
  const width = Math.max(...entries.map((entry) => entry.flag.length));
  return [
    `Usage: ${command} -- [options]`,
    '',
    'Options:',
    ...entries.map((entry) => `  ${entry.flag.padEnd(width)}  ${entry.help}`),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');
}
