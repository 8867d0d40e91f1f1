/** The committed contract files must match the code: schema.graphql and the generated documents. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { describe, expect, it } from 'vitest';
import { printGatewaySchema, SCHEMA_FILE } from '../../src/schema/print.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('committed contract files', () => {
  it('schema.graphql is what the Pothos schema prints (run `npm run print-schema`)', async () => {
    expect(await readFile(SCHEMA_FILE, 'utf8')).toBe(printGatewaySchema());
  });

  it('the generated typed documents are up to date (run `npm run codegen`)', async () => {
    const { default: config } = await import('../../codegen.ts');
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const files = (await generate({ ...config, silent: true }, false)) as Array<{ filename: string; content: string }>;
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const onDisk = await readFile(path.resolve(ROOT, file.filename), 'utf8');
        expect(onDisk, `${file.filename} is stale`).toBe(file.content);
      }
    } finally {
      process.chdir(cwd);
    }
  }, 60_000);
});
