/**
 * AWS's Runtime API client for Node.js (npm `aws-lambda-ric`, the client in AWS's Node base
 * images), which test/local-lambda/runtime-client-ric.integration.test.ts runs against the local
 * Lambda: a Runtime API client nobody here wrote.
 *
 * Not a dependency of the project: installing it compiles curl and aws-lambda-cpp from source
 * (3–4 minutes on two cores, and cmake, autoconf, automake, libtool, make and g++), which every
 * `npm install && npm start` would pay for one test. So `npm test`'s second step (this file run
 * as a script, after ensure-system-tools.ts has brought the build tools) builds it once, from the
 * versions locked in ./aws-lambda-ric/ (package.json and package-lock.json), into a cache folder
 * outside the clone, and the test takes it from there.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const LOCKED = fileURLToPath(new URL('./aws-lambda-ric/', import.meta.url));
const VERSION = (JSON.parse(readFileSync(path.join(LOCKED, 'package.json'), 'utf8')) as { dependencies: Record<string, string> })
  .dependencies['aws-lambda-ric'];

/** Where it is built: per version and Node ABI (its addon is built for the Node that runs npm test). */
export function ricFolder(): string {
  const cache = process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(cache, 'lambda-graphql-gateway', `aws-lambda-ric-${VERSION}-node-abi${process.versions.modules}`);
}

/** Written last, once the build passed: a folder without it is an interrupted build. */
const marker = (folder: string): string => path.join(folder, 'built');

/** The client's command-line entry point, when built. */
export function ricEntry(): string | undefined {
  const folder = ricFolder();
  return existsSync(marker(folder)) ? path.join(folder, 'node_modules', 'aws-lambda-ric', 'bin', 'index.mjs') : undefined;
}

/**
 * Builds it unless built: `npm ci` of the locked folder, with the npm that runs `npm test`.
 * Returns undefined, or npm's output when the build failed.
 */
export function buildRic(): string | undefined {
  if (ricEntry() !== undefined) return undefined;
  const folder = ricFolder();
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  for (const file of ['package.json', 'package-lock.json']) copyFileSync(path.join(LOCKED, file), path.join(folder, file));
  const npmCli = process.env.npm_execpath;
  const [file, args] = npmCli === undefined ? ['npm', []] : [process.execPath, [npmCli]];
  const result = spawnSync(file, [...args, 'ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: folder, encoding: 'utf8' });
  if (result.status !== 0) return `${result.stdout}${result.stderr}${result.error === undefined ? '' : String(result.error)}`;
  writeFileSync(marker(folder), `${new Date().toISOString()}\n`);
  return undefined;
}

if (import.meta.main && ricEntry() === undefined) {
  process.stderr.write(`npm test: building AWS's aws-lambda-ric once (it compiles curl; a few minutes) into ${ricFolder()}\n`);
  const failed = buildRic();
  if (failed !== undefined) {
    process.stderr.write(
      `${failed}\nnpm test: building aws-lambda-ric failed (npm's output is above); delete ${ricFolder()} and run npm test again.\n`,
    );
    process.exit(1);
  }
}
