/**
 * What a reload changes: which functions a file on disk concerns, and how a new set of
 * definitions differs from the one running. Pure, so the rules are unit-tested on their own.
 */
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { FunctionDefinition } from './definitions.ts';

export type FunctionChange = 'code changed' | 'definitions changed' | 'added' | 'removed';

export interface ChangedFunction {
  readonly name: string;
  readonly change: FunctionChange;
}

/**
 * Whether a change at `relativePath` (relative to the watched functions folder) can be a change
 * to code. Not: anything under `node_modules` — installs write thousands of files (and npm's
 * lockfile, outside it, changes once at the end, which reloads) and a dependency is not edited in
 * place — and anything whose name starts with a dot: editors' swap and backup files
 * (`.greet.ts.swp`), `.git`, caches, none of which a handler imports — and `__pycache__`, which
 * Python itself writes when a function imports its modules (counting it would retire every Python
 * environment right after its first import). Everything else counts,
 * whatever its extension: a handler may read JSON, templates or data files next to it, and
 * reloading too often costs one cold start, while missing a change serves stale code.
 */
export function isWatchedPath(relativePath: string): boolean {
  return relativePath
    .split(/[\\/]/)
    .every((segment) => segment !== 'node_modules' && segment !== '__pycache__' && !segment.startsWith('.'));
}

/**
 * The functions whose code a changed file may be part of: those whose code directory
 * (`taskRoot`, `LAMBDA_TASK_ROOT`) holds it. Imports are not followed — a helper can be shared by
 * several functions, and a module graph known only inside each worker would miss files read at
 * run time — so every function of that directory reloads.
 */
export function functionsOfFile(definitions: Iterable<FunctionDefinition>, absolutePath: string): string[] {
  const names: string[] = [];
  for (const definition of definitions) {
    const relative = path.relative(definition.taskRoot, absolutePath);
    // Outside: `..` or `../…` (a name that merely starts with two dots, `..a.ts`, is inside).
    const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
    if (!outside) names.push(definition.name);
  }
  return names;
}

/**
 * How `next` differs from `previous`: functions added, removed, or defined differently (handler,
 * timeout, environment, versions, aliases, concurrency, Event settings — anything). Unchanged
 * ones keep their warm environments.
 */
export function definitionChanges(previous: Iterable<FunctionDefinition>, next: Iterable<FunctionDefinition>): ChangedFunction[] {
  const before = new Map([...previous].map((d) => [d.name, d]));
  const changes: ChangedFunction[] = [];
  for (const definition of next) {
    const old = before.get(definition.name);
    before.delete(definition.name);
    if (old === undefined) changes.push({ name: definition.name, change: 'added' });
    else if (!isDeepStrictEqual(old, definition)) changes.push({ name: definition.name, change: 'definitions changed' });
  }
  for (const name of before.keys()) changes.push({ name, change: 'removed' });
  return changes;
}

/** `echo, greet (code changed); hello (added)` — one group per kind of change, in a stable order. */
export function describeChanges(changes: readonly ChangedFunction[]): string {
  const order: readonly FunctionChange[] = ['code changed', 'definitions changed', 'added', 'removed'];
  return order
    .map((kind) => {
      const names = changes.filter((c) => c.change === kind).map((c) => c.name);
      return names.length === 0 ? '' : `${names.join(', ')} (${kind})`;
    })
    .filter((group) => group !== '')
    .join('; ');
}
