/**
 * Clients other than the JS SDK against the local Lambda: the AWS CLI v2 (Debian's awscli) and
 * boto3 (Debian's python3-boto3, or any python3 on PATH that has it). They accept it unchanged: payloads,
 * Tail logs, typed errors and throttles (docs/lambda-invoke-spec.md §1.1, §2.2, §2.3).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemTool } from '../setup/system-tools.ts';
import { CHILD_TIMEOUT_MS, type ChildResult, runClient } from '../helpers/aws-clients.ts';
import { FIXTURE_FUNCTIONS, type FixtureLambda, startFixtureLambda } from '../helpers/local-lambda.ts';

const BOTO3_SCRIPT = fileURLToPath(new URL('../fixtures/clients/boto3_invoke.py', import.meta.url));
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// `npm test` installs both before any test runs; these throw, naming the package, when one is missing.
let awsCli: string;
let python: string;

let lambda: FixtureLambda;
let home: string;

function run(file: string, args: readonly string[]): Promise<ChildResult> {
  return runClient(file, args, home);
}

function aws(...args: string[]): Promise<ChildResult> {
  return run(awsCli, ['lambda', ...args, '--endpoint-url', lambda.endpoint]);
}

async function boto3(functionName: string, ...args: string[]): Promise<Record<string, unknown>> {
  const result = await run(python, [BOTO3_SCRIPT, lambda.endpoint, functionName, ...args]);
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

function outFile(name: string): string {
  return path.join(home, name);
}

describe('other clients: AWS CLI v2 and boto3', { timeout: 2 * CHILD_TIMEOUT_MS }, () => {
  beforeAll(async () => {
    awsCli = systemTool('awsCli');
    python = systemTool('boto3');
    home = await mkdtemp(path.join(os.tmpdir(), 'local-lambda-clients-'));
    lambda = await startFixtureLambda();
  });

  afterAll(async () => {
    await lambda?.close();
    if (home !== undefined) await rm(home, { recursive: true, force: true });
  });

  describe('AWS CLI v2', () => {
    it('invokes echo with a raw JSON payload', async () => {
      const out = outFile('echo.json');
      const result = await aws(
        'invoke',
        '--function-name',
        'echo',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"hello":"world","n":[1,2,3]}',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toStrictEqual({ StatusCode: 200, ExecutedVersion: '$LATEST' });
      expect(await readFile(out, 'utf8')).toBe('{"hello":"world","n":[1,2,3]}');
    });

    it('invokes an alias and reports the version it ran', async () => {
      const out = outFile('alias.json');
      const result = await aws(
        'invoke',
        '--function-name',
        'echo',
        '--qualifier',
        'live',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"via":"alias"}',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toStrictEqual({ StatusCode: 200, ExecutedVersion: '1' });
      expect(JSON.parse(await readFile(out, 'utf8'))).toStrictEqual({ code: 'v1', event: { via: 'alias' } });
    });

    it('returns the log tail with --log-type Tail --query LogResult', async () => {
      const out = outFile('tail.json');
      const result = await aws(
        'invoke',
        '--function-name',
        'context',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"log":"hello from the cli"}',
        '--log-type',
        'Tail',
        '--query',
        'LogResult',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      const { awsRequestId: id } = JSON.parse(await readFile(out, 'utf8')) as { awsRequestId: string };
      expect(id).toMatch(UUID);
      const log = Buffer.from(JSON.parse(result.stdout) as string, 'base64').toString('utf8');
      const lines = log.split('\n');
      expect(lines).toHaveLength(5);
      expect(lines[0]).toBe(`START RequestId: ${id} Version: $LATEST`);
      expect(lines[1]).toMatch(new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\\t${id}\\tINFO\\thello from the cli$`));
      expect(lines[2]).toBe(`END RequestId: ${id}`);
      expect(lines[3]).toMatch(
        new RegExp(
          `^REPORT RequestId: ${id}\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\t` +
            `Max Memory Used: \\d+ MB\\t(?:Init Duration: \\d+\\.\\d\\d ms\\t)?$`,
        ),
      );
      expect(lines[4]).toBe('');
    });

    it('prints FunctionError: Unhandled for a function error and exits 0', async () => {
      const out = outFile('fail.json');
      const result = await aws(
        'invoke',
        '--function-name',
        'fail',
        '--cli-binary-format',
        'raw-in-base64-out',
        '--payload',
        '{"message":"cli failure"}',
        out,
      );
      expect(result.code, result.stderr).toBe(0);
      expect(JSON.parse(result.stdout)).toStrictEqual({ StatusCode: 200, FunctionError: 'Unhandled', ExecutedVersion: '$LATEST' });
      expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ errorType: 'FixtureError', errorMessage: 'cli failure' });
    });

    it('reports an unknown function as ResourceNotFoundException and exits 254', async () => {
      const result = await aws('invoke', '--function-name', 'nope', outFile('nope.json'));
      expect(result.code).toBe(254);
      expect(result.stderr.trim()).toBe(
        // AWS_MAX_ATTEMPTS=1: one attempt, which the CLI reports as "reached max retries: 0".
        `An error occurred (ResourceNotFoundException) when calling the Invoke operation (reached max retries: 0): Function not found: ${ARN}:nope:$LATEST`,
      );
    });

    it('lists the functions', async () => {
      const result = await aws('list-functions', '--query', 'Functions[].FunctionName');
      expect(result.code, result.stderr).toBe(0);
      const definitions = JSON.parse(await readFile(path.join(FIXTURE_FUNCTIONS, 'functions.json'), 'utf8')) as { functions: object };
      expect(JSON.parse(result.stdout)).toStrictEqual(Object.keys(definitions.functions));
    });
  });

  describe('boto3', () => {
    it("invokes echo with a payload; the request id is the function's", async () => {
      const echoed = await boto3('echo', '--payload', '{"from":"boto3"}');
      expect(echoed).toMatchObject({
        status: 200,
        functionError: null,
        executedVersion: '$LATEST',
        logResult: null,
        payload: '{"from":"boto3"}',
      });
      expect(echoed.requestId).toMatch(UUID);

      const context = await boto3('context', '--payload', '{}');
      expect(context.status).toBe(200);
      expect((JSON.parse(context.payload as string) as { awsRequestId: string }).awsRequestId).toBe(context.requestId);
    });

    it('sends no payload (no Content-Type, Content-Length 0) and the function gets {}', async () => {
      expect(await boto3('echo')).toMatchObject({ status: 200, payload: '{}' });
    });

    it('resolves a qualifier and returns the Tail log', async () => {
      const result = await boto3('echo', '--payload', '{"q":2}', '--qualifier', '2', '--log-type', 'Tail');
      expect(result).toMatchObject({ status: 200, executedVersion: '2' });
      expect(JSON.parse(result.payload as string)).toStrictEqual({ code: 'v2', event: { q: 2 }, note: 'two' });
      expect(result.logResult).toMatch(new RegExp(`^START RequestId: ${result.requestId as string} Version: 2\\n`));
    });

    it('raises ResourceNotFoundException for an unknown function', async () => {
      expect(await boto3('nope', '--payload', '{}')).toMatchObject({
        exception: 'ResourceNotFoundException',
        modeled: true,
        code: 'ResourceNotFoundException',
        message: `Function not found: ${ARN}:nope:$LATEST`,
        status: 404,
        type: 'User',
      });
    });

    it('raises ResourceNotFoundException for an unknown alias of an ARN', async () => {
      expect(await boto3(`${ARN}:echo`, '--qualifier', 'nope', '--payload', '{}')).toMatchObject({
        exception: 'ResourceNotFoundException',
        message: `Function not found: ${ARN}:echo:nope`,
        status: 404,
      });
    });

    it('returns FunctionError: Unhandled for a function error', async () => {
      const result = await boto3('fail', '--payload', '{"message":"boto3 failure"}');
      expect(result).toMatchObject({ status: 200, functionError: 'Unhandled', executedVersion: '$LATEST' });
      expect(JSON.parse(result.payload as string)).toMatchObject({ errorType: 'FixtureError', errorMessage: 'boto3 failure' });
    });

    it('raises TooManyRequestsException with its Reason for a throttle, without retrying', async () => {
      const result = await boto3('throttled', '--payload', '{}');
      expect(result).toMatchObject({
        exception: 'TooManyRequestsException',
        modeled: true,
        code: 'TooManyRequestsException',
        message: 'Rate Exceeded.',
        status: 429,
        type: 'User',
        reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
        retryAfter: '1',
        retryAttempts: 0,
      });
      expect(result.requestId).toMatch(UUID);
    });

    it('raises a ClientError with code ValidationException for a bad name', async () => {
      const result = await boto3('bad name!', '--payload', '{}');
      expect(result).toMatchObject({ exception: 'ClientError', modeled: false, code: 'ValidationException', status: 400 });
      expect(result.message).toMatch(/^1 validation error detected: Value 'bad name!' at 'functionName' failed to satisfy constraint: /);
    });

    it('gets 202 with an empty payload for an Event invocation', async () => {
      expect(await boto3('noop', '--payload', '{"async":true}', '--invocation-type', 'Event')).toMatchObject({
        status: 202,
        executedVersion: null,
        functionError: null,
        payload: '',
      });
    });
  });
});
