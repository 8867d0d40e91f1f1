/**
 * The npm scripts as a process manager or a container runs them: the signal goes to the `npm`
 * process, and must reach the gateway (and the standalone local Lambda), which then drains and
 * exits, leaving nothing behind. npm runs a script through `sh -c`, which does not pass signals on;
 * the scripts `exec` node so that npm's forwarded signal reaches it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE_FUNCTIONS } from '../helpers/local-lambda.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const children: ChildProcess[] = [];
/** The node processes the scripts started: killed after each test even if npm left them behind. */
const nodes: number[] = [];
let scratch: string | undefined;

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const pid of nodes.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
  scratch = undefined;
});

interface NpmScript {
  readonly npm: ChildProcess;
  /** The URL the script printed as it started listening. */
  readonly url: string;
  /** The pid of the node process npm started (its only child, since the script execs node). */
  readonly nodePid: number;
  readonly output: () => string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm <args>` in the project, resolved once it prints a URL matching `listening`. */
function npmScript(args: readonly string[], listening: RegExp): Promise<NpmScript> {
  const env = { ...process.env };
  delete env.PORT;
  const npm = spawn('npm', [...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(npm);
  let output = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    npm.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      const url = listening.exec(output)?.[1];
      if (url === undefined || npm.pid === undefined) return;
      npm.stdout?.off('data', read);
      npm.stdout?.on('data', (more: Buffer) => (output += more.toString()));
      void readFile(`/proc/${npm.pid}/task/${npm.pid}/children`, 'utf8').then((text) => {
        const [nodePid] = text.trim().split(/\s+/).map(Number);
        if (nodePid === undefined || Number.isNaN(nodePid)) reject(new Error(`npm has no child process:\n${output}`));
        else {
          nodes.push(nodePid);
          resolve({ npm, url, nodePid, output: () => output, exit });
        }
      }, reject);
    };
    npm.stdout?.on('data', read);
    npm.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then(({ code }) => reject(new Error(`npm exited with ${code} before listening:\n${output}`)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function refusesConnections(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

describe('SIGTERM to the npm process', () => {
  it(
    'npm start: the gateway finishes the request under way, stops listening and exits, with no process left',
    { timeout: 60_000 },
    async () => {
      scratch = await mkdtemp(path.join(os.tmpdir(), 'npm-start-'));
      const marker = path.join(scratch, 'started');
      const started = await npmScript(
        ['start', '--', '--port', '0', '--functions', FIXTURE_FUNCTIONS],
        /listening on (http:\/\/\S+\/graphql)/,
      );

      const answer = fetch(started.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query:
            'mutation($input: InvokeFunctionInput!) { invokeFunction(input: $input) { __typename ... on Invocation { payloadJson } } }',
          variables: { input: { functionName: 'announce', payload: { marker, ms: 800 } } },
        }),
      });
      await expect.poll(() => existsSync(marker), { interval: 10 }).toBe(true);
      started.npm.kill('SIGTERM');

      const response = await answer;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { invokeFunction: { __typename: 'Invocation', payloadJson: { sleptMs: 800 } } } });
      expect(await started.exit, started.output()).toEqual({ code: 0, signal: null });
      expect(started.output()).toContain('shutting down');
      expect(alive(started.nodePid)).toBe(false);
      expect(await refusesConnections(started.url)).toBe(true);
    },
  );

  it('npm run local-lambda: stops and exits, with no process left', { timeout: 60_000 }, async () => {
    const started = await npmScript(['run', 'local-lambda', '--', '--port', '0', '--quiet'], /listening on (http:\/\/\S+?) /);
    started.npm.kill('SIGTERM');
    expect(await started.exit, started.output()).toEqual({ code: 0, signal: null });
    expect(started.output()).toContain('SIGTERM: finishing in-flight invocations');
    expect(alive(started.nodePid)).toBe(false);
    expect(await refusesConnections(started.url)).toBe(true);
  });
});
