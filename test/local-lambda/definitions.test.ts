/**
 * `loadFunctionDefinitions` (functions.json → resolved definitions) and `resolveLocalLambdaConfig`:
 * defaults, inheritance, and a message naming file, function and field for every kind of mistake.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalLambdaConfigError, type LocalLambdaOptions, resolveLocalLambdaConfig } from '../../src/local-lambda/config.ts';
import {
  DEFINITIONS_FILE,
  type FunctionDefinition,
  FunctionDefinitionError,
  loadFunctionDefinitions,
} from '../../src/local-lambda/definitions.ts';

const HANDLER_SOURCE = 'export const handler = async (event) => event;\n';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-definitions-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A fresh folder holding `files` (relative path → content); `functions.json` is given as an object or raw text. */
async function folder(definitions: unknown, files: Record<string, string> = { 'h.ts': HANDLER_SOURCE }): Promise<string> {
  counter += 1;
  const dir = path.join(root, `case-${counter}`);
  await mkdir(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), content);
  }
  if (definitions !== undefined) {
    await writeFile(path.join(dir, DEFINITIONS_FILE), typeof definitions === 'string' ? definitions : JSON.stringify(definitions, null, 2));
  }
  return dir;
}

/** Loads, expecting a FunctionDefinitionError, and returns its message. */
function loadError(location: string): string {
  let thrown: unknown;
  try {
    loadFunctionDefinitions(location);
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(FunctionDefinitionError);
  expect((thrown as Error).name).toBe('FunctionDefinitionError');
  return (thrown as Error).message;
}

/** The error for one function definition `f` with a single bad field; `functions.json` and `h.ts` in a fresh folder. */
async function oneProblem(definition: Record<string, unknown>, files?: Record<string, string>): Promise<{ file: string; message: string }> {
  const dir = await folder({ functions: { f: { handler: 'h.handler', ...definition } } }, files);
  const file = path.join(dir, DEFINITIONS_FILE);
  return { file, message: loadError(dir) };
}

function byName(definitions: FunctionDefinition[], name: string): FunctionDefinition {
  const found = definitions.find((d) => d.name === name);
  if (found === undefined) throw new Error(`no definition named ${name}`);
  return found;
}

describe('loadFunctionDefinitions: a valid file', () => {
  it('resolves every default', async () => {
    const dir = await folder({ functions: { plain: { handler: 'h.handler' } } });
    expect(loadFunctionDefinitions(dir)).toStrictEqual([
      {
        name: 'plain',
        description: '',
        runtime: 'nodejs24.x',
        runtimeKind: 'node',
        latest: {
          modulePath: path.join(dir, 'h.ts'),
          exportName: 'handler',
          handler: 'h.handler',
          timeoutSeconds: 3,
          memorySizeMb: 128,
          environment: {},
          description: '',
        },
        versions: new Map(),
        aliases: new Map(),
        reservedConcurrency: undefined,
        async: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, onSuccess: undefined, onFailure: undefined },
        taskRoot: dir,
      },
    ]);
  });

  it('lets versions inherit unset fields and override set ones, and maps aliases', async () => {
    const dir = await folder(
      {
        $schema: './schema.json',
        functions: {
          api: {
            description: 'the API',
            handler: 'src/latest.main',
            timeout: 10,
            memorySize: 256,
            environment: { A: '1', B: '2' },
            reservedConcurrency: 4,
            versions: {
              '1': { handler: 'src/v1.main' },
              '2': { handler: 'src/v2.main', timeout: 5, memorySize: 512, environment: { B: 'two', C: '3' }, description: 'v2' },
            },
            aliases: { live: '1', next: '2', edge: '$LATEST' },
            async: {
              maximumRetryAttempts: 0,
              maximumEventAgeInSeconds: 60,
              onSuccess: 'http://127.0.0.1:9/ok',
              onFailure: 'https://example.test/fail',
            },
          },
        },
      },
      { 'src/latest.ts': HANDLER_SOURCE, 'src/v1.mjs': HANDLER_SOURCE, 'src/v2.cjs': 'exports.main = async () => 2;\n' },
    );
    const [api] = loadFunctionDefinitions(dir);
    expect(api?.name).toBe('api');
    expect(api?.description).toBe('the API');
    expect(api?.reservedConcurrency).toBe(4);
    expect(api?.taskRoot).toBe(dir);
    expect(api?.latest).toStrictEqual({
      modulePath: path.join(dir, 'src/latest.ts'),
      exportName: 'main',
      handler: 'src/latest.main',
      timeoutSeconds: 10,
      memorySizeMb: 256,
      environment: { A: '1', B: '2' },
      description: 'the API',
    });
    expect(api?.versions).toStrictEqual(
      new Map([
        [
          '1',
          {
            modulePath: path.join(dir, 'src/v1.mjs'),
            exportName: 'main',
            handler: 'src/v1.main',
            timeoutSeconds: 10,
            memorySizeMb: 256,
            environment: { A: '1', B: '2' },
            description: 'the API',
          },
        ],
        [
          '2',
          {
            modulePath: path.join(dir, 'src/v2.cjs'),
            exportName: 'main',
            handler: 'src/v2.main',
            timeoutSeconds: 5,
            memorySizeMb: 512,
            environment: { A: '1', B: 'two', C: '3' },
            description: 'v2',
          },
        ],
      ]),
    );
    expect(api?.aliases).toStrictEqual(
      new Map([
        ['live', { functionVersion: '1', description: '', additionalVersionWeights: new Map() }],
        ['next', { functionVersion: '2', description: '', additionalVersionWeights: new Map() }],
        ['edge', { functionVersion: '$LATEST', description: '', additionalVersionWeights: new Map() }],
      ]),
    );
    expect(api?.async).toStrictEqual({
      maximumRetryAttempts: 0,
      maximumEventAgeInSeconds: 60,
      onSuccess: 'http://127.0.0.1:9/ok',
      onFailure: 'https://example.test/fail',
    });
  });

  it('prefers .ts over .js for the same module, and accepts the file itself as the location', async () => {
    const dir = await folder(
      { functions: { one: { handler: 'h.handler' }, two: { handler: 'other.go', timeout: 900, memorySize: 10_240 } } },
      { 'h.ts': HANDLER_SOURCE, 'h.js': HANDLER_SOURCE, 'other.js': 'export const go = async () => 1;\n' },
    );
    const definitions = loadFunctionDefinitions(path.join(dir, DEFINITIONS_FILE));
    expect(definitions.map((d) => d.name)).toStrictEqual(['one', 'two']);
    expect(byName(definitions, 'one').latest.modulePath).toBe(path.join(dir, 'h.ts'));
    expect(byName(definitions, 'two').latest).toMatchObject({
      modulePath: path.join(dir, 'other.js'),
      exportName: 'go',
      timeoutSeconds: 900,
      memorySizeMb: 10_240,
    });
  });

  it('takes "gateway" as a destination: the gateway that invoked the function, whatever its port', async () => {
    const dir = await folder({
      functions: { f: { handler: 'h.handler', async: { onSuccess: 'gateway', onFailure: 'http://127.0.0.1:9/failures' } } },
    });
    const [definition] = loadFunctionDefinitions(dir);
    expect(definition?.async).toMatchObject({ onSuccess: 'gateway', onFailure: 'http://127.0.0.1:9/failures' });
  });

  it('loads the test fixtures', () => {
    const fixtures = path.resolve(import.meta.dirname, '../fixtures/functions');
    const definitions = loadFunctionDefinitions(fixtures);
    const echo = byName(definitions, 'echo');
    expect([...echo.versions.keys()]).toStrictEqual(['1', '2']);
    expect(echo.aliases).toStrictEqual(
      new Map([
        ['live', { functionVersion: '1', description: '', additionalVersionWeights: new Map() }],
        ['edge', { functionVersion: '$LATEST', description: '', additionalVersionWeights: new Map() }],
      ]),
    );
    expect(echo.versions.get('2')?.environment).toStrictEqual({ ECHO_VERSION_NOTE: 'two' });
    expect(byName(definitions, 'context').latest).toMatchObject({
      timeoutSeconds: 7,
      memorySizeMb: 256,
      environment: { GREETING: 'hello' },
    });
    expect(byName(definitions, 'throttled').reservedConcurrency).toBe(0);
    expect(byName(definitions, 'commonjs').latest.modulePath).toBe(path.join(fixtures, 'commonjs.cjs'));
  });
});

describe('loadFunctionDefinitions: mistakes name the file, the function and the field', () => {
  it.each([
    ['timeout 0', { timeout: 0 }, `function 'f', field 'timeout': Too small: expected number to be >=1 (got 0)`],
    ['timeout 901', { timeout: 901 }, `function 'f', field 'timeout': Too big: expected number to be <=900 (got 901)`],
    ['a fractional timeout', { timeout: 2.5 }, `function 'f', field 'timeout': Invalid input: expected int, received number (got 2.5)`],
    ['memorySize 64', { memorySize: 64 }, `function 'f', field 'memorySize': Too small: expected number to be >=128 (got 64)`],
    [
      'maximumRetryAttempts 3',
      { async: { maximumRetryAttempts: 3 } },
      `function 'f', field 'async.maximumRetryAttempts': Too big: expected number to be <=2 (got 3)`,
    ],
    [
      'maximumEventAgeInSeconds 59',
      { async: { maximumEventAgeInSeconds: 59 } },
      `function 'f', field 'async.maximumEventAgeInSeconds': Too small: expected number to be >=60 (got 59)`,
    ],
    [
      'a non-http onFailure URL',
      { async: { onFailure: 'ftp://example.test/records' } },
      `function 'f', field 'async.onFailure': must be "gateway" (the gateway that invoked the function) or an http(s) URL (got "ftp://example.test/records")`,
    ],
    [
      'a non-URL onSuccess',
      { async: { onSuccess: 'not a url' } },
      `function 'f', field 'async.onSuccess': must be "gateway" (the gateway that invoked the function) or an http(s) URL (got "not a url")`,
    ],
    [
      'a misspelt "gateway"',
      { async: { onSuccess: 'gatway' } },
      `function 'f', field 'async.onSuccess': must be "gateway" (the gateway that invoked the function) or an http(s) URL (got "gatway")`,
    ],
    [
      'a bad version timeout',
      { versions: { '1': { handler: 'h.handler', timeout: 0 } } },
      `function 'f', field 'versions.1.timeout': Too small: expected number to be >=1 (got 0)`,
    ],
    [
      'a handler without export',
      { handler: 'h' },
      `function 'f', field 'handler': must be "<module path without extension>.<export>", e.g. "echo/index.handler" (got "h")`,
    ],
  ])('%s', async (_label, definition, problem) => {
    const { file, message } = await oneProblem(definition);
    expect(message).toBe(`${file}: invalid function definitions\n  - ${problem}`);
  });

  it('an unknown field (definitions are strict)', async () => {
    const { file, message } = await oneProblem({ timeot: 3 });
    expect(message).toBe(`${file}: invalid function definitions\n  - function 'f': Unrecognized key: "timeot"`);
  });

  it('an unknown field in a version and at the top level', async () => {
    const dir = await folder({
      functions: { f: { handler: 'h.handler', versions: { '1': { handler: 'h.handler', alias: 'x' } } } },
      extra: true,
    });
    const file = path.join(dir, DEFINITIONS_FILE);
    expect(loadError(dir)).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'versions.1': Unrecognized key: "alias"\n` +
        `  - field '(root)': Unrecognized key: "extra"`,
    );
  });

  it('a bad function name', async () => {
    const dir = await folder({ functions: { 'bad name': { handler: 'h.handler' } } });
    const file = path.join(dir, DEFINITIONS_FILE);
    // The schema's own explanation must reach the user, not zod's generic "Invalid key in record".
    expect(loadError(dir)).toBe(
      `${file}: invalid function definitions\n  - function 'bad name': name 'bad name' is invalid: function names are 1–64 of [a-zA-Z0-9-_]`,
    );
  });

  it('a 65-character function name', async () => {
    const name = 'f'.repeat(65);
    const dir = await folder({ functions: { [name]: { handler: 'h.handler' } } });
    expect(loadError(dir)).toBe(
      `${path.join(dir, DEFINITIONS_FILE)}: invalid function definitions\n  - function '${name}': name '${name}' is invalid: function names are 1–64 of [a-zA-Z0-9-_]`,
    );
  });

  it('an alias named with digits only, and a version that is not a positive integer', async () => {
    const { file, message } = await oneProblem({ versions: { v1: { handler: 'h.handler' } }, aliases: { '12': '$LATEST' } });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'versions.v1': name 'v1' is invalid: version names are positive integers\n` +
        `  - function 'f', field 'aliases.12': name '12' is invalid: alias names are 1–128 of [a-zA-Z0-9-_] and not all digits`,
    );
  });

  it('a handler module that does not exist', async () => {
    const { file, message } = await oneProblem({ handler: 'lib/missing.handler' });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'handler': no module for handler 'lib/missing.handler' (tried .ts, .mts, .js, .mjs, .cjs under ${path.dirname(file)})`,
    );
  });

  it('a version whose handler module does not exist', async () => {
    const { file, message } = await oneProblem({ versions: { '3': { handler: 'v3.handler' } } });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'versions.3.handler': no module for handler 'v3.handler' (tried .ts, .mts, .js, .mjs, .cjs under ${path.dirname(file)})`,
    );
  });

  it('an alias pointing to an undefined version', async () => {
    const { file, message } = await oneProblem({ versions: { '1': { handler: 'h.handler' } }, aliases: { live: '3' } });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'aliases.live': points to version '3', which is not defined (defined: $LATEST, 1)`,
    );
  });

  it('an alias pointing to a version when the function has none', async () => {
    const { file, message } = await oneProblem({ aliases: { live: '1' } });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'aliases.live': points to version '1', which is not defined (defined: $LATEST)`,
    );
  });

  it('an alias pointing to an inherited object property name rather than a version', async () => {
    const { file, message } = await oneProblem({ versions: { '1': { handler: 'h.handler' } }, aliases: { live: 'constructor' } });
    expect(message).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'f', field 'aliases.live': points to version 'constructor', which is not defined (defined: $LATEST, 1)`,
    );
  });

  it('lists every problem of every function', async () => {
    const dir = await folder({
      functions: {
        a: { handler: 'nope.handler' },
        b: { handler: 'h.handler', aliases: { x: '9' } },
      },
    });
    const file = path.join(dir, DEFINITIONS_FILE);
    expect(loadError(dir)).toBe(
      `${file}: invalid function definitions\n` +
        `  - function 'a', field 'handler': no module for handler 'nope.handler' (tried .ts, .mts, .js, .mjs, .cjs under ${dir})\n` +
        `  - function 'b', field 'aliases.x': points to version '9', which is not defined (defined: $LATEST)`,
    );
  });

  it('invalid JSON', async () => {
    const text = '{ "functions": { "f": { "handler": "h.handler", } } }';
    const dir = await folder(text);
    let parseMessage = '';
    try {
      JSON.parse(text);
    } catch (error) {
      parseMessage = (error as Error).message;
    }
    expect(parseMessage).not.toBe('');
    expect(loadError(dir)).toBe(`${path.join(dir, DEFINITIONS_FILE)}: not valid JSON (${parseMessage})`);
  });

  it('a folder without functions.json', async () => {
    const dir = await folder(undefined);
    expect(loadError(dir)).toBe(`${dir}: no functions.json in this folder`);
  });

  it('a path that does not exist', () => {
    const missing = path.join(root, 'does', 'not', 'exist');
    expect(loadError(missing)).toBe(`${missing}: no such file or folder (expected a folder with functions.json, or the file itself)`);
  });

  it('a relative path is reported as an absolute one', () => {
    const relative = path.relative(process.cwd(), path.join(root, 'nowhere'));
    expect(loadError(relative)).toBe(
      `${path.join(root, 'nowhere')}: no such file or folder (expected a folder with functions.json, or the file itself)`,
    );
  });
});

describe('resolveLocalLambdaConfig', () => {
  function configError(options: Partial<LocalLambdaOptions>): string {
    let thrown: unknown;
    try {
      resolveLocalLambdaConfig({ functions: [], ...options });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LocalLambdaConfigError);
    return (thrown as Error).message;
  }

  it('resolves the defaults', () => {
    const config = resolveLocalLambdaConfig({ functions: [] });
    expect(config).toMatchObject({
      functions: [],
      region: 'us-east-1',
      accountId: '123456789012',
      accountConcurrency: 64,
      idleTimeoutMs: 300_000,
      logSink: undefined,
      async: {
        retryDelaysMs: [60_000, 120_000],
        throttleRetryBaseMs: 1000,
        throttleRetryMaxMs: 300_000,
        deliveryHeaders: {},
        deliveryRetryBaseMs: 500,
        deliveryRetryMaxMs: 60_000,
        deliveryRetryForMs: 3_600_000,
      },
    });
    expect(config.async.defaultOnSuccess).toBeUndefined();
    expect(config.async.defaultOnFailure).toBeUndefined();
  });

  it('does not watch unless asked; watching names the definitions file, and needs one', async () => {
    expect(resolveLocalLambdaConfig({ functions: [] })).toMatchObject({ watch: false, watchedDefinitions: undefined });
    const dir = await folder({ functions: { g: { handler: 'h.handler' } } });
    expect(resolveLocalLambdaConfig({ functions: dir, watch: true })).toMatchObject({
      watch: true,
      watchedDefinitions: path.join(dir, DEFINITIONS_FILE),
    });
    expect(configError({ watch: true })).toBe(
      'invalid local Lambda configuration\n  - watch: needs functions to be a folder or a functions.json file to watch (got loaded definitions)',
    );
  });

  it('loads definitions from a folder', async () => {
    const dir = await folder({ functions: { g: { handler: 'h.handler' } } });
    const config = resolveLocalLambdaConfig({
      functions: dir,
      region: 'eu-central-1',
      accountId: '000000000000',
      accountConcurrency: 1000,
    });
    expect(config.functions.map((d) => d.name)).toStrictEqual(['g']);
    expect(config.region).toBe('eu-central-1');
    expect(config.accountId).toBe('000000000000');
    expect(config.accountConcurrency).toBe(1000);
  });

  it.each([
    ['a bad region', { region: 'moon-base' }, `region: must be a region name such as us-east-1 (got "moon-base")`],
    ['an upper-case region', { region: 'US-EAST-1' }, `region: must be a region name such as us-east-1 (got "US-EAST-1")`],
    ['a short accountId', { accountId: '12345' }, `accountId: must be 12 digits (got "12345")`],
    ['a non-numeric accountId', { accountId: '12345678901x' }, `accountId: must be 12 digits (got "12345678901x")`],
    ['accountConcurrency 0', { accountConcurrency: 0 }, `accountConcurrency: Too small: expected number to be >=1 (got 0)`],
    ['accountConcurrency 1001', { accountConcurrency: 1001 }, `accountConcurrency: Too big: expected number to be <=1000 (got 1001)`],
    [
      'a fractional accountConcurrency',
      { accountConcurrency: 1.5 },
      `accountConcurrency: Invalid input: expected int, received number (got 1.5)`,
    ],
  ])('%s names the key and the value', (_label, options, problem) => {
    expect(configError(options)).toBe(`invalid local Lambda configuration\n  - ${problem}`);
  });

  it('lists every bad key, nested keys by their path', () => {
    expect(configError({ region: 'x', accountId: 'y', async: { defaultOnFailure: 'ftp://z' } })).toBe(
      'invalid local Lambda configuration\n' +
        '  - region: must be a region name such as us-east-1 (got "x")\n' +
        '  - accountId: must be 12 digits (got "y")\n' +
        '  - async.defaultOnFailure: must be an http(s) URL (got "ftp://z")',
    );
  });

  it('passes definition errors through unchanged', async () => {
    const dir = await folder({ functions: { f: { handler: 'h.handler', memorySize: 64 } } });
    expect(() => resolveLocalLambdaConfig({ functions: dir })).toThrow(
      new FunctionDefinitionError(
        `${path.join(dir, DEFINITIONS_FILE)}: invalid function definitions\n  - function 'f', field 'memorySize': Too small: expected number to be >=128 (got 64)`,
      ),
    );
  });
});

describe('loadFunctionDefinitions: aliases in full, with routing weights', () => {
  const versions = { '1': { handler: 'h.handler' }, '2': { handler: 'h.handler' }, '3': { handler: 'h.handler' } };
  const invalid = (file: string, ...lines: string[]): string =>
    `${file}: invalid function definitions\n${lines.map((l) => `  - ${l}`).join('\n')}`;

  it('reads the object form next to the short one', async () => {
    const dir = await folder({
      functions: {
        f: {
          handler: 'h.handler',
          versions,
          aliases: {
            short: '1',
            plain: { functionVersion: '$LATEST' },
            live: { functionVersion: '2', description: 'production', routingConfig: { additionalVersionWeights: { '3': 0.1 } } },
            edges: { functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0 } } },
            full: { functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1 } } },
          },
        },
      },
    });
    const [f] = loadFunctionDefinitions(dir);
    expect(f?.aliases).toStrictEqual(
      new Map([
        ['short', { functionVersion: '1', description: '', additionalVersionWeights: new Map() }],
        ['plain', { functionVersion: '$LATEST', description: '', additionalVersionWeights: new Map() }],
        ['live', { functionVersion: '2', description: 'production', additionalVersionWeights: new Map([['3', 0.1]]) }],
        ['edges', { functionVersion: '1', description: '', additionalVersionWeights: new Map([['2', 0]]) }],
        ['full', { functionVersion: '1', description: '', additionalVersionWeights: new Map([['2', 1]]) }],
      ]),
    );
  });

  it('a weight outside 0–1', async () => {
    const { file, message } = await oneProblem({
      versions,
      aliases: {
        a: { functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 1.5 } } },
        b: { functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': -0.1 } } },
      },
    });
    expect(message).toBe(
      invalid(
        file,
        `function 'f', field 'aliases.a.routingConfig.additionalVersionWeights.2': a weight is a share from 0 to 1 (got 1.5)`,
        `function 'f', field 'aliases.b.routingConfig.additionalVersionWeights.2': a weight is a share from 0 to 1 (got -0.1)`,
      ),
    );
  });

  it('more than one additional version', async () => {
    const { file, message } = await oneProblem({
      versions,
      aliases: { live: { functionVersion: '1', routingConfig: { additionalVersionWeights: { '2': 0.1, '3': 0.1 } } } },
    });
    expect(message).toBe(
      invalid(
        file,
        `function 'f', field 'aliases.live.routingConfig.additionalVersionWeights': names 2 versions (2, 3); Lambda routes to at most one additional version`,
      ),
    );
  });

  it('weights on an alias of $LATEST, on its own version, and on an undefined version', async () => {
    const { file, message } = await oneProblem({
      versions,
      aliases: {
        a: { functionVersion: '$LATEST', routingConfig: { additionalVersionWeights: { '2': 0.5 } } },
        b: { functionVersion: '2', routingConfig: { additionalVersionWeights: { '2': 0.5 } } },
        c: { functionVersion: '2', routingConfig: { additionalVersionWeights: { '7': 0.5 } } },
      },
    });
    expect(message).toBe(
      invalid(
        file,
        `function 'f', field 'aliases.a.routingConfig.additionalVersionWeights': an alias of $LATEST cannot shift traffic; point functionVersion to a published version`,
        `function 'f', field 'aliases.b.routingConfig.additionalVersionWeights.2': is the alias's own functionVersion; name a different version`,
        `function 'f', field 'aliases.c.routingConfig.additionalVersionWeights.7': version '7' is not defined (defined: $LATEST, 1, 2, 3)`,
      ),
    );
  });

  it('an object-form alias of an undefined version, a stray key, and a weight that is no version', async () => {
    const { file, message } = await oneProblem({
      versions,
      aliases: {
        a: { functionVersion: '9' },
        b: { functionVersion: '1', weights: {} },
        c: { functionVersion: '1', routingConfig: { additionalVersionWeights: { two: 0.5 } } },
      },
    });
    expect(message).toBe(
      invalid(
        file,
        `function 'f', field 'aliases.b': Unrecognized key: "weights"`,
        `function 'f', field 'aliases.c.routingConfig.additionalVersionWeights.two': name 'two' is invalid: version names are positive integers`,
      ),
    );
    // Schema problems come first and stop the file there; the version check follows on a clean file.
    const second = await oneProblem({ versions, aliases: { a: { functionVersion: '9' } } });
    expect(second.message).toBe(
      invalid(
        second.file,
        `function 'f', field 'aliases.a.functionVersion': points to version '9', which is not defined (defined: $LATEST, 1, 2, 3)`,
      ),
    );
  });
});
