/**
 * Request errors raised before execution begins, answered as the GraphQL-over-HTTP spec asks: a
 * variable value that cannot be coerced, a null for a non-null variable, several operations and no
 * `operationName`, an `operationName` the document does not have.
 *
 * Yoga answers them 400 whatever the client accepts. The spec says SHOULD 200 for
 * `application/json` (a client of that media type cannot tell a gateway's 400 from a proxy's, so it
 * distrusts the body and loses the message) and 400 for `application/graphql-response+json`; and
 * over SSE a 400 fails the stream, where the GraphQL over SSE protocol says the errors MUST come on
 * an accepted stream as a `next` event. Yoga already does all of this for parse and validation
 * errors, which carry `extensions.http.spec`; marking these errors the same way makes its result
 * processors do it for them too (no status of our own to keep in step with yoga's). They also get
 * a code: BAD_USER_INPUT for variables (yoga's executor gives them none), and yoga's own
 * OPERATION_RESOLUTION_FAILURE for the operation choice.
 *
 * An `operationName` that is not a string is another matter: not a GraphQL request that names no
 * operation, but a malformed HTTP request (400 whatever is accepted, BAD_REQUEST), as yoga already
 * answers a query or variables of the wrong type — it checks every parameter's type but this one.
 */
import { type ExecutionResult, GraphQLError } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';
import { badRequest, type GatewayErrorCode, withExtensions } from '../errors.ts';

/** Yoga's code for "no operation to run" (`usePreventMutationViaGET` raises it while parsing). */
const OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE' satisfies GatewayErrorCode;

/** The same error, with `code` and the marks yoga reads to choose the status by media type. */
function asRequestError(error: GraphQLError, code: GatewayErrorCode): GraphQLError {
  return withExtensions(error, { ...error.extensions, code, http: { ...error.extensions.http, status: 400, spec: true } });
}

/**
 * An execution result without a data entry holds request errors (GraphQL spec, "Response": data is
 * absent when an error is raised before execution begins). Of those, the ones
 * @graphql-tools/executor raised itself while coercing variables carry its mark, `http.status`
 * 400, and no code (execute) or BAD_USER_INPUT (subscribe). Others — a subscription refused with
 * FORBIDDEN, an unexpected error — keep the status they have.
 */
function isVariableError(error: GraphQLError): boolean {
  const { code, http } = error.extensions;
  return http?.status === 400 && http.spec === undefined && (code === undefined || code === 'BAD_USER_INPUT');
}

function withVariableCodes(result: ExecutionResult): ExecutionResult | undefined {
  if ('data' in result || result.errors === undefined || !result.errors.some(isVariableError)) return undefined;
  return { ...result, errors: result.errors.map((error) => (isVariableError(error) ? asRequestError(error, 'BAD_USER_INPUT') : error)) };
}

function typeName(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

export function useRequestErrors(): Plugin {
  return {
    onParams({ params }) {
      const name: unknown = params.operationName;
      if (name === undefined || name === null || typeof name === 'string') return;
      throw badRequest(`Expected "operationName" param to be a string, but given ${typeName(name)}.`);
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if (isAsyncIterable(result) || 'initialResult' in result) return;
          const coded = withVariableCodes(result);
          if (coded !== undefined) setResult(coded);
        },
      };
    },
    onSubscribe() {
      return {
        // A subscription refused before it starts is a result, not a stream.
        onSubscribeResult({ result, setResult }) {
          if (isAsyncIterable(result)) return;
          const coded = withVariableCodes(result);
          if (coded !== undefined) setResult(coded);
        },
      };
    },
    // Yoga raises this one while parsing, outside execute: it reaches the client as a result.
    onExecutionResult(payload) {
      const { result } = payload;
      if (result === undefined || isAsyncIterable(result) || result.errors === undefined) return;
      if (!result.errors.some((error) => error.extensions?.code === OPERATION_RESOLUTION_FAILURE)) return;
      payload.setResult({
        ...result,
        errors: result.errors.map((error) =>
          error instanceof GraphQLError && error.extensions.code === OPERATION_RESOLUTION_FAILURE
            ? asRequestError(error, OPERATION_RESOLUTION_FAILURE)
            : error,
        ),
      });
    },
  };
}
