/**
 * GraphQL POST bodies are read and parsed by the server before yoga (src/http/parsed-json-body.ts).
 * Over a socket, every body gets the answer yoga gives when it reads the body itself (through
 * `gateway.fetch`, where nothing is read first): the same status and the same JSON, bad bodies
 * included.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

const HEADERS = { accept: 'application/graphql-response+json' };

function overSocket(body: string, contentType: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      gateway.running.url,
      { method: 'POST', headers: { ...HEADERS, 'content-type': contentType, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      },
    );
    sent.on('error', reject);
    sent.end(body);
  });
}

async function yogaAlone(body: string, contentType: string): Promise<Answer> {
  const response = await gateway.running.gateway.fetch(gateway.running.url, {
    method: 'POST',
    headers: { ...HEADERS, 'content-type': contentType, 'content-length': String(Buffer.byteLength(body)) },
    body,
  });
  return { status: response.status, body: (await response.json()) as unknown };
}

const OPERATION = JSON.stringify({
  query: 'mutation ($input: InvokeFunctionInput!) { invokeFunction(input: $input) { __typename ... on Invocation { payloadJson } } }',
  variables: { input: { functionName: 'echo', payload: { text: 'é ✓' } } },
});

describe('a GraphQL POST read before yoga', () => {
  it.each([
    ['an operation', OPERATION, 'application/json'],
    ['an operation, with a charset', OPERATION, 'application/json; charset=utf-8'],
    ['an operation as application/graphql+json', OPERATION, 'application/graphql+json'],
    ['invalid JSON', '{"query": ', 'application/json'],
    ['null', 'null', 'application/json'],
    ['a number', '42', 'application/json'],
    ['a string', '"{ gateway { region } }"', 'application/json'],
    ['an empty object', '{}', 'application/json'],
    ['an empty array', '[]', 'application/json'],
    ['a batch', `[${OPERATION}]`, 'application/json'],
    ['an object without a query', '{"variables": {}}', 'application/json'],
  ])('answers %s as yoga does when it reads the body itself', async (_name, body, contentType) => {
    const [socket, alone] = await Promise.all([overSocket(body, contentType), yogaAlone(body, contentType)]);
    expect(socket).toEqual(alone);
  });

  it('runs the operation it read', async () => {
    const answer = await overSocket(OPERATION, 'application/json');
    expect(answer).toEqual({ status: 200, body: { data: { invokeFunction: { __typename: 'Invocation', payloadJson: { text: 'é ✓' } } } } });
  });
});
