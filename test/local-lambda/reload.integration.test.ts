/**
 * Reload on edit: a local Lambda watching a temporary copy of test/fixtures/functions/reload,
 * invoked through the real `@aws-sdk/client-lambda`. Every test edits files and waits for the
 * local Lambda's reload event (`onReload`), never for a fixed time; a handler is held in flight
 * by a "gate" — an HTTP server of the test that answers when the test says so.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetFunctionConfigurationCommand, InvokeCommand, type LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Logger, LocalLambdaOptions } from '../../src/local-lambda/config.ts';
import type { ReloadEvent } from '../../src/local-lambda/function-reloader.ts';
import { type RunningLocalLambda, startLocalLambda } from '../../src/local-lambda/server.ts';
import { json, lambdaClient, payloadOf } from '../helpers/local-lambda.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/functions/reload', import.meta.url));

interface Watched {
  readonly folder: string;
  readonly running: RunningLocalLambda;
  readonly client: LambdaClient;
  readonly logged: { level: 'info' | 'warn' | 'error'; message: string }[];
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function copyOfFixture(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'reload-'));
  cpSync(FIXTURE, folder, { recursive: true });
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

async function start(folder: string, options: Partial<LocalLambdaOptions> = { watch: true }): Promise<Watched> {
  const logged: Watched['logged'] = [];
  const logger: Logger = {
    info: (_object, message) => logged.push({ level: 'info', message }),
    warn: (_object, message) => logged.push({ level: 'warn', message }),
    error: (_object, message) => logged.push({ level: 'error', message }),
  };
  const running = await startLocalLambda({ functions: folder, logger, ...options });
  const client = lambdaClient(running.endpoint);
  cleanups.push(async () => {
    client.destroy();
    await running.close(100);
  });
  return { folder, running, client, logged };
}

/** Runs `edit`, then resolves with the reload event it causes (listening before the edit, so none is missed). */
async function reloadAfter(on: Watched, edit: () => void): Promise<ReloadEvent> {
  const reloaded = new Promise<ReloadEvent>((resolve) => {
    const stop = on.running.lambda.onReload((event) => {
      stop();
      resolve(event);
    });
  });
  edit();
  return reloaded;
}

function rewrite(folder: string, file: string, from: string, to: string): void {
  const at = path.join(folder, file);
  const source = readFileSync(at, 'utf8');
  if (!source.includes(from)) throw new Error(`${file} does not contain ${from}`);
  writeFileSync(at, source.replace(from, to));
}

async function invoke(on: Watched, functionName: string, event: unknown = {}, qualifier?: string): Promise<unknown> {
  const output = await on.client.send(new InvokeCommand({ FunctionName: functionName, Qualifier: qualifier, Payload: payloadOf(event) }));
  expect(output.FunctionError, output.Payload && Buffer.from(output.Payload).toString('utf8')).toBeUndefined();
  return json(output.Payload);
}

/** An HTTP server whose answers the test releases: handlers `fetch` it to stay in flight. */
interface Gate {
  readonly url: string;
  /** Resolves once `count` requests are being held. */
  arrivals(count: number): Promise<void>;
  /** Answers every held request, and from now on every new one at once. */
  open(): void;
}

async function gate(): Promise<Gate> {
  const held: ServerResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let opened = false;
  const server = createServer((_request, response) => {
    if (opened) {
      response.end('go');
      return;
    }
    held.push(response);
    for (const waiter of waiters.filter((w) => held.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    arrivals: (count) => (held.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    open() {
      opened = true;
      for (const response of held.splice(0)) response.end('go');
    },
  };
}

describe('code edits', () => {
  it('an edited handler answers with the new code on the next call, and says so in the log', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });

    const event = await reloadAfter(on, () => rewrite(on.folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v2'"));
    // Every function of the folder: the rule does not follow imports (definition-changes.ts says why).
    expect(event.functions).toEqual(
      expect.arrayContaining([
        { name: 'answer', change: 'code changed' },
        { name: 'other', change: 'code changed' },
      ]),
    );
    expect(await invoke(on, 'answer')).toEqual({ code: 'v2', helper: 'h1' });
    expect(on.logged).toContainEqual({ level: 'info', message: 'reloaded functions: answer, other (code changed)' });
  });

  it('the catalog describes the new code: CodeSha256 and LastModified move for the functions reloaded', async () => {
    const on = await start(copyOfFixture());
    const configuration = (name: string) => on.client.send(new GetFunctionConfigurationCommand({ FunctionName: name }));
    const before = await configuration('answer');
    await reloadAfter(on, () => rewrite(on.folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v22'"));
    const after = await configuration('answer');
    expect(after.CodeSha256).not.toBe(before.CodeSha256);
    expect(after.CodeSize).toBe((before.CodeSize ?? 0) + 1);
    expect(Date.parse((after.LastModified ?? '').replace('+0000', 'Z'))).toBeGreaterThan(
      Date.parse((before.LastModified ?? '').replace('+0000', 'Z')),
    );
  });

  it('a save by rename over the file (as many editors save) reloads too', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
    await reloadAfter(on, () => {
      const file = path.join(on.folder, 'answer.ts');
      writeFileSync(`${file}.saving`, readFileSync(file, 'utf8').replace("const CODE = 'v1'", "const CODE = 'v3'"));
      renameSync(`${file}.saving`, file);
    });
    expect(await invoke(on, 'answer')).toEqual({ code: 'v3', helper: 'h1' });
  });

  it('an edited helper file that the handler imports is read again', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
    await reloadAfter(on, () => rewrite(on.folder, 'lib/helper.ts', "'h1'", "'h2'"));
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h2' });
  });

  it('$LATEST gets the new code; a published version keeps running the file it names', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
    expect(await invoke(on, 'answer', {}, 'live')).toEqual({ code: 'version 1' });
    await reloadAfter(on, () => rewrite(on.folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v2'"));
    expect(await invoke(on, 'answer', {}, 'live')).toEqual({ code: 'version 1' });
    expect(await invoke(on, 'answer', {}, '1')).toEqual({ code: 'version 1' });
    expect(await invoke(on, 'answer')).toEqual({ code: 'v2', helper: 'h1' });
  });

  it('ignores files in node_modules and dotfiles: no reload, warm environments kept', async () => {
    const on = await start(copyOfFixture());
    await invoke(on, 'answer');
    // The ignored changes, then one that counts and retires nothing of `answer`: the one reload
    // event lists only that one.
    const event = await reloadAfter(on, () => {
      writeFileSync(path.join(on.folder, '.answer.ts.swp'), 'editor state');
      cpSync(path.join(on.folder, 'lib'), path.join(on.folder, 'node_modules', 'dep'), { recursive: true });
      writeFileSync(path.join(on.folder, 'node_modules', 'dep', 'helper.ts'), "export const helper = 'h9';");
      const file = path.join(on.folder, 'functions.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace('"other.handler"', '"other.handler", "description": "edited"'));
    });
    expect(event.functions).toEqual([{ name: 'other', change: 'definitions changed' }]);
    expect(on.running.lambda.stats().environments).toBe(1);
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
  });
});

describe('a Python function', () => {
  it('reloads when its module is edited, never running bytecode cached for the old source', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'py')).toEqual({ code: 'v1', calls: 1 });
    expect(await invoke(on, 'py')).toEqual({ code: 'v1', calls: 2 });
    // The local Lambda's Python writes no bytecode; a __pycache__ left by the developer's own runs
    // (made here, for v1) matches an edit of the same size within the same second, which Python
    // alone would take for up to date. Writing it is no reload either (definition-changes.ts).
    const compiled = spawnSync('python3', ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], doraise=True)', 'py/app.py'], {
      cwd: on.folder,
    });
    expect(compiled.status).toBe(0);
    expect(existsSync(path.join(on.folder, 'py', '__pycache__'))).toBe(true);

    // The edit keeps the size; its mtime is set back to the source's, as an edit within the same
    // second as the compile would leave it.
    const source = path.join(on.folder, 'py', 'app.py');
    const { atime, mtime } = statSync(source);
    const event = await reloadAfter(on, () => {
      rewrite(on.folder, 'py/app.py', 'CODE = "v1"', 'CODE = "v2"');
      utimesSync(source, atime, mtime);
    });
    expect(event.functions).toContainEqual({ name: 'py', change: 'code changed' });
    // A new process (its module state starts again) on the new source.
    expect(await invoke(on, 'py')).toEqual({ code: 'v2', calls: 1 });
  });
});

describe('concurrent and in-flight invocations', () => {
  it('invocations started after the reload signal never run the old code, while calls keep coming', async () => {
    const on = await start(copyOfFixture());
    // Four warm environments on the old code first: held at the gate together, then released.
    const held = await gate();
    const warming = Array.from({ length: 4 }, () => invoke(on, 'answer', { gate: held.url }));
    await held.arrivals(4);
    held.open();
    expect(await Promise.all(warming)).toEqual(Array.from({ length: 4 }, () => ({ code: 'v1', helper: 'h1' })));

    let signalled = false;
    on.running.lambda.onReload(() => {
      signalled = true;
    });
    const results: { afterSignal: boolean; code: unknown }[] = [];
    let stop = false;
    const callers = Array.from({ length: 4 }, async () => {
      while (!stop) {
        const afterSignal = signalled;
        const result = (await invoke(on, 'answer')) as { code: unknown };
        results.push({ afterSignal, code: result.code });
      }
    });
    await vi.waitFor(() => expect(results.length).toBeGreaterThanOrEqual(8), { timeout: 10_000 });
    await reloadAfter(on, () => rewrite(on.folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v2'"));
    await vi.waitFor(() => expect(results.filter((r) => r.afterSignal).length).toBeGreaterThanOrEqual(40), { timeout: 20_000 });
    stop = true;
    await Promise.all(callers);

    const after = results.filter((r) => r.afterSignal).map((r) => r.code);
    expect(new Set(after)).toEqual(new Set(['v2']));
    expect(results.filter((r) => !r.afterSignal).map((r) => r.code)).toContain('v1');
  });

  it('an invocation in flight finishes on the old code; its environment is then shut down, not reused', async () => {
    const on = await start(copyOfFixture());
    const held = await gate();
    const inFlight = invoke(on, 'answer', { gate: held.url });
    await held.arrivals(1);

    await reloadAfter(on, () => rewrite(on.folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v2'"));
    // A call started now gets a new environment (the old one is busy, and stale).
    expect(await invoke(on, 'answer')).toEqual({ code: 'v2', helper: 'h1' });
    expect(on.running.lambda.stats().environments).toBe(2);

    held.open();
    expect(await inFlight).toEqual({ code: 'v1', helper: 'h1' });
    expect(on.running.lambda.stats().environments).toBe(1);
    // Only the new environment is left to serve: every call now is on the new code.
    const next = await Promise.all(Array.from({ length: 3 }, () => invoke(on, 'answer')));
    expect(next).toEqual(Array.from({ length: 3 }, () => ({ code: 'v2', helper: 'h1' })));
  });
});

describe('definitions edits', () => {
  function editDefinitions(folder: string, change: (functions: Record<string, unknown>) => void): void {
    const file = path.join(folder, 'functions.json');
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { functions: Record<string, unknown> };
    change(parsed.functions);
    writeFileSync(file, JSON.stringify(parsed, null, 2));
  }

  it('a function added to functions.json becomes invocable; a removed one is not found for new calls', async () => {
    const on = await start(copyOfFixture());
    expect(await invoke(on, 'other')).toEqual({ other: true });
    const event = await reloadAfter(on, () =>
      editDefinitions(on.folder, (functions) => {
        functions.added = { handler: 'answer.handler', environment: { NEW: '1' } };
        delete functions.other;
      }),
    );
    expect(event.error).toBeUndefined();
    expect(event.functions).toEqual([
      { name: 'added', change: 'added' },
      { name: 'other', change: 'removed' },
    ]);
    expect(await invoke(on, 'added')).toEqual({ code: 'v1', helper: 'h1' });
    const removed = on.client.send(new InvokeCommand({ FunctionName: 'other' }));
    await expect(removed).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(removed).rejects.toThrow('Function not found: arn:aws:lambda:us-east-1:123456789012:function:other:$LATEST');
    expect(on.logged).toContainEqual({ level: 'info', message: 'reloaded functions: added (added); other (removed)' });
  });

  it('a changed definition retires only that function: the new settings apply at once', async () => {
    const on = await start(copyOfFixture());
    await invoke(on, 'answer');
    await invoke(on, 'other');
    const event = await reloadAfter(on, () =>
      editDefinitions(on.folder, (functions) => {
        functions.answer = { handler: 'other.handler' };
      }),
    );
    expect(event.functions).toEqual([{ name: 'answer', change: 'definitions changed' }]);
    expect(await invoke(on, 'answer')).toEqual({ other: true });
    // The alias went with the old definition.
    await expect(on.client.send(new InvokeCommand({ FunctionName: 'answer', Qualifier: 'live' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('a definitions file that no longer validates keeps the last good set and reports file, function and field', async () => {
    const on = await start(copyOfFixture());
    const file = path.join(on.folder, 'functions.json');
    const event = await reloadAfter(on, () =>
      editDefinitions(on.folder, (functions) => {
        functions.answer = { handler: 'answer.handler', timeout: 901 };
        delete functions.other;
      }),
    );
    expect(event.functions).toEqual([]);
    expect(event.error?.message).toContain(`${file}: invalid function definitions`);
    expect(event.error?.message).toContain("function 'answer', field 'timeout': Too big: expected number to be <=900 (got 901)");
    expect(on.logged).toContainEqual({
      level: 'error',
      message: `${event.error?.message ?? ''}\nstill serving the last valid definitions`,
    });
    // The old set, whole: `other` is still there and `answer` keeps its version and alias.
    expect(await invoke(on, 'other')).toEqual({ other: true });
    expect(await invoke(on, 'answer', {}, 'live')).toEqual({ code: 'version 1' });

    // Fixed, it loads.
    const fixed = await reloadAfter(on, () => {
      writeFileSync(file, readFileSync(path.join(FIXTURE, 'functions.json')));
      editDefinitions(on.folder, (functions) => void delete functions.other);
    });
    expect(fixed).toEqual({ functions: [{ name: 'other', change: 'removed' }] });
  });

  it('a definitions file that is not JSON (half written) is refused the same way', async () => {
    const on = await start(copyOfFixture());
    const event = await reloadAfter(on, () => writeFileSync(path.join(on.folder, 'functions.json'), '{ "functions": { "ans'));
    expect(event.error?.message).toMatch(/functions\.json: not valid JSON/);
    expect(await invoke(on, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
  });
});

describe('watch: false', () => {
  it('ignores edits: warm environments keep the code they loaded', async () => {
    const folder = copyOfFixture();
    const unwatched = await start(folder, { watch: false });
    // A second local Lambda on the same folder, watching: its reload event says when the edit
    // has been seen, so the unwatched one is asked after that.
    const watching = await start(folder);
    let unwatchedReloads = 0;
    unwatched.running.lambda.onReload(() => (unwatchedReloads += 1));
    expect(await invoke(unwatched, 'answer')).toEqual({ code: 'v1', helper: 'h1' });

    await reloadAfter(watching, () => rewrite(folder, 'answer.ts', "const CODE = 'v1'", "const CODE = 'v2'"));
    expect(await invoke(watching, 'answer')).toEqual({ code: 'v2', helper: 'h1' });
    expect(await invoke(unwatched, 'answer')).toEqual({ code: 'v1', helper: 'h1' });
    expect(unwatchedReloads).toBe(0);
  });
});
