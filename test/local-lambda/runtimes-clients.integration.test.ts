/**
 * Python and custom-runtime functions through clients other than the JS SDK: boto3 and the AWS
 * CLI v2 read their payloads, Python's error payload and the Tail log unchanged.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS, runClient } from '../helpers/aws-clients.ts';
import { type FixtureLambda, startFixtureLambda } from '../helpers/local-lambda.ts';
import { systemTool } from '../setup/system-tools.ts';

const FUNCTIONS = fileURLToPath(new URL('../fixtures/runtimes', import.meta.url));
const BOTO3_SCRIPT = fileURLToPath(new URL('../fixtures/clients/boto3_invoke.py', import.meta.url));

let awsCli: string;
let python: string;
let lambda: FixtureLambda;
let home: string;

beforeAll(async () => {
  awsCli = systemTool('awsCli');
  python = systemTool('boto3');
  home = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-runtime-clients-'));
  lambda = await startFixtureLambda({ functions: FUNCTIONS });
});
afterAll(async () => {
  await lambda?.close();
  if (home !== undefined) await rm(home, { recursive: true, force: true });
});

async function boto3(functionName: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await runClient(python, [BOTO3_SCRIPT, lambda.endpoint, functionName, ...args], home);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

describe('Python and custom runtimes through boto3 and the AWS CLI v2', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  it('boto3 invokes a Python function and reads its Tail log', async () => {
    const result = await boto3('py-logs', '--payload', '{}', '--log-type', 'Tail');
    expect(result).toMatchObject({ status: 200, functionError: null, payload: '"logged"' });
    const id = result.requestId as string;
    expect(result.logResult).toMatch(new RegExp(`^START RequestId: ${id} Version: \\$LATEST\\n`));
    expect(result.logResult).toContain(`\t${id}\ta warning through logging\n`);
  });

  it("boto3 reads a Python function's error payload as Python's runtime writes it", async () => {
    const result = await boto3('py-fail', '--payload', '{"message":"from boto3"}');
    expect(result).toMatchObject({ status: 200, functionError: 'Unhandled' });
    const error = JSON.parse(result.payload as string) as Record<string, unknown>;
    expect(error).toMatchObject({ errorMessage: 'from boto3', errorType: 'ValueError', requestId: result.requestId });
    expect(error['stackTrace']).toEqual([expect.stringMatching(/^ {2}File ".*\/py\/app\.py", line \d+, in fail\n {4}raise ValueError/)]);
  });

  it('the AWS CLI invokes a custom runtime and writes its answer to the outfile', async () => {
    const out = path.join(home, 'custom.json');
    const result = await runClient(
      awsCli,
      [
        'lambda',
        'invoke',
        '--function-name',
        'sh-echo',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"from":"cli"}',
        '--endpoint-url',
        lambda.endpoint,
        out,
      ],
      home,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toStrictEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ handler: 'function.handler', event: { from: 'cli' } });
  });

  it('the AWS CLI reports an init error of a Python function as FunctionError Unhandled', async () => {
    const out = path.join(home, 'import-error.json');
    const result = await runClient(
      awsCli,
      ['lambda', 'invoke', '--function-name', 'py-import-error', '--payload', 'e30=', '--endpoint-url', lambda.endpoint, out],
      home,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toStrictEqual({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ errorType: 'Runtime.ImportModuleError' });
  });
});
