/**
 * A benchmark server in a child process (child_process.fork of a `bench/support/*-server.ts`
 * script), seen from the benchmark: start-up until its ready message, calls answered by id, its
 * events, closing, killing (`child-protocol.ts` has the protocol). Whatever happens to the
 * benchmark, the child does not outlive it: it is SIGKILLed when this process exits, and exits
 * itself when the IPC channel goes away.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type {
  ChildMessage,
  Events,
  Methods,
  NoEvents,
  NoMethods,
  ParamsOf,
  ParentMessage,
  ResultOf,
  StandardMethods,
} from './child-protocol.ts';

const START_MS = 30_000;
const REPLY_MS = 30_000;
const EXIT_MS = 10_000;

export interface ChildServerOptions {
  /** For messages: "the gateway", "the local Lambda". */
  readonly name: string;
  readonly script: string;
  readonly args?: readonly string[];
  readonly execArgv?: readonly string[];
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

function checkLoopback(name: string, address: string): void {
  const url = new URL(address);
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1')
    throw new Error(`${name} listens on ${address}; this benchmark only talks to 127.0.0.1`);
}

type All<M> = M & StandardMethods;

export class ChildServer<M extends Methods<M> = NoMethods, E extends Events<E> = NoEvents> {
  readonly name: string;
  readonly child: ChildProcess;
  /** The main address the ready message announced (an endpoint or a URL), on 127.0.0.1. */
  readonly address: string;
  /** The other addresses it announced, by name. */
  readonly urls: Readonly<Record<string, string>>;
  #nextId = 1;
  readonly #waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  readonly #exited: Promise<void>;

  private constructor(name: string, child: ChildProcess, ready: Extract<ChildMessage, { type: 'ready' }>, exited: Promise<void>) {
    this.name = name;
    this.child = child;
    this.address = ready.url;
    this.urls = ready.urls;
    this.#exited = exited;
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message) || (message.type !== 'reply' && message.type !== 'failed')) return;
      const waiting = this.#waiting.get(message.id);
      this.#waiting.delete(message.id);
      if (message.type === 'reply') waiting?.resolve(message.value);
      else waiting?.reject(new Error(`${name} failed to answer:\n${message.message}`));
    });
    void exited.then(() => {
      for (const waiting of this.#waiting.values()) waiting.reject(new Error(`${name} process exited`));
      this.#waiting.clear();
    });
  }

  static async start<M extends Methods<M> = NoMethods, E extends Events<E> = NoEvents>(
    options: ChildServerOptions,
  ): Promise<ChildServer<M, E>> {
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
    const exited = new Promise<void>((resolve) =>
      child.once('exit', () => {
        process.off('exit', killOnExit);
        resolve();
      }),
    );

    try {
      const ready = await new Promise<Extract<ChildMessage, { type: 'ready' }>>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not start within ${START_MS} ms`)), START_MS);
        child.on('message', (message: unknown) => {
          if (!isChildMessage(message)) return;
          if (message.type === 'fatal') {
            clearTimeout(timer);
            reject(new Error(`${name} failed to start:\n${message.message}`));
          } else if (message.type === 'ready') {
            clearTimeout(timer);
            resolve(message);
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
      for (const address of [ready.url, ...Object.values(ready.urls)]) checkLoopback(name, address);
      return new ChildServer<M, E>(name, child, ready, exited);
    } catch (error) {
      killOnExit();
      throw error;
    }
  }

  /** Calls `method` in the child; resolves with its answer. */
  call<K extends keyof All<M> & string>(method: K, ...params: ParamsOf<All<M>[K]>): Promise<ResultOf<All<M>[K]>> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(id);
        reject(new Error(`${this.name} did not answer a ${method} call within ${REPLY_MS} ms`));
      }, REPLY_MS);
      this.#waiting.set(id, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value as ResultOf<All<M>[K]>);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.child.send({ type: 'call', id, method, params: params[0] } satisfies ParentMessage);
    });
  }

  /** Runs `listener` on each `event` the child sends. */
  on<K extends keyof E & string>(event: K, listener: (data: E[K]) => void): void {
    this.child.on('message', (message: unknown) => {
      if (isChildMessage(message) && message.type === 'event' && message.name === event) listener(message.data as E[K]);
    });
  }

  /** Asks the child to close (so a CPU profile gets written); kills it if it does not exit in time. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ParentMessage);
    const timer = setTimeout(() => this.kill(), EXIT_MS);
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}
