/**
 * The project's command lines as child processes (`npm start`'s src/cli.ts, `npm run
 * local-lambda`'s src/local-lambda/cli.ts), run with the same Node as the tests, with an
 * environment of the test's choosing rather than the developer's.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const GATEWAY_CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
export const LOCAL_LAMBDA_CLI = fileURLToPath(new URL('../../src/local-lambda/cli.ts', import.meta.url));

/** Variables the CLIs read, removed so that the developer's shell cannot change a test. */
const CLI_VARIABLES = ['PORT', 'REDIS_URL', 'DESTINATION_SECRET', 'DESTINATION_URL', 'GATEWAY_MODE'];

export interface CliProcess {
  readonly child: ChildProcess;
  /** Everything printed so far, stdout and stderr. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output, now or later. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

export function startCli(script: string, args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const base = { ...process.env };
  for (const name of CLI_VARIABLES) delete base[name];
  const child = spawn(process.execPath, [script, ...args], { env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer): void => {
    output += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    output: () => output,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (match === null) return;
          waiters.delete(check);
          resolve(match);
        };
        waiters.add(check);
        check();
        void exited.then(() => {
          if (waiters.delete(check)) reject(new Error(`exited before printing ${String(pattern)}:\n${output}`));
        });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
