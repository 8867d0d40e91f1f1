/**
 * The declarative function definitions of the local Lambda: `functions.json` in a functions
 * folder, validated once at start-up into fully resolved `FunctionDefinition`s. A mistake stops
 * start-up with a message naming the file, the function and the field.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { INVOKING_GATEWAY } from '../protocol/destination-headers.ts';
import { MAX_FUNCTION_TIMEOUT_SECONDS } from '../protocol/limits.ts';
import { issueKey, quotedValue } from '../protocol/zod-issues.ts';
import { DEFAULT_RUNTIME, RUNTIME_RULE, runtimeKind, type RuntimeKind } from './runtimes.ts';

/** The file the loader looks for when given a folder. */
export const DEFINITIONS_FILE = 'functions.json';

/** The demo functions the project ships: what the local Lambda runs when given no folder. */
export const DEMO_FUNCTIONS = fileURLToPath(new URL('../../examples/functions', import.meta.url));

/** Extensions tried, in order, for a handler module (`dir/index.handler` → `dir/index.ts` …). */
const HANDLER_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs', '.cjs'] as const;

const FUNCTION_NAME = /^[a-zA-Z0-9-_]{1,64}$/;
// An alias name must not be all digits (that would read as a version).
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9-_]{1,128}$/;
const VERSION_NAME = /^[1-9]\d*$/;
const HANDLER = /^[^\s]+\.[A-Za-z_$][\w$]*$/;

const handlerField = z.string().regex(HANDLER, 'must be "<module path without extension>.<export>", e.g. "echo/index.handler"');
const environmentField = z.record(z.string().regex(/^[a-zA-Z]\w*$/, 'environment variable names are letters, digits and _'), z.string());
// "gateway" rather than a fixed URL: a URL names one gateway on one port, and breaks as soon as
// the gateway listens elsewhere.
const DESTINATION_RULE = `must be "${INVOKING_GATEWAY}" (the gateway that invoked the function) or an http(s) URL`;
const destination = z.union(
  [z.literal(INVOKING_GATEWAY, { error: DESTINATION_RULE }), z.url({ protocol: /^https?$/, error: DESTINATION_RULE })],
  {
    error: DESTINATION_RULE,
  },
);

const aliasSchema = z.strictObject({
  /** The version the alias invokes (`$LATEST` or a published version). */
  functionVersion: z.string(),
  description: z.string().optional(),
  /** Traffic shifting: a share of invocations (0–1) goes to one other published version. */
  routingConfig: z
    .strictObject({
      additionalVersionWeights: z.record(
        z.string().regex(VERSION_NAME, 'version names are positive integers'),
        z.number().min(0, 'a weight is a share from 0 to 1').max(1, 'a weight is a share from 0 to 1'),
      ),
    })
    .optional(),
});

const codeConfig = {
  /** `<module path relative to the definitions file, without extension>.<export name>`. */
  handler: handlerField,
  /** Seconds, 1–900. @default 3 */
  timeout: z.number().int().min(1).max(MAX_FUNCTION_TIMEOUT_SECONDS).optional(),
  /** MB, 128–10240; also the worker's heap limit. @default 128 */
  memorySize: z.number().int().min(128).max(10_240).optional(),
  environment: environmentField.optional(),
};

const functionSchema = z.strictObject({
  description: z.string().optional(),
  /** AWS's runtime identifier. @default "nodejs24.x" */
  runtime: z
    .string()
    .refine((value) => runtimeKind(value) !== undefined, RUNTIME_RULE)
    .optional(),
  /** The code directory, relative to the definitions file (`LAMBDA_TASK_ROOT`). @default "." */
  code: z.string().min(1).optional(),
  ...codeConfig,
  /** Concurrent executions reserved for the function; 0 throttles every invocation. */
  reservedConcurrency: z.number().int().min(0).optional(),
  /** Published versions, each pinned to its own code; inherit unset fields from the function. */
  versions: z
    .record(
      z.string().regex(VERSION_NAME, 'version names are positive integers'),
      z.strictObject({
        description: z.string().optional(),
        handler: handlerField,
        timeout: codeConfig.timeout,
        memorySize: codeConfig.memorySize,
        environment: codeConfig.environment,
      }),
    )
    .optional(),
  /** Alias name → version number (or `$LATEST`), or the alias in full (`aliasSchema`). */
  aliases: z
    .record(z.string().regex(ALIAS_NAME, 'alias names are 1–128 of [a-zA-Z0-9-_] and not all digits'), z.union([z.string(), aliasSchema]))
    .optional(),
  async: z
    .strictObject({
      /** 0–2. @default 2 */
      maximumRetryAttempts: z.number().int().min(0).max(2).optional(),
      /** Seconds, 60–21600. @default 21600 */
      maximumEventAgeInSeconds: z.number().int().min(60).max(21_600).optional(),
      onSuccess: destination.optional(),
      onFailure: destination.optional(),
    })
    .optional(),
});

const fileSchema = z.strictObject({
  $schema: z.string().optional(),
  functions: z.record(z.string().regex(FUNCTION_NAME, 'function names are 1–64 of [a-zA-Z0-9-_]'), functionSchema),
});

/** The code and configuration one version of a function runs with. */
export interface CodeConfig {
  /** Absolute path of the handler module. */
  readonly modulePath: string;
  readonly exportName: string;
  /** As written in the definition (`echo/index.handler`), for `_HANDLER` and messages. */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memorySizeMb: number;
  readonly environment: Readonly<Record<string, string>>;
  /** The version's own description, else the function's. */
  readonly description: string;
}

export interface AliasDefinition {
  /** `$LATEST` or a published version number. */
  readonly functionVersion: string;
  readonly description: string;
  /**
   * At most one other published version → the share of invocations (0–1) it gets; the rest go to
   * `functionVersion`. Empty without traffic shifting.
   */
  readonly additionalVersionWeights: ReadonlyMap<string, number>;
}

export interface AsyncConfig {
  readonly maximumRetryAttempts: number;
  readonly maximumEventAgeInSeconds: number;
  /**
   * An http(s) URL, or `"gateway"`: the gateway that invoked the event when it said where it takes
   * records, else the local Lambda's default destination. Absent means the same as `"gateway"`.
   */
  readonly onSuccess: string | undefined;
  readonly onFailure: string | undefined;
}

export interface FunctionDefinition {
  readonly name: string;
  readonly description: string;
  /** AWS's runtime identifier (`nodejs24.x`, `python3.12`, `provided.al2023`, …). */
  readonly runtime: string;
  /** How the runtime runs: Node in a worker thread, the others as a process speaking the Runtime API. */
  readonly runtimeKind: RuntimeKind;
  /** `$LATEST` code. */
  readonly latest: CodeConfig;
  /** Published version number → its pinned code. */
  readonly versions: ReadonlyMap<string, CodeConfig>;
  readonly aliases: ReadonlyMap<string, AliasDefinition>;
  readonly reservedConcurrency: number | undefined;
  readonly async: AsyncConfig;
  /**
   * The function's code directory (`code`, else the definitions file's folder): handlers are
   * resolved against it, and it is `LAMBDA_TASK_ROOT` and the process's working directory.
   */
  readonly taskRoot: string;
}

/** A definition file that cannot be used; the message names file, function and field. */
export class FunctionDefinitionError extends Error {
  override readonly name = 'FunctionDefinitionError';
}

/**
 * Loads `functions.json` from a folder (or the file itself) and resolves every function.
 * Throws `FunctionDefinitionError` on the first file-level problem, listing every bad field.
 */
export function loadFunctionDefinitions(location: string): FunctionDefinition[] {
  const file = resolveDefinitionsFile(location);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FunctionDefinitionError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = fileSchema.safeParse(json, { reportInput: true });
  if (!parsed.success) {
    const lines = withUnionsOpened(parsed.error.issues).map((issue) => `  - ${describeIssuePath(issue.path)}: ${describeIssue(issue)}`);
    throw new FunctionDefinitionError(`${file}: invalid function definitions\n${lines.join('\n')}`);
  }
  const folder = path.dirname(file);
  const problems: string[] = [];
  const definitions: FunctionDefinition[] = [];
  for (const [name, spec] of Object.entries(parsed.data.functions)) {
    const where = (field: string): string => `function '${name}', field '${field}'`;
    const runtime = spec.runtime ?? DEFAULT_RUNTIME;
    // The schema accepted it, so it has a kind.
    const kind = runtimeKind(runtime) ?? 'node';
    const taskRoot = spec.code === undefined ? folder : path.resolve(folder, spec.code);
    if (!isDirectory(taskRoot)) {
      problems.push(`${where('code')}: '${spec.code ?? '.'}' is not a folder (resolved to ${taskRoot})`);
      continue;
    }
    const code = (source: CodeInput, field: string, base?: CodeConfig): CodeConfig | undefined => {
      const located = locateCode(kind, taskRoot, source.handler);
      if (typeof located !== 'string') {
        problems.push(`${where(located.field ?? field)}: ${located.problem}`);
        return undefined;
      }
      const modulePath = located;
      return {
        modulePath,
        exportName: source.handler.slice(source.handler.lastIndexOf('.') + 1),
        handler: source.handler,
        timeoutSeconds: source.timeout ?? base?.timeoutSeconds ?? 3,
        memorySizeMb: source.memorySize ?? base?.memorySizeMb ?? 128,
        environment: { ...base?.environment, ...source.environment },
        description: source.description ?? base?.description ?? '',
      };
    };
    const latest = code(spec, 'handler');
    const versions = new Map<string, CodeConfig>();
    for (const [version, versionSpec] of Object.entries(spec.versions ?? {})) {
      const resolved = code(versionSpec, `versions.${version}.handler`, latest);
      if (resolved !== undefined) versions.set(version, resolved);
    }
    const aliases = new Map<string, AliasDefinition>();
    for (const [alias, value] of Object.entries(spec.aliases ?? {})) {
      const resolved = resolveAlias(value, Object.keys(spec.versions ?? {}), (field, problem) =>
        problems.push(`${where(`aliases.${alias}${field}`)}: ${problem}`),
      );
      if (resolved !== undefined) aliases.set(alias, resolved);
    }
    if (latest === undefined) continue;
    definitions.push({
      name,
      description: spec.description ?? '',
      runtime,
      runtimeKind: kind,
      latest,
      versions,
      aliases,
      reservedConcurrency: spec.reservedConcurrency,
      async: {
        maximumRetryAttempts: spec.async?.maximumRetryAttempts ?? 2,
        maximumEventAgeInSeconds: spec.async?.maximumEventAgeInSeconds ?? 21_600,
        onSuccess: spec.async?.onSuccess,
        onFailure: spec.async?.onFailure,
      },
      taskRoot,
    });
  }
  if (problems.length > 0) {
    throw new FunctionDefinitionError(`${file}: invalid function definitions\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  return definitions;
}

/**
 * An alias as written ("2", or the object form) checked against the defined versions, with
 * Lambda's rules for traffic shifting: one additional version at most, a published one, not the
 * alias's own, and never from `$LATEST`.
 */
function resolveAlias(
  value: string | z.infer<typeof aliasSchema>,
  versions: readonly string[],
  problem: (field: string, message: string) => void,
): AliasDefinition | undefined {
  const spec = typeof value === 'string' ? { functionVersion: value } : value;
  const field = typeof value === 'string' ? '' : '.functionVersion';
  const known = `(defined: ${['$LATEST', ...versions].join(', ')})`;
  const { functionVersion } = spec;
  let valid = true;
  if (functionVersion !== '$LATEST' && !versions.includes(functionVersion)) {
    problem(field, `points to version '${functionVersion}', which is not defined ${known}`);
    valid = false;
  }
  const weights = Object.entries(spec.routingConfig?.additionalVersionWeights ?? {});
  const weightsField = '.routingConfig.additionalVersionWeights';
  if (weights.length > 1) {
    problem(
      weightsField,
      `names ${weights.length} versions (${weights.map(([v]) => v).join(', ')}); Lambda routes to at most one additional version`,
    );
    valid = false;
  }
  if (weights.length > 0 && functionVersion === '$LATEST') {
    problem(weightsField, `an alias of $LATEST cannot shift traffic; point functionVersion to a published version`);
    valid = false;
  }
  for (const [version] of weights) {
    if (version === functionVersion) {
      problem(`${weightsField}.${version}`, `is the alias's own functionVersion; name a different version`);
      valid = false;
    } else if (!versions.includes(version)) {
      problem(`${weightsField}.${version}`, `version '${version}' is not defined ${known}`);
      valid = false;
    }
  }
  if (!valid) return undefined;
  return { functionVersion, description: spec.description ?? '', additionalVersionWeights: new Map(weights) };
}

interface CodeInput {
  readonly handler: string;
  readonly description?: string | undefined;
  readonly timeout?: number | undefined;
  readonly memorySize?: number | undefined;
  readonly environment?: Record<string, string> | undefined;
}

/** The definitions file of a folder (its `functions.json`) or the file itself, as an absolute path. */
export function resolveDefinitionsFile(location: string): string {
  const absolute = path.resolve(location);
  if (!existsSync(absolute)) {
    throw new FunctionDefinitionError(
      `${absolute}: no such file or folder (expected a folder with ${DEFINITIONS_FILE}, or the file itself)`,
    );
  }
  if (statSync(absolute).isDirectory()) {
    const file = path.join(absolute, DEFINITIONS_FILE);
    if (!existsSync(file)) throw new FunctionDefinitionError(`${absolute}: no ${DEFINITIONS_FILE} in this folder`);
    return file;
  }
  return absolute;
}

function isDirectory(folder: string): boolean {
  try {
    return statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The file a function's code starts from (the catalog hashes it): the Node module of the handler,
 * the Python module of `module.function` (a file or a package), or the executable `bootstrap` of
 * a custom runtime — whose handler is the runtime's to interpret, as on AWS. A problem names the
 * field when it is not the handler's.
 */
function locateCode(kind: RuntimeKind, taskRoot: string, handler: string): string | { problem: string; field?: string } {
  const modulePart = handler.slice(0, handler.lastIndexOf('.'));
  switch (kind) {
    case 'node': {
      const base = path.resolve(taskRoot, modulePart);
      const found = HANDLER_EXTENSIONS.map((ext) => base + ext).find((candidate) => existsSync(candidate));
      return found ?? { problem: `no module for handler '${handler}' (tried ${HANDLER_EXTENSIONS.join(', ')} under ${taskRoot})` };
    }
    case 'python': {
      // Python's own import rules: `pkg/mod` and `pkg.mod` name the same module.
      const base = path.resolve(taskRoot, modulePart.replaceAll('.', '/'));
      const found = [`${base}.py`, path.join(base, '__init__.py')].find((candidate) => existsSync(candidate));
      return found ?? { problem: `no Python module for handler '${handler}' (tried ${base}.py and ${base}/__init__.py)` };
    }
    case 'process': {
      const bootstrap = path.join(taskRoot, 'bootstrap');
      try {
        accessSync(bootstrap, constants.X_OK);
        return bootstrap;
      } catch {
        const why = existsSync(bootstrap) ? 'is not executable (chmod +x it)' : 'does not exist';
        return { problem: `a custom runtime starts ${bootstrap}, which ${why}`, field: 'code' };
      }
    }
  }
}

/**
 * A value of the right kind that failed inside a union branch (an alias in object form with a bad
 * weight) is reported as that branch's problems, under their full paths; "Invalid input" alone
 * would not say which field is wrong. Unions that fail at the value itself keep their own message.
 */
function withUnionsOpened(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  return issues.flatMap((issue) => {
    if (issue.code !== 'invalid_union') return [issue];
    const branch = issue.errors.find((branchIssues) => branchIssues.length > 0 && branchIssues.every((i) => i.path.length > 0));
    if (branch === undefined) return [issue];
    return withUnionsOpened(branch.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  });
}

/** The problem and the value that caused it; a bad record key carries its own message inside. */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_key') {
    return `name '${String(issue.input)}' is invalid: ${issue.issues.map((i) => i.message).join('; ')}`;
  }
  // A stray key's message names it; its value is not quoted (it may be a misspelt secret).
  if (issue.code === 'unrecognized_keys') return issue.message;
  return `${issue.message}${quotedValue(issue.input)}`;
}

/** `['functions', 'echo', 'async', 'maximumRetryAttempts']` → `function 'echo', field 'async.maximumRetryAttempts'`. */
function describeIssuePath(issuePath: readonly PropertyKey[]): string {
  const [root, name, ...field] = issuePath.map(String);
  if (root !== 'functions') return `field '${issueKey(issuePath)}'`;
  if (name === undefined) return `field 'functions'`;
  return field.length === 0 ? `function '${name}'` : `function '${name}', field '${field.join('.')}'`;
}
