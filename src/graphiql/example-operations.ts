/**
 * What GraphiQL opens with: one tab per feature, each a ready-to-run example against the demo
 * functions (`npm start`), and the auth header the gateway's configuration needs. GraphiQL uses
 * these only while the browser has no tabs of its own saved (clear the site's storage to get them
 * back). A test checks every example against the schema.
 */
import type { GraphiQLOptions } from 'graphql-yoga';
import type { ResolvedGatewayConfig } from '../config.ts';

/** The first tab: invoke `echo` and see every decoded field, logs included. */
export const GRAPHIQL_DEFAULT_QUERY = `# Invoke the demo function "echo" and read its logs.
mutation InvokeEcho {
  invokeFunction(input: { functionName: "echo", payload: { hello: "world" }, logType: TAIL }) {
    __typename
    ... on Invocation {
      requestId
      statusCode
      executedVersion
      payloadJson
      functionError { errorType errorMessage }
      decodedLogs
      report { durationMs billedDurationMs memorySizeMb maxMemoryUsedMb initDurationMs }
      durationMs
    }
    ... on Error { message }
  }
}
`;

export interface ExampleOperation {
  /** What the tab shows; GraphiQL names tabs after the first operation in them. */
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

export const EXAMPLE_OPERATIONS: readonly ExampleOperation[] = [
  { query: GRAPHIQL_DEFAULT_QUERY },
  {
    query: `# A function that runs and fails is data, not a GraphQL error: statusCode 200 and functionError.
mutation InvokeFail {
  invokeFunction(input: { functionName: "fail", payload: { message: "boom" }, logType: TAIL }) {
    ... on Invocation {
      requestId
      statusCode
      functionError { kind errorType errorMessage stackTrace }
      decodedLogs
    }
    ... on Error { message }
  }
}
`,
  },
  {
    query: `# A response stream (InvokeWithResponseStream): the demo "stream" writes its words 300 ms apart, and each
# arrives as it is written, numbered from 0, then one end event. Stop the subscription to abort the function.
subscription StreamTokens {
  invokeFunctionStream(input: { functionName: "stream", payload: { chunks: 9, intervalMs: 300 }, logType: TAIL }) {
    __typename
    ... on InvocationStreamChunk { sequence text base64 byteCount }
    ... on InvocationStreamEnd { totalBytes chunkCount durationMs functionError { errorType errorMessage } decodedLogs }
    ... on Error { message }
  }
}
`,
  },
  {
    query: `# Versions and aliases: "echo:live" (alias live -> version 1), qualifier "2", or $LATEST.
mutation InvokeVersions {
  latest: invokeFunction(input: { functionName: "echo", payload: "which code ran?" }) {
    ... on Invocation { executedVersion payloadJson }
    ... on Error { message }
  }
  live: invokeFunction(input: { functionName: "echo:live", payload: "which code ran?" }) {
    ... on Invocation { executedVersion payloadJson }
    ... on Error { message }
  }
  v2: invokeFunction(input: { functionName: "echo", qualifier: "2", payload: "which code ran?" }) {
    ... on Invocation { executedVersion payloadJson }
    ... on Error { message }
  }
}
`,
  },
  {
    query: `# Many invocations in one operation, concurrently, each its own outcome: one failure never fails the others.
mutation InvokeMany {
  invokeFunctions(inputs: [
    { functionName: "echo", payload: 1 }
    { functionName: "sleep", payload: { ms: 200 } }
    { functionName: "fail" }
    { functionName: "nope" }
    { functionName: "throttled" }
  ]) {
    __typename
    ... on Invocation { requestId payloadJson functionError { errorType errorMessage } durationMs }
    ... on FunctionNotFoundError { functionName }
    ... on ThrottledError { reason retryAfterSeconds }
    ... on Error { message }
  }
}
`,
  },
  {
    query: `# Typed fields: functions as typed GraphQL (typedFields in the configuration, JSON Schema in examples/typed-fields/).
# Six aliases, four distinct ids, nested orders: ONE users-get and ONE orders-by-user invocation
# (BatchInvoke; see recentInvocations' origin). user-404 does not exist: null.
query UsersWithOrders {
  ada: user(id: "user-1") { id name tier orders { id status total currency items { sku quantity } } }
  alan: user(id: "user-2") { id name orders { id total } }
  grace: user(id: "user-3") { id name orders { id total } }
  adaAgain: user(id: "user-1") { email joinedAt }
  alanAgain: user(id: "user-2") { orders { placedAt } }
  nobody: user(id: "user-404") { id }
}

# A write: never deduplicated nor batched (run it twice: two orders).
mutation PlaceOrder {
  placeOrder(input: { userId: "user-1", currency: GBP, items: [{ sku: "book-sicp", quantity: 1 }] }) { id status total currency }
}
`,
  },
  {
    query: `# DRY_RUN checks the function exists and may be invoked, running nothing (204).
# The client context reaches the function as context.clientContext; an idempotency key runs it at most once
# (run InvokeOnce twice: the second answer is the first one replayed).
mutation DryRun {
  invokeFunction(input: { functionName: "echo", invocationType: DRY_RUN }) {
    ... on Invocation { statusCode }
    ... on Error { message }
  }
}

mutation InvokeOnce($key: String!) {
  invokeFunction(input: { functionName: "echo", idempotencyKey: $key, clientContext: { custom: { tenant: "acme" } }, payload: { order: 42 } }) {
    ... on Invocation { requestId replayed payloadJson }
    ... on IdempotencyConflictError { idempotencyKey conflict }
    ... on Error { message }
  }
}
`,
    // Not the README's key: a key reused with another payload is refused for a day.
    variables: { key: 'graphiql-order-42' },
  },
  {
    query: `# EVENT: queued at once (202); the outcome arrives later through Lambda's destinations.
# 1. Run InvokeEvent and copy its requestId into the variables.
# 2. Run FollowInvocation: ACCEPTED, then FAILED with attempts 3 once the retries ran out.
mutation InvokeEvent {
  invokeFunction(input: { functionName: "fail", invocationType: EVENT }) {
    ... on Invocation { requestId statusCode }
    ... on Error { message }
  }
}

subscription FollowInvocation($requestId: ID!) {
  invocationUpdates(requestId: $requestId) {
    requestId
    status
    condition
    attempts
    responsePayload
    functionError { errorType errorMessage }
  }
}

query InvocationRecord($requestId: ID!) {
  invocation(requestId: $requestId) { requestId functionName status acceptedAt completedAt attempts }
}

subscription EventFeed {
  invocationEvents { requestId functionName status condition attempts }
}
`,
    variables: { requestId: 'paste the requestId from InvokeEvent' },
  },
  {
    query: `# Everything this gateway invokes, live (what /dashboard shows): the last 5 first, then each new one.
# Run it, then invoke something in another tab.
subscription LiveInvocations {
  invocationActivity(recent: 5) {
    id
    requestId
    functionName
    invocationType
    status
    statusCode
    durationMs
    errorType
    errorMessage
  }
}
`,
  },
  {
    query: `# What the gateway talks to, its limits, and what it ran recently.
query GatewayAndRecent {
  gateway { lambdaTarget region maxBatchSize invokeTimeoutMs }
  recentInvocations(last: 10) {
    id
    requestId
    functionName
    invocationType
    status
    durationMs
    completedAt
    hasLogs
  }
}
`,
  },
  {
    query: `# The functions you may invoke, as Lambda describes them, with their versions and aliases
# (an alias can shift a share of its traffic to another version: routingWeights).
# Cached for a few seconds per gateway (catalog.cacheTtlMs); a function you may not invoke is not listed.
query FunctionCatalog {
  functions {
    name
    description
    runtime
    handler
    memorySizeMb
    timeoutSeconds
    lastModified
  }
  echo: function(name: "echo") {
    arn
    versions { version description }
    aliases { name functionVersion description routingWeights { version weight } }
  }
}
`,
  },
];

/**
 * The headers a tab starts with: a placeholder for the credential the gateway asks for, to be
 * replaced with a real one. The same headers authenticate subscriptions (sent with each operation
 * over graphql-ws).
 */
export function graphiqlHeaders(config: ResolvedGatewayConfig): Record<string, string> {
  if (config.auth?.apiKeys !== undefined) return { 'x-api-key': '<your API key>' };
  if (config.auth?.jwt !== undefined) return { authorization: 'Bearer <your JWT>' };
  return {};
}

/** Yoga's GraphiQL options: the example tabs, the auth header, subscriptions over graphql-ws. */
export function graphiqlOptions(config: ResolvedGatewayConfig): GraphiQLOptions {
  const headers = JSON.stringify(graphiqlHeaders(config), null, 2);
  return {
    title: 'lambda-graphql-gateway',
    defaultQuery: GRAPHIQL_DEFAULT_QUERY,
    defaultTabs: EXAMPLE_OPERATIONS.map((example) => ({
      query: example.query,
      variables: example.variables === undefined ? null : JSON.stringify(example.variables, null, 2),
      headers,
    })),
    headers,
    defaultHeaders: headers,
    // The tabs with variables (InvokeOnce, FollowInvocation) need them seen. GraphiQL picks one
    // pane for all tabs, and opens Headers when initial headers are set: ask for Variables.
    defaultEditorToolsVisibility: 'variables',
    // GraphiQL subscribes over graphql-ws, served on the same path (transport/graphql-ws.ts).
    subscriptionsProtocol: 'WS',
  };
}
