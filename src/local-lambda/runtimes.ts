/**
 * Lambda's runtimes as the local Lambda runs them: which identifiers it accepts, how each runs
 * (Node in a worker thread; Python and custom runtimes as a process speaking the Runtime API), the
 * command that starts a process runtime, and the environment that process gets.
 *
 * Pure apart from finding `python3` on the host's PATH (once, when a Python environment starts).
 */
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The runtime of a definition without `runtime`: the Node.js the local Lambda itself runs on. */
export const DEFAULT_RUNTIME = 'nodejs24.x';

export const RUNTIME_RULE =
  "must be one of AWS's runtime identifiers: nodejs<N>.x (e.g. nodejs24.x), python3.<N> (e.g. python3.12), provided.al2023 or provided.al2";

/** `node` runs in a worker thread; `python` and `process` (a custom runtime's `bootstrap`) run as processes. */
export type RuntimeKind = 'node' | 'python' | 'process';

export function runtimeKind(runtime: string): RuntimeKind | undefined {
  if (/^nodejs\d+\.x$/.test(runtime)) return 'node';
  if (/^python3\.\d+$/.test(runtime)) return 'python';
  if (runtime === 'provided.al2023' || runtime === 'provided.al2') return 'process';
  return undefined;
}

/** The folder of the runtimes the project ships (`LAMBDA_RUNTIME_DIR` of a Python function). */
const PYTHON_RUNTIME_DIR = fileURLToPath(new URL('./runtimes/python', import.meta.url));
export const PYTHON_BOOTSTRAP = path.join(PYTHON_RUNTIME_DIR, 'bootstrap.py');
/** Where Python looks for bytecode instead of `__pycache__`: never created (see processCommand). */
const NO_BYTECODE = path.join(PYTHON_RUNTIME_DIR, 'no-bytecode');

/**
 * The directories of PATH on AWS that exist on any Linux host (AWS adds `/opt/bin` for layers and
 * puts `/var/lang/bin`, where a managed runtime's interpreter lives, first). The host's own PATH
 * is never passed on: a function that found `node_modules/.bin`, `~/.local/bin` or an activated
 * virtualenv here would fail on AWS.
 */
export const SYSTEM_PATH = '/usr/local/bin:/usr/bin:/bin';

/** How to start a process runtime. */
export interface ProcessCommand {
  readonly file: string;
  readonly args: readonly string[];
  /** `LAMBDA_RUNTIME_DIR`. */
  readonly runtimeDir: string;
  /** First on the process's PATH, as `/var/lang/bin` is on AWS: the interpreter's own folder. */
  readonly pathPrefix: string | undefined;
}

/**
 * The command for a process runtime: Python runs the project's bootstrap with the first `python3`
 * on the host's PATH; a custom runtime runs the `bootstrap` in its code directory, as AWS does.
 * Undefined when `python3` cannot be found (the environment's init then fails naming it).
 */
export function processCommand(kind: 'python' | 'process', taskRoot: string, hostPath: string): ProcessCommand | undefined {
  if (kind === 'process') return { file: path.join(taskRoot, 'bootstrap'), args: [], runtimeDir: taskRoot, pathPrefix: undefined };
  const python = findExecutable('python3', hostPath);
  if (python === undefined) return undefined;
  // -u: unbuffered output, so what a handler prints is in the log before its response is posted.
  // -B and a bytecode folder that never exists: modules are always compiled from their source.
  // Python trusts a `__pycache__` file whose recorded mtime (in whole seconds) and size match the
  // source, so an edit within the same second that keeps the size — v1 → v2 — would run the old
  // bytecode after a reload. (On AWS the code is read-only: nothing is written there either.)
  const args = ['-u', '-B', '-X', `pycache_prefix=${NO_BYTECODE}`, PYTHON_BOOTSTRAP];
  return { file: python, args, runtimeDir: PYTHON_RUNTIME_DIR, pathPrefix: path.dirname(python) };
}

const pythonByPath = new Map<string, string | undefined>();

/** The first executable `name` on `searchPath`; remembered per search path. */
function findExecutable(name: string, searchPath: string): string | undefined {
  const key = `${name}\0${searchPath}`;
  if (pythonByPath.has(key)) return pythonByPath.get(key);
  let found: string | undefined;
  for (const directory of searchPath.split(path.delimiter)) {
    if (directory === '') continue;
    const candidate = path.join(directory, name);
    try {
      accessSync(candidate, constants.X_OK);
      found = candidate;
      break;
    } catch {
      // not here
    }
  }
  pythonByPath.set(key, found);
  return found;
}

export interface ProcessEnvironmentInput {
  readonly runtime: string;
  readonly kind: 'python' | 'process';
  /** Lambda's reserved variables and the function's own, as the worker path builds them. */
  readonly lambda: Readonly<Record<string, string>>;
  /** The function's own `environment` (may set PATH, LANG, TZ — unreserved on AWS too). */
  readonly functionEnvironment: Readonly<Record<string, string>>;
  readonly command: ProcessCommand;
  /** `host:port` of the environment's Runtime API. */
  readonly runtimeApi: string;
}

/**
 * The complete environment of a runtime process: defaults AWS sets (PATH, LANG, TZ), the
 * function's own variables over them, Lambda's reserved variables over those — and nothing of the
 * host's (HOME, its AWS credentials, its PATH).
 */
export function processEnvironment(input: ProcessEnvironmentInput): Record<string, string> {
  const { lambda, command } = input;
  const reserved: Record<string, string> = {
    ...lambda,
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
    LAMBDA_RUNTIME_DIR: command.runtimeDir,
  };
  // AWS sets AWS_EXECUTION_ENV for its managed runtimes only; an OS-only runtime has none.
  if (input.kind === 'python') reserved['AWS_EXECUTION_ENV'] = `AWS_Lambda_${input.runtime}`;
  else delete reserved['AWS_EXECUTION_ENV'];
  return {
    PATH: command.pathPrefix === undefined ? SYSTEM_PATH : `${command.pathPrefix}:${SYSTEM_PATH}`,
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    ...input.functionEnvironment,
    ...reserved,
  };
}
