/**
 * The folder watcher under reload on edit (real inotify watches, so not in the unit tier): it
 * watches the kept folders only — never inside node_modules or dot folders — follows folders
 * created and removed after start, and reports changes relative to the root.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FolderWatcher } from '../../src/local-lambda/folder-watcher.ts';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function tree(folders: readonly string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'folder-watcher-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  for (const folder of folders) mkdirSync(path.join(root, folder), { recursive: true });
  return root;
}

/** A watcher on `root` and a way to wait for the first reported change that matches. */
function watching(root: string): { watcher: FolderWatcher; reported: (relative: string) => Promise<void>; seen: (string | undefined)[] } {
  const seen: (string | undefined)[] = [];
  const waiters: { relative: string; resolve: () => void }[] = [];
  const watcher = new FolderWatcher(
    root,
    (relative) => {
      seen.push(relative);
      for (const waiter of waiters.filter((w) => w.relative === relative)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    },
    (error) => {
      throw error;
    },
  );
  cleanups.push(() => watcher.close());
  return {
    watcher,
    seen,
    reported: (relative) => (seen.includes(relative) ? Promise.resolve() : new Promise((resolve) => waiters.push({ relative, resolve }))),
  };
}

describe('FolderWatcher', () => {
  it('watches every kept folder, and none inside node_modules or dot folders', () => {
    const root = tree(['lib/deep', 'node_modules/dep/lib', '.git/objects', 'lib/node_modules/x', 'lib/.cache']);
    const { watcher } = watching(root);
    expect(watcher.folders).toEqual(['', 'lib', path.join('lib', 'deep')]);
  });

  it('reports a change in a nested folder, relative to the root; nothing from node_modules', async () => {
    const root = tree(['lib/deep', 'node_modules/dep']);
    const { reported, seen } = watching(root);
    writeFileSync(path.join(root, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;');
    writeFileSync(path.join(root, 'lib', 'deep', 'helper.ts'), 'export const x = 1;');
    await reported(path.join('lib', 'deep', 'helper.ts'));
    expect(seen.every((relative) => relative?.startsWith('lib') === true)).toBe(true);
  });

  it('watches a folder created after start, and forgets one removed', async () => {
    const root = tree(['gone/inner']);
    const { watcher, reported } = watching(root);
    mkdirSync(path.join(root, 'fresh'));
    await reported('fresh');
    expect(watcher.folders).toContain('fresh');
    writeFileSync(path.join(root, 'fresh', 'a.ts'), 'export {};');
    await reported(path.join('fresh', 'a.ts'));

    rmSync(path.join(root, 'gone'), { recursive: true });
    await reported('gone');
    expect(watcher.folders).toEqual(['', 'fresh']);
  });
});
