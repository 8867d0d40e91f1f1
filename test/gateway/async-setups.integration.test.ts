/**
 * EVENT outcomes reach the gateway in every documented setup, not only the default single
 * process: the local Lambda on its own (`npm run local-lambda`) with a gateway on a port of its
 * own (`npm start -- --lambda-endpoint …`), and functions whose destination is "gateway" — the
 * gateway that invoked them, whichever it is and wherever it listens. The destination headers
 * that make this work go only to a local Lambda, never to anything else.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DocumentNode, ExecutionResult } from 'graphql';
import { print } from 'graphql';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveGatewayConfig } from '../../src/config.ts';
import { type RunningLocalLambda, startLocalLambda } from '../../src/local-lambda/server.ts';
import { type AcceptingLambda, startAcceptingLambda } from '../helpers/accepting-lambda.ts';
import { type CliProcess, GATEWAY_CLI, LOCAL_LAMBDA_CLI, startCli } from '../helpers/cli-process.ts';
import { startTestGateway, type TestGateway } from '../helpers/gateway.ts';
import { FIXTURE_FUNCTIONS, lambdaClient, payloadOf, type RecordReceiver, startRecordReceiver } from '../helpers/local-lambda.ts';
import { subscribeWith } from '../helpers/subscriptions.ts';
import { InvocationDocument, InvocationUpdatesDocument, InvokeFunctionDocument } from './documents.ts';

const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function execute<R, V>(url: string, document: TypedDocumentNode<R, V> & DocumentNode, variables: V): Promise<ExecutionResult<R>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return (await response.json()) as ExecutionResult<R>;
}

async function startEvent(url: string, functionName: string, payload: unknown = {}): Promise<string> {
  const outcome = (await execute(url, InvokeFunctionDocument, { input: { functionName, invocationType: 'EVENT', payload } })).data
    ?.invokeFunction;
  if (outcome?.__typename !== 'Invocation') throw new Error(`not accepted: ${JSON.stringify(outcome)}`);
  return outcome.requestId;
}

/** Follows one invocation over graphql-ws to its end: the statuses seen, and the last record. */
async function follow(url: string, requestId: string) {
  const subscription = subscribeWith('graphql-ws', url, InvocationUpdatesDocument, { requestId });
  await subscription.completed;
  const updates = subscription.values.map((v) => v.invocationUpdates);
  return { statuses: updates.map((u) => u.status), last: updates.at(-1) };
}

describe('npm run local-lambda, and npm start -- --lambda-endpoint on another port', () => {
  let lambda: CliProcess;
  let gateway: CliProcess;
  let url = '';
  beforeAll(async () => {
    lambda = startCli(LOCAL_LAMBDA_CLI, ['--port', '0', '--functions', FIXTURE_FUNCTIONS, '--retry-delays', '10,20', '--quiet']);
    const [, endpoint = ''] = await lambda.waitFor(/listening on (http:\/\/\S+)/);
    // Placeholder credentials: the SDK signs every request, and the local Lambda takes any.
    gateway = startCli(GATEWAY_CLI, ['--port', '0', '--lambda-endpoint', endpoint], {
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    [, url = ''] = await gateway.waitFor(/listening on (http:\/\/\S+\/graphql)/);
  });
  afterAll(async () => {
    await gateway.stop();
    await lambda.stop();
  });

  it('follows an EVENT to SUCCEEDED and another to FAILED, with no destination flags at all', async () => {
    const [succeeded, failed] = await Promise.all([
      startEvent(url, 'sleep', { ms: 300 }).then((id) => follow(url, id)),
      startEvent(url, 'fail', { message: 'standalone failure' }).then((id) => follow(url, id)),
    ]);
    expect(succeeded.statuses).toEqual(['ACCEPTED', 'SUCCEEDED']);
    expect(succeeded.last).toMatchObject({ condition: 'Success', startedByGateway: true, responsePayload: { sleptMs: 300 } });
    expect(failed.statuses).toEqual(['ACCEPTED', 'FAILED']);
    expect(failed.last).toMatchObject({
      condition: 'RetriesExhausted',
      attempts: 3,
      functionError: { errorType: 'FixtureError', errorMessage: 'standalone failure' },
    });
    expect(gateway.output()).toContain('is told to deliver EVENT outcomes here');
  });
});

describe('npm run local-lambda told where to deliver by flags and environment', () => {
  const SECRET = 'shared-destination-secret';
  let gateway: TestGateway;
  beforeAll(async () => {
    // A gateway that does not tell its endpoint anything: the local Lambda must know by itself.
    const endpoint = 'http://127.0.0.1:9';
    gateway = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint, credentials: CREDENTIALS, local: false },
      destinations: { secret: SECRET },
    });
  });
  afterAll(() => gateway.close());

  const startLambda = async (env: Record<string, string>) => {
    const lambda = startCli(
      LOCAL_LAMBDA_CLI,
      ['--port', '0', '--functions', FIXTURE_FUNCTIONS, '--quiet', '--destination-url', gateway.running.destinationsUrl],
      env,
    );
    const [, endpoint = ''] = await lambda.waitFor(/listening on (http:\/\/\S+)/);
    return { lambda, client: lambdaClient(endpoint) };
  };

  it('--destination-url and DESTINATION_SECRET: records reach the gateway', async () => {
    const { lambda, client } = await startLambda({ DESTINATION_SECRET: SECRET });
    try {
      expect(lambda.output()).toContain(`else to ${gateway.running.destinationsUrl}`);
      const sent = await client.send(
        new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event', Payload: payloadOf({ via: 'flags' }) }),
      );
      const requestId = sent.$metadata.requestId ?? '';
      await expect
        .poll(async () => (await gateway.execute(InvocationDocument, { requestId })).data?.invocation?.status, { interval: 20 })
        .toBe('SUCCEEDED');
    } finally {
      client.destroy();
      await lambda.stop();
    }
  });

  it('with the wrong secret, the local Lambda’s log names the URL, the status and what to set', async () => {
    const { lambda, client } = await startLambda({ DESTINATION_SECRET: 'not-the-gateway-secret' });
    try {
      const sent = await client.send(new InvokeCommand({ FunctionName: 'echo', InvocationType: 'Event' }));
      const [line = ''] = await lambda.waitFor(/.*refused the record.*/);
      expect(line).toContain(`destination ${gateway.running.destinationsUrl} refused the record with 401`);
      expect(line).toContain('--destination-secret or DESTINATION_SECRET');
      expect(line).toContain('not retrying');
      expect((await gateway.execute(InvocationDocument, { requestId: sent.$metadata.requestId ?? '' })).data?.invocation).toBeNull();
    } finally {
      client.destroy();
      await lambda.stop();
    }
  });
});

describe('"gateway" as a function’s destination', () => {
  let dir: string;
  let local: RunningLocalLambda;
  let fixed: RecordReceiver;
  let fallback: RecordReceiver;
  let first: TestGateway;
  let second: TestGateway;
  beforeAll(async () => {
    fixed = await startRecordReceiver();
    fallback = await startRecordReceiver();
    dir = await mkdtemp(path.join(tmpdir(), 'llgw-gateway-destination-'));
    await writeFile(path.join(dir, 'ok.ts'), 'export const handler = async (event: unknown) => ({ ok: event });\n');
    await writeFile(path.join(dir, 'bad.ts'), 'export const handler = async () => { throw new Error("refused by the function"); };\n');
    await writeFile(
      path.join(dir, 'functions.json'),
      JSON.stringify({
        functions: {
          reply: { handler: 'ok.handler', async: { onSuccess: 'gateway', onFailure: 'gateway' } },
          'reply-fail': { handler: 'bad.handler', async: { maximumRetryAttempts: 0, onFailure: 'gateway' } },
          fixed: { handler: 'ok.handler', async: { onSuccess: fixed.url } },
        },
      }),
    );
    // A default destination elsewhere: "gateway" prefers the gateway that invoked the function.
    local = await startLocalLambda({ functions: dir, port: 0, async: { defaultOnSuccess: fallback.url, defaultOnFailure: fallback.url } });
    // Two gateways, each on a port of its own, sharing the one local Lambda (loopback: told it is local).
    const options = { lambda: { kind: 'endpoint' as const, endpoint: local.endpoint, credentials: CREDENTIALS } };
    first = await startTestGateway(options);
    second = await startTestGateway(options);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await local.close(100);
    await fixed.close();
    await fallback.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('delivers each outcome to the gateway that invoked the function, and only to it', async () => {
    const fromFirst = await startEvent(first.running.url, 'reply', { n: 1 });
    const fromSecond = await startEvent(second.running.url, 'reply-fail');
    const [onFirst, onSecond] = await Promise.all([follow(first.running.url, fromFirst), follow(second.running.url, fromSecond)]);
    expect(onFirst).toMatchObject({ statuses: ['ACCEPTED', 'SUCCEEDED'], last: { responsePayload: { ok: { n: 1 } } } });
    expect(onSecond).toMatchObject({
      statuses: ['ACCEPTED', 'FAILED'],
      last: { attempts: 1, functionError: { errorMessage: 'refused by the function' } },
    });
    expect((await first.execute(InvocationDocument, { requestId: fromSecond })).data?.invocation).toBeNull();
    expect((await second.execute(InvocationDocument, { requestId: fromFirst })).data?.invocation).toBeNull();
    expect(fallback.received).toEqual([]);
  });

  it('works the same in the default setup, the local Lambda inside the gateway', async () => {
    const inProcess = await startTestGateway({ lambda: { kind: 'local', functions: dir } });
    try {
      const requestId = await startEvent(inProcess.running.url, 'reply', { n: 2 });
      expect(await follow(inProcess.running.url, requestId)).toMatchObject({
        statuses: ['ACCEPTED', 'SUCCEEDED'],
        last: { responsePayload: { ok: { n: 2 } } },
      });
    } finally {
      await inProcess.close();
    }
  });

  it('leaves a fixed URL in charge of its own records', async () => {
    const requestId = await startEvent(first.running.url, 'fixed');
    const { record, headers } = await fixed.waitFor((r) => r.requestContext.requestId === requestId);
    expect(record.requestContext.condition).toBe('Success');
    // The invoking gateway's secret is for the gateway only.
    expect(headers['x-destination-secret']).toBeUndefined();
    expect((await first.execute(InvocationDocument, { requestId })).data?.invocation?.status).toBe('ACCEPTED');
  });
});

describe('the destination headers', () => {
  let lambda: AcceptingLambda;
  beforeAll(async () => {
    lambda = await startAcceptingLambda();
  });
  afterAll(() => lambda.close());

  const invokeThrough = async (options: { local?: boolean }) => {
    const gateway = await startTestGateway({
      lambda: { kind: 'endpoint', endpoint: lambda.endpoint, credentials: CREDENTIALS, ...options },
      destinations: { secret: 'the-gateway-destination-secret' },
    });
    try {
      lambda.requests.length = 0;
      await startEvent(gateway.running.url, 'anything');
      await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'anything' } });
      return { destinationsUrl: gateway.running.destinationsUrl, requests: [...lambda.requests] };
    } finally {
      await gateway.close();
    }
  };

  it('go with EVENT invocations to a local Lambda (on loopback by default), never with synchronous ones', async () => {
    const { destinationsUrl, requests } = await invokeThrough({});
    const [event, sync] = requests;
    expect(event).toMatchObject({
      'x-amz-invocation-type': 'Event',
      'x-local-lambda-destination-url': destinationsUrl,
      'x-local-lambda-destination-secret': 'the-gateway-destination-secret',
    });
    expect(Object.keys(sync ?? {}).filter((name) => name.startsWith('x-local-lambda-'))).toEqual([]);
  });

  it('are never sent to an endpoint not known to be a local Lambda', async () => {
    const { requests } = await invokeThrough({ local: false });
    expect(requests).toHaveLength(2);
    for (const headers of requests) expect(Object.keys(headers).filter((name) => name.startsWith('x-local-lambda-'))).toEqual([]);
  });

  it('a remote endpoint is not taken for a local Lambda, and AWS has no such setting', () => {
    const remote = resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint: 'https://lambda.eu-west-1.amazonaws.com' } }).lambda;
    expect(remote).toMatchObject({ kind: 'endpoint', local: false });
    for (const endpoint of ['http://127.0.0.1:9001', 'http://localhost:9001', 'http://[::1]:9001']) {
      expect(resolveGatewayConfig({ lambda: { kind: 'endpoint', endpoint } }).lambda).toMatchObject({ local: true });
    }
    expect(resolveGatewayConfig({ lambda: { kind: 'aws', region: 'eu-west-1' } }).lambda).not.toHaveProperty('local');
  });
});
