/**
 * A Runtime API client nobody here wrote: AWS's own for Node.js (npm `aws-lambda-ric`, the client
 * inside AWS's Node base images), started by a custom runtime's `bootstrap` as on AWS, runs a Node
 * handler against the local Lambda's Runtime API — results, errors, logs and client context as
 * that client reports them.
 *
 * aws-lambda-ric is not a dependency of the project (its install compiles curl and aws-lambda-cpp):
 * `npm test`'s set-up step builds it once outside the clone (test/setup/aws-lambda-ric.ts). When
 * it is not built, this test fails saying so rather than passing.
 */
import { InvokeCommand, type InvokeCommandOutput } from '@aws-sdk/client-lambda';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ricEntry, ricFolder } from '../setup/aws-lambda-ric.ts';
import { type FixtureLambda, json, payloadOf, startFixtureLambda } from '../helpers/local-lambda.ts';

const FIXTURE = fileURLToPath(new URL('../fixtures/runtimes-ric/ric', import.meta.url));

/** The client's command-line entry point, or why it is not here. */
function builtRic(): string {
  const entry = ricEntry();
  if (entry === undefined) {
    throw new Error(`aws-lambda-ric is not built in ${ricFolder()}: npm test's second step builds it (node test/setup/aws-lambda-ric.ts).`);
  }
  return entry;
}

let folder: string;
let lambda: FixtureLambda;

beforeAll(async () => {
  const entry = builtRic();
  folder = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-ric-'));
  await cp(FIXTURE, path.join(folder, 'ric'), { recursive: true });
  // The bootstrap finds the Node.js and the client through the function's environment: the
  // process's PATH is Lambda's, not this machine's.
  const environment = { RIC_NODE: process.execPath, RIC_ENTRY: entry };
  await writeFile(
    path.join(folder, 'functions.json'),
    JSON.stringify({ functions: { ric: { runtime: 'provided.al2023', code: 'ric', handler: 'index.handler', environment } } }),
  );
  lambda = await startFixtureLambda({ functions: folder });
});
afterAll(async () => {
  await lambda?.close();
  if (folder !== undefined) await rm(folder, { recursive: true, force: true });
});

const tail = (result: InvokeCommandOutput): string => Buffer.from(result.LogResult ?? '', 'base64').toString('utf8');

describe("AWS's aws-lambda-ric as a custom runtime", () => {
  it('runs the handler and returns its result, with its log lines in the Tail', async () => {
    const clientContext = Buffer.from(JSON.stringify({ custom: { tenant: 'acme' } })).toString('base64');
    const result = await lambda.client.send(
      new InvokeCommand({ FunctionName: 'ric', Payload: payloadOf({ a: 1 }), LogType: 'Tail', ClientContext: clientContext }),
    );
    const id = result.$metadata.requestId ?? '';
    expect(result.FunctionError).toBeUndefined();
    expect(json(result.Payload)).toStrictEqual({
      event: { a: 1 },
      requestId: id,
      functionName: 'ric',
      remaining: true,
      clientContext: { custom: { tenant: 'acme' } },
    });
    expect(tail(result)).toMatch(new RegExp(`\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\t${id}\\tINFO\\tric handler got \\{"a":1\\}\\n`));
  });

  it("reports the handler's error as Node's runtime formats it", async () => {
    const result = await lambda.client.send(
      new InvokeCommand({ FunctionName: 'ric', Payload: payloadOf({ fail: true }), LogType: 'Tail' }),
    );
    expect(result.FunctionError).toBe('Unhandled');
    const error = json(result.Payload) as { errorType: string; errorMessage: string; trace: string[] };
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'asked to fail' });
    expect(error.trace[0]).toBe('TypeError: asked to fail');
    expect(tail(result)).toContain('\tERROR\tInvoke Error \t{"errorType":"TypeError","errorMessage":"asked to fail"');
  });
});
