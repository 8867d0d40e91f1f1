/**
 * Node handlers as people write them for SAM or serverless, invoked through the real
 * `@aws-sdk/client-lambda` against a local Lambda on port 0: full TypeScript, extensionless and
 * directory imports, `.js` read as CommonJS or ES module the way AWS reads it (the functions
 * folder is the package root, so this repo's `"type": "module"` above it does not count), and the
 * SDK v3 that AWS's runtimes ship.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixtureLambda, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

const NODE_HANDLERS = fileURLToPath(new URL('../fixtures/functions/node-handlers', import.meta.url));

let lambda: FixtureLambda;
beforeAll(async () => {
  lambda = await startFixtureLambda({ functions: NODE_HANDLERS });
});
afterAll(() => lambda.close());

function invoke(on: FixtureLambda, functionName: string, event: unknown = {}): Promise<InvokeCommandOutput> {
  return on.client.send(new InvokeCommand({ FunctionName: functionName, Payload: payloadOf(event) }));
}

async function result(functionName: string, event: unknown = {}): Promise<unknown> {
  const output = await invoke(lambda, functionName, event);
  expect(output.FunctionError, output.Payload && Buffer.from(output.Payload).toString('utf8')).toBeUndefined();
  return json(output.Payload);
}

describe('TypeScript', () => {
  it('runs enums, namespaces and parameter properties', async () => {
    expect(await result('typescript', { owner: 'ada' })).toEqual({ owner: 'ada', size: 'Large', total: 30 });
  });

  it('reports the lines of compiled TypeScript as written', async () => {
    const output = await invoke(lambda, 'typescript-throws');
    expect(output.FunctionError).toBe('Unhandled');
    expect(json(output.Payload)).toEqual({
      errorType: 'Error',
      errorMessage: 'boom',
      trace: ['Error: boom', '    at handler (file:///var/task/typescript-throws.ts:7:9)'],
    });
  });

  it('resolves extensionless and directory imports', async () => {
    expect(await result('imports', { name: 'lambda' })).toEqual({ greeting: 'HELLO LAMBDA' });
  });
});

describe('CommonJS and ES modules, as AWS reads them', () => {
  it('reads a .js handler as CommonJS in a folder without package.json', async () => {
    expect(await result('commonjs-js', { parts: ['a', 'b'] })).toEqual({ commonjs: true, joined: 'a+b' });
  });

  it('reads a .js handler as an ES module under a package.json with "type": "module"', async () => {
    expect(await result('esm-js')).toEqual({ esm: true, file: true, suffix: 'from esm' });
  });

  it('reads .mjs as an ES module and .cjs as CommonJS', async () => {
    expect(await result('mjs')).toEqual({ format: 'module', esm: true });
    expect(await result('cjs')).toEqual({ format: 'commonjs', commonjs: true });
  });
});

describe('the AWS SDK v3 of the runtime', () => {
  it('is importable and requirable by handlers', async () => {
    expect(await result('sdk-import')).toEqual({ client: 'LambdaClient', region: 'eu-west-1' });
    expect(await result('sdk-require')).toEqual({ client: 'LambdaClient', region: 'eu-central-1' });
  });

  it('is found for functions with no node_modules anywhere above them', async () => {
    // Inside the repo the project's node_modules is above the fixtures anyway; a copy under the
    // system's temporary folder finds the SDK only through the runtime's fallback.
    const folder = mkdtempSync(path.join(tmpdir(), 'node-handlers-'));
    cpSync(NODE_HANDLERS, folder, { recursive: true });
    const outside = await startFixtureLambda({ functions: folder });
    try {
      for (const [name, region] of [
        ['sdk-import', 'eu-west-1'],
        ['sdk-require', 'eu-central-1'],
      ] as const) {
        const output = await invoke(outside, name);
        expect(output.FunctionError).toBeUndefined();
        expect(json(output.Payload)).toEqual({ client: 'LambdaClient', region });
      }
    } finally {
      await outside.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('syntax errors', () => {
  it.each([
    ['syntax-error', /^SyntaxError: /],
    ['typescript-syntax-error', /^SyntaxError: /],
  ])('%s is Runtime.UserCodeSyntaxError in AWS’s shape', async (functionName, message) => {
    const output = await invoke(lambda, functionName);
    expect(output.FunctionError).toBe('Unhandled');
    const error = json(output.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(error.errorMessage).toMatch(message);
    expect(error.trace[0]).toBe(`Runtime.UserCodeSyntaxError: ${error.errorMessage.split('\n')[0]}`);
    expect(error.errorMessage).not.toContain(NODE_HANDLERS);
  });
});
