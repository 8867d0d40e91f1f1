/**
 * Credentials for a Lambda endpoint, with no AWS credentials anywhere in the environment: a
 * loopback endpoint (here the local Lambda on port 0) is signed with placeholder credentials and
 * just works; an endpoint not taken for local names the missing credentials — in the
 * invocation's error and in /ready — before anything is sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAwsCredentials } from '../helpers/aws-environment.ts';
import { readiness as ready, type TestGateway, startTestGateway } from '../helpers/gateway.ts';
import { type FixtureLambda, startFixtureLambda } from '../helpers/local-lambda.ts';
import { InvokeFunctionDocument } from './documents.ts';

let restoreEnvironment: () => void;
beforeAll(() => {
  restoreEnvironment = clearAwsCredentials();
});
afterAll(() => restoreEnvironment());

describe('a loopback endpoint', () => {
  let lambda: FixtureLambda;
  beforeAll(async () => {
    lambda = await startFixtureLambda();
  });
  afterAll(() => lambda.close());

  it('is signed with placeholder credentials: invocations and /ready work without AWS credentials', async () => {
    const gateway = await startTestGateway({ lambda: { kind: 'endpoint', endpoint: lambda.endpoint } });
    try {
      const result = await gateway.execute(InvokeFunctionDocument, {
        input: { functionName: 'echo', payload: { signed: 'with placeholders' } },
      });
      expect(result.data?.invokeFunction).toMatchObject({ __typename: 'Invocation', payloadJson: { signed: 'with placeholders' } });
      expect(await ready(gateway)).toEqual({ status: 200, body: { ready: true, checks: { shutdown: 'running', lambda: 'reachable' } } });
    } finally {
      await gateway.close();
    }
  });
});

describe('an endpoint not taken for local, without credentials', () => {
  // Stands in for the endpoint and counts what reaches it: nothing should.
  let endpoint: Server;
  let requests = 0;
  let gateway: TestGateway;
  let url: string;
  beforeAll(async () => {
    endpoint = createServer((_request, response) => {
      requests += 1;
      response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
    gateway = await startTestGateway({ lambda: { kind: 'endpoint', endpoint: url, local: false }, invokeMaxAttempts: 1 });
  });
  afterAll(async () => {
    await gateway.close();
    await new Promise((resolve) => endpoint.close(resolve));
  });

  it('fails an invocation with a LambdaServiceError naming the missing credentials and how to give them', async () => {
    const result = await gateway.execute(InvokeFunctionDocument, { input: { functionName: 'echo' } });
    expect(result.data?.invokeFunction).toMatchObject({ __typename: 'LambdaServiceError', code: 'CredentialsProviderError' });
    const { message } = result.data?.invokeFunction as { message: string };
    expect(message).toContain(`No AWS credentials to sign requests to the Lambda endpoint ${url}`);
    for (const way of ['AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', 'AWS_PROFILE', 'lambda.credentials', 'lambda.local: true'])
      expect(message).toContain(way);
    expect(requests).toBe(0);
  });

  it('/ready says no-credentials, not unreachable, and names them too', async () => {
    const { status, body } = await ready(gateway);
    expect(status).toBe(503);
    expect(body).toMatchObject({ ready: false, checks: { shutdown: 'running', lambda: 'no-credentials' } });
    expect((body as { problems: { lambda: string } }).problems.lambda).toContain(
      `No AWS credentials to sign requests to the Lambda endpoint ${url}`,
    );
    expect(requests).toBe(0);
  });
});
