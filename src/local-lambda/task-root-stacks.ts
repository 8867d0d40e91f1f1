/**
 * Stack traces as a function on AWS sees them: its code lives under the task root `/var/task`.
 * Locally the code runs from its functions folder (`LAMBDA_TASK_ROOT`, the folder of
 * `functions.json`), inside the local Lambda's worker, so a raw trace shows host paths and the
 * local Lambda's own frames (`worker-child.ts`, `node:internal/…`). Inside a worker, every stack
 * keeps only the function's frames, with the functions folder shown as `/var/task`: in the error
 * payload, in the logged error lines, and in what the function itself reads from `error.stack`.
 *
 * `LAMBDA_TASK_ROOT` itself stays the real folder: a function that reads a file next to its code
 * (`path.join(process.env.LAMBDA_TASK_ROOT, 'data.json')`) must find it, as it does on AWS.
 * Runs inside the worker only (it replaces `Error.prepareStackTrace` for the whole thread).
 */
import { realpathSync } from 'node:fs';
import { findSourceMap } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Where AWS puts a function's code. */
export const AWS_TASK_ROOT = '/var/task';

export interface TaskRoot {
  /** Replaces every mention of the functions folder (as a path or a file URL) with `/var/task`. */
  readonly rewrite: (text: string) => string;
  /** Whether a frame's file (a path, or a file URL for ES modules) is the function's code. */
  readonly contains: (fileName: string) => boolean;
}

export function taskRoot(folder: string): TaskRoot {
  // Imports resolve symlinks, so frames name the real path; messages may name either.
  const folders = [...new Set([path.resolve(folder), realpathOrSelf(folder)])];
  const prefixes = folders.flatMap((root) => [
    { from: pathToFileURL(root).href, to: pathToFileURL(AWS_TASK_ROOT).href },
    { from: root, to: AWS_TASK_ROOT },
  ]);
  const inside = (file: string): boolean => folders.some((root) => file === root || file.startsWith(root + path.sep));
  return {
    rewrite: (text) => {
      let result = text;
      // File URLs first: a path is a substring of its own URL.
      for (const { from, to } of prefixes) result = result.replaceAll(from, to);
      return result;
    },
    contains: (fileName) => {
      if (fileName.startsWith('file:')) {
        try {
          return inside(fileURLToPath(fileName));
        } catch {
          return false;
        }
      }
      return path.isAbsolute(fileName) && inside(fileName);
    },
  };
}

/**
 * Makes every stack in this thread show the function's own frames under `/var/task`. Frames with
 * no file (`JSON.parse (<anonymous>)`, `new Promise (<anonymous>)`) are kept where the function's
 * code called them, that is, when a frame of the function's code follows.
 */
export function installTaskRootStacks(root: TaskRoot): void {
  Error.prepareStackTrace = (error: Error, callSites: NodeJS.CallSite[]): string => {
    const frames: string[] = [];
    let pendingNative: string[] = [];
    for (const site of callSites) {
      const fileName = site.getFileName() ?? site.getScriptNameOrSourceURL() ?? '';
      if (fileName === '' || fileName === '<anonymous>') {
        pendingNative.push(`    at ${frameText(site)}`);
      } else if (root.contains(fileName)) {
        frames.push(...pendingNative, `    at ${root.rewrite(originalPosition(frameText(site), fileName, site))}`);
        pendingNative = [];
      } else {
        pendingNative = [];
      }
    }
    return [root.rewrite(header(error)), ...frames].join('\n');
  };
}

/**
 * The frame at its place in the file as written, for TypeScript the local Lambda had to compile
 * (handler-module-hooks.ts gives such a file an inline source map; stripped files keep their
 * positions and have none).
 */
function originalPosition(text: string, fileName: string, site: NodeJS.CallSite): string {
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (line === null || column === null) return text;
  let map: ReturnType<typeof findSourceMap>;
  try {
    map = findSourceMap(fileName);
  } catch {
    return text;
  }
  if (map === undefined) return text;
  const entry = map.findEntry(line - 1, column - 1);
  if (!('originalLine' in entry)) return text;
  return text.replace(`${fileName}:${line}:${column}`, `${fileName}:${entry.originalLine + 1}:${entry.originalColumn + 1}`);
}

/** A frame as V8 writes it in a stack (`fn (file:line:column)`); @types/node does not declare it. */
function frameText(site: NodeJS.CallSite): string {
  return (site as unknown as { toString(): string }).toString();
}

/** The first line V8 writes: `name: message`, or whichever of the two is not empty. */
function header(error: Error): string {
  try {
    return String(error);
  } catch {
    return 'Error';
  }
}

function realpathOrSelf(folder: string): string {
  try {
    return realpathSync(folder);
  } catch {
    return path.resolve(folder);
  }
}
