/**
 * The first step of `npm test`: makes sure the programs the suite needs beyond npm are here
 * (see system-tools.ts), so the README's `npm install && npm test` passes on a fresh Debian
 * machine as written. Missing ones are installed with apt-get when this user may (root, or sudo
 * without a password); otherwise it stops at once with the one command to run. Silent when
 * everything is present. (The next step, aws-lambda-ric.ts, builds AWS's Runtime API client with
 * some of them.)
 */
import { spawnSync } from 'node:child_process';
import { SYSTEM_TOOLS, type SystemTool } from './system-tools.ts';

const searchPath = process.env.PATH ?? '';
const missing = (): SystemTool[] => Object.values(SYSTEM_TOOLS).filter((tool) => tool.find(searchPath) === undefined);

function stop(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

/** Runs an installer step; its output (hundreds of dpkg lines) is shown only when it fails. */
function run(command: readonly string[]): boolean {
  const [file = '', ...args] = command;
  const result = spawnSync(file, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (result.status === 0) return true;
  process.stderr.write(`${result.stdout}${result.stderr}${result.error === undefined ? '' : String(result.error)}\n`);
  return false;
}

const absent = missing();
if (absent.length > 0) {
  const packages = absent.map((tool) => tool.debianPackage);
  const titles = absent.map((tool) => tool.title).join(', ');
  // Wait for another apt process (unattended upgrades, a parallel set-up) instead of failing on its lock.
  const install = ['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '-qq', '--no-install-recommends', ...packages];
  const update = ['apt-get', '-o', 'DPkg::Lock::Timeout=300', 'update', '-qq'];
  const manual = `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${packages.join(' ')}`;

  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  if (!hasAptGet) {
    stop(
      `npm test needs ${titles}, which this machine does not have, and there is no apt-get to install them.\nInstall the Debian packages ${packages.join(', ')} or your system's equivalents, then run npm test again.`,
    );
  }
  const asRoot = process.getuid?.() === 0;
  const prefix = asRoot ? [] : spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0 ? ['sudo', '-n', '-E'] : undefined;
  if (prefix === undefined) {
    stop(`npm test needs ${titles}, which this machine does not have. Install them, then run npm test again:\n  ${manual}`);
  }
  process.stderr.write(`npm test: installing ${packages.join(' ')} (for ${titles}) with apt-get\n`);
  if (!run([...prefix, ...update]) || !run([...prefix, ...install])) {
    stop(
      `npm test: apt-get could not install ${packages.join(' ')} (its output is above). Install them, then run npm test again:\n  ${manual}`,
    );
  }
  const still = missing();
  if (still.length > 0) {
    const beyond = still.flatMap((tool) => (tool.beyondDebian === undefined ? [] : [tool.beyondDebian]));
    if (beyond.length === still.length) {
      // Installed, but too old: only another source brings what the tests need.
      stop(
        `npm test: ${beyond.map((b) => b.why).join('; ')}. Install a newer one, then run npm test again:\n  ${beyond.map((b) => b.command).join(' && ')}`,
      );
    }
    stop(`npm test: after installing, ${still.map((tool) => tool.title).join(', ')} still cannot be found on PATH (${searchPath}).`);
  }
}
