/**
 * A real Redis server of the test's own, on a Unix socket in a temporary folder (no port to
 * collide with, nothing kept on disk), which a test can kill and restart.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { systemTool } from '../setup/system-tools.ts';

export interface TestRedis {
  /** The socket path, usable as a Redis URL by ioredis. */
  readonly url: string;
  /** Kills the server, as a crash would. */
  crash(): Promise<void>;
  /** Starts a fresh, empty server on the same socket after a crash. */
  start(): Promise<void>;
  /** `crash()` then `start()`. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

function launch(socket: string, dir: string): Promise<ChildProcess> {
  const child = spawn(
    systemTool('redisServer'),
    ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no', '--dir', dir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Redis 7.0 says 'ready to accept connections at <socket>', later versions 'Ready to accept connections unix'.
      if (/ready to accept connections/i.test(output)) resolve(child);
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'llgw-redis-'));
  const socket = path.join(dir, 'redis.sock');
  let child = await launch(socket, dir);
  const crash = async (): Promise<void> => {
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    await rm(socket, { force: true });
  };
  const start = async (): Promise<void> => {
    child = await launch(socket, dir);
  };
  return {
    url: socket,
    crash,
    start,
    async restart() {
      await crash();
      await start();
    },
    async stop() {
      const gone = exited(child);
      child.kill('SIGTERM');
      await gone;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
