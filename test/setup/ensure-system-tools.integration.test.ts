/**
 * The first step of `npm test` on machine states that lack the system tools: a PATH made for each
 * test holds only a shell and the fakes the case needs, so the real tools on this machine are not
 * found. The fake apt-get records its calls and "installs" by adding fake tools to that PATH.
 */
import { spawnSync } from 'node:child_process';
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

/** The script and the module it imports, copied for each test (see beforeEach). */
const SOURCES = ['ensure-system-tools.ts', 'system-tools.ts'].map((name) => fileURLToPath(new URL(`./${name}`, import.meta.url)));
const INSTALL_COMMAND =
  'sudo apt-get update && sudo apt-get install -y --no-install-recommends redis-server awscli python3-boto3 chromium python3 curl cmake autoconf automake libtool make g++';

let bin: string;

async function executable(name: string, body: string): Promise<void> {
  const file = path.join(bin, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
}

/** A fake apt-get: logs its arguments; `install` puts a working fake of each package on PATH. */
async function fakeAptGet(): Promise<void> {
  await executable(
    'apt-get',
    `echo "$@" >> "${bin}/apt-get.log"
case "$*" in *install*) ;; *) exit 0 ;; esac
for package in "$@"; do
  case "$package" in
    redis-server) printf '#!/bin/sh\\n' > "${bin}/redis-server" ;;
    awscli) printf '#!/bin/sh\\necho aws-cli/2.9.19 Python/3.11.2\\n' > "${bin}/aws" ;;
    python3-boto3) printf '#!/bin/sh\\nexit 0\\n' > "${bin}/python3" ;;
    chromium) printf '#!/bin/sh\\n' > "${bin}/chromium" ;;
    python3) printf '#!/bin/sh\\nexit 0\\n' > "${bin}/python3" ;;
    curl) printf '#!/bin/sh\\n' > "${bin}/curl" ;;
    cmake | automake | make | g++) printf '#!/bin/sh\\n' > "${bin}/$package" ;;
    autoconf) printf '#!/bin/sh\\n' > "${bin}/autoreconf" ;;
    libtool) printf '#!/bin/sh\\n' > "${bin}/libtoolize" ;;
  esac
done
/bin/chmod 755 "${bin}"/redis-server "${bin}"/aws "${bin}"/python3 "${bin}"/chromium "${bin}"/curl "${bin}"/cmake "${bin}"/autoreconf "${bin}"/automake "${bin}"/libtoolize "${bin}"/make "${bin}"/g++ 2>/dev/null
exit 0`,
  );
}

/** The programs that building aws-lambda-ric needs, as present. */
async function buildTools(): Promise<void> {
  for (const name of ['cmake', 'autoreconf', 'automake', 'libtoolize', 'make', 'g++']) await executable(name, '');
}

async function aptLog(): Promise<string[]> {
  try {
    return (await readFile(path.join(bin, 'apt-get.log'), 'utf8')).trim().split('\n');
  } catch {
    return [];
  }
}

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the script with only `bin` on PATH; `unprivileged` runs it as nobody when the suite is root. */
function ensure(options: { unprivileged?: boolean } = {}): Run {
  const command = [process.execPath, path.join(bin, 'ensure-system-tools.ts')];
  if (options.unprivileged === true && process.getuid?.() === 0)
    command.unshift('/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups');
  const [file = '', ...args] = command;
  const result = spawnSync(file, args, { encoding: 'utf8', env: { PATH: bin, HOME: bin }, timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeEach(async () => {
  bin = await mkdtemp(path.join(os.tmpdir(), 'system-tools-'));
  await chmod(bin, 0o777);
  // The unprivileged run (nobody) may not be able to read the checkout (a clone in a folder only
  // root may enter), so the script runs from a copy in this world-readable folder.
  for (const source of SOURCES) await copyFile(source, path.join(bin, path.basename(source)));
  // `command -v apt-get` needs a shell on PATH.
  await executable('sh', 'exec /bin/sh "$@"');
});

afterEach(async () => {
  await rm(bin, { recursive: true, force: true });
});

describe('npm test on a machine without the system tools', () => {
  it('installs every missing package with apt-get (directly as root, else through passwordless sudo), then goes on', async () => {
    await fakeAptGet();
    // Passwordless sudo: runs the command it is given.
    await executable('sudo', 'while [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"');
    const run = ensure();
    expect(run.stderr).toBe(
      'npm test: installing redis-server awscli python3-boto3 chromium python3 curl cmake autoconf automake libtool make g++ (for redis-server, the AWS CLI v2, boto3 (for python3, with InvokeWithResponseStream), Chromium, python3, curl, cmake, autoconf, automake, libtool, make, g++) with apt-get\n',
    );
    expect(run.status).toBe(0);
    expect(await aptLog()).toEqual([
      '-o DPkg::Lock::Timeout=300 update -qq',
      '-o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends redis-server awscli python3-boto3 chromium python3 curl cmake autoconf automake libtool make g++',
    ]);
  });

  it('installs only what is missing, and takes an AWS CLI v1 on PATH as missing', async () => {
    await fakeAptGet();
    await executable('sudo', 'while [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"');
    await executable('redis-server', '');
    await executable('chromium', '');
    await executable('python3', 'exit 0');
    await executable('curl', '');
    await executable('aws', 'echo aws-cli/1.45.11 Python/3.11.7');
    await buildTools();
    const run = ensure();
    expect(run.status).toBe(0);
    // The fake v2 replaces the v1 on this PATH, as Debian's /usr/bin/aws would come first in its own PATH order.
    expect(await aptLog()).toEqual([
      '-o DPkg::Lock::Timeout=300 update -qq',
      '-o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends awscli',
    ]);
  });

  it('stops at once with one message naming the exact command when it may not install', async () => {
    await fakeAptGet();
    const run = ensure({ unprivileged: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(
      `npm test needs redis-server, the AWS CLI v2, boto3 (for python3, with InvokeWithResponseStream), Chromium, python3, curl, cmake, autoconf, automake, libtool, make, g++, which this machine does not have. Install them, then run npm test again:\n  ${INSTALL_COMMAND}\n`,
    );
    expect(await aptLog()).toEqual([]);
  });

  it('names the packages when there is no apt-get', () => {
    const run = ensure();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('there is no apt-get to install them');
    expect(run.stderr).toContain(
      'redis-server, awscli, python3-boto3, chromium, python3, curl, cmake, autoconf, automake, libtool, make, g++',
    );
  });

  it('says what still cannot be found when apt-get succeeded but a tool is not on PATH', async () => {
    await executable('apt-get', 'exit 0');
    await executable('sudo', 'while [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"');
    const run = ensure();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('still cannot be found on PATH');
  });

  it('takes a boto3 without InvokeWithResponseStream as missing, and names the command that brings a newer one', async () => {
    // apt-get "installs" Debian's boto3, which imports but whose botocore lacks the streaming operation.
    await executable('apt-get', `echo "$@" >> "${bin}/apt-get.log"`);
    await executable('sudo', 'while [ "${1#-}" != "$1" ]; do shift; done\nexec "$@"');
    for (const name of ['redis-server', 'chromium', 'curl']) await executable(name, '');
    await executable('aws', 'echo aws-cli/2.9.19');
    await buildTools();
    await executable('python3', 'case "$2" in *InvokeWithResponseStream*) exit 1 ;; *) exit 0 ;; esac');
    const run = ensure();
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm test: installing python3-boto3');
    expect(run.stderr).toContain(
      'npm test: Debian bookworm’s python3-boto3 (1.26) predates InvokeWithResponseStream. Install a newer one, then run npm test again:\n  sudo apt-get install -y python3-pip && python3 -m pip install --user --break-system-packages "boto3>=1.28"\n',
    );
  });

  it('is silent and installs nothing when every tool is there', async () => {
    await fakeAptGet();
    for (const name of ['redis-server', 'chromium']) await executable(name, '');
    await executable('python3', 'exit 0');
    await executable('curl', '');
    await executable('aws', 'echo aws-cli/2.9.19');
    await buildTools();
    const run = ensure();
    expect(run).toEqual({ status: 0, stdout: '', stderr: '' });
    expect(await aptLog()).toEqual([]);
  });
});
