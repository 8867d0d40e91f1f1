/**
 * Setup of the unit tier: a unit test opens no port, starts no worker thread and no process (a
 * fake LambdaInvoker and `gateway.fetch` are its tools). This makes the rule fail loudly instead
 * of being a convention: a test that needs one belongs in a `*.integration.test.ts` file.
 */
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import workerThreads from 'node:worker_threads';

function refuse(what: string): never {
  throw new Error(
    `a unit test ${what}: move it to a *.integration.test.ts file (the unit tier opens no port and starts no worker or process)`,
  );
}

net.Server.prototype.listen = function listen(): never {
  return refuse('opened a port');
};
net.Socket.prototype.connect = function connect(): never {
  return refuse('opened a connection');
};
for (const name of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const) {
  Object.defineProperty(childProcess, name, { value: () => refuse(`started a process (${name})`) });
}
Object.defineProperty(workerThreads, 'Worker', {
  value: class {
    constructor() {
      refuse('started a worker thread');
    }
  },
});
// ESM imports of these built-ins read the patched functions from now on.
syncBuiltinESMExports();
