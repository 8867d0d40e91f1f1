/**
 * The graphql-ws protocol (graphql-transport-ws) as the gateway speaks it, seen with a raw `ws`
 * client, so every protocol fault can be sent: each is refused with the close code the protocol
 * gives it. (Operations over the socket are tested with the real graphql-ws client elsewhere.)
 */
import WebSocket, { type RawData } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestGateway, startTestGateway } from '../helpers/gateway.ts';

const PROTOCOL = 'graphql-transport-ws';
/** A live feed: it runs until stopped, so a second subscription with its id meets it still there. */
const FEED = { query: 'subscription { invocationEvents(functionName: "noop") { requestId } }' };

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

interface Connection {
  readonly socket: WebSocket;
  /** The messages the server has sent, parsed, in order. */
  readonly messages: Array<{ type: string; id?: string; payload?: unknown }>;
  /** Resolves with the close code and reason, whoever closes. */
  readonly closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  /** Resolves with the first message of this type, already received or still to come. */
  next(type: string): Promise<{ type: string; id?: string; payload?: unknown }>;
}

async function connect(protocols: string | string[] = PROTOCOL): Promise<Connection> {
  const socket = new WebSocket(gateway.running.url.replace(/^http/, 'ws'), protocols);
  const messages: Connection['messages'] = [];
  const waiting: Array<() => void> = [];
  socket.on('message', (data: RawData) => {
    const text = (Array.isArray(data) ? Buffer.concat(data) : Buffer.from(new Uint8Array(data))).toString('utf8');
    messages.push(JSON.parse(text) as Connection['messages'][number]);
    for (const wake of waiting.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code: number, reason: Buffer) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  const next = async (type: string): Promise<Connection['messages'][number]> => {
    for (;;) {
      const found = messages.find((message) => message.type === type);
      if (found !== undefined) return found;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
  };
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    next,
  };
}

async function acknowledged(): Promise<Connection> {
  const connection = await connect();
  connection.send({ type: 'connection_init' });
  await connection.next('connection_ack');
  return connection;
}

describe('graphql-ws close codes', () => {
  it('4406 for a client that asks for no subprotocol', async () => {
    const connection = await connect([]);
    await expect(connection.closed).resolves.toEqual({ code: 4406, reason: 'Subprotocol not acceptable' });
  });

  it('agrees to no subprotocol for a client of the legacy graphql-ws protocol, which then gives up the handshake', async () => {
    // The server picks none of the protocols offered; a WebSocket client (browser or `ws`) then
    // fails the connection itself, before it opens.
    await expect(connect('graphql-ws')).rejects.toThrow('Server sent no subprotocol');
  });

  it('4400 for a message that is not JSON, or not a protocol message', async () => {
    const notJson = await acknowledged();
    notJson.send('{ not json');
    await expect(notJson.closed).resolves.toEqual({ code: 4400, reason: 'Invalid message received' });
    const noQuery = await acknowledged();
    noQuery.send({ type: 'subscribe', id: '1', payload: { variables: {} } });
    await expect(noQuery.closed).resolves.toEqual({ code: 4400, reason: 'Invalid message received' });
  });

  it('4401 for a subscribe before the connection is acknowledged', async () => {
    const connection = await connect();
    connection.send({ type: 'subscribe', id: '1', payload: FEED });
    await expect(connection.closed).resolves.toEqual({ code: 4401, reason: 'Unauthorized' });
  });

  it('4408 when no connection_init arrives in time (3 s)', async () => {
    const connection = await connect();
    await expect(connection.closed).resolves.toEqual({ code: 4408, reason: 'Connection initialisation timeout' });
  });

  it('4409 for a second subscription under the id of one still running', async () => {
    const connection = await acknowledged();
    connection.send({ type: 'subscribe', id: 'feed', payload: FEED });
    connection.send({ type: 'subscribe', id: 'feed', payload: FEED });
    await expect(connection.closed).resolves.toEqual({ code: 4409, reason: 'Subscriber for feed already exists' });
  });

  it('4429 for a second connection_init', async () => {
    const connection = await acknowledged();
    connection.send({ type: 'connection_init' });
    await expect(connection.closed).resolves.toEqual({ code: 4429, reason: 'Too many initialisation requests' });
  });

  it('keeps a well-behaved connection open: an operation error is that operation’s, and a ping gets its pong', async () => {
    const connection = await acknowledged();
    connection.send({ type: 'subscribe', id: 'bad', payload: { query: '{ nope }' } });
    const error = await connection.next('error');
    expect(error).toMatchObject({ id: 'bad', payload: [{ message: 'Cannot query field "nope" on type "Query".' }] });
    connection.send({ type: 'ping' });
    await connection.next('pong');
    connection.send({ type: 'subscribe', id: 'ok', payload: { query: '{ gateway { region } }' } });
    expect(await connection.next('next')).toEqual({ id: 'ok', type: 'next', payload: { data: { gateway: { region: 'us-east-1' } } } });
    await connection.next('complete');
    connection.socket.close(1000);
    await expect(connection.closed).resolves.toMatchObject({ code: 1000 });
  });

  it('sends errors without extensions.http (the HTTP status means nothing on a socket), the rest of their extensions kept', async () => {
    const connection = await acknowledged();
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: __typename`).join(' ');
    connection.send({ type: 'subscribe', id: 'aliases', payload: { query: `{ ${aliases} }` } });
    expect(await connection.next('error')).toEqual({
      id: 'aliases',
      type: 'error',
      payload: [
        {
          message: 'The number of aliases is 16, over the limit of 15 by 1',
          extensions: { code: 'MAX_ALIASES_EXCEEDED', limit: 15, limitName: 'limits.maxAliases', actual: 16 },
        },
      ],
    });
    const inputs = Array.from({ length: 101 }, () => '{ functionName: "noop" }').join(', ');
    connection.send({
      type: 'subscribe',
      id: 'batch',
      payload: { query: `mutation { invokeFunctions(inputs: [${inputs}]) { __typename } }` },
    });
    const next = await connection.next('next');
    expect(next).toMatchObject({
      id: 'batch',
      payload: { data: null, errors: [{ extensions: { code: 'BAD_USER_INPUT', limit: 100, limitName: 'maxBatchSize', actual: 101 } }] },
    });
    expect(JSON.stringify(next)).not.toContain('"http"');
    connection.socket.close(1000);
  });

  it('counts its operations in the GraphQL metrics, as over HTTP', async () => {
    const connection = await acknowledged();
    connection.send({ type: 'subscribe', id: 'counted', payload: { query: 'query OverTheSocket { gateway { region } }' } });
    await connection.next('complete');
    connection.socket.close(1000);
    const metrics = await (await gateway.running.gateway.fetch(new URL('/metrics', gateway.running.url))).text();
    expect(metrics).toContain('graphql_envelop_request{operationName="OverTheSocket",operationType="query"} 1');
  });
});
