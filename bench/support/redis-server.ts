/**
 * A private redis-server for a benchmark, on a Unix socket in a temporary folder (no TCP port at
 * all, nothing kept on disk). Like `test/helpers/redis.ts`, but it also cleans up synchronously when
 * the benchmark process exits for any reason, so no redis-server outlives it.
 * `REDIS_SERVER` names another binary.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Resource } from '../harness/scope.ts';

const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';
const START_MS = 10_000;
const STOP_MS = 5_000;

/** `close()`: SIGTERM, SIGKILL if it lingers, then the folder removed; `kill()`: SIGKILL and the folder removed, at once. */
export interface BenchRedis extends Resource {
  /** The socket path, usable as a Redis URL by ioredis and by the gateway's `redis.url`. */
  readonly url: string;
  readonly pid: number | undefined;
}

export async function startBenchRedis(): Promise<BenchRedis> {
  const dir = mkdtempSync(path.join(tmpdir(), 'llgw-bench-redis-'));
  const socket = path.join(dir, 'redis.sock');
  const child: ChildProcess = spawn(
    REDIS_SERVER,
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const alive = (): boolean => child.exitCode === null && child.signalCode === null;
  const cleanUp = (): void => {
    if (alive()) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', cleanUp);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  try {
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start within ${START_MS} ms:\n${output}`)), START_MS);
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        // Redis 7.0 says 'ready to accept connections at <socket>', later versions 'Ready to accept connections unix'.
        if (/ready to accept connections/i.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(new Error(`cannot run ${REDIS_SERVER}: ${error.message}`));
      });
      void exited.then(() => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited with ${child.exitCode ?? child.signalCode}:\n${output}`));
      });
    });
  } catch (error) {
    cleanUp();
    process.off('exit', cleanUp);
    throw error;
  }
  // From here on its output is not read; keep the pipes from filling up.
  child.stdout?.resume();
  child.stderr?.resume();

  let stopping: Promise<void> | undefined;
  return {
    url: socket,
    pid: child.pid,
    kill: cleanUp,
    close() {
      stopping ??= (async () => {
        if (alive()) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
          await exited;
          clearTimeout(timer);
        }
        cleanUp();
        process.off('exit', cleanUp);
      })();
      return stopping;
    },
  };
}
