/**
 * The pure rules of reload on edit: generation bookkeeping, which files count as code and whose,
 * and how a reloaded set of definitions differs from the running one.
 */
import { describe, expect, it } from 'vitest';
import { definitionChanges, describeChanges, functionsOfFile, isWatchedPath } from '../../src/local-lambda/definition-changes.ts';
import type { FunctionDefinition } from '../../src/local-lambda/definitions.ts';
import { Generations } from '../../src/local-lambda/generations.ts';

function definition(name: string, taskRoot = '/fns', handler = `${name}.handler`): FunctionDefinition {
  return {
    name,
    runtime: 'nodejs24.x',
    runtimeKind: 'node',
    description: '',
    latest: {
      modulePath: `${taskRoot}/${name}.ts`,
      exportName: 'handler',
      handler,
      timeoutSeconds: 3,
      memorySizeMb: 128,
      environment: {},
      description: '',
    },
    versions: new Map(),
    aliases: new Map(),
    reservedConcurrency: undefined,
    async: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 21_600, onSuccess: undefined, onFailure: undefined },
    taskRoot,
  };
}

describe('Generations', () => {
  it('starts every function at one generation and moves only the ones bumped', () => {
    const generations = new Generations();
    const echo = generations.current('echo');
    const other = generations.current('other');
    expect(generations.isCurrent('echo', echo)).toBe(true);
    generations.bump(['echo']);
    expect(generations.isCurrent('echo', echo)).toBe(false);
    expect(generations.isCurrent('echo', generations.current('echo'))).toBe(true);
    expect(generations.isCurrent('other', other)).toBe(true);
  });

  it('never returns to an earlier generation: each bump is a new one', () => {
    const generations = new Generations();
    const seen = new Set([generations.current('echo')]);
    for (let i = 0; i < 5; i += 1) {
      generations.bump(['echo', 'echo']);
      expect(seen.has(generations.current('echo'))).toBe(false);
      seen.add(generations.current('echo'));
    }
  });
});

describe('isWatchedPath', () => {
  it('counts any file of the folder, whatever its extension', () => {
    for (const file of ['echo.ts', 'lib/helper.js', 'data/users.json', 'templates/mail.html', 'package-lock.json']) {
      expect(isWatchedPath(file), file).toBe(true);
    }
  });

  it('leaves out node_modules, Python’s __pycache__ and dotfiles at any depth', () => {
    for (const file of [
      'py/__pycache__/app.cpython-312.pyc',
      'node_modules/dep/index.js',
      'lib/node_modules/x.js',
      '.git/index',
      '.echo.ts.swp',
      'lib/.cache/a',
      'lib\\.hidden',
    ]) {
      expect(isWatchedPath(file), file).toBe(false);
    }
  });
});

describe('functionsOfFile', () => {
  it('names every function whose code directory holds the file, not others', () => {
    const functions = [definition('a'), definition('b'), definition('py', '/fns/python'), definition('far', '/elsewhere')];
    expect(functionsOfFile(functions, '/fns/a.ts')).toEqual(['a', 'b']);
    expect(functionsOfFile(functions, '/fns/python/app.py')).toEqual(['a', 'b', 'py']);
    expect(functionsOfFile(functions, '/fns-other/a.ts')).toEqual([]);
    expect(functionsOfFile(functions, '/fns/..a.ts')).toEqual(['a', 'b']);
  });
});

describe('definitionChanges', () => {
  it('lists added, removed and changed functions, and leaves equal ones out', () => {
    const before = [definition('same'), definition('changed'), definition('gone')];
    const after = [definition('same'), definition('changed', '/fns', 'other.handler'), definition('new')];
    expect(definitionChanges(before, after)).toEqual([
      { name: 'changed', change: 'definitions changed' },
      { name: 'new', change: 'added' },
      { name: 'gone', change: 'removed' },
    ]);
  });

  it('sees a change inside versions and aliases (Maps compared by content)', () => {
    const base = definition('echo');
    const withAlias = {
      ...base,
      aliases: new Map([['live', { functionVersion: '$LATEST', description: '', additionalVersionWeights: new Map() }]]),
    };
    const sameAlias = {
      ...base,
      aliases: new Map([['live', { functionVersion: '$LATEST', description: '', additionalVersionWeights: new Map() }]]),
    };
    expect(definitionChanges([withAlias], [sameAlias])).toEqual([]);
    expect(definitionChanges([base], [withAlias])).toEqual([{ name: 'echo', change: 'definitions changed' }]);
  });
});

describe('describeChanges', () => {
  it('groups the names by kind of change, in one order', () => {
    expect(
      describeChanges([
        { name: 'old', change: 'removed' },
        { name: 'echo', change: 'code changed' },
        { name: 'new', change: 'added' },
        { name: 'greet', change: 'code changed' },
      ]),
    ).toBe('echo, greet (code changed); new (added); old (removed)');
  });
});
