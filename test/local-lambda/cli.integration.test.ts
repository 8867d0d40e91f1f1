/**
 * `npm run local-lambda`: starts, prints its endpoint and functions, serves the SDK, stops cleanly
 * on SIGTERM, and refuses bad flags and bad definitions with a message naming what is wrong.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterEach, describe, expect, it } from 'vitest';
import { EXAMPLE_FUNCTIONS, FIXTURE_FUNCTIONS, json, lambdaClient, payloadOf } from '../helpers/local-lambda.ts';

const CLI = fileURLToPath(new URL('../../src/local-lambda/cli.ts', import.meta.url));
const run = promisify(execFile);
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the CLI and resolves once it prints its endpoint, with everything printed so far. */
function start(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ child: ChildProcess; endpoint: string; output: () => string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match?.[1] !== undefined && output.includes('Try it:')) resolve({ child, endpoint: match[1], output: () => output });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('local-lambda CLI', () => {
  it('lists the demo functions, serves the SDK, prints function logs and stops on SIGTERM', async () => {
    const { child, endpoint, output } = await start(['--port', '0', '--functions', EXAMPLE_FUNCTIONS]);
    expect(output()).toMatch(/echo\s+versions 1, 2\s+aliases live→1/);
    expect(output()).toMatch(/throttled\s+reserved concurrency 0/);
    for (const name of ['fail', 'sleep', 'logs']) expect(output()).toContain(`  ${name} `);

    const client = lambdaClient(endpoint);
    const result = await client.send(new InvokeCommand({ FunctionName: 'logs', Payload: payloadOf({ lines: 1 }) }));
    expect(json(result.Payload)).toEqual({ printed: 1 });
    client.destroy();
    await expect.poll(output, { interval: 10 }).toMatch(/\[logs\] \S+\t[0-9a-f-]{36}\tINFO\tline 1 of 1/);

    const exited = exitOf(child);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('reloads an edited handler, printing what it reloaded; --no-watch does not watch', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llgw-cli-reload-'));
    try {
      await cp(fileURLToPath(new URL('../fixtures/functions/reload', import.meta.url)), dir, { recursive: true });
      const unwatched = await start(['--port', '0', '--functions', dir, '--no-watch']);
      expect(unwatched.output()).toContain('Not reloading on edit (--no-watch)');
      unwatched.child.kill('SIGKILL');

      const { endpoint, output } = await start(['--port', '0', '--functions', dir]);
      expect(output()).toContain(`Reloading on edit: changes under ${dir} take effect at the next invocation`);
      const client = lambdaClient(endpoint);
      const answer = async (): Promise<unknown> => json((await client.send(new InvokeCommand({ FunctionName: 'answer' }))).Payload);
      expect(await answer()).toEqual({ code: 'v1', helper: 'h1' });
      const file = path.join(dir, 'answer.ts');
      await writeFile(file, (await readFile(file, 'utf8')).replace("const CODE = 'v1'", "const CODE = 'v2'"));
      await expect.poll(output, { interval: 10, timeout: 10_000 }).toContain('reloaded functions: answer, other (code changed)');
      expect(await answer()).toEqual({ code: 'v2', helper: 'h1' });
      client.destroy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('takes the port from PORT', async () => {
    const { endpoint } = await start(['--functions', FIXTURE_FUNCTIONS, '--quiet'], { PORT: '0' });
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('documents its flags with --help', async () => {
    const { stdout } = await run(process.execPath, [CLI, '--help']);
    for (const flag of [
      '--port',
      '--host',
      '--functions',
      '--region',
      '--retry-delays',
      '--destination-url',
      '--destination-secret',
      '--no-watch',
      '--quiet',
    ])
      expect(stdout).toContain(flag);
    for (const variable of ['$DESTINATION_URL', '$DESTINATION_SECRET']) expect(stdout).toContain(variable);
  });

  it('refuses a bad port with the value it got', async () => {
    const failure = await run(process.execPath, [CLI, '--port', 'eighty']).catch((e: unknown) => e as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("--port must be an integer from 0 to 65535, got 'eighty'");
  });

  it('refuses a destination URL that is not http(s), from the flag or from DESTINATION_URL', async () => {
    for (const [args, env] of [
      [['--destination-url', 'localhost:4000'], {}],
      [[], { DESTINATION_URL: 'ftp://example.test/records' }],
    ] as const) {
      const failure = (await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env } }).catch((e: unknown) => e)) as {
        code: number;
        stderr: string;
      };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toContain('--destination-url must be an http(s) URL such as http://127.0.0.1:4000/lambda-destinations');
    }
  });

  it('stops at start-up on a bad definition, naming the file, the function and the field', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'llgw-cli-'));
    try {
      await writeFile(path.join(dir, 'functions.json'), JSON.stringify({ functions: { slow: { handler: 'slow.handler', timeout: 901 } } }));
      await writeFile(path.join(dir, 'slow.ts'), 'export const handler = async () => null;\n');
      const failure = (await run(process.execPath, [CLI, '--functions', dir]).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(failure.code).toBe(1);
      expect(failure.stderr).toContain(path.join(dir, 'functions.json'));
      expect(failure.stderr).toContain("function 'slow', field 'timeout'");
      expect(failure.stderr).toContain('900');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
