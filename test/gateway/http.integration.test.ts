/**
 * The gateway over real HTTP on port 0: a mutation end to end, a chunked body, the invocation
 * deadline, an unreachable Lambda endpoint, the `npm start` CLI and a client going away. GraphiQL,
 * syntax errors, CSRF prevention, the body limit and the request log are the gateway's own logic,
 * tested in the unit tier (http.test.ts).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway, unusedPort } from '../helpers/gateway.ts';
import { FIXTURE_FUNCTIONS } from '../helpers/local-lambda.ts';
import { InvokeFunctionDocument } from './documents.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe('over HTTP', () => {
  it('answers a mutation with 200 and the typed result', async () => {
    const { status, body } = await gateway.executeHttp(InvokeFunctionDocument, {
      input: { functionName: 'echo', payload: { over: 'http' } },
    });
    expect(status).toBe(200);
    expect(body.data?.invokeFunction).toMatchObject({ __typename: 'Invocation', statusCode: 200, payloadJson: { over: 'http' } });
  });
});

describe('the request body limit', () => {
  it('asks for a Content-Length when a body comes without one (chunked)', async () => {
    const response = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const request = httpRequest(
        gateway.running.url,
        { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      request.on('error', reject);
      request.end(JSON.stringify({ query: '{ gateway { region } }' }));
    });
    expect(response.status).toBe(411);
    expect(JSON.parse(response.body)).toMatchObject({ errors: [{ extensions: { code: 'LENGTH_REQUIRED' } }] });
  });
});

describe('the invocation deadline', () => {
  it('ends a call Lambda does not answer in time with InvocationTimeoutError, and does not retry it', async () => {
    const starts: string[] = [];
    const slow = await startTestGateway(
      { invokeTimeoutMs: 300 },
      {
        localLambda: {
          logSink: ({ functionName, text }) => void (functionName === 'sleep' && text.startsWith('START') && starts.push(text)),
        },
      },
    );
    try {
      const result = await slow.execute(InvokeFunctionDocument, { input: { functionName: 'sleep', payload: { ms: 800 } } });
      expect(result.data?.invokeFunction).toEqual({
        __typename: 'InvocationTimeoutError',
        message: "Lambda did not answer within the gateway's invocation deadline of 300 ms",
        timeoutMs: 300,
      });
      // The function itself still runs to its end; it ran exactly once.
      await expect.poll(() => slow.running.localLambda?.lambda.inFlight('sleep'), { interval: 10 }).toBe(0);
      expect(starts).toHaveLength(1);
    } finally {
      await slow.close();
    }
  });
});

describe('an unreachable Lambda', () => {
  it('is a LambdaServiceError naming the connection failure', async () => {
    // A port that was free a moment ago and has nothing listening now.
    const port = await unusedPort();
    const unreachable = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } },
      invokeMaxAttempts: 2,
    });
    try {
      const result = await unreachable.execute(InvokeFunctionDocument, { input: { functionName: 'echo' } });
      expect(result.data?.invokeFunction).toMatchObject({ __typename: 'LambdaServiceError', code: 'ECONNREFUSED', httpStatus: null });
      expect((result.data?.invokeFunction as { message: string }).message).toMatch(/^Could not reach Lambda: /);
    } finally {
      await unreachable.close();
    }
  });
});

describe('npm start', () => {
  const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url));
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
  });

  it('starts the gateway with the local Lambda, says where everything is, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [CLI, '--port', '0', '--functions', FIXTURE_FUNCTIONS], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+\/graphql)/.exec(output);
        if (match?.[1] !== undefined && output.includes('Invoking functions through')) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output}`)));
    });
    expect(output).toMatch(/Invoking functions through the built-in local Lambda at http:\/\/127\.0\.0\.1:\d+/);
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation { invokeFunction(input: { functionName: "echo", payload: 5 }) { ... on Invocation { payloadJson } } }',
      }),
    });
    expect(await response.json()).toEqual({ data: { invokeFunction: { payloadJson: 5 } } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('documents every flag in --help', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, '--help']);
    for (const flag of [
      '--port',
      '--host',
      '--functions',
      '--lambda-endpoint',
      '--aws-region',
      '--region',
      '--concurrency',
      '--timeout-ms',
      '--max-batch',
      '--catalog-cache-ms',
      '--retry-delays',
      '--no-graphiql',
    ]) {
      expect(stdout).toContain(flag);
    }
  });

  it('refuses a bad option value at start-up, naming it', async () => {
    const failure = (await promisify(execFile)(process.execPath, [CLI, '--concurrency', '0']).catch((e: unknown) => e)) as {
      code: number;
      stderr: string;
    };
    expect(failure.code).toBe(1);
    expect(failure.stderr).toContain('concurrency.perFunction: Too small: expected number to be >=1 (got 0)');
  });
});

describe('a client that goes away mid-invocation', () => {
  it('releases the call to Lambda and never causes a retry', async () => {
    const starts: string[] = [];
    const target = await startTestGateway(
      {},
      {
        localLambda: {
          logSink: ({ functionName, text }) => void (functionName === 'sleep' && text.startsWith('START') && starts.push(text)),
        },
      },
    );
    const lambdaConnections = () =>
      new Promise<number>((resolve) => target.running.localLambda?.server.getConnections((_error, count) => resolve(count)));
    try {
      const leaving = new AbortController();
      const request = fetch(target.running.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation { invokeFunction(input: { functionName: "sleep", payload: { ms: 800 } }) { __typename } }',
        }),
        signal: leaving.signal,
      }).catch((error: unknown) => error);
      await expect.poll(() => target.running.localLambda?.lambda.inFlight('sleep'), { interval: 5 }).toBe(1);
      const before = await lambdaConnections();
      leaving.abort();
      expect(await request).toBeInstanceOf(Error);
      // The gateway aborts its own call: the socket to Lambda is closed, not left waiting.
      await expect.poll(lambdaConnections, { interval: 10 }).toBeLessThan(before);
      // The function runs to its end once (Lambda cannot be stopped), and nothing runs it again.
      await expect.poll(() => target.running.localLambda?.lambda.inFlight('sleep'), { interval: 10 }).toBe(0);
      expect(starts).toHaveLength(1);
    } finally {
      await target.close();
    }
  });
});
