/**
 * The registry's resolution of weighted aliases (`routeAlias`, and Invoke's `resolve` with an
 * injected random source) and its catalog lookups, with AWS's not-found texts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AliasDefinition } from '../../src/local-lambda/definitions.ts';
import { loadFunctionDefinitions } from '../../src/local-lambda/definitions.ts';
import { FunctionRegistry, routeAlias } from '../../src/local-lambda/registry.ts';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const canary: AliasDefinition = { functionVersion: '1', description: '', additionalVersionWeights: new Map([['2', 0.2]]) };

/** A small deterministic generator (an LCG), so the distribution test sees the same numbers every run. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describe('routeAlias', () => {
  it('sends draws below the weight to the additional version, the rest to the alias version', () => {
    expect(routeAlias(canary, 0)).toBe('2');
    expect(routeAlias(canary, 0.1999)).toBe('2');
    expect(routeAlias(canary, 0.2)).toBe('1');
    expect(routeAlias(canary, 0.9999)).toBe('1');
  });

  it('a weight of 0 never, a weight of 1 always routes away; no weights, never', () => {
    const never: AliasDefinition = { ...canary, additionalVersionWeights: new Map([['2', 0]]) };
    const always: AliasDefinition = { ...canary, additionalVersionWeights: new Map([['2', 1]]) };
    const none: AliasDefinition = { ...canary, additionalVersionWeights: new Map() };
    for (const r of [0, 0.5, 0.999_999]) {
      expect(routeAlias(never, r)).toBe('1');
      expect(routeAlias(always, r)).toBe('2');
      expect(routeAlias(none, r)).toBe('1');
    }
  });

  it('gives the additional version about its share of uniformly spread draws', () => {
    const random = seeded(42);
    const draws = 10_000;
    let routed = 0;
    for (let i = 0; i < draws; i += 1) if (routeAlias(canary, random()) === '2') routed += 1;
    // 20% expected; a fixed seed makes this exact run repeatable, the bounds keep it about the share.
    expect(routed / draws).toBeGreaterThan(0.18);
    expect(routed / draws).toBeLessThan(0.22);
  });
});

describe('FunctionRegistry', () => {
  const fixtures = loadFunctionDefinitions(path.resolve(import.meta.dirname, '../fixtures/functions'));
  const weighted = fixtures.map((d) =>
    d.name === 'echo'
      ? {
          ...d,
          aliases: new Map([
            ...d.aliases,
            ['canary', { functionVersion: '1', description: '', additionalVersionWeights: new Map([['2', 0.5]]) }],
          ]),
        }
      : d,
  );

  it('resolve routes a weighted alias by the injected random source, keeping the alias in the invoked ARN', () => {
    let next = 0.25;
    const registry = new FunctionRegistry(weighted, 'us-east-1', '123456789012', { random: () => next });
    const target = { name: 'echo', qualifier: 'canary', region: undefined, account: undefined };
    expect(registry.resolve(target)).toMatchObject({
      executedVersion: '2',
      invokedFunctionArn: `${ARN}:echo:canary`,
      versionArn: `${ARN}:echo:2`,
    });
    next = 0.75;
    expect(registry.resolve(target)).toMatchObject({ executedVersion: '1', versionArn: `${ARN}:echo:1` });
  });

  it('describe does not route: it reports the version the alias points to', () => {
    const registry = new FunctionRegistry(weighted, 'us-east-1', '123456789012', { random: () => 0 });
    expect(registry.describe({ name: 'echo', qualifier: 'canary', region: undefined, account: undefined })).toMatchObject({
      version: '1',
      qualifier: 'canary',
    });
  });

  it("uses Invoke's not-found text for Invoke (…:$LATEST) and the catalog's for the catalog (the ARN as asked)", () => {
    const registry = new FunctionRegistry(fixtures, 'us-east-1', '123456789012');
    const nope = { name: 'nope', qualifier: undefined, region: undefined, account: undefined };
    expect(() => registry.resolve(nope)).toThrow(`Function not found: ${ARN}:nope:$LATEST`);
    expect(() => registry.describe(nope)).toThrow(`Function not found: ${ARN}:nope`);
    expect(() => registry.describe({ ...nope, name: 'echo', qualifier: '5' })).toThrow(`Function not found: ${ARN}:echo:5`);
    expect(() => registry.function(nope)).toThrow(`Function not found: ${ARN}:nope`);
    const echo = registry.function({ ...nope, name: 'echo', qualifier: '1' });
    expect(() => registry.alias(echo, 'nope')).toThrow(`Cannot find alias arn: ${ARN}:echo:nope`);
  });

  it("reports the load time as every function's LastModified, in Lambda format", () => {
    const registry = new FunctionRegistry(fixtures, 'us-east-1', '123456789012', { loadedAt: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) });
    expect(registry.facts.lastModified('echo')).toBe('2026-01-02T03:04:05.006+0000');
    expect(registry.facts.lastModified('fail')).toBe('2026-01-02T03:04:05.006+0000');
  });
});

describe('FunctionRegistry.reload', () => {
  const loadedAt = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
  const reloadedAt = new Date(Date.UTC(2026, 0, 2, 4, 0, 0, 0));
  const fixtures = loadFunctionDefinitions(path.resolve(import.meta.dirname, '../fixtures/functions'));
  const nope = { name: 'nope', qualifier: undefined, region: undefined, account: undefined };

  it('resolves only the new set: a removed function is not found, an added one resolves', () => {
    const registry = new FunctionRegistry(fixtures, 'us-east-1', '123456789012', { loadedAt });
    const echo = fixtures.find((d) => d.name === 'echo');
    if (echo === undefined) throw new Error('fixture echo missing');
    const added = { ...echo, name: 'echo-copy' };
    registry.reload([...fixtures.filter((d) => d.name !== 'fail'), added], ['fail', 'echo-copy'], reloadedAt);
    expect(() => registry.resolve({ ...nope, name: 'fail' })).toThrow(`Function not found: ${ARN}:fail:$LATEST`);
    expect(registry.resolve({ ...nope, name: 'echo-copy' }).definition).toBe(added);
    expect(registry.list().map((d) => d.name)).toContain('echo-copy');
  });

  it('moves LastModified of the changed functions only', () => {
    const registry = new FunctionRegistry(fixtures, 'us-east-1', '123456789012', { loadedAt });
    registry.reload(fixtures, ['echo'], reloadedAt);
    expect(registry.facts.lastModified('echo')).toBe('2026-01-02T04:00:00.000+0000');
    expect(registry.facts.lastModified('fail')).toBe('2026-01-02T03:04:05.006+0000');
  });
});
