/**
 * Watches a folder tree for reload on edit, leaving out what `isWatchedPath` leaves out
 * (`node_modules`, dot folders) — not only their events but the folders themselves.
 *
 * Written here rather than `fs.watch(root, { recursive: true })` or a library: Node's recursive
 * watch on Linux cannot skip folders; it walks all of them synchronously and holds one inotify
 * watch per folder — for a functions folder with this project's node_modules (4,400 folders) that
 * is 1.3 s of start-up with the event loop blocked, and inotify watches spent on code nobody edits.
 * chokidar can skip them, but scans asynchronously: edits saved right after start-up would be
 * missed until its `ready`, and `createLocalLambda` returns synchronously. What is needed is
 * small: one non-recursive `fs.watch` per kept folder, and a new folder watched when it appears.
 */
import { type Dirent, type FSWatcher, readdirSync, statSync, watch } from 'node:fs';
import path from 'node:path';
import { isWatchedPath } from './definition-changes.ts';

export class FolderWatcher {
  readonly #root: string;
  readonly #onChange: (relativePath: string | undefined) => void;
  readonly #onError: (error: Error) => void;
  /** Absolute folder → its watcher. */
  readonly #watchers = new Map<string, FSWatcher>();
  #closed = false;

  /**
   * Starts watching at once (synchronously): a change made after the constructor returns is seen.
   * `onChange` gets the changed path relative to `root`, or undefined when the platform did not say.
   */
  constructor(root: string, onChange: (relativePath: string | undefined) => void, onError: (error: Error) => void) {
    this.#root = root;
    this.#onChange = onChange;
    this.#onError = onError;
    this.#watchTree(root);
  }

  /** The folders watched now, relative to the root (`''` is the root), sorted. */
  get folders(): string[] {
    return [...this.#watchers.keys()].map((folder) => path.relative(this.#root, folder)).sort();
  }

  close(): void {
    this.#closed = true;
    for (const watcher of this.#watchers.values()) watcher.close();
    this.#watchers.clear();
  }

  #watchTree(folder: string): void {
    if (this.#closed || this.#watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      // Not persistent: watching never keeps a process up.
      watcher = watch(folder, { persistent: false }, (event, name) => this.#onEvent(folder, event, name));
    } catch (error) {
      // Gone (or unreadable) between being listed and being watched: nothing to watch there.
      if (folder === this.#root) this.#onError(error as Error);
      return;
    }
    watcher.on('error', (error) => {
      this.#forget(folder);
      if (folder === this.#root) this.#onError(error);
    });
    this.#watchers.set(folder, watcher);
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = path.join(folder, entry.name);
      if (entry.isDirectory() && isWatchedPath(path.relative(this.#root, child))) this.#watchTree(child);
    }
  }

  #onEvent(folder: string, event: string, name: string | null): void {
    if (this.#closed) return;
    if (name === null) {
      this.#onChange(undefined);
      return;
    }
    const absolute = path.join(folder, name);
    const relative = path.relative(this.#root, absolute);
    if (!isWatchedPath(relative)) return;
    if (event === 'rename') {
      // Created, deleted or moved: a folder that appeared is watched from now on (and reported,
      // which covers files written into it before its watch began); one that went is forgotten.
      let isFolder = false;
      try {
        isFolder = statSync(absolute).isDirectory();
      } catch {
        this.#forgetTree(absolute);
      }
      if (isFolder) this.#watchTree(absolute);
    }
    this.#onChange(relative);
  }

  #forget(folder: string): void {
    this.#watchers.get(folder)?.close();
    this.#watchers.delete(folder);
  }

  #forgetTree(folder: string): void {
    const prefix = folder + path.sep;
    for (const watched of [...this.#watchers.keys()]) if (watched === folder || watched.startsWith(prefix)) this.#forget(watched);
  }
}
