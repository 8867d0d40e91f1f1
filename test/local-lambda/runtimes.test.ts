/**
 * The pure parts of process runtimes: which runtime identifiers a definition accepts and how it
 * resolves `runtime` and `code`, the environment a runtime process gets (Lambda's, the function's,
 * nothing of the host's), and how an error a runtime posts to the Runtime API is read.
 */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFINITIONS_FILE, FunctionDefinitionError, loadFunctionDefinitions } from '../../src/local-lambda/definitions.ts';
import { reportedError } from '../../src/local-lambda/runtime-api.ts';
import { processEnvironment, runtimeKind, SYSTEM_PATH } from '../../src/local-lambda/runtimes.ts';

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-runtimes-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A folder with `functions.json` holding `functions` and the given files (a trailing `*` marks an executable). */
async function folder(functions: Record<string, unknown>, files: Record<string, string>): Promise<string> {
  counter += 1;
  const dir = path.join(root, `case-${counter}`);
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(dir, name.replace(/\*$/, ''));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    if (name.endsWith('*')) await chmod(file, 0o755);
  }
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, DEFINITIONS_FILE), JSON.stringify({ functions }));
  return dir;
}

function loadError(dir: string): string {
  try {
    loadFunctionDefinitions(dir);
  } catch (error) {
    expect(error).toBeInstanceOf(FunctionDefinitionError);
    return (error as Error).message;
  }
  throw new Error('expected the definitions to be refused');
}

describe('runtimeKind', () => {
  it("knows AWS's identifiers and nothing else", () => {
    expect(['nodejs20.x', 'nodejs24.x', 'python3.9', 'python3.13', 'provided.al2023', 'provided.al2'].map(runtimeKind)).toStrictEqual([
      'node',
      'node',
      'python',
      'python',
      'process',
      'process',
    ]);
    for (const unknown of ['python2.7', 'python3', 'node24', 'nodejs24', 'java21', 'provided.al3', 'go1.x', '']) {
      expect(runtimeKind(unknown), unknown).toBeUndefined();
    }
  });
});

describe('definitions with runtime and code', () => {
  it('resolve a Python module in its code directory, which becomes the task root', async () => {
    const dir = await folder(
      {
        py: { runtime: 'python3.12', code: 'src/py', handler: 'pkg/mod.handler' },
        pkg: { runtime: 'python3.12', code: 'src/py', handler: 'lib.run' },
      },
      { 'src/py/pkg/mod.py': '', 'src/py/lib/__init__.py': '' },
    );
    const [py, pkg] = loadFunctionDefinitions(dir);
    expect(py).toMatchObject({ runtime: 'python3.12', runtimeKind: 'python', taskRoot: path.join(dir, 'src/py') });
    expect(py?.latest.modulePath).toBe(path.join(dir, 'src/py/pkg/mod.py'));
    expect(pkg?.latest.modulePath).toBe(path.join(dir, 'src/py/lib/__init__.py'));
  });

  it("resolve a custom runtime to its code directory's executable bootstrap", async () => {
    const dir = await folder(
      { custom: { runtime: 'provided.al2023', code: 'custom', handler: 'function.handler' } },
      { 'custom/bootstrap*': '#!/bin/sh\n' },
    );
    const [custom] = loadFunctionDefinitions(dir);
    expect(custom).toMatchObject({ runtime: 'provided.al2023', runtimeKind: 'process', taskRoot: path.join(dir, 'custom') });
    expect(custom?.latest.modulePath).toBe(path.join(dir, 'custom/bootstrap'));
  });

  it('default to nodejs24.x in the functions folder, and resolve Node handlers against `code` when given', async () => {
    const dir = await folder(
      { plain: { handler: 'h.handler' }, nested: { code: 'api', handler: 'h.handler' } },
      { 'h.ts': '', 'api/h.ts': '' },
    );
    const [plain, nested] = loadFunctionDefinitions(dir);
    expect(plain).toMatchObject({ runtime: 'nodejs24.x', runtimeKind: 'node', taskRoot: dir });
    expect(nested?.latest.modulePath).toBe(path.join(dir, 'api/h.ts'));
  });

  it('refuse an unknown runtime, naming file, function and field', async () => {
    const dir = await folder({ f: { runtime: 'python2.7', handler: 'h.handler' } }, { 'h.py': '' });
    expect(loadError(dir)).toBe(
      `${path.join(dir, DEFINITIONS_FILE)}: invalid function definitions\n` +
        `  - function 'f', field 'runtime': must be one of AWS's runtime identifiers: nodejs<N>.x (e.g. nodejs24.x), python3.<N> (e.g. python3.12), provided.al2023 or provided.al2 (got "python2.7")`,
    );
  });

  it('refuse a code directory that does not exist, a missing Python module, and a bootstrap that is missing or not executable', async () => {
    const dir = await folder(
      {
        gone: { runtime: 'python3.12', code: 'nowhere', handler: 'app.handler' },
        nomodule: { runtime: 'python3.12', handler: 'app.handler' },
        nobootstrap: { runtime: 'provided.al2023', code: 'empty', handler: 'x.handler' },
        plainfile: { runtime: 'provided.al2', code: 'plain', handler: 'x.handler' },
      },
      { 'empty/README': '', 'plain/bootstrap': '#!/bin/sh\n' },
    );
    expect(loadError(dir)).toBe(
      `${path.join(dir, DEFINITIONS_FILE)}: invalid function definitions\n` +
        `  - function 'gone', field 'code': 'nowhere' is not a folder (resolved to ${path.join(dir, 'nowhere')})\n` +
        `  - function 'nomodule', field 'handler': no Python module for handler 'app.handler' (tried ${path.join(dir, 'app')}.py and ${path.join(dir, 'app')}/__init__.py)\n` +
        `  - function 'nobootstrap', field 'code': a custom runtime starts ${path.join(dir, 'empty/bootstrap')}, which does not exist\n` +
        `  - function 'plainfile', field 'code': a custom runtime starts ${path.join(dir, 'plain/bootstrap')}, which is not executable (chmod +x it)`,
    );
  });
});

describe('processEnvironment', () => {
  const lambda = {
    GREETING: 'from the function',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
    AWS_LAMBDA_FUNCTION_NAME: 'f',
    LAMBDA_TASK_ROOT: '/fns/f',
    _HANDLER: 'app.handler',
  };
  const python = { file: '/opt/py/bin/python3', args: ['-u', 'bootstrap.py'], runtimeDir: '/rt/python', pathPrefix: '/opt/py/bin' };
  const custom = { file: '/fns/f/bootstrap', args: [], runtimeDir: '/fns/f', pathPrefix: undefined };

  it("is Lambda's variables, the function's own, the Runtime API's address and AWS's defaults — and nothing of the host's", () => {
    const environment = processEnvironment({
      runtime: 'python3.12',
      kind: 'python',
      lambda,
      functionEnvironment: { GREETING: 'from the function' },
      command: python,
      runtimeApi: '127.0.0.1:4711',
    });
    expect(environment).toStrictEqual({
      PATH: `/opt/py/bin:${SYSTEM_PATH}`,
      LANG: 'en_US.UTF-8',
      TZ: ':UTC',
      ...lambda,
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:4711',
      LAMBDA_RUNTIME_DIR: '/rt/python',
    });
    for (const key of ['HOME', 'USER', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'NODE_OPTIONS'])
      expect(environment).not.toHaveProperty(key);
  });

  it('lets the function set PATH, LANG and TZ (unreserved on AWS) but not a reserved variable', () => {
    const functionEnvironment = {
      PATH: '/custom/bin',
      TZ: 'Europe/Paris',
      AWS_LAMBDA_RUNTIME_API: 'elsewhere:1',
      _HANDLER: 'other.handler',
    };
    const environment = processEnvironment({
      runtime: 'provided.al2023',
      kind: 'process',
      lambda: { ...functionEnvironment, ...lambda },
      functionEnvironment,
      command: custom,
      runtimeApi: '127.0.0.1:4711',
    });
    expect(environment).toMatchObject({
      PATH: '/custom/bin',
      TZ: 'Europe/Paris',
      AWS_LAMBDA_RUNTIME_API: '127.0.0.1:4711',
      _HANDLER: 'app.handler',
    });
  });

  it('has no AWS_EXECUTION_ENV for an OS-only runtime, and the system PATH without an interpreter folder', () => {
    const environment = processEnvironment({
      runtime: 'provided.al2',
      kind: 'process',
      lambda,
      functionEnvironment: {},
      command: custom,
      runtimeApi: 'a:1',
    });
    expect(environment).not.toHaveProperty('AWS_EXECUTION_ENV');
    expect(environment['PATH']).toBe(SYSTEM_PATH);
  });
});

describe('reportedError', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

  it('takes the type from Lambda-Runtime-Function-Error-Type before the body, and keeps the body as posted', () => {
    const body = bytes('{"errorMessage":"m","errorType":"InBody","stackTrace":["a"]}');
    expect(reportedError(body, 'Runtime.FromHeader')).toStrictEqual({ errorType: 'Runtime.FromHeader', errorMessage: 'm', body });
    expect(reportedError(body, undefined).errorType).toBe('InBody');
  });

  it('builds the body from the header when the runtime sent none, and keeps a body that is not JSON', () => {
    const built = reportedError(new Uint8Array(0), 'Runtime.NoBody');
    expect(new TextDecoder().decode(built.body)).toBe('{"errorMessage":"","errorType":"Runtime.NoBody"}');
    const raw = reportedError(bytes('not json'), undefined);
    expect(raw).toMatchObject({ errorType: 'Unknown', errorMessage: '' });
    expect(new TextDecoder().decode(raw.body)).toBe('not json');
  });
});
