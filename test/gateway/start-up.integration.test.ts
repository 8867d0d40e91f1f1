/**
 * `npm start` (src/cli.ts, spawned): where it listens — flags over PORT over the configuration
 * file over the defaults — a port in use as one line naming it and the flag, and a loopback
 * `--lambda-endpoint` that works with no AWS credentials in the environment and says why.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { environmentWithoutAwsCredentials } from '../helpers/aws-environment.ts';
import { type FixtureLambda, FIXTURE_FUNCTIONS, startFixtureLambda } from '../helpers/local-lambda.ts';

const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** Starts the gateway CLI; resolves with its GraphQL URL and output once it says where it invokes. */
function start(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ url: string; output: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const url = /listening on (http:\/\/\S+\/graphql)/.exec(output)?.[1];
      if (url !== undefined && /Invoking functions through .*\n(?:\s.*\n)?/.test(output)) resolve({ url, output });
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
}

/** Runs the CLI to its end, for start-ups that fail. */
async function failedStart(args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; stderr: string }> {
  // A start-up that unexpectedly succeeds is killed rather than left running after the test.
  const failure = await promisify(execFile)(process.execPath, [CLI, ...args], { env, timeout: 15_000, killSignal: 'SIGKILL' }).then(
    () => ({ code: 0, stderr: '' }),
    (error: unknown) => error as { code: number; stderr: string },
  );
  return { code: failure.code, stderr: failure.stderr };
}

async function invokeEcho(url: string, payload: string, functionName = 'echo'): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation { invokeFunction(input: { functionName: ${JSON.stringify(functionName)}, payload: ${JSON.stringify(payload)} }) { __typename ... on Invocation { payloadJson } ... on Error { message } } }`,
    }),
  });
  return response.json();
}

describe('where npm start listens', () => {
  // Ports held open for the whole block, on 127.0.0.1 and 127.0.0.2: something else is using them.
  const held: Server[] = [];
  let busyPort: number;
  let busyPortOnSecond: number;
  let dir: string;
  const hold = async (host: string): Promise<number> => {
    const server = createServer();
    held.push(server);
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return (server.address() as AddressInfo).port;
  };
  beforeAll(async () => {
    busyPort = await hold('127.0.0.1');
    busyPortOnSecond = await hold('127.0.0.2');
    dir = await mkdtemp(path.join(tmpdir(), 'llgw-start-'));
  });
  afterAll(async () => {
    await Promise.all(held.map((server) => new Promise((resolve) => server.close(resolve))));
    await rm(dir, { recursive: true, force: true });
  });

  it('a port in use is one line naming the port and --port, not a stack trace', async () => {
    const { code, stderr } = await failedStart(['--port', String(busyPort), '--functions', FIXTURE_FUNCTIONS]);
    expect(code).toBe(1);
    expect(stderr).toBe(
      `gateway: port ${busyPort} on 127.0.0.1 is already in use; stop what is using it, or choose another port with --port <n> (0 picks a free one)\n`,
    );
  });

  it('takes port and host from the configuration file; PORT overrides the file, --port overrides PORT', async () => {
    const config = path.join(dir, 'gateway.yaml');
    await writeFile(
      config,
      `port: ${busyPortOnSecond}\nhost: 127.0.0.2\nlambda: { kind: local, functions: ${JSON.stringify(FIXTURE_FUNCTIONS)} }\n`,
    );
    // The file's port is the one tried …
    expect((await failedStart(['--config', config])).stderr).toContain(`gateway: port ${busyPortOnSecond} on 127.0.0.2 is already in use`);
    // … PORT wins over it, and the file's host stays …
    const { url } = await start(['--config', config], { ...process.env, PORT: '0' });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.2:\d+\/graphql$/);
    expect(url).not.toContain(`:${busyPortOnSecond}/`);
    expect(await invokeEcho(url, 'from the file')).toEqual({
      data: { invokeFunction: { __typename: 'Invocation', payloadJson: 'from the file' } },
    });
    // … and --port (and --host) win over PORT.
    expect(
      (await failedStart(['--config', config, '--port', String(busyPort), '--host', '127.0.0.1'], { ...process.env, PORT: '0' })).stderr,
    ).toContain(`gateway: port ${busyPort} on 127.0.0.1 is already in use`);
  });

  it('refuses a bad port in the file, naming the key', async () => {
    const config = path.join(dir, 'bad-port.json');
    await writeFile(config, JSON.stringify({ port: 'eighty' }));
    const { code, stderr } = await failedStart(['--config', config]);
    expect(code).toBe(1);
    expect(stderr).toContain('port: Invalid input: expected number, received string (got "eighty")');
  });
});

describe('npm start -- --lambda-endpoint at a local Lambda on this machine', () => {
  let lambda: FixtureLambda;
  beforeAll(async () => {
    lambda = await startFixtureLambda();
  });
  afterAll(() => lambda.close());

  it('invokes without AWS credentials in the environment, and says it signs with placeholder ones', async () => {
    const { url, output } = await start(['--port', '0', '--lambda-endpoint', lambda.endpoint], environmentWithoutAwsCredentials());
    expect(output).toContain(
      `Invoking functions through the Lambda endpoint ${lambda.endpoint} (region us-east-1),\n  signed with placeholder credentials`,
    );
    expect(output).toContain('lambda.local: false');
    expect(await invokeEcho(url, 'no credentials needed')).toEqual({
      data: { invokeFunction: { __typename: 'Invocation', payloadJson: 'no credentials needed' } },
    });
  });

  it('--lambda-endpoint-local goes only with --lambda-endpoint', async () => {
    const { code, stderr } = await failedStart(['--lambda-endpoint-local']);
    expect(code).toBe(1);
    expect(stderr).toContain('--lambda-endpoint-local goes with --lambda-endpoint <url>');
  });
});

describe('reload on edit under npm start', () => {
  const RELOAD_FIXTURE = fileURLToPath(new URL('../fixtures/functions/reload', import.meta.url));
  let folder: string;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'llgw-start-reload-'));
    await cp(RELOAD_FIXTURE, folder, { recursive: true });
  });
  afterAll(() => rm(folder, { recursive: true, force: true }));

  it('reloads an edited handler in development, and logs what it reloaded', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--functions', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const printed = (pattern: RegExp): Promise<string> =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (match !== null) resolve(match[1] ?? match[0]);
        };
        const append = (chunk: Buffer): void => {
          output += chunk.toString();
          check();
        };
        child.stdout.on('data', append);
        child.stderr.on('data', append);
        child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
        check();
      });
    const url = await printed(/listening on (http:\/\/\S+\/graphql)/);
    await printed(/answer, other, py; reloaded on edit\)/);
    expect(await invokeEcho(url, '{}', 'answer')).toMatchObject({ data: { invokeFunction: { payloadJson: { code: 'v1' } } } });

    const file = path.join(folder, 'answer.ts');
    await writeFile(file, (await readFile(file, 'utf8')).replace("const CODE = 'v1'", "const CODE = 'v2'"));
    await printed(/reloaded functions: answer, other \(code changed\)/);
    expect(await invokeEcho(url, '{}', 'answer')).toMatchObject({ data: { invokeFunction: { payloadJson: { code: 'v2' } } } });
  });

  it('says it does not reload with --no-watch', async () => {
    const { output } = await start(['--port', '0', '--functions', folder, '--no-watch']);
    expect(output).toContain('answer, other, py; not reloaded on edit)');
  });

  it('--no-watch goes only with the built-in local Lambda', async () => {
    const { code, stderr } = await failedStart(['--no-watch', '--aws-region', 'eu-west-1']);
    expect(code).toBe(1);
    expect(stderr).toContain('--no-watch is for the built-in local Lambda (it watches its functions folder)');
  });
});
