/**
 * Tier-2 errors: the gateway's refusals of a request (who may ask, how much, in what form), as
 * opposed to the tier-1 outcomes of an invocation, which are typed data in the schema
 * (lambda/errors.ts, schema/errors.ts). Every code the gateway raises is in `GATEWAY_ERRORS`, with
 * the one HTTP status it answers with and when it is raised (the README's table says the same;
 * test/errors.test.ts holds the two together). Errors are built by the factories below, never by
 * hand, so the same code always has the same status and the same extension shape.
 *
 * Limits have one shape wherever they are refused: `limit` is the number that was passed,
 * `limitName` the configuration key that sets it, `actual` the figure the request came to (absent
 * when it is not known, as for a document over twice the token limit, whose lexing stops early).
 *
 * Refusals answered outside execution (an `onRequest` plugin, a WebSocket upgrade) are written by
 * `refusalResponse` / `refusalBody`. The rule for every path: a refusal is always the GraphQL
 * response shape `{ "errors": [{ "message", "extensions": { "code" } }] }` with the code's status.
 * On the GraphQL paths that is what a GraphQL client reads; the other paths (/lambda-destinations,
 * the dashboard, a WebSocket upgrade) use it too, so that anything calling the gateway parses one
 * shape for "no" — a draining gateway or a host check does not know which kind of client is
 * asking. Answers that are not refusals keep their own format: /health, /ready (its checks
 * report, 200 or 503), /metrics (Prometheus text), a destination record's 202 receipt, and a path
 * that does not exist (the landing page's pointers, or a dashboard file's plain 404, as a file
 * server answers).
 */
import { GraphQLError } from 'graphql';

/** Every code, its HTTP status, and when it is raised (the README's code table). */
export const GATEWAY_ERRORS = {
  UNAUTHENTICATED: {
    status: 401,
    when: 'no credentials where they are required, or an API key, bearer token or destination secret that is not valid',
  },
  FORBIDDEN: { status: 403, when: 'the access rules do not allow this caller to invoke, tail the logs of, or follow this function' },
  BAD_USER_INPUT: {
    status: 400,
    when: 'an argument or variable the operation cannot use: a batch over maxBatchSize, a count over activityLogSize, a variable that cannot be coerced',
  },
  BAD_REQUEST: {
    status: 400,
    when: 'a malformed HTTP request: an operationName that is not a string, a body that is not JSON, a malformed destination record',
  },
  METHOD_NOT_ALLOWED: { status: 405, when: 'a method the path does not take (destination records are POSTed)' },
  RATE_LIMITED: { status: 429, when: 'the caller ran rateLimit.operations operations in the window; Retry-After says when to try again' },
  MAX_TOKENS_EXCEEDED: { status: 400, when: 'the document has more lexical tokens than limits.maxTokens' },
  MAX_DEPTH_EXCEEDED: { status: 400, when: 'selections nest deeper than limits.maxDepth' },
  MAX_INTROSPECTION_DEPTH_EXCEEDED: { status: 400, when: 'an introspection query nests deeper than limits.maxIntrospectionDepth' },
  MAX_ALIASES_EXCEEDED: { status: 400, when: 'the document uses more aliases than limits.maxAliases' },
  MAX_COST_EXCEEDED: { status: 400, when: 'the operation costs more than limits.maxCost (each invocation costs limits.invocationCost)' },
  PERSISTED_QUERY_NOT_FOUND: { status: 400, when: 'no operation in the persisted-operations manifest has the hash sent' },
  PERSISTED_QUERY_ONLY: { status: 400, when: 'a document was sent to a gateway that runs only persisted operations' },
  PERSISTED_QUERY_ID_REQUIRED: { status: 400, when: 'the request has neither a document nor a persisted-operation hash' },
  OPERATION_RESOLUTION_FAILURE: {
    status: 400,
    when: 'no operation to run: several operations and no operationName, or a name the document lacks (yoga’s code)',
  },
  CSRF_HEADER_REQUIRED: { status: 403, when: 'a request a browser could send cross-site without a preflight, missing a CSRF header' },
  HOST_NOT_ALLOWED: { status: 403, when: 'the Host header is not a loopback name nor in allowedHosts (DNS rebinding)' },
  ORIGIN_NOT_ALLOWED: { status: 403, when: 'a WebSocket opened by a page of an origin CORS does not grant' },
  LENGTH_REQUIRED: { status: 411, when: 'a POST or PUT without Content-Length' },
  REQUEST_TOO_LARGE: { status: 413, when: 'a body over the request body limit (or a destination record over 8 MiB)' },
  INVOCATION_NOT_FOUND: { status: 404, when: 'a followed invocation id that no record names after the configured wait' },
  LAMBDA_UNAVAILABLE: {
    status: 502,
    when: 'Lambda refused, throttled or did not answer a read of the function catalog (awsErrorName names its error)',
  },
  SHUTTING_DOWN: { status: 503, when: 'the instance is draining; Retry-After: 1, retry on another instance' },
  // Typed fields' errors are errors of one field, at its path, beside the data of the others: the
  // response stays 200 (GraphQL over HTTP: a partial result is a success).
  FUNCTION_ERROR: {
    status: 200,
    when: 'a typed field’s function failed (or its batch item is an error): the field is null, with the function, request id, errorType and errorMessage',
  },
  RESULT_SCHEMA_MISMATCH: {
    status: 200,
    when: 'a typed field’s function returned what its result schema does not allow: the field is null, `resultPath` names the mismatch',
  },
  BATCH_LENGTH_MISMATCH: {
    status: 200,
    when: 'a batch-aware typed field’s function returned an array of another length than its batch (`expected`, `got`): every field of that batch is null',
  },
  INVOCATION_FAILED: {
    status: 200,
    when: 'a typed field’s function could not be invoked (not found, throttled, too large…): `errorType` names the reason, as the invokeFunction union would',
  },
} as const satisfies Record<string, { readonly status: number; readonly when: string }>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERRORS;

/** The codes that refuse a request for passing a configured limit. */
export type LimitCode =
  | 'BAD_USER_INPUT'
  | 'MAX_TOKENS_EXCEEDED'
  | 'MAX_DEPTH_EXCEEDED'
  | 'MAX_INTROSPECTION_DEPTH_EXCEEDED'
  | 'MAX_ALIASES_EXCEEDED'
  | 'MAX_COST_EXCEEDED';

/**
 * Codes raised by yoga, envelop or graphql-tools that reach clients unchanged: listed so that the
 * `code` extension's type tells the truth when read, while new errors can only carry ours.
 */
export type PassedOnErrorCode = 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED' | 'INTERNAL_SERVER_ERROR';

declare module 'graphql' {
  interface GraphQLErrorExtensions {
    code?: GatewayErrorCode | PassedOnErrorCode;
    /** The configured limit that was passed (a number; its key is `limitName`). */
    limit?: number;
    /** The configuration key that sets `limit`, e.g. `limits.maxDepth`. */
    limitName?: string;
    /** What the request came to, against `limit`. */
    actual?: number;
    /** RATE_LIMITED: the window `limit` counts over. */
    windowSeconds?: number;
    /** RATE_LIMITED: when the caller may try again (also in Retry-After). */
    retryAfterSeconds?: number;
    /** INVOCATION_NOT_FOUND: the id asked about, and how long the gateway waited for a record. */
    requestId?: string;
    waitedMs?: number;
    /** LAMBDA_UNAVAILABLE: the AWS error name (`TooManyRequestsException` …) or the network code. */
    awsErrorName?: string;
    /** Typed fields: the field (`Query.user`) and its function. */
    field?: string;
    functionName?: string;
    /** FUNCTION_ERROR, INVOCATION_FAILED: the error's type (`IntentionalFailure`, `FunctionNotFoundError`) and message. */
    errorType?: string | null;
    errorMessage?: string | null;
    /** RESULT_SCHEMA_MISMATCH: the JSON pointer of the mismatch in the function's result (`/orders/0/total`; `` for the whole). */
    resultPath?: string;
    /** BATCH_LENGTH_MISMATCH: the batch's length (`limit`-like figures are for configured limits). */
    expected?: number;
    /** BATCH_LENGTH_MISMATCH: the length of the array returned; null when it was not an array. */
    got?: number | null;
  }
}

/** The limit figures of a refusal. */
export interface LimitFigures {
  /** The configuration key, e.g. `limits.maxDepth`. */
  readonly name: string;
  readonly value: number;
  /** Undefined when not known (counting stopped early). */
  readonly actual?: number | undefined;
}

/** What a refusal may carry beside its code and status. */
export interface ErrorDetails {
  readonly limit?: LimitFigures;
  readonly headers?: Readonly<Record<string, string>>;
  readonly windowSeconds?: number;
  readonly retryAfterSeconds?: number;
  readonly requestId?: string;
  readonly waitedMs?: number;
  readonly awsErrorName?: string;
  readonly field?: string;
  readonly functionName?: string;
  readonly errorType?: string | null;
  readonly errorMessage?: string | null;
  readonly resultPath?: string;
  readonly expected?: number;
  readonly got?: number | null;
  /**
   * The status follows GraphQL over HTTP: yoga answers 200 to `Accept: application/json` (which
   * SHOULD get 200 for every well-formed request) and the code's status to
   * `application/graphql-response+json`.
   */
  readonly bySpec?: boolean;
}

/** The one constructor: `code`, its status from `GATEWAY_ERRORS`, and any details. */
export function gatewayError(code: GatewayErrorCode, message: string, details: ErrorDetails = {}): GraphQLError {
  const { limit, headers, bySpec, ...rest } = details;
  const http = {
    status: GATEWAY_ERRORS[code].status,
    ...(headers === undefined ? {} : { headers: { ...headers } }),
    ...(bySpec === true ? { spec: true } : {}),
  };
  const figures =
    limit === undefined
      ? {}
      : { limit: limit.value, limitName: limit.name, ...(limit.actual === undefined ? {} : { actual: limit.actual }) };
  return new GraphQLError(message, { extensions: { code, ...figures, ...rest, http } });
}

/** `challenge`: the WWW-Authenticate value, naming the schemes the caller may use. */
export function unauthenticated(message: string, challenge = 'Bearer, ApiKey'): GraphQLError {
  return gatewayError('UNAUTHENTICATED', message, { headers: { 'www-authenticate': challenge } });
}

export function forbidden(message: string): GraphQLError {
  return gatewayError('FORBIDDEN', message);
}

/**
 * An argument the operation cannot use: a request error, whose status follows GraphQL over HTTP.
 * `limit`: when the input is refused for passing a configured limit, its figures.
 */
export function badUserInput(message: string, limit?: LimitFigures): GraphQLError {
  return gatewayError('BAD_USER_INPUT', message, limit === undefined ? { bySpec: true } : { limit, bySpec: true });
}

export function badRequest(message: string): GraphQLError {
  return gatewayError('BAD_REQUEST', message);
}

/** The message every measured limit uses: the figure, the limit, and by how much it was passed. */
export function overTheLimit(what: string, actual: number, limit: number): string {
  return `${what} is ${actual}, over the limit of ${limit} by ${actual - limit}`;
}

/** `what`: the thing measured ("The query depth"); the message names the figure, the limit and the excess. */
export function limitExceeded(code: LimitCode, what: string, limit: LimitFigures & { readonly actual: number }): GraphQLError {
  return gatewayError(code, overTheLimit(what, limit.actual, limit.value), { limit });
}

/** For a limit whose refusal says more than `limitExceeded`'s message (a batch size, a count's range). */
export function limitRefusal(code: LimitCode, message: string, limit: LimitFigures): GraphQLError {
  return gatewayError(code, message, { limit });
}

export interface RateLimitFigures {
  readonly operations: number;
  readonly perSeconds: number;
  readonly retryAfterSeconds: number;
}

export function rateLimited({ operations, perSeconds, retryAfterSeconds }: RateLimitFigures): GraphQLError {
  return gatewayError(
    'RATE_LIMITED',
    `Rate limit of ${operations} operations per ${perSeconds} s reached for this caller; retry in ${retryAfterSeconds} s`,
    {
      limit: { name: 'rateLimit.operations', value: operations },
      windowSeconds: perSeconds,
      retryAfterSeconds,
      headers: { 'retry-after': String(retryAfterSeconds) },
    },
  );
}

export function invocationNotFound(message: string, requestId: string, waitedMs: number): GraphQLError {
  return gatewayError('INVOCATION_NOT_FOUND', message, { requestId, waitedMs });
}

/**
 * A read of Lambda that did not succeed, as opposed to an invocation's outcome (which is data):
 * `awsErrorName` is Lambda's error name or the network code; a throttle says when to retry.
 */
export function lambdaUnavailable(message: string, awsErrorName: string, retryAfterSeconds?: number): GraphQLError {
  return gatewayError('LAMBDA_UNAVAILABLE', message, {
    awsErrorName,
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds, headers: { 'retry-after': String(retryAfterSeconds) } }),
  });
}

/** A typed field's function ran and failed (or its batch item is an error-shaped item). */
export function functionError(
  field: string,
  functionName: string,
  requestId: string,
  failure: { readonly errorType?: string | undefined; readonly errorMessage?: string | undefined },
): GraphQLError {
  return gatewayError(
    'FUNCTION_ERROR',
    `${field}: ${functionName} failed: ${failure.errorType ?? 'Error'}: ${failure.errorMessage ?? ''}`,
    {
      field,
      functionName,
      requestId,
      errorType: failure.errorType ?? null,
      errorMessage: failure.errorMessage ?? null,
    },
  );
}

/** `resultPath`: ajv's instancePath of the first mismatch (`/orders/0/total`), `problem` its message (`must be number`). */
export function resultSchemaMismatch(
  field: string,
  functionName: string,
  requestId: string,
  resultPath: string,
  problem: string,
): GraphQLError {
  return gatewayError(
    'RESULT_SCHEMA_MISMATCH',
    `${field}: ${functionName} returned a result its schema does not allow: ${resultPath || '(the result)'} ${problem}`,
    {
      field,
      functionName,
      requestId,
      resultPath,
    },
  );
}

/** `got`: undefined when the result was not an array at all. */
export function batchLengthMismatch(
  field: string,
  functionName: string,
  requestId: string,
  expected: number,
  got: number | undefined,
): GraphQLError {
  return gatewayError(
    'BATCH_LENGTH_MISMATCH',
    `${field}: ${functionName} was given a batch of ${expected} and returned ${got === undefined ? 'no array' : `an array of ${got}`}; a batch result has one item per event, in order`,
    { field, functionName, requestId, expected, got: got ?? null },
  );
}

/** The invocation did not happen: one of the typed outcomes (lambda/errors.ts) `invokeFunction` would return. */
export function invocationFailed(
  field: string,
  functionName: string,
  failure: { readonly name: string; readonly message: string },
): GraphQLError {
  return gatewayError('INVOCATION_FAILED', `${field}: ${functionName} could not be invoked: ${failure.message}`, {
    field,
    functionName,
    errorType: failure.name,
    errorMessage: failure.message,
  });
}

/** The same error (message, location, path, cause) with other extensions. */
export function withExtensions(error: GraphQLError, extensions: GraphQLError['extensions']): GraphQLError {
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions,
  });
}

/**
 * The same error without `extensions.http`: that extension tells yoga how to answer over HTTP,
 * and means nothing to a client where the status is already sent (an SSE stream, a WebSocket).
 */
export function withoutHttp(error: GraphQLError): GraphQLError {
  if (error.extensions.http === undefined) return error;
  const extensions = { ...error.extensions };
  delete extensions.http;
  return withExtensions(error, extensions);
}

/** The body of every refusal written outside execution (see the rule at the top of this file). */
export function refusalBody(code: GatewayErrorCode, message: string): string {
  return JSON.stringify({ errors: [{ message, extensions: { code } }] });
}

/**
 * A refusal for an `onRequest` plugin to end the request with: `refusalBody`, the code's status,
 * `content-type: application/json`, and `headers` (Retry-After, Allow, Connection: close …).
 */
export function refusalResponse(code: GatewayErrorCode, message: string, headers: Readonly<Record<string, string>> = {}): Response {
  return new Response(refusalBody(code, message), {
    status: GATEWAY_ERRORS[code].status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
