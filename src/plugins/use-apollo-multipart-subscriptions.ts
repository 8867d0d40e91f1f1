/**
 * Subscriptions over plain HTTP the way Apollo Client's `HttpLink` asks for them: Apollo's multipart
 * subscription protocol (https://www.apollographql.com/docs/graphos/routing/operations/subscriptions/multipart-protocol).
 *
 * Yoga serves subscriptions over SSE only (a subscription asking for `multipart/mixed` gets 406);
 * its own `multipart/mixed` (incremental delivery, for `@defer`/`@stream`, boundary `-`) is offered
 * for queries and mutations, and its parts are bare execution results, which Apollo's subscription
 * parser does not read: it wants each result wrapped as `{"payload": …}`. So a request whose Accept header carries `subscriptionSpec` (what only Apollo's
 * clients send) gets this format, and every other client keeps yoga's formats untouched:
 *
 * - `content-type: multipart/mixed;boundary="graphql";subscriptionSpec="1.0"`, status 200;
 * - each part `content-type: application/json`, body `{"payload": <ExecutionResult>}` — GraphQL
 *   errors of one event stay inside the payload;
 * - a heartbeat part `{}` every `heartbeatIntervalMs`, so proxies do not cut an idle stream;
 * - a failure of the stream itself (a transport-level error) is `{"payload": null, "errors": […]}`,
 *   and ends the stream. (An error thrown by a subscription's source reaches us already turned
 *   into a last result by graphql-js and envelop, so it stays a payload; this is for what fails
 *   below them.)
 * - the closing delimiter `--graphql--` when the subscription completes.
 *
 * Every part is followed at once by the next delimiter: a multipart reader can only tell a part is
 * complete when it sees the delimiter after it, so writing it late would hold each event back until
 * the next one. A client that disconnects cancels the response stream, which returns the source
 * iterator: the subscription is released at once, not at its next event.
 */
import type { ExecutionResult, GraphQLError, GraphQLFormattedError } from 'graphql';
import { type FetchAPI, isAsyncIterable, maskError, type Plugin } from 'graphql-yoga';

export interface ApolloMultipartOptions {
  /**
   * How often an idle stream gets a heartbeat part. Apollo's own router sends one every 5 seconds.
   * @default 5000
   */
  readonly heartbeatIntervalMs?: number;
  /** Told about failures that are not GraphQL errors (they are masked on the wire). */
  readonly onUnexpectedError?: (error: unknown) => void;
}

const BOUNDARY = 'graphql';
export const APOLLO_MULTIPART_CONTENT_TYPE = `multipart/mixed;boundary="${BOUNDARY}";subscriptionSpec="1.0"`;
const DELIMITER = `\r\n--${BOUNDARY}`;
const PART_HEADERS = '\r\ncontent-type: application/json\r\n\r\n';
const CLOSE = '--\r\n';

/**
 * Whether the Accept header asks for Apollo's subscription format: a `multipart/mixed` entry with a
 * `subscriptionSpec` parameter (quoted or not, any spacing or case).
 */
export function acceptsApolloMultipart(accept: string | null): boolean {
  if (accept === null) return false;
  return accept.split(',').some((entry) => {
    const [mediaType, ...parameters] = entry.split(';').map((part) => part.trim().toLowerCase());
    return mediaType === 'multipart/mixed' && parameters.some((parameter) => /^subscriptionspec\s*=\s*"?1\.0"?$/.test(parameter));
  });
}

/** A GraphQL error as it goes on the wire, without yoga's internal extensions. */
function wireError(error: GraphQLError): GraphQLFormattedError {
  const { extensions: all, ...rest } = error.toJSON();
  if (all === undefined) return rest;
  const extensions = { ...all };
  delete extensions.http;
  delete extensions.unexpected;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

function wireResult(result: ExecutionResult): Record<string, unknown> {
  const wire: Record<string, unknown> = {};
  if (result.errors !== undefined) wire.errors = result.errors.map((error) => wireError(error));
  if ('data' in result) wire.data = result.data;
  if (result.extensions !== undefined) {
    const extensions: Record<string, unknown> = { ...result.extensions };
    delete extensions.http;
    if (Object.keys(extensions).length > 0) wire.extensions = extensions;
  }
  return wire;
}

function part(body: unknown): string {
  return `${PART_HEADERS}${JSON.stringify(body)}${DELIMITER}`;
}

/**
 * The stream and response are made with yoga's fetch API (the server adapter's own classes): only
 * then does the Node adapter cancel the stream when the client disconnects.
 */
function streamResponse(
  source: AsyncIterable<ExecutionResult>,
  fetchAPI: FetchAPI,
  options: Required<Pick<ApolloMultipartOptions, 'heartbeatIntervalMs'>> & ApolloMultipartOptions,
): Response {
  const encoder = new fetchAPI.TextEncoder();
  const iterator = source[Symbol.asyncIterator]();
  let heartbeat: NodeJS.Timeout | undefined;
  let ended = false;
  const end = (): void => {
    ended = true;
    clearInterval(heartbeat);
  };
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // The opening delimiter goes out at once: it flushes the response head, so the client knows
      // the subscription was accepted before the first event.
      controller.enqueue(encoder.encode(DELIMITER));
      heartbeat = setInterval(() => {
        // Not into a full queue: a client that reads nothing needs no keep-alive either.
        if (!ended && controller.desiredSize !== null && controller.desiredSize > 0) controller.enqueue(encoder.encode(part({})));
      }, options.heartbeatIntervalMs);
    },
    async pull(controller) {
      let next: IteratorResult<ExecutionResult>;
      try {
        next = await iterator.next();
      } catch (error) {
        if (ended) return;
        end();
        const masked = maskError(error, 'Unexpected error.', false) as GraphQLError;
        if (masked !== error || masked.extensions.unexpected === true) options.onUnexpectedError?.(error);
        controller.enqueue(encoder.encode(part({ payload: null, errors: [wireError(masked)] }) + CLOSE));
        controller.close();
        return;
      }
      if (ended) return;
      if (next.done === true) {
        end();
        controller.enqueue(encoder.encode(CLOSE));
        controller.close();
        return;
      }
      controller.enqueue(encoder.encode(part({ payload: wireResult(next.value) })));
    },
    async cancel() {
      // The client went away: release the subscription now.
      end();
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: { 'content-type': APOLLO_MULTIPART_CONTENT_TYPE, 'cache-control': 'no-cache' },
  });
}

/**
 * Serves subscription results in Apollo's multipart format to requests that ask for it
 * (`Accept: multipart/mixed;subscriptionSpec=1.0`); everything else is left to yoga.
 */
export function useApolloMultipartSubscriptions(options: ApolloMultipartOptions = {}): Plugin {
  const resolved = { ...options, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5000 };
  return {
    onResultProcess(payload) {
      // Only streams: a subscription refused before it started (validation, authentication) is a
      // single result, which Apollo reads as plain JSON like any other response.
      if (!isAsyncIterable(payload.result) || !acceptsApolloMultipart(payload.request.headers.get('accept'))) return;
      payload.setResultProcessor(
        (input, fetchAPI) => streamResponse(input as AsyncIterable<ExecutionResult>, fetchAPI, resolved),
        'multipart/mixed',
      );
    },
  };
}
