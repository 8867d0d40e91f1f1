/**
 * The committed contract files must match the code: schema.graphql, the generated documents, the
 * persisted-operations manifest and Apollo's possibleTypes map.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { isAbstractType } from 'graphql';
import { printGatewaySchema, SCHEMA_FILE } from '../../src/schema/print.ts';
import { schema } from '../../src/schema/index.ts';
import generatedPossibleTypes from '../../generated/possible-types.ts';
import { InvokeFunctionDocument } from './documents.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('committed contract files', () => {
  it('schema.graphql is what the Pothos schema prints (run `npm run print-schema`)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printGatewaySchema());
  });

  it('the generated typed documents, manifest and possibleTypes are up to date (run `npm run codegen`)', async () => {
    const { default: config } = await import('../../codegen.ts');
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const files = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
      // Every output is compared, so each must still be generated at all.
      expect(files.map((file) => path.relative(ROOT, path.resolve(ROOT, file.filename))).sort()).toEqual(
        expect.arrayContaining([
          'generated/graphql/graphql.ts',
          'generated/graphql/persisted-documents.json',
          'generated/possible-types.ts',
        ]),
      );
      for (const file of files) {
        const onDisk = await readFile(path.resolve(ROOT, file.filename), 'utf8');
        expect(onDisk, `${file.filename} is stale`).toBe(file.content);
      }
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);

  it('possibleTypes lists every union and interface of the schema with exactly its members', () => {
    const expected: Record<string, string[]> = {};
    for (const type of Object.values(schema.getTypeMap())) {
      if (isAbstractType(type) && !type.name.startsWith('__'))
        expected[type.name] = schema
          .getPossibleTypes(type)
          .map((member) => member.name)
          .sort();
    }
    expect(generatedPossibleTypes.possibleTypes).toEqual(expected);
  });

  it('the manifest names each document by the sha256 of its text, the hash the typed document carries', async () => {
    const manifest = JSON.parse(await readFile(path.resolve(ROOT, 'generated/graphql/persisted-documents.json'), 'utf8')) as Record<
      string,
      string
    >;
    expect(Object.keys(manifest).length).toBeGreaterThan(0);
    for (const [hash, document] of Object.entries(manifest)) {
      expect(hash).toBe(`sha256:${createHash('sha256').update(document).digest('hex')}`);
    }
    const { hash } = (InvokeFunctionDocument as unknown as { __meta__: { hash: string } }).__meta__;
    expect(manifest[hash]).toContain('mutation InvokeFunction');
  });
});
