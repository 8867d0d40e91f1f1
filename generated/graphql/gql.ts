/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ExampleGateway {\n    gateway {\n      lambdaTarget\n      region\n    }\n  }\n": typeof types.ExampleGatewayDocument,
    "\n  mutation ExampleInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        payloadJson\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on ThrottledError {\n        retryAfterSeconds\n      }\n    }\n  }\n": typeof types.ExampleInvokeDocument,
    "\n  subscription ExampleFollow($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n": typeof types.ExampleFollowDocument,
    "\n  query ExampleInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n": typeof types.ExampleInvocationDocument,
    "\n  query ExampleUsersWithOrders($first: ID!, $second: ID!) {\n    first: user(id: $first) {\n      id\n      name\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n    second: user(id: $second) {\n      id\n      name\n      orders {\n        id\n        total\n      }\n    }\n  }\n": typeof types.ExampleUsersWithOrdersDocument,
    "\n  mutation ServiceInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        executedVersion\n        payloadJson\n        replayed\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on FunctionNotFoundError {\n        functionName\n        qualifier\n      }\n      ... on ThrottledError {\n        reason\n        retryAfterSeconds\n      }\n      ... on InvalidInvocationError {\n        code\n        field\n      }\n      ... on PayloadTooLargeError {\n        part\n        limitBytes\n        sizeBytes\n      }\n      ... on InvocationTimeoutError {\n        timeoutMs\n      }\n      ... on LambdaServiceError {\n        code\n        httpStatus\n      }\n      ... on IdempotencyConflictError {\n        idempotencyKey\n        conflict\n      }\n    }\n  }\n": typeof types.ServiceInvokeDocument,
    "\n  query ServiceInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      functionName\n      status\n      attempts\n      responsePayload\n      functionError {\n        errorType\n        errorMessage\n      }\n    }\n  }\n": typeof types.ServiceInvocationDocument,
    "\n  query ServiceUser($id: ID!) {\n    user(id: $id) {\n      id\n      name\n      tier\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n  }\n": typeof types.ServiceUserDocument,
    "\n  mutation ServicePlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      currency\n    }\n  }\n": typeof types.ServicePlaceOrderDocument,
    "\n  fragment SummaryFields on InvocationSummary {\n    id\n    requestId\n    gatewayRequestId\n    functionName\n    qualifier\n    invocationType\n    status\n    statusCode\n    executedVersion\n    durationMs\n    startedAt\n    completedAt\n    attempts\n    errorType\n    errorMessage\n    hasLogs\n    decodedLogs\n    functionError {\n      errorType\n      errorMessage\n    }\n    report {\n      durationMs\n    }\n  }\n": typeof types.SummaryFieldsFragmentDoc,
    "\n  query RecentInvocations($functionName: String, $last: Int) {\n    recentInvocations(functionName: $functionName, last: $last) {\n      ...SummaryFields\n    }\n  }\n": typeof types.RecentInvocationsDocument,
    "\n  query RecentInvocation($id: ID!) {\n    recentInvocation(id: $id) {\n      ...SummaryFields\n    }\n  }\n": typeof types.RecentInvocationDocument,
    "\n  subscription InvocationActivity($functionName: String, $recent: Int) {\n    invocationActivity(functionName: $functionName, recent: $recent) {\n      ...SummaryFields\n    }\n  }\n": typeof types.InvocationActivityDocument,
    "\n  query RecentStatuses($functionName: String) {\n    recentInvocations(functionName: $functionName, last: 50) {\n      requestId\n      status\n    }\n  }\n": typeof types.RecentStatusesDocument,
    "\n  fragment InvokeResultFields on InvokeFunctionResult {\n    __typename\n    ... on Error {\n      message\n    }\n    ... on Invocation {\n      requestId\n      functionName\n      qualifier\n      invocationType\n      statusCode\n      executedVersion\n      payloadJson\n      payloadText\n      payloadSizeBytes\n      logResult\n      decodedLogs\n      durationMs\n      replayed\n      functionError {\n        kind\n        errorType\n        errorMessage\n        stackTrace\n      }\n      report {\n        durationMs\n        billedDurationMs\n        memorySizeMb\n        maxMemoryUsedMb\n        initDurationMs\n        status\n        errorType\n      }\n    }\n    ... on FunctionNotFoundError {\n      functionName\n      qualifier\n    }\n    ... on ThrottledError {\n      reason\n      retryAfterSeconds\n    }\n    ... on InvalidInvocationError {\n      code\n      field\n    }\n    ... on PayloadTooLargeError {\n      part\n      limitBytes\n      sizeBytes\n      excessBytes\n    }\n    ... on InvocationTimeoutError {\n      timeoutMs\n    }\n    ... on LambdaServiceError {\n      code\n      httpStatus\n      lambdaRequestId\n    }\n    ... on IdempotencyConflictError {\n      idempotencyKey\n      conflict\n    }\n  }\n": typeof types.InvokeResultFieldsFragmentDoc,
    "\n  mutation InvokeFunction($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      ...InvokeResultFields\n    }\n  }\n": typeof types.InvokeFunctionDocument,
    "\n  mutation InvokeFunctions($inputs: [InvokeFunctionInput!]!) {\n    invokeFunctions(inputs: $inputs) {\n      ...InvokeResultFields\n    }\n  }\n": typeof types.InvokeFunctionsDocument,
    "\n  query GatewayInfo {\n    gateway {\n      lambdaTarget\n      region\n      maxBatchSize\n      invokeTimeoutMs\n    }\n  }\n": typeof types.GatewayInfoDocument,
    "\n  fragment InvocationRecordFields on InvocationRecord {\n    requestId\n    functionName\n    qualifier\n    status\n    startedByGateway\n    acceptedAt\n    expiresAt\n    completedAt\n    condition\n    attempts\n    executedVersion\n    requestPayload\n    responsePayload\n    functionError {\n      kind\n      errorType\n      errorMessage\n    }\n  }\n": typeof types.InvocationRecordFieldsFragmentDoc,
    "\n  query Invocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n": typeof types.InvocationDocument,
    "\n  subscription InvocationUpdates($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n": typeof types.InvocationUpdatesDocument,
    "\n  subscription InvocationEvents($functionName: String) {\n    invocationEvents(functionName: $functionName) {\n      ...InvocationRecordFields\n    }\n  }\n": typeof types.InvocationEventsDocument,
    "\n  fragment CatalogFunctionFields on LambdaFunction {\n    name\n    arn\n    description\n    runtime\n    handler\n    memorySizeMb\n    timeoutSeconds\n    lastModified\n  }\n": typeof types.CatalogFunctionFieldsFragmentDoc,
    "\n  query Functions {\n    functions {\n      ...CatalogFunctionFields\n    }\n  }\n": typeof types.FunctionsDocument,
    "\n  query FunctionsWithQualifiers {\n    functions {\n      name\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n": typeof types.FunctionsWithQualifiersDocument,
    "\n  query Function($name: String!) {\n    function(name: $name) {\n      ...CatalogFunctionFields\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n": typeof types.FunctionDocument,
    "\n  query EchoTwice {\n    a: function(name: \"echo\") {\n      versions {\n        version\n      }\n    }\n    b: function(name: \"echo\") {\n      aliases {\n        name\n      }\n      versions {\n        version\n      }\n    }\n  }\n": typeof types.EchoTwiceDocument,
};
const documents: Documents = {
    "\n  query ExampleGateway {\n    gateway {\n      lambdaTarget\n      region\n    }\n  }\n": types.ExampleGatewayDocument,
    "\n  mutation ExampleInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        payloadJson\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on ThrottledError {\n        retryAfterSeconds\n      }\n    }\n  }\n": types.ExampleInvokeDocument,
    "\n  subscription ExampleFollow($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n": types.ExampleFollowDocument,
    "\n  query ExampleInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n": types.ExampleInvocationDocument,
    "\n  query ExampleUsersWithOrders($first: ID!, $second: ID!) {\n    first: user(id: $first) {\n      id\n      name\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n    second: user(id: $second) {\n      id\n      name\n      orders {\n        id\n        total\n      }\n    }\n  }\n": types.ExampleUsersWithOrdersDocument,
    "\n  mutation ServiceInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        executedVersion\n        payloadJson\n        replayed\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on FunctionNotFoundError {\n        functionName\n        qualifier\n      }\n      ... on ThrottledError {\n        reason\n        retryAfterSeconds\n      }\n      ... on InvalidInvocationError {\n        code\n        field\n      }\n      ... on PayloadTooLargeError {\n        part\n        limitBytes\n        sizeBytes\n      }\n      ... on InvocationTimeoutError {\n        timeoutMs\n      }\n      ... on LambdaServiceError {\n        code\n        httpStatus\n      }\n      ... on IdempotencyConflictError {\n        idempotencyKey\n        conflict\n      }\n    }\n  }\n": types.ServiceInvokeDocument,
    "\n  query ServiceInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      functionName\n      status\n      attempts\n      responsePayload\n      functionError {\n        errorType\n        errorMessage\n      }\n    }\n  }\n": types.ServiceInvocationDocument,
    "\n  query ServiceUser($id: ID!) {\n    user(id: $id) {\n      id\n      name\n      tier\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n  }\n": types.ServiceUserDocument,
    "\n  mutation ServicePlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      currency\n    }\n  }\n": types.ServicePlaceOrderDocument,
    "\n  fragment SummaryFields on InvocationSummary {\n    id\n    requestId\n    gatewayRequestId\n    functionName\n    qualifier\n    invocationType\n    status\n    statusCode\n    executedVersion\n    durationMs\n    startedAt\n    completedAt\n    attempts\n    errorType\n    errorMessage\n    hasLogs\n    decodedLogs\n    functionError {\n      errorType\n      errorMessage\n    }\n    report {\n      durationMs\n    }\n  }\n": types.SummaryFieldsFragmentDoc,
    "\n  query RecentInvocations($functionName: String, $last: Int) {\n    recentInvocations(functionName: $functionName, last: $last) {\n      ...SummaryFields\n    }\n  }\n": types.RecentInvocationsDocument,
    "\n  query RecentInvocation($id: ID!) {\n    recentInvocation(id: $id) {\n      ...SummaryFields\n    }\n  }\n": types.RecentInvocationDocument,
    "\n  subscription InvocationActivity($functionName: String, $recent: Int) {\n    invocationActivity(functionName: $functionName, recent: $recent) {\n      ...SummaryFields\n    }\n  }\n": types.InvocationActivityDocument,
    "\n  query RecentStatuses($functionName: String) {\n    recentInvocations(functionName: $functionName, last: 50) {\n      requestId\n      status\n    }\n  }\n": types.RecentStatusesDocument,
    "\n  fragment InvokeResultFields on InvokeFunctionResult {\n    __typename\n    ... on Error {\n      message\n    }\n    ... on Invocation {\n      requestId\n      functionName\n      qualifier\n      invocationType\n      statusCode\n      executedVersion\n      payloadJson\n      payloadText\n      payloadSizeBytes\n      logResult\n      decodedLogs\n      durationMs\n      replayed\n      functionError {\n        kind\n        errorType\n        errorMessage\n        stackTrace\n      }\n      report {\n        durationMs\n        billedDurationMs\n        memorySizeMb\n        maxMemoryUsedMb\n        initDurationMs\n        status\n        errorType\n      }\n    }\n    ... on FunctionNotFoundError {\n      functionName\n      qualifier\n    }\n    ... on ThrottledError {\n      reason\n      retryAfterSeconds\n    }\n    ... on InvalidInvocationError {\n      code\n      field\n    }\n    ... on PayloadTooLargeError {\n      part\n      limitBytes\n      sizeBytes\n      excessBytes\n    }\n    ... on InvocationTimeoutError {\n      timeoutMs\n    }\n    ... on LambdaServiceError {\n      code\n      httpStatus\n      lambdaRequestId\n    }\n    ... on IdempotencyConflictError {\n      idempotencyKey\n      conflict\n    }\n  }\n": types.InvokeResultFieldsFragmentDoc,
    "\n  mutation InvokeFunction($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      ...InvokeResultFields\n    }\n  }\n": types.InvokeFunctionDocument,
    "\n  mutation InvokeFunctions($inputs: [InvokeFunctionInput!]!) {\n    invokeFunctions(inputs: $inputs) {\n      ...InvokeResultFields\n    }\n  }\n": types.InvokeFunctionsDocument,
    "\n  query GatewayInfo {\n    gateway {\n      lambdaTarget\n      region\n      maxBatchSize\n      invokeTimeoutMs\n    }\n  }\n": types.GatewayInfoDocument,
    "\n  fragment InvocationRecordFields on InvocationRecord {\n    requestId\n    functionName\n    qualifier\n    status\n    startedByGateway\n    acceptedAt\n    expiresAt\n    completedAt\n    condition\n    attempts\n    executedVersion\n    requestPayload\n    responsePayload\n    functionError {\n      kind\n      errorType\n      errorMessage\n    }\n  }\n": types.InvocationRecordFieldsFragmentDoc,
    "\n  query Invocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n": types.InvocationDocument,
    "\n  subscription InvocationUpdates($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n": types.InvocationUpdatesDocument,
    "\n  subscription InvocationEvents($functionName: String) {\n    invocationEvents(functionName: $functionName) {\n      ...InvocationRecordFields\n    }\n  }\n": types.InvocationEventsDocument,
    "\n  fragment CatalogFunctionFields on LambdaFunction {\n    name\n    arn\n    description\n    runtime\n    handler\n    memorySizeMb\n    timeoutSeconds\n    lastModified\n  }\n": types.CatalogFunctionFieldsFragmentDoc,
    "\n  query Functions {\n    functions {\n      ...CatalogFunctionFields\n    }\n  }\n": types.FunctionsDocument,
    "\n  query FunctionsWithQualifiers {\n    functions {\n      name\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n": types.FunctionsWithQualifiersDocument,
    "\n  query Function($name: String!) {\n    function(name: $name) {\n      ...CatalogFunctionFields\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n": types.FunctionDocument,
    "\n  query EchoTwice {\n    a: function(name: \"echo\") {\n      versions {\n        version\n      }\n    }\n    b: function(name: \"echo\") {\n      aliases {\n        name\n      }\n      versions {\n        version\n      }\n    }\n  }\n": types.EchoTwiceDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleGateway {\n    gateway {\n      lambdaTarget\n      region\n    }\n  }\n"): (typeof documents)["\n  query ExampleGateway {\n    gateway {\n      lambdaTarget\n      region\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExampleInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        payloadJson\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on ThrottledError {\n        retryAfterSeconds\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ExampleInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        payloadJson\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on ThrottledError {\n        retryAfterSeconds\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExampleFollow($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n"): (typeof documents)["\n  subscription ExampleFollow($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n"): (typeof documents)["\n  query ExampleInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      status\n      attempts\n      responsePayload\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExampleUsersWithOrders($first: ID!, $second: ID!) {\n    first: user(id: $first) {\n      id\n      name\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n    second: user(id: $second) {\n      id\n      name\n      orders {\n        id\n        total\n      }\n    }\n  }\n"): (typeof documents)["\n  query ExampleUsersWithOrders($first: ID!, $second: ID!) {\n    first: user(id: $first) {\n      id\n      name\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n    second: user(id: $second) {\n      id\n      name\n      orders {\n        id\n        total\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ServiceInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        executedVersion\n        payloadJson\n        replayed\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on FunctionNotFoundError {\n        functionName\n        qualifier\n      }\n      ... on ThrottledError {\n        reason\n        retryAfterSeconds\n      }\n      ... on InvalidInvocationError {\n        code\n        field\n      }\n      ... on PayloadTooLargeError {\n        part\n        limitBytes\n        sizeBytes\n      }\n      ... on InvocationTimeoutError {\n        timeoutMs\n      }\n      ... on LambdaServiceError {\n        code\n        httpStatus\n      }\n      ... on IdempotencyConflictError {\n        idempotencyKey\n        conflict\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ServiceInvoke($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n      ... on Invocation {\n        requestId\n        statusCode\n        executedVersion\n        payloadJson\n        replayed\n        functionError {\n          errorType\n          errorMessage\n        }\n      }\n      ... on FunctionNotFoundError {\n        functionName\n        qualifier\n      }\n      ... on ThrottledError {\n        reason\n        retryAfterSeconds\n      }\n      ... on InvalidInvocationError {\n        code\n        field\n      }\n      ... on PayloadTooLargeError {\n        part\n        limitBytes\n        sizeBytes\n      }\n      ... on InvocationTimeoutError {\n        timeoutMs\n      }\n      ... on LambdaServiceError {\n        code\n        httpStatus\n      }\n      ... on IdempotencyConflictError {\n        idempotencyKey\n        conflict\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      functionName\n      status\n      attempts\n      responsePayload\n      functionError {\n        errorType\n        errorMessage\n      }\n    }\n  }\n"): (typeof documents)["\n  query ServiceInvocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      requestId\n      functionName\n      status\n      attempts\n      responsePayload\n      functionError {\n        errorType\n        errorMessage\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ServiceUser($id: ID!) {\n    user(id: $id) {\n      id\n      name\n      tier\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n  }\n"): (typeof documents)["\n  query ServiceUser($id: ID!) {\n    user(id: $id) {\n      id\n      name\n      tier\n      orders {\n        id\n        status\n        total\n        currency\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ServicePlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      currency\n    }\n  }\n"): (typeof documents)["\n  mutation ServicePlaceOrder($input: PlaceOrderInput!) {\n    placeOrder(input: $input) {\n      id\n      status\n      total\n      currency\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SummaryFields on InvocationSummary {\n    id\n    requestId\n    gatewayRequestId\n    functionName\n    qualifier\n    invocationType\n    status\n    statusCode\n    executedVersion\n    durationMs\n    startedAt\n    completedAt\n    attempts\n    errorType\n    errorMessage\n    hasLogs\n    decodedLogs\n    functionError {\n      errorType\n      errorMessage\n    }\n    report {\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  fragment SummaryFields on InvocationSummary {\n    id\n    requestId\n    gatewayRequestId\n    functionName\n    qualifier\n    invocationType\n    status\n    statusCode\n    executedVersion\n    durationMs\n    startedAt\n    completedAt\n    attempts\n    errorType\n    errorMessage\n    hasLogs\n    decodedLogs\n    functionError {\n      errorType\n      errorMessage\n    }\n    report {\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentInvocations($functionName: String, $last: Int) {\n    recentInvocations(functionName: $functionName, last: $last) {\n      ...SummaryFields\n    }\n  }\n"): (typeof documents)["\n  query RecentInvocations($functionName: String, $last: Int) {\n    recentInvocations(functionName: $functionName, last: $last) {\n      ...SummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentInvocation($id: ID!) {\n    recentInvocation(id: $id) {\n      ...SummaryFields\n    }\n  }\n"): (typeof documents)["\n  query RecentInvocation($id: ID!) {\n    recentInvocation(id: $id) {\n      ...SummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InvocationActivity($functionName: String, $recent: Int) {\n    invocationActivity(functionName: $functionName, recent: $recent) {\n      ...SummaryFields\n    }\n  }\n"): (typeof documents)["\n  subscription InvocationActivity($functionName: String, $recent: Int) {\n    invocationActivity(functionName: $functionName, recent: $recent) {\n      ...SummaryFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentStatuses($functionName: String) {\n    recentInvocations(functionName: $functionName, last: 50) {\n      requestId\n      status\n    }\n  }\n"): (typeof documents)["\n  query RecentStatuses($functionName: String) {\n    recentInvocations(functionName: $functionName, last: 50) {\n      requestId\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvokeResultFields on InvokeFunctionResult {\n    __typename\n    ... on Error {\n      message\n    }\n    ... on Invocation {\n      requestId\n      functionName\n      qualifier\n      invocationType\n      statusCode\n      executedVersion\n      payloadJson\n      payloadText\n      payloadSizeBytes\n      logResult\n      decodedLogs\n      durationMs\n      replayed\n      functionError {\n        kind\n        errorType\n        errorMessage\n        stackTrace\n      }\n      report {\n        durationMs\n        billedDurationMs\n        memorySizeMb\n        maxMemoryUsedMb\n        initDurationMs\n        status\n        errorType\n      }\n    }\n    ... on FunctionNotFoundError {\n      functionName\n      qualifier\n    }\n    ... on ThrottledError {\n      reason\n      retryAfterSeconds\n    }\n    ... on InvalidInvocationError {\n      code\n      field\n    }\n    ... on PayloadTooLargeError {\n      part\n      limitBytes\n      sizeBytes\n      excessBytes\n    }\n    ... on InvocationTimeoutError {\n      timeoutMs\n    }\n    ... on LambdaServiceError {\n      code\n      httpStatus\n      lambdaRequestId\n    }\n    ... on IdempotencyConflictError {\n      idempotencyKey\n      conflict\n    }\n  }\n"): (typeof documents)["\n  fragment InvokeResultFields on InvokeFunctionResult {\n    __typename\n    ... on Error {\n      message\n    }\n    ... on Invocation {\n      requestId\n      functionName\n      qualifier\n      invocationType\n      statusCode\n      executedVersion\n      payloadJson\n      payloadText\n      payloadSizeBytes\n      logResult\n      decodedLogs\n      durationMs\n      replayed\n      functionError {\n        kind\n        errorType\n        errorMessage\n        stackTrace\n      }\n      report {\n        durationMs\n        billedDurationMs\n        memorySizeMb\n        maxMemoryUsedMb\n        initDurationMs\n        status\n        errorType\n      }\n    }\n    ... on FunctionNotFoundError {\n      functionName\n      qualifier\n    }\n    ... on ThrottledError {\n      reason\n      retryAfterSeconds\n    }\n    ... on InvalidInvocationError {\n      code\n      field\n    }\n    ... on PayloadTooLargeError {\n      part\n      limitBytes\n      sizeBytes\n      excessBytes\n    }\n    ... on InvocationTimeoutError {\n      timeoutMs\n    }\n    ... on LambdaServiceError {\n      code\n      httpStatus\n      lambdaRequestId\n    }\n    ... on IdempotencyConflictError {\n      idempotencyKey\n      conflict\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InvokeFunction($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      ...InvokeResultFields\n    }\n  }\n"): (typeof documents)["\n  mutation InvokeFunction($input: InvokeFunctionInput!) {\n    invokeFunction(input: $input) {\n      ...InvokeResultFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InvokeFunctions($inputs: [InvokeFunctionInput!]!) {\n    invokeFunctions(inputs: $inputs) {\n      ...InvokeResultFields\n    }\n  }\n"): (typeof documents)["\n  mutation InvokeFunctions($inputs: [InvokeFunctionInput!]!) {\n    invokeFunctions(inputs: $inputs) {\n      ...InvokeResultFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GatewayInfo {\n    gateway {\n      lambdaTarget\n      region\n      maxBatchSize\n      invokeTimeoutMs\n    }\n  }\n"): (typeof documents)["\n  query GatewayInfo {\n    gateway {\n      lambdaTarget\n      region\n      maxBatchSize\n      invokeTimeoutMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvocationRecordFields on InvocationRecord {\n    requestId\n    functionName\n    qualifier\n    status\n    startedByGateway\n    acceptedAt\n    expiresAt\n    completedAt\n    condition\n    attempts\n    executedVersion\n    requestPayload\n    responsePayload\n    functionError {\n      kind\n      errorType\n      errorMessage\n    }\n  }\n"): (typeof documents)["\n  fragment InvocationRecordFields on InvocationRecord {\n    requestId\n    functionName\n    qualifier\n    status\n    startedByGateway\n    acceptedAt\n    expiresAt\n    completedAt\n    condition\n    attempts\n    executedVersion\n    requestPayload\n    responsePayload\n    functionError {\n      kind\n      errorType\n      errorMessage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Invocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n"): (typeof documents)["\n  query Invocation($requestId: ID!) {\n    invocation(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InvocationUpdates($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n"): (typeof documents)["\n  subscription InvocationUpdates($requestId: ID!) {\n    invocationUpdates(requestId: $requestId) {\n      ...InvocationRecordFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription InvocationEvents($functionName: String) {\n    invocationEvents(functionName: $functionName) {\n      ...InvocationRecordFields\n    }\n  }\n"): (typeof documents)["\n  subscription InvocationEvents($functionName: String) {\n    invocationEvents(functionName: $functionName) {\n      ...InvocationRecordFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CatalogFunctionFields on LambdaFunction {\n    name\n    arn\n    description\n    runtime\n    handler\n    memorySizeMb\n    timeoutSeconds\n    lastModified\n  }\n"): (typeof documents)["\n  fragment CatalogFunctionFields on LambdaFunction {\n    name\n    arn\n    description\n    runtime\n    handler\n    memorySizeMb\n    timeoutSeconds\n    lastModified\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Functions {\n    functions {\n      ...CatalogFunctionFields\n    }\n  }\n"): (typeof documents)["\n  query Functions {\n    functions {\n      ...CatalogFunctionFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FunctionsWithQualifiers {\n    functions {\n      name\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query FunctionsWithQualifiers {\n    functions {\n      name\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Function($name: String!) {\n    function(name: $name) {\n      ...CatalogFunctionFields\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Function($name: String!) {\n    function(name: $name) {\n      ...CatalogFunctionFields\n      versions {\n        version\n        description\n      }\n      aliases {\n        name\n        functionVersion\n        description\n        routingWeights {\n          version\n          weight\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EchoTwice {\n    a: function(name: \"echo\") {\n      versions {\n        version\n      }\n    }\n    b: function(name: \"echo\") {\n      aliases {\n        name\n      }\n      versions {\n        version\n      }\n    }\n  }\n"): (typeof documents)["\n  query EchoTwice {\n    a: function(name: \"echo\") {\n      versions {\n        version\n      }\n    }\n    b: function(name: \"echo\") {\n      aliases {\n        name\n      }\n      versions {\n        version\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;