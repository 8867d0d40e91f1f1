/**
 * The AWS CLI v2 and boto3 as child processes against a local Lambda: fixed placeholder
 * credentials and region, one attempt, no pager, a throw-away HOME, and nothing of the host's
 * AWS_* settings, proxies or python paths.
 */
import { execFile as execFileCallback } from 'node:child_process';
import { promisify } from 'node:util';

const execFile = promisify(execFileCallback);

/** One client process may take a while to start on a loaded CI machine. */
export const CHILD_TIMEOUT_MS = 45_000;

export interface ChildResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The child's environment, with `home` as HOME (the CLI writes its cache there). */
export function clientEnvironment(home: string): NodeJS.ProcessEnv {
  const environment: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // No AWS_* from the host (AWS_PROFILE, CA bundles…), no proxy for 127.0.0.1, no foreign python path.
    if (key.startsWith('AWS_') || /^(?:https?|all|no)_proxy$/i.test(key) || key === 'PYTHONPATH' || key === 'PYTHONHOME') continue;
    environment[key] = value;
  }
  return {
    ...environment,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_MAX_ATTEMPTS: '1',
    AWS_PAGER: '',
    HOME: home,
  };
}

/** Runs a client to completion; a non-zero exit is a result, a spawn failure or timeout an error. */
export async function runClient(file: string, args: readonly string[], home: string): Promise<ChildResult> {
  try {
    const { stdout, stderr } = await execFile(file, args, { env: clientEnvironment(home), timeout: CHILD_TIMEOUT_MS, encoding: 'utf8' });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string; killed?: boolean };
    if (typeof failure.code !== 'number' || failure.killed === true) throw error;
    return { code: failure.code, stdout: failure.stdout ?? '', stderr: failure.stderr ?? '' };
  }
}
