/**
 * The multipart plugin on its own, in a small yoga served through `yoga.fetch`: exact framing; a
 * stream that breaks (yoga turns the failure into a last result, masked unless a GraphQL error);
 * and, below what yoga wraps, a source that rejects — Apollo's transport-level error part.
 */
import { GraphQLError } from 'graphql';
import { createSchema, createYoga, type FetchAPI, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useApolloMultipartSubscriptions } from '../../src/plugins/use-apollo-multipart-subscriptions.ts';

const ACCEPT = 'multipart/mixed;boundary=graphql;subscriptionSpec=1.0,application/json';

const schema = createSchema({
  typeDefs: 'type Query { ok: Boolean } type Subscription { tick: Int! }',
  resolvers: {
    Subscription: {
      tick: {
        // eslint-disable-next-line @typescript-eslint/require-await -- a source stream is an async generator
        subscribe: async function* () {
          yield { tick: 1 };
          yield { tick: 2 };
        },
      },
    },
  },
});

/** Replaces the response stream with one that yields one result, then fails with `failure`. */
function breakingStream(failure: Error): Plugin {
  return {
    onSubscribe: () => ({
      onSubscribeResult: ({ setResult }) => {
        setResult(
          // eslint-disable-next-line @typescript-eslint/require-await -- a result stream is an async generator
          (async function* () {
            yield { data: { tick: 1 } };
            throw failure;
          })(),
        );
      },
    }),
  };
}

async function run(failure: Error | undefined): Promise<string> {
  const yoga = createYoga({
    schema,
    logging: false,
    plugins: [
      ...(failure === undefined ? [] : [breakingStream(failure)]),
      useApolloMultipartSubscriptions({ heartbeatIntervalMs: 60_000 }),
    ],
  });
  const response = await yoga.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: ACCEPT },
    body: JSON.stringify({ query: 'subscription { tick }' }),
  });
  expect(response.headers.get('content-type')).toBe('multipart/mixed;boundary="graphql";subscriptionSpec="1.0"');
  return response.text();
}

/** The plugin's result processor, handed a source that rejects (below anything yoga wraps). */
async function processRejecting(failure: unknown): Promise<{ text: string; unexpected: unknown[] }> {
  const unexpected: unknown[] = [];
  const plugin = useApolloMultipartSubscriptions({ heartbeatIntervalMs: 60_000, onUnexpectedError: (error) => unexpected.push(error) });
  // eslint-disable-next-line @typescript-eslint/require-await -- a result stream is an async generator
  const source = (async function* () {
    yield { data: { tick: 1 } };
    throw failure;
  })();
  let processor: Parameters<Parameters<NonNullable<Plugin['onResultProcess']>>[0]['setResultProcessor']>[0] | undefined;
  await plugin.onResultProcess?.({
    request: new Request('http://gateway.test/graphql', { headers: { accept: ACCEPT } }),
    result: source,
    setResult: () => undefined,
    resultProcessor: undefined,
    acceptableMediaTypes: [],
    setResultProcessor: (chosen) => {
      processor = chosen;
    },
    serverContext: {} as never,
  });
  if (processor === undefined) throw new Error('the plugin did not take the stream');
  const response = await processor(source, { Response, ReadableStream, TextEncoder } as unknown as FetchAPI, 'multipart/mixed');
  return { text: await response.text(), unexpected };
}

const part = (body: unknown) => `\r\ncontent-type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--graphql`;

describe('useApolloMultipartSubscriptions', () => {
  it('frames a completed subscription exactly', async () => {
    expect(await run(undefined)).toBe(
      `\r\n--graphql${part({ payload: { data: { tick: 1 } } })}${part({ payload: { data: { tick: 2 } } })}--\r\n`,
    );
  });

  it('a stream that breaks: yoga reports the error as the last payload (masked unless a GraphQL error), then the stream closes', async () => {
    const graphqlError = new GraphQLError('the event source went away', { extensions: { code: 'SHUTTING_DOWN', http: { status: 503 } } });
    expect(await run(graphqlError)).toBe(
      `\r\n--graphql${part({ payload: { data: { tick: 1 } } })}${part({ payload: { errors: [{ message: 'the event source went away', extensions: { code: 'SHUTTING_DOWN' } }] } })}--\r\n`,
    );
    const internal = await run(new Error('secret internals'));
    expect(internal).not.toContain('secret internals');
    expect(
      internal.endsWith(
        `${part({ payload: { errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] } })}--\r\n`,
      ),
    ).toBe(true);
  });

  it('a source that rejects is a transport-level error {"payload": null, "errors": [...]}, then the closing delimiter', async () => {
    const coded = await processRejecting(new GraphQLError('the event source went away', { extensions: { code: 'SHUTTING_DOWN' } }));
    expect(coded.text).toBe(
      `\r\n--graphql${part({ payload: { data: { tick: 1 } } })}${part({ payload: null, errors: [{ message: 'the event source went away', extensions: { code: 'SHUTTING_DOWN' } }] })}--\r\n`,
    );
    expect(coded.unexpected).toEqual([]);
    const failure = new Error('secret internals');
    const masked = await processRejecting(failure);
    expect(masked.text).not.toContain('secret internals');
    expect(
      masked.text.endsWith(
        `${part({ payload: null, errors: [{ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] })}--\r\n`,
      ),
    ).toBe(true);
    expect(masked.unexpected).toEqual([failure]);
  });
});
