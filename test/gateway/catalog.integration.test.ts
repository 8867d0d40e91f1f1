/**
 * The function catalog over the wire: the gateway's real SDK client reading the built-in local
 * Lambda (ListFunctions page by page, GetFunctionConfiguration, ListVersionsByFunction,
 * ListAliases), for the demo functions and for a folder of functions made here (more than one
 * page of them, and an alias that shifts traffic).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_FUNCTIONS } from '../../src/config.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { FunctionDocument, FunctionsDocument, FunctionsWithQualifiersDocument } from './documents.ts';

describe('the demo functions', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway({ lambda: { kind: 'local', functions: DEMO_FUNCTIONS } });
  });
  afterAll(() => gateway.close());

  it('lists each with its runtime, handler, memory, timeout and description', async () => {
    const result = await gateway.execute(FunctionsDocument, {});
    expect(result.errors).toBeUndefined();
    const functions = result.data?.functions ?? [];
    // Every function the demo's definitions file declares, and nothing else.
    const declared = Object.keys(
      (JSON.parse(readFileSync(join(DEMO_FUNCTIONS, 'functions.json'), 'utf8')) as { functions: object }).functions,
    );
    expect(declared).toContain('sleep');
    expect(functions.map((f) => f.name).sort()).toEqual(declared.sort());
    expect(functions.find((f) => f.name === 'sleep')).toEqual({
      name: 'sleep',
      arn: expect.stringMatching(/^arn:aws:lambda:us-east-1:\d{12}:function:sleep$/) as string,
      description: 'Waits event.ms milliseconds; times out after 3 seconds.',
      runtime: 'nodejs24.x',
      handler: 'sleep.handler',
      memorySizeMb: 128,
      timeoutSeconds: 3,
      lastModified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/) as string,
    });
    expect(functions.find((f) => f.name === 'echo')).toMatchObject({ handler: 'echo/latest.handler' });
  });

  it('answers null for a function Lambda does not know', async () => {
    expect(await gateway.execute(FunctionDocument, { name: 'unknown' })).toEqual({ data: { function: null } });
  });

  it('reads one function, its versions and its aliases, with the canary’s traffic shifting', async () => {
    const result = await gateway.execute(FunctionDocument, { name: 'echo' });
    expect(result.errors).toBeUndefined();
    const description = 'Returns its event. Versions 1 and 2 run their own code; alias live points to 1, canary to 1 with 10% to 2.';
    expect(result.data?.function).toMatchObject({
      name: 'echo',
      description,
      versions: [
        { version: '$LATEST', description },
        { version: '1', description: 'wraps the event as { version: 1, event }' },
        { version: '2', description: 'wraps the event as { version: 2, event, receivedAt }' },
      ],
    });
    expect(result.data?.function?.aliases).toEqual(
      expect.arrayContaining([
        { name: 'live', functionVersion: '1', description: '', routingWeights: [] },
        {
          name: 'canary',
          functionVersion: '1',
          description: 'version 1, with 10% of invocations shifted to version 2',
          routingWeights: [{ version: '2', weight: 0.1 }],
        },
      ]),
    );
    expect(result.data?.function?.aliases).toHaveLength(2);
  });
});

describe('functions of one’s own', () => {
  const COUNT = 60;
  const OPS_KEY = 'ops-key-0123456789abcdef';
  const CANARY_KEY = 'canary-key-0123456789abcdef';
  const sha256 = (key: string) => createHash('sha256').update(key).digest('hex');
  const ops = { 'x-api-key': OPS_KEY };
  const canary = { 'x-api-key': CANARY_KEY };
  let folder: string;
  let gateway: TestGateway;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'catalog-functions-'));
    writeFileSync(join(folder, 'noop.mjs'), 'export const handler = async () => null;\n');
    const functions: Record<string, object> = {};
    for (let i = 0; i < COUNT; i += 1) functions[`fn-${String(i).padStart(2, '0')}`] = { handler: 'noop.handler' };
    functions['fn-00'] = {
      handler: 'noop.handler',
      description: 'shifts traffic',
      memorySize: 512,
      timeout: 30,
      versions: { '1': { handler: 'noop.handler', description: 'one' }, '2': { handler: 'noop.handler' } },
      aliases: {
        canary: { functionVersion: '1', description: 'one tenth to 2', routingConfig: { additionalVersionWeights: { '2': 0.1 } } },
        stable: '1',
      },
    };
    writeFileSync(join(folder, 'functions.json'), JSON.stringify({ functions }));
    gateway = await startTestGateway({
      lambda: { kind: 'local', functions: folder },
      auth: {
        apiKeys: [
          { id: 'ops', sha256: sha256(OPS_KEY), roles: ['ops'] },
          { id: 'canary', sha256: sha256(CANARY_KEY), roles: ['canary'] },
        ],
      },
      access: {
        allow: [
          { functions: ['*'], roles: ['ops'] },
          // The alias alone: fn-00 is listed, with no version (not even $LATEST) and only that alias.
          { functions: ['fn-00'], qualifiers: ['canary'], roles: ['canary'] },
        ],
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('lists every function, past Lambda’s page of 50, with its versions and aliases', async () => {
    const result = await gateway.execute(FunctionsWithQualifiersDocument, {}, ops);
    expect(result.errors).toBeUndefined();
    const functions = result.data?.functions ?? [];
    expect(functions).toHaveLength(COUNT);
    expect(functions.find((f) => f.name === 'fn-00')).toEqual({
      name: 'fn-00',
      versions: [
        { version: '$LATEST', description: 'shifts traffic' },
        { version: '1', description: 'one' },
        { version: '2', description: 'shifts traffic' },
      ],
      aliases: [
        { name: 'canary', functionVersion: '1', description: 'one tenth to 2', routingWeights: [{ version: '2', weight: 0.1 }] },
        { name: 'stable', functionVersion: '1', description: '', routingWeights: [] },
      ],
    });
  });

  it('shows a caller only the functions, versions and aliases it may invoke', async () => {
    const result = await gateway.execute(FunctionsWithQualifiersDocument, {}, canary);
    expect(result).toEqual({
      data: { functions: [{ name: 'fn-00', versions: [], aliases: [expect.objectContaining({ name: 'canary' })] }] },
    });
    expect(await gateway.execute(FunctionDocument, { name: 'fn-01' }, canary)).toEqual({ data: { function: null } });
  });
});
