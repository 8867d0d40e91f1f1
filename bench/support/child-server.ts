/**
 * A benchmark server in a child process (child_process.fork of a `bench/support/*-server.ts`
 * script), and the IPC requests a benchmark makes to it. The script announces itself with
 * `{ type: 'ready', … }` (or `{ type: 'fatal', message }`), answers requests carrying an `id` with a
 * message carrying the same `id`, and exits on `{ type: 'close' }` or when the IPC channel goes
 * away. Whatever happens to the benchmark, the child does not outlive it.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';

const START_MS = 30_000;
const REPLY_MS = 30_000;
const EXIT_MS = 10_000;

export interface ChildMessage {
  readonly type: string;
  readonly id?: number;
}

export interface ChildServerOptions<Message extends ChildMessage> {
  /** For error messages: "the gateway", "the local Lambda". */
  readonly name: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly execArgv?: readonly string[];
  /**
   * The address(es) the script announced in its ready message (each must be on 127.0.0.1), or
   * undefined for any other message.
   */
  readonly ready: (message: Message) => string | readonly [string, ...string[]] | undefined;
}

/**
 * `--cpu-prof` arguments writing to `dir` (or its subfolder `name`), created now; none when `dir`
 * is undefined.
 */
export function cpuProfArgs(dir: string | undefined, name?: string): string[] {
  if (dir === undefined) return [];
  const target = name === undefined ? dir : path.join(dir, name);
  mkdirSync(target, { recursive: true });
  return ['--cpu-prof', `--cpu-prof-dir=${target}`];
}

function isChildMessage(message: unknown): message is ChildMessage {
  return typeof message === 'object' && message !== null && typeof (message as { type?: unknown }).type === 'string';
}

export class ChildServer<Message extends ChildMessage, Request extends { readonly type: string }> {
  readonly name: string;
  readonly child: ChildProcess;
  /** What the ready message announced (an endpoint or a URL), checked to be on 127.0.0.1. */
  readonly address: string;
  /** Every address the ready message announced, `address` first. */
  readonly addresses: readonly [string, ...string[]];
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (message: Message) => void; reject: (error: Error) => void }>();
  readonly #exited: Promise<void>;

  private constructor(name: string, child: ChildProcess, addresses: readonly [string, ...string[]], exited: Promise<void>) {
    this.name = name;
    this.child = child;
    this.address = addresses[0];
    this.addresses = addresses;
    this.#exited = exited;
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message) || message.id === undefined) return;
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      waiting?.resolve(message as Message);
    });
    void exited.then(() => {
      for (const waiting of this.#waiting.values()) waiting.reject(new Error(`${name} process exited`));
      this.#waiting.clear();
    });
  }

  static async start<Message extends ChildMessage, Request extends { readonly type: string }>(
    options: ChildServerOptions<Message>,
  ): Promise<ChildServer<Message, Request>> {
    const { name } = options;
    const child = fork(options.script, [...(options.args ?? [])], {
      execPath: process.execPath,
      execArgv: [...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const killOnExit = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', killOnExit);
    const exited = new Promise<void>((resolve) => child.once('exit', () => {
      process.off('exit', killOnExit);
      resolve();
    }));

    try {
      const announced = await new Promise<string | readonly [string, ...string[]]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_MS} ms`)), START_MS);
        child.on('message', (message: unknown) => {
          if (!isChildMessage(message)) return;
          if (message.type === 'fatal') {
            clearTimeout(timer);
            reject(new Error(`${name} failed to start:\n${String((message as { message?: unknown }).message)}`));
            return;
          }
          const address = options.ready(message as Message);
          if (address !== undefined) {
            clearTimeout(timer);
            resolve(address);
          }
        });
        child.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`${name} process exited during start-up (code ${child.exitCode}, signal ${child.signalCode})`));
        });
      });
      const addresses = typeof announced === 'string' ? ([announced] as const) : announced;
      for (const address of addresses) {
        const url = new URL(address);
        if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
          throw new Error(`${name} listens on ${address}; this benchmark only talks to 127.0.0.1`);
        }
      }
      return new ChildServer<Message, Request>(name, child, addresses, exited);
    } catch (error) {
      killOnExit();
      throw error;
    }
  }

  /** Sends the request `make(id)` builds and resolves with the child's answer carrying that id. */
  request(make: (id: number) => Request): Promise<Message> {
    const id = this.#nextId++;
    const request = make(id);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name} did not answer a ${request.type} request within ${REPLY_MS} ms`));
      }, REPLY_MS);
      this.#waiting.set(id, {
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send(request);
    });
  }

  /** Sends `closeRequest` (so a CPU profile gets written); kills the child if it does not exit in time. */
  async close(closeRequest: Request): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send(closeRequest);
    const timer = setTimeout(() => this.kill(), EXIT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
