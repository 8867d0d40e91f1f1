/**
 * Reload on edit: watches the functions folder and applies what changed to the running local
 * Lambda, without a restart.
 *
 * - A file that may be code (definition-changes.ts says which) retires the environments of the
 *   functions of its folder *at once*, on each watcher event, with no debounce: from the moment
 *   the event arrives, no invocation starts in an environment that may hold the old code, and an
 *   environment that began loading before a later write is retired by that write's event too.
 *   What is left is the watcher's own latency (inotify: well under a millisecond on an idle
 *   machine, more under load): an invocation starting between the write and its event may still
 *   run the old code. Stat-checking every file on every invocation would close that gap at a cost
 *   paid by every invocation, for edits made by hand — not worth it.
 * - The definitions file is read again once writes to it have paused for `debounceMs` (an editor
 *   may write it in several steps; a half-written file would not parse). A file that no longer
 *   validates keeps the last good set running and logs the error (file, function, field).
 * - After each batch of changes the `reloaded functions: …` line is logged and the listeners get
 *   a `ReloadEvent`: by then, every invocation that starts runs what is on disk. Tests wait on it.
 */
import path from 'node:path';
import type { Logger } from './config.ts';
import { type ChangedFunction, definitionChanges, describeChanges, functionsOfFile, isWatchedPath } from './definition-changes.ts';
import { FunctionDefinitionError, loadFunctionDefinitions } from './definitions.ts';
import type { ExecutionPool } from './execution-pool.ts';
import { FolderWatcher } from './folder-watcher.ts';
import type { FunctionRegistry } from './registry.ts';

/** What one reload did. */
export interface ReloadEvent {
  /** The functions it changed and how; empty when a definitions edit was refused and no code changed. */
  readonly functions: readonly ChangedFunction[];
  /** The definitions file no longer validates (the message names file, function and field); the last good set runs on. */
  readonly error?: FunctionDefinitionError;
}

export interface FunctionReloaderOptions {
  /** The definitions file; its folder is watched, recursively. */
  readonly definitionsFile: string;
  readonly registry: FunctionRegistry;
  readonly pool: ExecutionPool;
  readonly logger: Logger;
  /** Quiet time after the last event before the definitions are read and the reload reported. @default 50 */
  readonly debounceMs?: number;
}

export class FunctionReloader {
  readonly #options: FunctionReloaderOptions;
  readonly #folder: string;
  readonly #watcher: FolderWatcher;
  readonly #listeners = new Set<(event: ReloadEvent) => void>();
  /** Functions whose code changed since the last report. */
  readonly #codeChanged = new Set<string>();
  #definitionsChanged = false;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: FunctionReloaderOptions) {
    this.#options = options;
    this.#folder = path.dirname(options.definitionsFile);
    this.#watcher = new FolderWatcher(
      this.#folder,
      (relative) => this.#onChange(relative),
      (error) => {
        options.logger.error(
          { folder: this.#folder, error: String(error) },
          'stopped watching the functions folder; edits are not reloaded',
        );
      },
    );
  }

  /** Calls `listener` after every reload; returns the function that stops it. */
  onReload(listener: (event: ReloadEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher.close();
  }

  #onChange(filename: string | undefined): void {
    if (this.#closed) return;
    // No name (the platform could not say): anything may have changed.
    const absolute = filename === undefined ? undefined : path.join(this.#folder, filename);
    if (absolute === undefined || absolute === this.#options.definitionsFile) this.#definitionsChanged = true;
    if (absolute === undefined || (absolute !== this.#options.definitionsFile && isWatchedPath(filename ?? ''))) {
      const functions = this.#options.registry.list();
      const names = absolute === undefined ? functions.map((d) => d.name) : functionsOfFile(functions, absolute);
      if (names.length === 0) return;
      this.#options.pool.retire(names);
      for (const name of names) this.#codeChanged.add(name);
    } else if (!this.#definitionsChanged) {
      return;
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#apply(), this.#options.debounceMs ?? 50);
  }

  #apply(): void {
    const { registry, pool, logger, definitionsFile } = this.#options;
    const previous = registry.list();
    let definitions = previous;
    let changes: ChangedFunction[] = [];
    let error: FunctionDefinitionError | undefined;
    if (this.#definitionsChanged) {
      this.#definitionsChanged = false;
      try {
        definitions = loadFunctionDefinitions(definitionsFile);
        changes = definitionChanges(previous, definitions);
      } catch (caught) {
        if (!(caught instanceof FunctionDefinitionError)) throw caught;
        error = caught;
      }
    }
    const redefined = new Set(changes.map((c) => c.name));
    for (const name of this.#codeChanged) {
      if (!redefined.has(name) && definitions.some((d) => d.name === name)) changes.push({ name, change: 'code changed' });
    }
    this.#codeChanged.clear();
    // Retire before the new definitions are visible: an invocation resolving a changed function
    // from here on never finds an environment of the old definition.
    pool.retire(changes.filter((c) => c.change !== 'code changed').map((c) => c.name));
    pool.updateDefinitions(definitions);
    registry.reload(
      definitions,
      changes.map((c) => c.name),
    );
    if (error !== undefined) {
      logger.error({ file: definitionsFile }, `${error.message}\nstill serving the last valid definitions`);
    }
    if (changes.length > 0) {
      logger.info({ functions: changes.map((c) => `${c.name} (${c.change})`) }, `reloaded functions: ${describeChanges(changes)}`);
    }
    if (changes.length === 0 && error === undefined) return;
    const event: ReloadEvent = error === undefined ? { functions: changes } : { functions: changes, error };
    for (const listener of [...this.#listeners]) listener(event);
  }
}
