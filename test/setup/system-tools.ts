/**
 * The programs the test suite needs beyond npm, each from a Debian package, found on PATH: the one
 * place that names them. `ensure-system-tools.ts` (the first step of `npm test`) checks and
 * installs them; the tests that use one take its path from here, so the check and the tests can
 * never disagree about what "installed" means.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';

export interface SystemTool {
  /** What it is, as a message names it. */
  readonly title: string;
  /** The Debian package that brings it. */
  readonly debianPackage: string;
  /** Its path when this machine has it. */
  find(searchPath: string): string | undefined;
  /**
   * When the Debian package can be too old for the suite: what it lacks, and the command that
   * brings a new enough one — said when the package is installed and the tool is still not found.
   */
  readonly beyondDebian?: { readonly why: string; readonly command: string };
}

/** Every executable called `name` on the search path, in PATH order. */
function onPath(name: string, searchPath: string): string[] {
  const found: string[] = [];
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      found.push(candidate);
    } catch {
      // not here
    }
  }
  return found;
}

/** What the program prints, or undefined when it fails to run. */
function output(file: string, args: readonly string[]): string | undefined {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch {
    return undefined;
  }
}

/** Fails (exit 1) unless boto3 imports and its Lambda model has the streaming operation. */
const BOTO3_CHECK =
  "import boto3, botocore.session; botocore.session.get_session().get_service_model('lambda').operation_model('InvokeWithResponseStream')";

const first = (name: string) => (searchPath: string) => onPath(name, searchPath)[0];

export const SYSTEM_TOOLS = {
  redisServer: { title: 'redis-server', debianPackage: 'redis-server', find: first('redis-server') },
  // The tests hold the local Lambda to AWS CLI v2's behaviour; pip's `awscli` is v1 and may come
  // first on PATH (Debian's awscli package is v2).
  awsCli: {
    title: 'the AWS CLI v2',
    debianPackage: 'awscli',
    find: (searchPath) => onPath('aws', searchPath).find((aws) => output(aws, ['--version'])?.startsWith('aws-cli/2.') === true),
  },
  // The first python3 on PATH is often a pyenv or venv one without boto3; Debian's python3-boto3
  // belongs to /usr/bin/python3, so take the first python3 that can import it — and whose botocore
  // knows InvokeWithResponseStream (botocore 1.29.112, April 2023; bookworm's is 1.29.27), which
  // the streaming tests drive.
  boto3: {
    title: 'boto3 (for python3, with InvokeWithResponseStream)',
    debianPackage: 'python3-boto3',
    find: (searchPath) => onPath('python3', searchPath).find((python) => output(python, ['-c', BOTO3_CHECK]) !== undefined),
    beyondDebian: {
      why: 'Debian bookworm’s python3-boto3 (1.26) predates InvokeWithResponseStream',
      command: 'sudo apt-get install -y python3-pip && python3 -m pip install --user --break-system-packages "boto3>=1.28"',
    },
  },
  chromium: { title: 'Chromium', debianPackage: 'chromium', find: first('chromium') },
  // The local Lambda runs Python functions with the first python3 on PATH, as the README says.
  python3: { title: 'python3', debianPackage: 'python3', find: first('python3') },
  // The custom-runtime demo and fixtures are shell bootstraps that speak the Runtime API with curl.
  curl: { title: 'curl', debianPackage: 'curl', find: first('curl') },
  // What building AWS's aws-lambda-ric needs (aws-lambda-ric.ts: npm test builds it once).
  cmake: { title: 'cmake', debianPackage: 'cmake', find: first('cmake') },
  autoconf: { title: 'autoconf', debianPackage: 'autoconf', find: first('autoreconf') },
  automake: { title: 'automake', debianPackage: 'automake', find: first('automake') },
  libtool: { title: 'libtool', debianPackage: 'libtool', find: first('libtoolize') },
  make: { title: 'make', debianPackage: 'make', find: first('make') },
  gxx: { title: 'g++', debianPackage: 'g++', find: first('g++') },
} as const satisfies Record<string, SystemTool>;

export type SystemToolName = keyof typeof SYSTEM_TOOLS;

const found = new Map<SystemToolName, string | undefined>();

/**
 * The path of a tool the suite needs, from this process's PATH. `npm test` installs every tool
 * before any test runs, so a test that finds one missing fails with this message rather than
 * skipping: a skipped test would hide a broken set-up.
 */
export function systemTool(name: SystemToolName): string {
  if (!found.has(name)) found.set(name, SYSTEM_TOOLS[name].find(process.env.PATH ?? ''));
  const file = found.get(name);
  if (file === undefined) {
    const tool = SYSTEM_TOOLS[name];
    throw new Error(
      `${tool.title} is not installed (Debian package ${tool.debianPackage}); \`npm test\` installs it, or run: sudo apt-get install -y ${tool.debianPackage}`,
    );
  }
  return file;
}
