/**
 * Request errors raised before execution begins (variables that cannot be coerced, the choice of
 * operation) as the GraphQL-over-HTTP spec wants them, in the unit tier: 200 for application/json,
 * 400 for application/graphql-response+json, and for a plain SSE request a `next` event on an
 * accepted stream, each with an `extensions.code`. The same errors read by the real graphql-sse
 * client, over a socket, stay in request-errors.integration.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assembleUnitGateway, type UnitGateway } from '../helpers/unit-gateway.ts';
import { CASES, FOLLOW, type GraphQLBody, type RequestCase } from './request-error-cases.ts';

let gateway: UnitGateway;
beforeAll(async () => {
  gateway = await assembleUnitGateway();
});
afterAll(() => gateway.close());

async function post(body: RequestCase['body'], accept: string): Promise<{ status: number; contentType: string | null; body: GraphQLBody }> {
  const response = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept },
    body: JSON.stringify(body),
  });
  return { status: response.status, contentType: response.headers.get('content-type'), body: (await response.json()) as GraphQLBody };
}

describe.each(CASES)('$name', ({ body, code }) => {
  it('answers 200 with the error and its code when the client accepts application/json', async () => {
    const answer = await post(body, 'application/json');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
    expect(answer.body.errors?.[0]?.message).not.toBe('');
  });

  it('answers 400 with the error and its code when the client accepts application/graphql-response+json', async () => {
    const answer = await post(body, 'application/graphql-response+json');
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/graphql-response\+json/);
    expect(answer.body.data).toBeUndefined();
    expect(answer.body.errors?.[0]?.extensions?.code).toBe(code);
  });
});

it('answers a raw SSE request with 200 and an event stream carrying the errors, then complete', async () => {
  const response = await gateway.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query: FOLLOW, variables: { requestId: null } }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const events = (await response.text()).split('\n\n').filter((event) => event.startsWith('event:'));
  expect(events).toHaveLength(2);
  expect(events[0]).toMatch(/^event: next\ndata: /);
  expect(JSON.parse(events[0]?.slice(events[0].indexOf('data: ') + 'data: '.length) ?? '')).toMatchObject({
    errors: [{ message: 'Variable "$requestId" of non-null type "ID!" must not be null.', extensions: { code: 'BAD_USER_INPUT' } }],
  });
  expect(events[1]).toMatch(/^event: complete/);
});

it('answers an operationName that is not a string as a malformed request: 400 and BAD_REQUEST, whatever is accepted', async () => {
  for (const accept of ['application/json', 'application/graphql-response+json']) {
    const answer = await gateway.fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept },
      body: JSON.stringify({ query: '{ gateway { region } }', operationName: { not: 'a name' } }),
    });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toEqual({
      errors: [{ message: 'Expected "operationName" param to be a string, but given object.', extensions: { code: 'BAD_REQUEST' } }],
    });
  }
});
